import type { z } from 'zod';
import type { EngineContext } from '../../engine/context.js';
import type { ChannelSpec, EventName } from '../../shared/contract/index.js';

/** What a handler may use besides its input: the engine context and a way to stream events to its caller. */
export interface HandlerScope {
  ctx: EngineContext;
  front: 'desktop' | 'web';
  emit(event: EventName, payload: unknown): void;
  /**
   * Aborts when nobody can use the call's answer any more: the host stops, or the page that
   * made it went away. Handlers pass it to the engine (and to tasks.run), which ends the
   * OpenSSH programs the call started (openssh/terminate.ts). Absent: the call is never cut short.
   */
  signal?: AbortSignal | undefined;
}

/** The handlers for one feature's channels, typed from that feature's contract file. */
export type HandlersFor<T extends Record<string, ChannelSpec>> = {
  [C in keyof T]: (input: z.output<T[C]['input']>, scope: HandlerScope) => Promise<z.input<T[C]['output']>>;
};
