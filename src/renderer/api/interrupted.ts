/**
 * What became of work the page started before it went away (web front: a reload or a closed
 * tab cancels the page's tasks, see src/host/web/page-tasks.ts). The host tells the page's
 * next socket; the steps that start such work show it once.
 */
export interface InterruptedTask {
  channel: string;
  outcome: 'stopped' | 'finished' | 'failed';
}

const told: InterruptedTask[] = [];
const listeners = new Set<() => void>();

export function noteInterrupted(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const t of list as InterruptedTask[]) {
    if (typeof t?.channel === 'string' && ['stopped', 'finished', 'failed'].includes(t.outcome)) told.push({ channel: t.channel, outcome: t.outcome });
  }
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
