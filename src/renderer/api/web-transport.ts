import type { Transport } from '../../shared/api.js';
import type { ChannelName, Envelope, EventName } from '../../shared/contract/index.js';

/**
 * The web host's transport: one web socket back to the page's own origin, authenticated
 * with the per-run token the host put in the URL fragment.
 */
export function webSocketTransport(location: Location): Transport {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const lost = (): Envelope<unknown> => ({
    ok: false,
    error: { code: 'disconnected', message: 'The connection to Mila Onboard was lost.', hint: 'Restart Mila Onboard, then reload this page.', nothingChanged: true },
  });

  const socket = new WebSocket(url);
  const ready = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true), { once: true });
    socket.addEventListener('error', () => resolve(false), { once: true });
  });
  socket.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; envelope?: Envelope<unknown>; event?: string; payload?: unknown };
    if (typeof msg.id === 'number' && msg.envelope) {
      pending.get(msg.id)?.(msg.envelope);
      pending.delete(msg.id);
    } else if (msg.event) {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(lost());
    pending.clear();
  });

  return {
    async invoke(channel: ChannelName, input: unknown) {
      if (!(await ready) || socket.readyState !== WebSocket.OPEN) return lost();
      const id = nextId++;
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, input }));
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
