import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBin } from '../config/bytes.js';
import { inspectIncludes } from '../config/includes.js';
import { writeCheckCopies } from '../config/neutralise.js';
import { isMatchExec, scanLines } from '../config/scan.js';
import { readFileState } from '../files/file-state.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';

/**
 * The SSH folder's config as every OpenSSH program this app starts reads it (`ssh -G`, a
 * login, the key check): nothing in the user's config may run. When the config (or a file it
 * includes) has a `Match exec`, or an Include that cannot be resolved for certain, OpenSSH is
 * handed a neutralised private copy instead (config/neutralise.ts: `exec` taken as not
 * matching, such Includes left out), in a private temporary folder removed by dispose().
 * Otherwise the user's own file is used as it is.
 */
export interface SafeConfig {
  /** The file to pass with -F. */
  readonly path: string;
  /** What the copy changed, in plain words (empty when the user's file is used as it is). */
  readonly notes: string[];
  /** The same as values: each `Match exec` taken as not matching (file and line), each Include line left out. */
  readonly leftOut: LeftOut[];
  /** OpenSSH's messages with the copies' names put back to the user's files. */
  unmap(text: string): string;
  dispose(): Promise<void>;
}

/** One thing the neutralised copy changed, for the fronts' own words (the notes say it in English). */
export interface LeftOut {
  kind: 'match-exec' | 'include';
  /** `FILE line N` for a Match exec; the Include line's text for an include. */
  where: string;
}

export interface SafeConfigOptions {
  /** The home folder OpenSSH expands `~` to. */
  home: string;
  fs?: FsLayer;
  /** Always read a copy (ssh -G does, so its checks never depend on the user's file modes). */
  alwaysCopy?: boolean;
}

/** For a config that does not exist (the caller passes its own stand-in). */
const asIs = (file: string): SafeConfig => ({ path: file, notes: [], leftOut: [], unmap: (t) => t, dispose: async () => undefined });

export async function safeConfigFor(sshDir: string, opts: SafeConfigOptions): Promise<SafeConfig | null> {
  const fs = opts.fs ?? nodeFs;
  const configPath = path.join(sshDir, 'config');
  // Refuses a config holding private-key text or NUL bytes before anything reads it.
  const state = await readFileState(fs, configPath, 'an SSH config');
  if (!state.bytes) return null;
  const bin = toBin(state.bytes);
  const lines = scanLines(bin);
  const includes = await inspectIncludes(lines, { home: opts.home, fs });
  const execLines = [
    ...lines.filter(isMatchExec).map((l) => `${configPath} line ${l.index + 1}`),
    ...includes.files.flatMap((f) => f.lines.filter(isMatchExec).map((l) => `${f.path} line ${l.index + 1}`)),
  ];
  const notes: string[] = [];
  if (execLines.length > 0) notes.push(`"Match exec" (${[...new Set(execLines)].join(', ')}) was taken as not matching: mila-onboard never runs commands from your config.`);
  for (const [line, why] of includes.risky) notes.push(`"${line.trim()}" was left out of the check: ${why}.`);
  const leftOut: LeftOut[] = [...[...new Set(execLines)].map((where) => ({ kind: 'match-exec' as const, where })), ...[...includes.risky.keys()].map((line) => ({ kind: 'include' as const, where: line.trim() }))];
  if (notes.length === 0 && !opts.alwaysCopy) return asIs(configPath);
  // mkdtemp makes the folder 0700: the copies (0600) are readable by this user only.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mila-onboard-safe-config-'));
  try {
    const copies = await writeCheckCopies(dir, 'config', bin, includes, false);
    // Longest copy names first, so "config-inc-1" is not cut at "config".
    const names = [[copies.path, configPath] as [string, string], ...copies.names].sort((a, b) => b[0].length - a[0].length);
    return {
      path: copies.path,
      notes,
      leftOut,
      unmap: (text) => names.reduce((acc, [from, to]) => acc.split(from).join(to), text),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
