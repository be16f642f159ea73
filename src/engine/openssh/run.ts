import { execFile } from 'node:child_process';
import path from 'node:path';
import { EngineError, reason } from '../errors.js';
import { childEnvironment } from './env.js';
import { endableProcess, terminate, whenAborted } from './terminate.js';

export type OpenSshProgram = 'ssh' | 'ssh-keygen' | 'ssh-keyscan' | 'ssh-add';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How to get the OpenSSH client on each OS, for the "missing OpenSSH" message. */
export function installHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'win32':
      return 'Install "OpenSSH Client": Settings → System → Optional features → Add a feature, then restart this app.';
    case 'darwin':
      return 'OpenSSH comes with macOS; check that /usr/bin/ssh exists, or reinstall the Command Line Tools.';
    default:
      return 'Install the OpenSSH client with your package manager (for example: sudo apt install openssh-client).';
  }
}

export function openSshMissing(program: OpenSshProgram, platform: NodeJS.Platform = process.platform): EngineError {
  return new EngineError('openssh-missing', `The OpenSSH program "${program}" was not found on this computer.`, {
    hint: installHint(platform),
    reason: reason(platform === 'win32' ? 'openssh-missing-windows' : platform === 'darwin' ? 'openssh-missing-macos' : 'openssh-missing-linux', { program }),
  });
}

/** The refusal when a program was stopped because its work was cancelled (a task, a page gone, a host stopping). */
export function openSshCancelled(program: string): EngineError {
  return new EngineError('cancelled', `Cancelled: "${program}" was stopped.`, { reason: reason('cancelled'), nothingChanged: true });
}

export interface RunOptions {
  /** Time the program may run before it is ended (terminate.ts). Default 20 s. */
  timeoutMs?: number;
  input?: string;
  env?: NodeJS.ProcessEnv;
  onSpawn?: (pid: number) => void;
  /** Ends the program (terminate.ts) and rejects with 'cancelled' when it aborts. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs an OpenSSH program without a shell. Secrets never go through here: anything
 * that needs a passphrase or a code runs in a pty (see pty-session.ts) and is typed at its prompt.
 * The child gets the same filtered environment as the pty children (env.ts): `env` is the base
 * to filter (default process.env), so nothing secret-looking reaches OpenSSH either way.
 * A timeout or an abort ends it the one way children end (terminate.ts: SIGTERM, then SIGKILL).
 */
export function runOpenSsh(program: OpenSshProgram, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (opts.signal?.aborted) return Promise.reject(openSshCancelled(program));
  return new Promise((resolve, reject) => {
    let ended: 'timeout' | 'cancelled' | null = null;
    // The callback runs after this function has returned: `timer` and `unbind` (below) are set by then.
    const child = execFile(
      program,
      args,
      { maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', windowsHide: true, env: childEnvironment(opts.env ?? process.env) },
      (err, stdout, stderr) => {
        clearTimeout(timer);
        unbind();
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(openSshMissing(program));
        if (ended === 'cancelled') return reject(openSshCancelled(program));
        if (ended === 'timeout') {
          return reject(new EngineError('timeout', `"${program}" did not finish in time.`, { hint: 'Try again; if it keeps happening, check your network.', reason: reason('openssh-timeout', { program }) }));
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    const stop = (why: 'timeout' | 'cancelled') => {
      if (ended !== null) return; // the first reason wins; the child is already ending
      ended = why;
      void terminate(endableProcess(child));
    };
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs ?? 20_000);
    const unbind = whenAborted(opts.signal, () => stop('cancelled'));
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** The null device OpenSSH accepts as an empty config or known_hosts file. */
export const NULL_DEVICE = process.platform === 'win32' ? 'NUL' : '/dev/null';

/**
 * Options that pin `ssh`'s files to the SSH folder the engine was given, so `--ssh-dir X`
 * never reads or writes the user's real ~/.ssh. `configFile` is what safeConfigFor gave for
 * that folder's config (the file itself, or a copy with nothing that could run).
 */
export function sshFileOptions(sshDir: string, configFile: string): string[] {
  return [
    '-F',
    configFile,
    '-o',
    `UserKnownHostsFile=${quoteConfigPath(path.join(sshDir, 'known_hosts'))}`,
    '-o',
    `GlobalKnownHostsFile=${NULL_DEVICE}`,
  ];
}

/**
 * A path as a value in an OpenSSH option: quoted (the value is a whitespace-separated
 * list) with `%` doubled (it would start a token) so any folder name survives.
 */
export function quoteConfigPath(p: string): string {
  return `"${p.replace(/%/g, '%%')}"`;
}
