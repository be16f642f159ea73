import type * as z from 'zod/mini';
import type { EngineContext } from '../../engine/context.js';
import type { ChannelSpec, EventName, EventPayload } from '../../shared/contract/index.js';

/** What a handler may use besides its input: the engine context and a way to stream events to its caller. */
export interface HandlerScope {
  /** The context of this call: the primary cluster's, or the one named by the input's `cluster` (dispatch.ts resolves it). */
  ctx: EngineContext;
  /** Every cluster the host serves, the primary first; absent: `ctx`'s cluster only. */
  clusters?: readonly EngineContext[] | undefined;
  front: 'desktop' | 'web';
  /**
   * Aborts when nobody can use the call's answer any more: the host stops, or the page that
   * made it went away. Handlers pass it to the engine (and to tasks.run), which ends the
   * OpenSSH programs the call started (openssh/terminate.ts). Absent: the call is never cut short.
   */
  signal?: AbortSignal | undefined;
  /** Streams an event to the caller; the compiler holds the payload to the contract's schema for that event. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/**
 * The scope of a front that only passes events on (Electron main relaying the engine host's
 * events to the window): what it forwards arrived from another process, so it is `unknown`
 * here, and the page checks it (readEvent). Any such scope is also a HandlerScope.
 */
export type RelayScope = Omit<HandlerScope, 'emit'> & { emit(event: EventName, payload: unknown): void };

/** The handlers for one feature's channels, typed from that feature's contract file. */
export type HandlersFor<T extends Record<string, ChannelSpec>> = {
  [C in keyof T]: (input: z.output<T[C]['input']>, scope: HandlerScope) => Promise<z.input<T[C]['output']>>;
};
