import path from 'node:path';
import * as z from 'zod/mini';
import '../../shared/zod-english.js';
import type { TrustApplyResult, TrustVerdict } from '../../shared/contract/trust.js';
import type { EngineContext } from '../context.js';
import { backupsDir } from '../files/backup.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import { BaseJournalEntrySchema } from '../files/journal.js';
import { replaceManagedFile, type ManagedFileSpec } from '../files/managed.js';
import { editKnownHosts, planEntries, type StaleEntry, type VerifiedKey } from './edit.js';
import { hostFieldMatches, parseKnownHosts } from './known-hosts.js';

/** known_hosts changes are journaled beside the config's, in their own journal. */
export const KnownHostsJournalEntrySchema = z.extend(BaseJournalEntrySchema, {
  profileId: z.string(),
  /** 'login': the login node's keys (trust apply); 'compute': the compute nodes' keys. */
  purpose: z.enum(['login', 'compute']),
});

export function knownHostsSpec(sshDir: string): ManagedFileSpec<typeof KnownHostsJournalEntrySchema> {
  const backups = backupsDir(sshDir);
  return {
    path: path.join(sshDir, 'known_hosts'),
    backupsDir: backups,
    journalPath: path.join(backups, 'known_hosts.journal.json'),
    lockPath: path.join(backups, 'known_hosts.lock'),
    backupPrefix: 'known_hosts',
    label: 'your known_hosts file',
    kind: 'a known_hosts file',
    entrySchema: KnownHostsJournalEntrySchema,
    // What OpenSSH itself creates; known_hosts holds no secret.
    newFileMode: 0o644,
  };
}

export interface WriteKeysRequest {
  names: readonly string[];
  verified: readonly VerifiedKey[];
  comment: string;
  removeStale: boolean;
  expectedHash?: string | undefined;
  purpose: 'login' | 'compute';
}

export interface WriteKeysResult {
  changed: boolean;
  knownHostsPath: string;
  backupPath: string | null;
  added: string[];
  removed: { line: number; text: string }[];
  keptStale: { line: number; text: string; removable: boolean }[];
  hash: string;
  warnings: string[];
}

/** Every verified key recorded for every name, on the bytes as they are now. */
export function allRecorded(bytes: Buffer, names: readonly string[], verified: readonly VerifiedKey[]): boolean {
  const lines = parseKnownHosts(bytes.toString('utf8')).filter((l) => l.marker === null);
  return verified.every((v) => names.every((n) => lines.some((l) => l.key?.blob === v.blob && hostFieldMatches(l.hosts, n))));
}

/**
 * Records verified keys under `names` (and, on request, takes out stale entries for them)
 * through the shared safe-write mechanism: lock, unchanged-since-plan check, backup,
 * atomic replace, check, journal. The plan is made again under the lock from the bytes
 * really there.
 */
export async function writeVerifiedKeys(ctx: EngineContext, req: WriteKeysRequest, deps: { fs?: FsLayer; now?: () => Date } = {}): Promise<WriteKeysResult> {
  const fs = deps.fs ?? nodeFs;
  const now = deps.now ?? (() => new Date());
  const spec = knownHostsSpec(ctx.sshDir);
  let added: string[] = [];
  let removed: StaleEntry[] = [];
  let kept: StaleEntry[] = [];
  const result = await replaceManagedFile(fs, spec, {
    expectedHash: req.expectedHash,
    now,
    entry: { profileId: ctx.profile.id, purpose: req.purpose },
    build: (state) => {
      const plan = planEntries(state.bytes, req.names, req.verified, req.comment);
      removed = req.removeStale ? plan.stale.filter((s) => s.removable) : [];
      kept = plan.stale.filter((s) => !removed.includes(s));
      added = plan.toAdd;
      if (added.length === 0 && removed.length === 0) return null;
      return editKnownHosts(state.bytes, { add: added, remove: removed });
    },
    verify: (written) => {
      if (!allRecorded(written, req.names, req.verified)) return 'The new known_hosts does not record every verified key';
      if (req.removeStale && planEntries(written, req.names, req.verified, req.comment).stale.some((s) => s.removable)) return 'The new known_hosts still has stale lines';
      return null;
    },
  });
  return {
    changed: result.changed,
    knownHostsPath: spec.path,
    backupPath: result.backupPath,
    added: result.changed ? added : [],
    removed: result.changed ? removed.map((s) => ({ line: s.line, text: s.text })) : [],
    keptStale: (result.changed ? kept : [...kept, ...removed]).map((s) => ({ line: s.line, text: s.text, removable: s.removable })),
    hash: result.afterHash,
    warnings: result.warnings,
  };
}

/**
 * The answer of a login-node trust apply, from what was written: the one builder for verified
 * keys (apply.ts) and for keys the user confirmed unverified (unverified.ts). Each says its own message.
 */
export function trustApplyResult(res: WriteKeysResult, verdicts: TrustVerdict[], message: string): TrustApplyResult {
  return {
    changed: res.changed,
    knownHostsPath: res.knownHostsPath,
    backupPath: res.backupPath,
    added: res.added,
    removed: res.removed,
    keptStale: res.keptStale,
    verdicts,
    hash: res.hash,
    warnings: res.warnings,
    message,
  };
}
