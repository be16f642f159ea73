import { createContext, type EngineContext } from '../engine/context.js';
import { EngineError } from '../engine/errors.js';
import { BUILT_IN_PROFILES, builtInProfile, loadProfile } from '../engine/profile/load.js';
import type { ClusterInfoDto } from '../shared/contract/clusters.js';

/**
 * The clusters one host serves: one engine context per profile, the primary first. Every
 * context shares the SSH folder, the OS and the state folder; only the profile differs.
 */
export type ClusterContexts = readonly [EngineContext, ...EngineContext[]];

/**
 * Loads each profile (a built-in name or a file) into a context. Two profiles with one id
 * would make `cluster: id` ambiguous (and write one block twice): refused.
 */
export async function loadClusters(
  refs: readonly string[],
  base: { sshDir?: string | undefined; stateDir?: string | undefined; platform?: NodeJS.Platform },
): Promise<ClusterContexts> {
  if (refs.length === 0) throw new EngineError('invalid-input', 'No cluster profile was given.');
  const profiles = await Promise.all(refs.map((ref) => loadProfile(ref)));
  const seen = new Set<string>();
  for (const [i, p] of profiles.entries()) {
    if (seen.has(p.id)) throw new EngineError('invalid-input', `Two cluster profiles have the id "${p.id}" (${refs[i]}): each cluster needs its own id.`);
    seen.add(p.id);
  }
  const contexts = profiles.map((profile) => createContext({ ...base, profile }));
  return contexts as unknown as ClusterContexts;
}

/**
 * What the desktop app and a bare `npm run web` offer: the primary (a built-in name or a
 * file), then every built-in profile with another id (Mila, then the Alliance's clusters, in
 * the shipped order). A profile file with a built-in's id stands for that built-in.
 */
export async function loadWithBuiltIns(
  primary: string,
  base: { sshDir?: string | undefined; stateDir?: string | undefined; platform?: NodeJS.Platform },
): Promise<ClusterContexts> {
  const [first] = await loadClusters([primary], base);
  const others = Object.keys(BUILT_IN_PROFILES).map((name) => builtInProfile(name)).filter((p) => p.id !== first.profile.id);
  return [first, ...others.map((profile) => createContext({ ...base, profile }))];
}

/**
 * The context a call runs against: the primary's when no cluster is named, the named
 * cluster's otherwise. The one place a cluster id is resolved; an id this host does not
 * serve is refused before anything runs.
 */
export function resolveCluster(clusters: readonly EngineContext[], id: string | undefined): EngineContext {
  const primary = clusters[0];
  if (!primary) throw new EngineError('internal', 'This window serves no cluster.', { nothingChanged: true });
  if (id === undefined) return primary;
  const found = clusters.find((c) => c.profile.id === id);
  if (!found) {
    throw new EngineError('invalid-input', `Unknown cluster "${id}". This window serves: ${clusters.map((c) => c.profile.id).join(', ')}.`, { nothingChanged: true });
  }
  return found;
}

/** app.info's view of one cluster: facts to show, no path and no secret. */
export function clusterInfo(ctx: EngineContext, primary: boolean): ClusterInfoDto {
  const p = ctx.profile;
  return {
    id: p.id,
    name: p.name,
    alias: p.alias,
    primary,
    docs: p.links.docs,
    support: p.links.support,
    ...(p.links.onboardingTraining ? { onboardingTraining: p.links.onboardingTraining } : {}),
    ...(p.links.mfaPortal ?? p.mfa.portal ? { mfaPortal: p.links.mfaPortal ?? p.mfa.portal } : {}),
    mfaKind: p.mfa.kind,
    fingerprintsPublished: p.login.fingerprintsPublished,
    keyRegistration: p.keys.registration,
    keyName: p.keys.defaultName,
    account: p.account,
    notes: p.notes,
  };
}
