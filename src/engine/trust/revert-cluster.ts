import type { EngineContext } from '../context.js';
import type { ErrorReasonDto } from '../../shared/contract/common.js';
import { EngineError, reason } from '../errors.js';
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
  return (await whyBlocked(ctx, deps))?.message ?? null;
}

/** Why this cluster's known_hosts undo is refused, in English and as a reason; null when it is allowed. */
async function whyBlocked(ctx: EngineContext, deps: { fs?: FsLayer }): Promise<{ message: string; reason: ErrorReasonDto | undefined } | null> {
  const spec = knownHostsSpec(ctx.sshDir);
  const check = await checkRevertManaged(deps.fs ?? nodeFs, spec);
  if (check.blocked !== null) return { message: check.blocked, reason: check.blockedReason };
  if (!check.entry) return { message: 'mila-onboard has not changed known_hosts (or its changes were undone).', reason: reason('nothing-to-undo', { path: spec.path }) };
  if (check.entry.profileId !== ctx.profile.id) {
    return {
      message: `The last change to known_hosts was for another cluster (${check.entry.profileId}): undo that one first, from its own tab.`,
      reason: reason('undo-other-cluster-first', { path: spec.path, other: check.entry.profileId ?? '' }),
    };
  }
  return null;
}

/** Undoes the last change to known_hosts if this cluster made it; otherwise refuses, nothing changed. */
export async function revertClusterTrust(ctx: EngineContext, deps: { fs?: FsLayer; now?: () => Date } = {}): Promise<TrustRevertResult> {
  const blocked = await whyBlocked(ctx, deps);
  if (blocked !== null) throw new EngineError('changed-underneath', blocked.message, { reason: blocked.reason, nothingChanged: true });
  return revertKnownHosts(ctx, deps);
}
