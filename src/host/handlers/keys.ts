import { listKeys } from '../../engine/keys/list.js';
import type { keysChannels } from '../../shared/contract/keys.js';
import type { HandlersFor } from './scope.js';

export const keysHandlers: HandlersFor<typeof keysChannels> = {
  'keys.list': async (_input, { ctx }) => listKeys(ctx.sshDir, ctx.platform),
};
