/**
 * The phase of a long OpenSSH job as its caller shows it (a key being made, a login): the first
 * phase is said at once, so the page has something to show before OpenSSH prints anything, and
 * each later one once, when it changes (prompts and output chunks repeat it many times).
 */
export function phases<P extends string>(first: P, onProgress: ((phase: P) => void) | undefined) {
  let current = first;
  onProgress?.(first);
  return {
    get current(): P {
      return current;
    },
    to(phase: P): void {
      if (phase === current) return;
      current = phase;
      onProgress?.(phase);
    },
  };
}
