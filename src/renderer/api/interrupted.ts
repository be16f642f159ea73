/**
 * What became of work the page started before it went away: a reload or a closed tab cancels
 * the page's tasks, and the next page is told. The web host tells the page's next socket
 * (src/host/web/page-tasks.ts); Electron's main process sends 'page.interrupted' once the new
 * page has loaded (src/main/window-work.ts). The steps that start such work show it once.
 */
import { checkedListener } from '../../shared/contract/events.js';
import type { InterruptedTask } from '../../shared/web-messages.js';

export type { InterruptedTask };

const told: InterruptedTask[] = [];
const listeners = new Set<() => void>();

/** Checked by readHostMessage (shared/web-messages.ts) on its way in. */
export function noteInterrupted(list: readonly InterruptedTask[]): void {
  for (const t of list) told.push({ channel: t.channel, outcome: t.outcome });
  for (const l of listeners) l();
}

/** The newest outcome for one of `channels`, taken (shown once). */
export function takeInterrupted(channels: readonly string[]): InterruptedTask | null {
  for (let i = told.length - 1; i >= 0; i--) {
    if (channels.includes(told[i]!.channel)) {
      const [t] = told.splice(i, 1);
      // Older ones of the same work say nothing the newest does not.
      for (let j = told.length - 1; j >= 0; j--) if (channels.includes(told[j]!.channel)) told.splice(j, 1);
      return t!;
    }
  }
  return null;
}

/** Electron: listens for what the window's main process tells (call it as the page starts, before it has loaded). */
export function listenForInterruptions(bridge: { on(event: 'page.interrupted', listener: (payload: unknown) => void): () => void }): () => void {
  // Checked against the contract, never cast: an odd payload is dropped.
  return bridge.on('page.interrupted', checkedListener('page.interrupted', (payload) => noteInterrupted(payload.interrupted)));
}

export function onInterrupted(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
