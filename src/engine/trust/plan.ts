import path from 'node:path';
import type { EngineContext } from '../context.js';
import { readFileState } from '../files/file-state.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import { hashBytes } from '../files/hash.js';
import { compareHostKeys, type Comparison } from './compare.js';
import { planEntries, type StaleEntry, type VerifiedKey } from './edit.js';
import { knownHostName } from './known-hosts.js';
import { scanHostKeys, type ScannedKey } from './scan.js';

export { entryLine } from './known-hosts.js';

export const ENTRY_COMMENT = 'added-by-mila-onboard';
/** The comment on lines the user confirmed without verification (no published fingerprint). */
export const UNVERIFIED_COMMENT = `${ENTRY_COMMENT}-confirmed-unverified`;

export interface TrustDeps {
  fs?: FsLayer;
  now?: () => Date;
  /** Fetches a host's keys (default: ssh-keyscan). */
  scan?: (host: string, port: number, opts?: { signal?: AbortSignal | undefined }) => Promise<ScannedKey[]>;
}

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
  /** The same lines with what removing them would take out (see StaleEntry). */
  staleEntries: StaleEntry[];
  alreadyTrusted: boolean;
  /**
   * The cluster publishes no fingerprints: nothing can be verified, `toAdd` lists what a
   * confirmation would record (every presented key), and apply needs that confirmation.
   */
  unverified: boolean;
  knownHostsPath: string;
  /** The text the plan was made from (null: no file). */
  before: string | null;
  /** Hash of the bytes the plan was made from; apply refuses if the file changed since. */
  hash: string;
}

export function knownHostsPath(ctx: EngineContext): string {
  return path.join(ctx.sshDir, 'known_hosts');
}

/** The login host and every individual login node: they share the published keys. */
export function loginNames(ctx: EngineContext): string[] {
  const { host, port, nodes } = ctx.profile.login;
  return [...new Set([host, ...Object.values(nodes)])].map((h) => knownHostName(h, port));
}

/** known_hosts as bytes (through a symlink), or null when there is none. */
export async function readKnownHostsBytes(file: string, fs: FsLayer = nodeFs): Promise<Buffer | null> {
  return (await readFileState(fs, file, 'a known_hosts file')).bytes;
}

export async function readKnownHosts(file: string): Promise<string | null> {
  const bytes = await readKnownHostsBytes(file);
  return bytes === null ? null : bytes.toString('utf8');
}

export function verifiedKeys(comparison: Comparison): VerifiedKey[] {
  return comparison.verdicts.filter((v) => v.status === 'match').map((v) => ({ type: v.type, algorithm: v.algorithm, blob: v.blob }));
}

/**
 * Fetches the login node's host keys, compares them with the profile's published
 * fingerprints, and works out what known_hosts needs. Changes nothing.
 */
export async function planTrust(ctx: EngineContext, deps: TrustDeps = {}, opts: { signal?: AbortSignal | undefined } = {}): Promise<TrustPlan> {
  const { host, port, fingerprints } = ctx.profile.login;
  // The signal ends ssh-keyscan (a host that stops, a page gone): see openssh/terminate.ts.
  const scanned = await (deps.scan ?? scanHostKeys)(host, port, { signal: opts.signal });
  const comparison = compareHostKeys(scanned, fingerprints);
  const file = knownHostsPath(ctx);
  const bytes = await readKnownHostsBytes(file, deps.fs);
  const names = loginNames(ctx);
  const unverified = !ctx.profile.login.fingerprintsPublished;
  // Unpublished: what the server presents, which a confirmation would record (never silently).
  const keys = unverified ? comparison.verdicts.map((v) => ({ type: v.type, algorithm: v.algorithm, blob: v.blob })) : verifiedKeys(comparison);
  const entries = planEntries(bytes, names, keys, unverified ? UNVERIFIED_COMMENT : ENTRY_COMMENT);
  const toAdd = comparison.trusted || unverified ? entries.toAdd : [];
  return {
    host,
    port,
    names,
    comparison,
    toAdd,
    stale: entries.stale.map((s) => ({ line: s.line, text: s.text })),
    staleEntries: entries.stale,
    alreadyTrusted: (comparison.trusted || (unverified && keys.length > 0)) && toAdd.length === 0 && entries.stale.length === 0,
    unverified,
    knownHostsPath: file,
    before: bytes === null ? null : bytes.toString('utf8'),
    hash: hashBytes(bytes),
  };
}
