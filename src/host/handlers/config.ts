import { applyConfig } from '../../engine/config/apply.js';
import { planConfig } from '../../engine/config/plan.js';
import { revertConfig } from '../../engine/config/revert.js';
import { configStatus } from '../../engine/config/status.js';
import type { configChannels } from '../../shared/contract/config.js';
import type { HandlersFor } from './scope.js';

export const configHandlers: HandlersFor<typeof configChannels> = {
  'config.plan': async (input, { ctx }) => planConfig(ctx, input),
  'config.apply': async (input, { ctx }) => applyConfig(ctx, input),
  'config.revert': async (_input, { ctx }) => revertConfig(ctx),
  'config.status': async (_input, { ctx }) => configStatus(ctx),
};
