import type { Channels } from '../../shared/contract/index.js';
import { appHandlers } from './app.js';
import { configHandlers } from './config.js';
import { connectHandlers } from './connect.js';
import { keysHandlers } from './keys.js';
import { trustHandlers } from './trust.js';
import type { HandlersFor } from './scope.js';

export type { HandlerScope } from './scope.js';

/** Every contract channel bound to the engine; the compiler insists none is missing. */
export const handlers: HandlersFor<Channels> = {
  ...appHandlers,
  ...keysHandlers,
  ...configHandlers,
  ...trustHandlers,
  ...connectHandlers,
};
