// Sync on purpose, once per process: which inert program stands in for SHELL (memoised below).
// eslint-disable-next-line no-restricted-imports
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FsLayer } from '../files/fs-layer.js';
import { NULL_DEVICE, quoteConfigPath, runOpenSsh, type RunResult } from './run.js';
import { safeConfigFor, type LeftOut } from './safe-config.js';

/**
 * The one way this program runs `ssh -G` (what a config means, asked of OpenSSH itself).
 *
 * `ssh -G` runs the command of every `Match exec` it evaluates, through $SHELL. Nothing in the
 * user's config may ever run, so two independent guards apply to every call:
 * 1. it reads a neutralised private copy (config/neutralise.ts): `exec` criteria replaced by
 *    constants, each Include that reaches a `Match exec` or cannot be resolved for certain
 *    commented out (config/includes.ts follows OpenSSH's own glob rules);
 * 2. its SHELL is `false`, so even a `Match exec` the copy missed runs nothing: OpenSSH starts
 *    `false -c "command"`, which ignores the command and fails (the criterion is false).
 */

/** Parses `ssh -G` output (`key value` lines) into lowercase keys, each with every value given. */
export function parseSshG(stdout: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of stdout.split(/\r?\n/)) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const k = line.slice(0, sp).toLowerCase();
    const list = m.get(k) ?? [];
    list.push(line.slice(sp + 1));
    m.set(k, list);
  }
  return m;
}

/** A program that runs nothing and fails, for SHELL (OpenSSH requires SHELL to be executable). */
let inert: { shell: string | undefined } | undefined;
function inertShell(): string | undefined {
  if (process.platform === 'win32') return undefined;
  inert ??= { shell: ['/bin/false', '/usr/bin/false'].find((p) => existsSync(p)) };
  return inert.shell;
}

/** Runs `ssh` with these arguments (which must start with -G), with the inert SHELL. */
export function runSshGuarded(args: readonly string[], opts: { timeoutMs?: number; signal?: AbortSignal | undefined } = {}): Promise<RunResult> {
  if (args[0] !== '-G') throw new Error('runSshGuarded only runs ssh -G');
  const shell = inertShell();
  return runOpenSsh('ssh', args, { timeoutMs: opts.timeoutMs ?? 10_000, env: shell ? { ...process.env, SHELL: shell } : process.env, signal: opts.signal });
}

export interface SafeSshG {
  code: number;
  values: Map<string, string[]>;
  /** OpenSSH's complaint, naming the user's file (not the private copy). */
  stderr: string;
  /** What the copy left out, in plain words (empty when OpenSSH read the config as it is). */
  notes: string[];
  /** The same as values (see safe-config.ts). */
  leftOut: LeftOut[];
}

/**
 * `ssh -G <alias>` for the SSH folder's config, on a neutralised private copy, with the folder's
 * known_hosts: what `ssh <alias>` would use, found without running anything from the config.
 */
export async function sshGOnConfig(opts: { sshDir: string; alias: string; home: string; fs?: FsLayer; timeoutMs?: number; signal?: AbortSignal | undefined }): Promise<SafeSshG> {
  const knownHosts = ['-o', `UserKnownHostsFile=${quoteConfigPath(path.join(opts.sshDir, 'known_hosts'))}`, '-o', `GlobalKnownHostsFile=${NULL_DEVICE}`];
  const safe = await safeConfigFor(opts.sshDir, { home: opts.home, fs: opts.fs, alwaysCopy: true });
  try {
    const r = await runSshGuarded(['-G', '-F', safe?.path ?? NULL_DEVICE, ...knownHosts, '--', opts.alias], { timeoutMs: opts.timeoutMs, signal: opts.signal });
    return {
      code: r.code,
      values: r.code === 0 ? parseSshG(r.stdout) : new Map(),
      stderr: (safe ? safe.unmap(r.stderr) : r.stderr).trim(),
      notes: safe?.notes ?? [],
      leftOut: safe?.leftOut ?? [],
    };
  } finally {
    await safe?.dispose();
  }
}
