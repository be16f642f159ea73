import { applyConfig } from '../../engine/config/apply.js';
import { PlanCache } from '../../engine/config/plan-cache.js';
import { planConfig } from '../../engine/config/plan.js';
import { clusterRevertBlocked, revertClusterBlock } from '../../engine/config/revert-block.js';
import { configStatus } from '../../engine/config/status.js';
import type { configChannels } from '../../shared/contract/config.js';
import type { HandlersFor } from './scope.js';

/** This host's last plan: Write right after the preview reuses it (plan-cache.ts says when). */
const plans = new PlanCache();

export const configHandlers: HandlersFor<typeof configChannels> = {
  'config.plan': async (input, { ctx }) => planConfig(ctx, input, { plans }),
  'config.apply': async (input, { ctx }) => applyConfig(ctx, input, { plans }),
  // One block per cluster, each with its own undo: the last change to THIS block, every other
  // line kept (the exact bytes from before it when it is also the file's last change).
  'config.revert': async (_input, { ctx }) => revertClusterBlock(ctx),
  'config.status': async (_input, { ctx }) => {
    const status = await configStatus(ctx);
    const blocked = status.canRevert || status.block !== null ? await clusterRevertBlocked(ctx) : status.revertBlocked;
    return { ...status, canRevert: blocked === null, revertBlocked: blocked };
  },
};
