/**
 * Binds the contract to the engine over Electron IPC. Every channel goes through one
 * wrapper (as in GitHub Desktop's ipc-main.ts) that checks the sender before anything
 * else, so no handler can be registered without the check. No `electron` import: main.ts
 * passes `ipcMain` in, and tests pass a fake.
 */
import type { EngineContext } from '../engine/context.js';
import type { RelayScope } from '../host/handlers/scope.js';
import type { ChannelName, Envelope, EventName } from '../shared/contract/index.js';
import { channelNames } from '../shared/contract/names.js';
import { isTrustedSender } from './security.js';

/** The slice of IpcMainInvokeEvent the wrapper reads. */
export interface InvokeEventLike {
  readonly sender: { send(channel: string, ...args: unknown[]): void; isDestroyed?(): boolean };
  /** Null once the frame navigated away or was destroyed: such a sender is never trusted. */
  readonly senderFrame: { readonly url: string; readonly parent?: unknown } | null;
}

/** The slice of IpcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, input?: unknown) => Promise<Envelope<unknown>>): void;
}

/** Main's dispatch passes calls to the engine host, so its scope relays events (their payloads arrive from the host unchecked). */
export type DispatchFn = (channel: unknown, rawInput: unknown, scope: RelayScope) => Promise<Envelope<unknown>>;

export interface IpcDeps {
  /** Decides whether a request may be answered at all; false (or a throw) means refused. */
  isTrusted(event: InvokeEventLike): boolean;
  /** src/host/dispatch.ts in the app; a spy in tests. */
  dispatch: DispatchFn;
  /** The engine context requests run against (read per request). */
  context(): EngineContext;
}

export const UNKNOWN_SENDER_ERROR: Envelope<never> = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'invalid-input', message: 'Unknown sender.', nothingChanged: true }),
}) as Envelope<never>;

/**
 * The default trust rule: the message comes from a top-level frame that shows one of the
 * app's own pages (a file inside the built renderer folder).
 */
export function senderIsApp(appRoot: string): (event: InvokeEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    if (frame.parent !== null && frame.parent !== undefined) return false;
    return isTrustedSender(frame.url, appRoot);
  };
}

function checkTrust(deps: IpcDeps, event: InvokeEventLike): boolean {
  try {
    return deps.isTrusted(event) === true;
  } catch {
    // Electron throws when a destroyed frame is read: such a sender is not trusted.
    return false;
  }
}

/**
 * The one wrapper: refuses an untrusted sender without running anything, otherwise
 * dispatches with a scope whose events go back to the webContents that asked.
 */
export function guardedInvoke(channel: ChannelName, deps: IpcDeps): (event: InvokeEventLike, input?: unknown) => Promise<Envelope<unknown>> {
  return async (event, input) => {
    if (!checkTrust(deps, event)) return UNKNOWN_SENDER_ERROR;
    const sender = event.sender;
    const scope: RelayScope = {
      ctx: deps.context(),
      front: 'desktop',
      emit(name: EventName, payload: unknown) {
        if (sender.isDestroyed?.()) return;
        sender.send(name, payload);
      },
    };
    try {
      return await deps.dispatch(channel, input, scope);
    } catch {
      // dispatch answers with envelopes; this only guards against a bug escaping it.
      return { ok: false, error: { code: 'internal', message: 'The request failed unexpectedly.', nothingChanged: false } };
    }
  };
}

/** Registers every contract channel through the wrapper; returns the channels bound. */
export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps): ChannelName[] {
  for (const channel of channelNames) {
    ipcMain.handle(channel, guardedInvoke(channel, deps));
  }
  return [...channelNames];
}
