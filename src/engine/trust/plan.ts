import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { fromFsError } from '../errors.js';
import { compareHostKeys, type Comparison } from './compare.js';
import { entryLine, hostFieldMatches, knownHostName, parseKnownHosts, type KnownHostsLine } from './known-hosts.js';
import { scanHostKeys } from './scan.js';

export const ENTRY_COMMENT = 'added-by-mila-onboard';

export interface TrustPlan {
  host: string;
  port: number;
  /** The known_hosts names the verified keys are recorded under. */
  names: string[];
  comparison: Comparison;
  /** Lines to add (only when trusted; empty when already present). */
  toAdd: string[];
  /** Existing lines for these names whose key is not a verified one: stale or hostile. */
  stale: { line: number; text: string }[];
  alreadyTrusted: boolean;
  knownHostsPath: string;
  /** The bytes the plan was made from, so apply can refuse if the file changed since. */
  before: string | null;
}

export function knownHostsPath(ctx: EngineContext): string {
  return path.join(ctx.sshDir, 'known_hosts');
}

/** The login host and every individual login node: they share the published keys. */
export function loginNames(ctx: EngineContext): string[] {
  const { host, port, nodes } = ctx.profile.login;
  return [...new Set([host, ...Object.values(nodes)])].map((h) => knownHostName(h, port));
}

export async function readKnownHosts(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fromFsError(err, `Reading ${file}`);
  }
}

function linesFor(lines: KnownHostsLine[], names: readonly string[]): KnownHostsLine[] {
  return lines.filter((l) => l.marker === null && names.some((n) => hostFieldMatches(l.hosts, n)));
}

/**
 * Fetches the login node's host keys, compares them with the profile's published
 * fingerprints, and works out what known_hosts needs. Changes nothing.
 */
export async function planTrust(ctx: EngineContext): Promise<TrustPlan> {
  const { host, port, fingerprints } = ctx.profile.login;
  const scanned = await scanHostKeys(host, port);
  const comparison = compareHostKeys(scanned, fingerprints);
  const file = knownHostsPath(ctx);
  const before = await readKnownHosts(file);
  const names = loginNames(ctx);
  const existing = linesFor(parseKnownHosts(before ?? ''), names);
  const verified = comparison.verdicts.filter((v) => v.status === 'match');
  const verifiedBlobs = new Set(verified.map((v) => v.blob));

  // A verified key is already recorded when some line covers every one of our names with it.
  const missing = verified.filter((v) => !names.every((n) => existing.some((l) => l.key?.blob === v.blob && hostFieldMatches(l.hosts, n))));
  const toAdd = comparison.trusted ? missing.map((v) => entryLine(names, v, ENTRY_COMMENT)) : [];
  const stale = existing.filter((l) => !l.key || !verifiedBlobs.has(l.key.blob)).map((l) => ({ line: l.index + 1, text: l.raw }));
  return { host, port, names, comparison, toAdd, stale, alreadyTrusted: comparison.trusted && toAdd.length === 0 && stale.length === 0, knownHostsPath: file, before };
}
