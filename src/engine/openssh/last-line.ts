/**
 * The last line OpenSSH printed: when a program fails for a reason nobody foresaw, that line is
 * usually its own explanation ("Load key …: invalid format"), so a refusal carries it as its detail.
 */
export function lastLine(output: string): string {
  return output.trim().split('\n').pop() ?? '';
}

/** "ssh-keygen could not X: LAST", or "ssh-keygen could not X." when OpenSSH printed nothing. */
export function sentenceWith(sentence: string, last: string): string {
  return last ? `${sentence}: ${last}` : `${sentence}.`;
}
