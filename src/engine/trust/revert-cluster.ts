import type { EngineContext } from '../context.js';
import { EngineError } from '../errors.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import { checkRevertManaged } from '../files/managed.js';
import type { TrustRevertResult } from '../../shared/contract/trust.js';
import { revertKnownHosts } from './revert.js';
import { knownHostsSpec } from './store.js';

/**
 * Undo per cluster for known_hosts. Its undo restores the exact bytes from before the last
 * change, so it is offered only to the cluster that made that change: undoing from Mila's tab
 * must not take away the narval keys recorded after Mila's (nor the reverse). Null: this
 * cluster's change is the last one and can be undone.
 */
export async function clusterTrustRevertBlocked(ctx: EngineContext, deps: { fs?: FsLayer } = {}): Promise<string | null> {
  const check = await checkRevertManaged(deps.fs ?? nodeFs, knownHostsSpec(ctx.sshDir));
  if (check.blocked !== null) return check.blocked;
  if (!check.entry) return 'mila-onboard has not changed known_hosts (or its changes were undone).';
  if (check.entry.profileId !== ctx.profile.id) return `The last change to known_hosts was for another cluster (${check.entry.profileId}): undo that one first, from its own tab.`;
  return null;
}

/** Undoes the last change to known_hosts if this cluster made it; otherwise refuses, nothing changed. */
export async function revertClusterTrust(ctx: EngineContext, deps: { fs?: FsLayer; now?: () => Date } = {}): Promise<TrustRevertResult> {
  const blocked = await clusterTrustRevertBlocked(ctx, deps);
  if (blocked !== null) throw new EngineError('changed-underneath', blocked, { nothingChanged: true });
  return revertKnownHosts(ctx, deps);
}
