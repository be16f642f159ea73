import { EngineError, reason } from '../errors.js';
import type { KeyUnlock } from '../openssh/conversation.js';
import type { AskFn } from '../openssh/pty-session.js';

/**
 * Rules for a passphrase that will be typed into an OpenSSH prompt. ssh-keygen reads at
 * most 1023 bytes and silently drops the rest, and a pty in line mode gives control
 * characters a meaning (Ctrl-C interrupts, Ctrl-U erases): both would leave a key
 * protected by something other than what the user typed, so both are refused.
 */
export const PASSPHRASE_MAX_BYTES = 1023;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

export function checkPassphrase(passphrase: unknown, opts: { allowEmpty?: boolean; what?: string } = {}): string {
  const what = opts.what ?? 'The passphrase';
  if (typeof passphrase !== 'string') throw new EngineError('invalid-input', `${what} is missing.`);
  if (passphrase === '' && !opts.allowEmpty) {
    throw new EngineError('invalid-input', `${what} is empty. A key without a passphrase can be used by anyone who gets a copy of the file.`, {
      hint: 'Choose a passphrase (a few words are easy to remember and hard to guess). Creating a key without one needs an explicit choice.',
      reason: reason('passphrase-empty'),
    });
  }
  if (CONTROL.test(passphrase)) {
    throw new EngineError('invalid-input', `${what} contains a line break or another control character, which cannot be typed at OpenSSH's prompt.`, { reason: reason('passphrase-control') });
  }
  if (Buffer.byteLength(passphrase, 'utf8') > PASSPHRASE_MAX_BYTES) {
    throw new EngineError('invalid-input', `${what} is too long: OpenSSH reads at most ${PASSPHRASE_MAX_BYTES} bytes.`, { reason: reason('passphrase-too-long', { max: String(PASSPHRASE_MAX_BYTES) }) });
  }
  return passphrase;
}

export function wrongPassphrase(file: string): EngineError {
  return new EngineError('wrong-passphrase', `The passphrase is not the right one for ${file}.`, {
    hint: 'Check Caps Lock and the keyboard layout, then try again. If the passphrase is lost, the key cannot be unlocked: create a new key instead.',
    reason: reason('wrong-passphrase', { file }),
    nothingChanged: true,
  });
}

/**
 * An existing key's passphrase as the conversation takes it (openssh/conversation.ts): what
 * the person types is checked like any passphrase, and a refused one is `wrongPassphrase(name)`.
 */
export function keyUnlock(
  name: string,
  opts: { passphrase?: string | undefined; ask?: AskFn | undefined; tries?: number; what?: string; missing(): Error },
): KeyUnlock {
  return {
    passphrase: opts.passphrase,
    ask: opts.ask,
    tries: opts.tries,
    check: (answer) => checkPassphrase(answer, opts.what ? { what: opts.what } : {}),
    wrong: () => wrongPassphrase(name),
    missing: opts.missing,
  };
}
