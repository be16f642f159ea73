import { execFile } from 'node:child_process';
import path from 'node:path';
import { EngineError, reason } from '../errors.js';
import { childEnvironment } from './env.js';

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

/**
 * Runs an OpenSSH program without a shell. Secrets never go through here: anything
 * that needs a passphrase or a code runs in a pty (see pty-session.ts) and is typed at its prompt.
 * The child gets the same filtered environment as the pty children (env.ts): `env` is the base
 * to filter (default process.env), so nothing secret-looking reaches OpenSSH either way.
 */
export function runOpenSsh(
  program: OpenSshProgram,
  args: readonly string[],
  opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      { timeout: opts.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', windowsHide: true, env: childEnvironment(opts.env ?? process.env) },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(openSshMissing(program));
        if (err && err.killed) {
          return reject(new EngineError('timeout', `"${program}" did not finish in time.`, { hint: 'Try again; if it keeps happening, check your network.', reason: reason('openssh-timeout', { program }) }));
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
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
