import { applyConfig } from '../../engine/config/apply.js';
import { PlanCache } from '../../engine/config/plan-cache.js';
import { planConfig } from '../../engine/config/plan.js';
import { revertConfig } from '../../engine/config/revert.js';
import { configStatus } from '../../engine/config/status.js';
import type { configChannels } from '../../shared/contract/config.js';
import type { HandlersFor } from './scope.js';

/** This host's last plan: Write right after the preview reuses it (plan-cache.ts says when). */
const plans = new PlanCache();

export const configHandlers: HandlersFor<typeof configChannels> = {
  'config.plan': async (input, { ctx }) => planConfig(ctx, input, { plans }),
  'config.apply': async (input, { ctx }) => applyConfig(ctx, input, { plans }),
  'config.revert': async (_input, { ctx }) => revertConfig(ctx),
  'config.status': async (_input, { ctx }) => configStatus(ctx),
};
