// Sync on purpose, once per process: which inert program stands in for SHELL (memoised below).
// eslint-disable-next-line no-restricted-imports
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBin } from '../config/bytes.js';
import { inspectIncludes } from '../config/includes.js';
import { writeCheckCopies } from '../config/neutralise.js';
import { isMatchExec, scanLines } from '../config/scan.js';
import { readFileState } from '../files/file-state.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import { NULL_DEVICE, quoteConfigPath, runOpenSsh, type RunResult } from './run.js';

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
export function runSshGuarded(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  if (args[0] !== '-G') throw new Error('runSshGuarded only runs ssh -G');
  const shell = inertShell();
  return runOpenSsh('ssh', args, { timeoutMs: opts.timeoutMs ?? 10_000, env: shell ? { ...process.env, SHELL: shell } : process.env });
}

export interface SafeSshG {
  code: number;
  values: Map<string, string[]>;
  /** OpenSSH's complaint, naming the user's file (not the private copy). */
  stderr: string;
  /** What the copy left out, in plain words (empty when OpenSSH read the config as it is). */
  notes: string[];
}

/**
 * `ssh -G <alias>` for the SSH folder's config, on a neutralised private copy, with the folder's
 * known_hosts: what `ssh <alias>` would use, found without running anything from the config.
 */
export async function sshGOnConfig(opts: { sshDir: string; alias: string; home: string; fs?: FsLayer; timeoutMs?: number }): Promise<SafeSshG> {
  const fs = opts.fs ?? nodeFs;
  const configPath = path.join(opts.sshDir, 'config');
  const state = await readFileState(fs, configPath, 'an SSH config');
  const knownHosts = ['-o', `UserKnownHostsFile=${quoteConfigPath(path.join(opts.sshDir, 'known_hosts'))}`, '-o', `GlobalKnownHostsFile=${NULL_DEVICE}`];
  const finish = (r: RunResult, names: Array<[string, string]>, notes: string[]): SafeSshG => ({
    code: r.code,
    values: r.code === 0 ? parseSshG(r.stdout) : new Map(),
    // Longest copy names first, so "config-inc-1" is not cut at "config".
    stderr: [...names].sort((a, b) => b[0].length - a[0].length).reduce((acc, [from, to]) => acc.split(from).join(to), r.stderr).trim(),
    notes,
  });
  if (!state.bytes) return finish(await runSshGuarded(['-G', '-F', NULL_DEVICE, ...knownHosts, '--', opts.alias], opts), [], []);
  const bin = toBin(state.bytes);
  const lines = scanLines(bin);
  const includes = await inspectIncludes(lines, { home: opts.home, fs });
  const notes: string[] = [];
  const execLines = [
    ...lines.filter(isMatchExec).map((l) => `${configPath} line ${l.index + 1}`),
    ...includes.files.flatMap((f) => f.lines.filter(isMatchExec).map((l) => `${f.path} line ${l.index + 1}`)),
  ];
  if (execLines.length > 0) notes.push(`"Match exec" (${[...new Set(execLines)].join(', ')}) was taken as not matching: mila-onboard never runs commands from your config.`);
  for (const [line, why] of includes.risky) notes.push(`"${line.trim()}" was left out of the check: ${why}.`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mila-onboard-g-'));
  try {
    const copies = await writeCheckCopies(dir, 'config', bin, includes, false);
    const r = await runSshGuarded(['-G', '-F', copies.path, ...knownHosts, '--', opts.alias], opts);
    return finish(r, [[copies.path, configPath], ...copies.names], notes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
