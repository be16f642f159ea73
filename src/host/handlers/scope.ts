import type { z } from 'zod';
import type { EngineContext } from '../../engine/context.js';
import type { ChannelSpec, EventName } from '../../shared/contract/index.js';

/** What a handler may use besides its input: the engine context and a way to stream events to its caller. */
export interface HandlerScope {
  /** The context of this call: the primary cluster's, or the one named by the input's `cluster` (dispatch.ts resolves it). */
  ctx: EngineContext;
  /** Every cluster the host serves, the primary first; absent: `ctx`'s cluster only. */
  clusters?: readonly EngineContext[] | undefined;
  front: 'desktop' | 'web';
  emit(event: EventName, payload: unknown): void;
}

/** The handlers for one feature's channels, typed from that feature's contract file. */
export type HandlersFor<T extends Record<string, ChannelSpec>> = {
  [C in keyof T]: (input: z.output<T[C]['input']>, scope: HandlerScope) => Promise<z.input<T[C]['output']>>;
};
