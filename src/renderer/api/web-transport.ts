import type { Transport } from '../../shared/api.js';
import type { ChannelName, Envelope, EventName } from '../../shared/contract/index.js';
import { noteInterrupted } from './interrupted.js';
import { EARLY_CALLS_PARAM, MAX_EARLY_CALLS, type EarlyCall } from '../../shared/early-calls.js';
import { readHostMessage } from '../../shared/web-messages.js';

const isEmptyInput = (input: unknown): boolean => typeof input === 'object' && input !== null && Object.keys(input).length === 0;

/** Where the page keeps its session secret: this tab only, gone when it closes (see src/host/web/launch.ts). */
const SESSION_KEY = 'mila-onboard.session';
type Credential = 'launch' | 'session' | 'none';

/**
 * The secret this page connects with, offered in the socket's protocol list (a header, never a
 * URL). A single-use launch secret in the address is taken out of it at once, so it stays in
 * neither the address bar nor this history entry; after a reload the session secret the host
 * gave in exchange is used instead.
 */
function credential(location: Location): { kind: Credential; protocols: string[] } {
  const launch = new URLSearchParams(location.hash.slice(1)).get('launch');
  if (launch) {
    history.replaceState(history.state, '', location.pathname + location.search);
    return { kind: 'launch', protocols: ['mila-onboard', `mila-launch.${launch}`] };
  }
  let session: string | null = null;
  try {
    session = sessionStorage.getItem(SESSION_KEY);
  } catch {
    // Storage turned off: the page can only be opened with a fresh address.
  }
  return session ? { kind: 'session', protocols: ['mila-onboard', `mila-session.${session}`] } : { kind: 'none', protocols: ['mila-onboard'] };
}

/** Why a socket that never opened was refused, from what the page offered (the host says nothing to a refused client). */
function refusal(kind: Credential): Envelope<unknown> {
  return kind === 'launch'
    ? {
        ok: false,
        error: {
          code: 'launch-used',
          message: 'This address was used already: each address Mila Onboard prints opens it once.',
          hint: 'Go back to the window where Mila Onboard is open, or open the newest address printed in the terminal where Mila Onboard runs.',
          nothingChanged: true,
        },
      }
    : {
        ok: false,
        error: {
          code: 'not-signed-in',
          message: 'This page is not connected to Mila Onboard (it may have been stopped or started again).',
          hint: 'Open the newest address printed in the terminal where Mila Onboard runs.',
          nothingChanged: true,
        },
      };
}

/**
 * The web host's transport: one web socket back to the page's own origin, authenticated
 * with a launch or session secret (see credential()).
 *
 * The socket is opened by `connect()` (the page's first module calls it right after its first
 * calls) or else in a microtask, so the calls the page makes as it starts (app.info, the saved
 * progress) are named in its URL and answered as soon as it opens: the page need not wait for
 * the open event (queued behind its own start-up work) to send them. Only argument-free calls
 * go there, as channel names: no data is ever put in a URL.
 */
export interface WebSocketTransport extends Transport {
  connect(): void;
}

export function webSocketTransport(location: Location): WebSocketTransport {
  const { kind, protocols } = credential(location);
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const early: EarlyCall[] = [];
  let nextId = 1;
  const lost = (): Envelope<unknown> => ({
    ok: false,
    error: { code: 'disconnected', message: 'The connection to Mila Onboard was lost.', hint: 'Start Mila Onboard again, then open the address it prints.', nothingChanged: true },
  });

  let socket: WebSocket | null = null;
  let opened = false;
  const lostOrRefused = () => (opened ? lost() : refusal(kind));
  let resolveReady: (open: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve));
  const connect = (): void => {
    if (socket) return;
    const url = early.length > 0 ? `${base}?${EARLY_CALLS_PARAM}=${encodeURIComponent(JSON.stringify(early))}` : base;
    const ws = new WebSocket(url, protocols);
    socket = ws;
    ws.addEventListener('open', () => resolveReady((opened = true)), { once: true });
    ws.addEventListener('error', () => resolveReady(false), { once: true });
    ws.addEventListener('message', (ev) => {
      const msg = readHostMessage(String(ev.data));
      if (msg === null) return; // not the host's protocol: nothing to act on
      if ('interrupted' in msg) noteInterrupted(msg.interrupted);
      else if ('session' in msg) {
        try {
          sessionStorage.setItem(SESSION_KEY, msg.session);
        } catch {
          // No storage: this tab works until it is reloaded.
        }
      } else if ('id' in msg) {
        pending.get(msg.id)?.(msg.envelope);
        pending.delete(msg.id);
      } else {
        // Unchecked here: onEvent (events.ts) checks each payload against the contract.
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
      }
    });
    ws.addEventListener('close', () => {
      for (const resolve of pending.values()) resolve(lostOrRefused());
      pending.clear();
    });
  };
  queueMicrotask(connect);
  // A new address pasted into this tab changes only the fragment (no new page): load it as a new page.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).has('launch')) window.location.reload();
  });

  return {
    connect,
    invoke(channel: ChannelName, input: unknown) {
      const id = nextId++;
      if (socket === null && isEmptyInput(input) && early.length < MAX_EARLY_CALLS) {
        early.push([id, channel]);
        return new Promise<Envelope<unknown>>((resolve) => pending.set(id, resolve));
      }
      return ready.then((open) => {
        if (!open || socket?.readyState !== WebSocket.OPEN) return lostOrRefused();
        return new Promise<Envelope<unknown>>((resolve) => {
          pending.set(id, resolve);
          socket!.send(JSON.stringify({ id, channel, input }));
        });
      });
    },
    on(event: EventName, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
