import { EngineError } from '../engine/errors.js';

/**
 * Long work the renderer may cancel (key creation, passphrase prompts in a pty). The
 * renderer picks the task id (a UUID) and sends it with the request, so it can match
 * 'task.event' progress and call 'task.cancel' before the request has answered.
 * One registry per host process; entries live exactly as long as their work.
 */
export class TaskRegistry {
  private readonly running = new Map<string, AbortController>();

  /** Registers a task; a second task with a running id is refused (ids are per request). */
  start(taskId: string): AbortSignal {
    if (this.running.has(taskId)) throw new EngineError('busy', 'A task with this id is already running.');
    const controller = new AbortController();
    this.running.set(taskId, controller);
    return controller.signal;
  }

  finish(taskId: string, signal: AbortSignal): void {
    // Only remove our own entry (a cancelled-and-restarted id would have a new controller).
    if (this.running.get(taskId)?.signal === signal) this.running.delete(taskId);
  }

  /** Aborts a running task. False when no such task is running (already finished, or never started). */
  cancel(taskId: string): boolean {
    const controller = this.running.get(taskId);
    if (!controller) return false;
    controller.abort();
    this.running.delete(taskId);
    return true;
  }

  isRunning(taskId: string): boolean {
    return this.running.has(taskId);
  }

  get size(): number {
    return this.running.size;
  }

  /** Runs `body` as task `taskId`, removing the entry however it ends. */
  async run<T>(taskId: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.start(taskId);
    try {
      return await body(signal);
    } finally {
      this.finish(taskId, signal);
    }
  }
}

/** The host's registry, shared by every handler of this process. */
export const tasks = new TaskRegistry();
