import path from 'node:path';
import type { EngineContext } from '../context.js';
import { readFileState } from '../files/file-state.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import { checkRevertManaged } from '../files/managed.js';
import type { ClusterProfile } from '../profile/schema.js';
import type { TrustStatus } from '../../shared/contract/trust.js';
import { planEntries } from './edit.js';
import { hostFieldMatches, parseKnownHosts } from './known-hosts.js';
import { ENTRY_COMMENT, loginNames } from './plan.js';
import { knownHostsSpec } from './store.js';

type Published = ClusterProfile['login']['fingerprints'];

export interface RecordedKeys {
  /** Types whose published key is recorded for every name. */
  verifiedTypes: string[];
  /** Lines for these names whose key is not a published one. */
  stale: { line: number; text: string; removable: boolean }[];
}

/** What known_hosts records for these names, judged against the published fingerprints only (no network). */
export function recordedKeys(bytes: Buffer | null, names: readonly string[], published: Published): RecordedKeys {
  const lines = parseKnownHosts(bytes ? bytes.toString('utf8') : '').filter((l) => l.marker === null);
  const publishedSet = new Set(Object.values(published).filter((v): v is string => typeof v === 'string'));
  const verifiedTypes = (Object.entries(published) as [string, string | undefined][])
    .filter(([, fp]) => fp !== undefined && names.length > 0 && names.every((n) => lines.some((l) => l.key?.fingerprint === fp && hostFieldMatches(l.hosts, n))))
    .map(([t]) => t);
  // planEntries with no verified keys lists every line for the names; keep those whose key is not published.
  const stale = planEntries(bytes, names, [], ENTRY_COMMENT)
    .stale.filter((s) => {
      const line = lines.find((l) => l.index === s.index);
      return !line?.key || !publishedSet.has(line.key.fingerprint);
    })
    .map((s) => ({ line: s.line, text: s.text, removable: s.removable }));
  return { verifiedTypes, stale };
}

/**
 * No published fingerprints: the types of the keys recorded for every name (keys the user
 * confirmed, or accepted earlier with ssh itself). Nothing to call stale: there is no
 * reference to judge them by.
 */
export function confirmedKeys(bytes: Buffer | null, names: readonly string[]): RecordedKeys {
  const lines = parseKnownHosts(bytes ? bytes.toString('utf8') : '').filter((l) => l.marker === null && l.key);
  const types = [...new Set(lines.map((l) => l.key!.type))];
  return { verifiedTypes: types.filter((t) => names.length > 0 && names.every((n) => lines.some((l) => l.key!.type === t && hostFieldMatches(l.hosts, n)))), stale: [] };
}

/** The login names' recorded keys, judged by the published fingerprints, or (none published) the ones the user confirmed. */
export function recordedLoginKeys(ctx: EngineContext, bytes: Buffer | null): RecordedKeys {
  const names = loginNames(ctx);
  return ctx.profile.login.fingerprintsPublished ? recordedKeys(bytes, names, ctx.profile.login.fingerprints) : confirmedKeys(bytes, names);
}

/** What known_hosts says about the cluster now, and whether the last change can be undone. Offline. */
export async function trustStatus(ctx: EngineContext, deps: { fs?: FsLayer } = {}): Promise<TrustStatus> {
  const fs = deps.fs ?? nodeFs;
  const spec = knownHostsSpec(ctx.sshDir);
  const state = await readFileState(fs, spec.path, 'a known_hosts file');
  const names = loginNames(ctx);
  const login = ctx.profile.login.fingerprintsPublished ? recordedKeys(state.bytes, names, ctx.profile.login.fingerprints) : confirmedKeys(state.bytes, names);
  const patterns = ctx.profile.compute.knownHostsPatterns;
  const compute = recordedKeys(state.bytes, patterns, ctx.profile.compute.fingerprints);
  const check = await checkRevertManaged(fs, spec);
  return {
    knownHostsPath: spec.path,
    exists: state.exists,
    login: { names, verifiedTypes: login.verifiedTypes, trusted: login.verifiedTypes.length > 0, stale: login.stale, unverified: !ctx.profile.login.fingerprintsPublished },
    compute: { patterns, verifiedTypes: compute.verifiedTypes, trusted: compute.verifiedTypes.length > 0, stale: compute.stale, canLearn: ctx.profile.compute.probeHost !== undefined },
    canRevert: check.blocked === null,
    revertBlocked: check.blocked,
    lastChange: check.entry ? { time: check.entry.time, backupPath: check.entry.backup ? path.join(spec.backupsDir, check.entry.backup) : null, purpose: check.entry.purpose } : null,
  };
}
