import { runInPty, type PtySessionHooks, type PtySessionOptions, type PtySessionResult } from '../openssh/pty-session.js';

/** What every key job run in a pty takes from its caller: its end (abort, time), its watchers, its OS. */
export interface KeyJobOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  hooks?: PtySessionHooks;
  platform?: NodeJS.Platform;
}

/**
 * `ssh-keygen ARGS` on one of the user's keys, in a pty in the SSH folder (a passphrase is typed
 * at its prompt, never passed in argv): changing a key's passphrase, reading its public half.
 * A minute unless the caller says otherwise; a person typing a passphrase is not counted.
 */
export function keygenOnKey(sshDir: string, args: readonly string[], opts: KeyJobOptions, onPrompt: PtySessionOptions['onPrompt']): Promise<PtySessionResult> {
  return runInPty({
    program: 'ssh-keygen',
    args,
    cwd: sshDir,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 60_000,
    platform: opts.platform ?? process.platform,
    hooks: opts.hooks,
    onPrompt,
  });
}
