/**
 * What became of work the page started before it went away (web front: a reload or a closed
 * tab cancels the page's tasks, see src/host/web/page-tasks.ts). The host tells the page's
 * next socket; the steps that start such work show it once.
 */
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

export function onInterrupted(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
