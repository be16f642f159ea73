import type { Transport } from '../../shared/api.js';
import type { ChannelName, Envelope, EventName } from '../../shared/contract/index.js';
import { EARLY_CALLS_PARAM, MAX_EARLY_CALLS, type EarlyCall } from '../../shared/early-calls.js';

const isEmptyInput = (input: unknown): boolean => typeof input === 'object' && input !== null && Object.keys(input).length === 0;

/**
 * The web host's transport: one web socket back to the page's own origin, authenticated
 * with the per-run token the host put in the URL fragment.
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
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const early: EarlyCall[] = [];
  let nextId = 1;
  const lost = (): Envelope<unknown> => ({
    ok: false,
    error: { code: 'disconnected', message: 'The connection to Mila Onboard was lost.', hint: 'Restart Mila Onboard, then reload this page.', nothingChanged: true },
  });

  let socket: WebSocket | null = null;
  let resolveReady: (open: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve));
  const connect = (): void => {
    if (socket) return;
    const url = early.length > 0 ? `${base}&${EARLY_CALLS_PARAM}=${encodeURIComponent(JSON.stringify(early))}` : base;
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => resolveReady(true), { once: true });
    ws.addEventListener('error', () => resolveReady(false), { once: true });
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; envelope?: Envelope<unknown>; event?: string; payload?: unknown };
      if (typeof msg.id === 'number' && msg.envelope) {
        pending.get(msg.id)?.(msg.envelope);
        pending.delete(msg.id);
      } else if (msg.event) {
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
      }
    });
    ws.addEventListener('close', () => {
      for (const resolve of pending.values()) resolve(lost());
      pending.clear();
    });
  };
  queueMicrotask(connect);

  return {
    connect,
    invoke(channel: ChannelName, input: unknown) {
      const id = nextId++;
      if (socket === null && isEmptyInput(input) && early.length < MAX_EARLY_CALLS) {
        early.push([id, channel]);
        return new Promise<Envelope<unknown>>((resolve) => pending.set(id, resolve));
      }
      return ready.then((open) => {
        if (!open || socket?.readyState !== WebSocket.OPEN) return lost();
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
