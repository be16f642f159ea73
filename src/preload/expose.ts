/**
 * The preload's logic, kept free of the `electron` import so a test can run it with a
 * fake contextBridge and ipcRenderer. It exposes exactly one global, `window.milaOnboard`:
 * one function per contract channel plus `on` (built by buildBridge from the contract's
 * channel list), and nothing of ipcRenderer itself.
 */
import { buildBridge, isEnvelope, NOT_AN_ENVELOPE, type Bridge, type Transport } from '../shared/api.js';
import type { EventName } from '../shared/contract/index.js';
import { eventNames } from '../shared/contract/names.js';

/** The name of the global the renderer reads the bridge from. */
export const API_GLOBAL = 'milaOnboard';

export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/** The slice of IpcRenderer the preload uses (the listener's first argument is Electron's event). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const knownEvents: ReadonlySet<string> = new Set(eventNames);

/** The IPC transport: requests are `invoke`s; events are subscriptions that can be undone. */
export function ipcTransport(ipcRenderer: IpcRendererLike): Transport {
  return {
    // What main answers is checked for an envelope's shape, not cast: the page reads `ok` next.
    invoke: async (channel, input) => {
      const answer = await ipcRenderer.invoke(channel, input);
      return isEnvelope(answer) ? answer : NOT_AN_ENVELOPE;
    },
    on(event: EventName, listener: (payload: unknown) => void) {
      if (!knownEvents.has(event)) throw new Error(`Unknown event "${String(event)}".`);
      if (typeof listener !== 'function') throw new Error('The listener must be a function.');
      // Only the payload crosses: the IpcRendererEvent (which carries `sender`) never reaches the page.
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(event, wrapped);
      };
    },
  };
}

/** Builds the bridge and exposes it as `window.milaOnboard`; returns it for tests. */
export function exposeApi(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): Bridge {
  const bridge = buildBridge(ipcTransport(ipcRenderer));
  contextBridge.exposeInMainWorld(API_GLOBAL, bridge);
  return bridge;
}
