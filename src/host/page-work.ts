/**
 * Which work a page started, so it can be stopped when the page goes away (a reload, a closed
 * tab or window, a crashed renderer): work nobody can see must not go on, and an OpenSSH
 * program must not wait for ever at a prompt nobody will answer. Shared by both fronts (the
 * web host's sockets, Electron's window); no imports but types, so Electron's main stays small.
 */

import type { Envelope } from '../shared/contract/common.js';
import type { InterruptedTask } from '../shared/web-messages.js';

export type { InterruptedTask };

export function outcomeOf(envelope: Envelope<unknown>): InterruptedTask['outcome'] {
  if (envelope.ok) return 'finished';
  return envelope.error.code === 'cancelled' && envelope.error.nothingChanged ? 'stopped' : 'failed';
}

/** Calls that reach a task already running rather than start one. */
const TASK_CONTROL = new Set(['task.answer', 'task.cancel']);

/** The id of the task a call starts, or null (the contract gives every long call a taskId). */
export function startedTaskId(channel: string, input: unknown): string | null {
  if (TASK_CONTROL.has(channel) || typeof input !== 'object' || input === null) return null;
  const id = (input as { taskId?: unknown }).taskId;
  return typeof id === 'string' ? id : null;
}

/** The tasks one page has running: added as their call starts, removed as it answers. */
export class PageWork<T = unknown> {
  private readonly running = new Map<string, { channel: string; answer: Promise<T> }>();

  /** Follows a call; returns its answer unchanged. */
  follow(channel: string, input: unknown, answer: Promise<T>): Promise<T> {
    const id = startedTaskId(channel, input);
    if (id !== null) {
      const entry = { channel, answer };
      this.running.set(id, entry);
      const forget = () => {
        if (this.running.get(id) === entry) this.running.delete(id);
      };
      answer.then(forget, forget);
    }
    return answer;
  }

  /** The page went away: its running tasks, now no longer followed (cancel each). */
  takeAll(): Array<{ taskId: string; channel: string; answer: Promise<T> }> {
    const all = [...this.running].map(([taskId, e]) => ({ taskId, ...e }));
    this.running.clear();
    return all;
  }

  get size(): number {
    return this.running.size;
  }
}
