import { randomartOf } from '../../engine/keys/inspect.js';
import { applyTrust, toVerdicts } from '../../engine/trust/apply.js';
import { planTrust } from '../../engine/trust/plan.js';
import { clusterTrustRevertBlocked, revertClusterTrust } from '../../engine/trust/revert-cluster.js';
import { trustStatus } from '../../engine/trust/status.js';
import type { trustChannels } from '../../shared/contract/trust.js';
import type { HandlersFor } from './scope.js';

export const trustHandlers: HandlersFor<typeof trustChannels> = {
  'trust.plan': async (_input, { ctx, signal }) => {
    const plan = await planTrust(ctx, {}, { signal });
    // The picture of each presented key, for the side-by-side view (ssh-keygen draws them, in parallel).
    const pictures = await Promise.all(plan.comparison.verdicts.map((v) => randomartOf(v.algorithm, v.blob)));
    return {
      host: plan.host,
      port: plan.port,
      names: plan.names,
      verdicts: toVerdicts(plan.comparison).map((v, i) => ({ ...v, randomart: pictures[i] ?? [] })),
      trusted: plan.comparison.trusted,
      mismatch: plan.comparison.mismatch,
      toAdd: plan.toAdd,
      toAddCount: plan.toAdd.length,
      stale: plan.staleEntries.map((s) => ({ line: s.line, text: s.text, removable: s.removable })),
      alreadyTrusted: plan.alreadyTrusted,
      unverified: plan.unverified,
      knownHostsPath: plan.knownHostsPath,
      hash: plan.hash,
      supportUrl: ctx.profile.links.support,
    };
  },
  'trust.apply': async (input, { ctx, signal }) =>
    applyTrust(ctx, { removeStale: input.removeStale, expectedHash: input.expectedHash, acceptUnverified: input.acceptUnverified, signal }),
  // known_hosts' undo restores the bytes from before its last change: only from the cluster that made it.
  'trust.revert': async (_input, { ctx }) => revertClusterTrust(ctx),
  'trust.status': async (_input, { ctx }) => {
    const status = await trustStatus(ctx);
    const blocked = await clusterTrustRevertBlocked(ctx);
    return { ...status, canRevert: blocked === null, revertBlocked: blocked };
  },
};
