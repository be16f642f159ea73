import { randomUUID } from 'node:crypto';
import { EngineError, reason } from '../engine/errors.js';

/** What a waiting prompt looks like to the registry (never its answer). */
export interface PendingPromptInfo {
  kind: string;
  text: string;
  secret: boolean;
}

export type PromptCloseReason = 'answered' | 'cancelled' | 'ended';

interface Pending {
  info: PendingPromptInfo;
  resolve(answer: string): void;
  reject(err: unknown): void;
  closed?: ((reason: PromptCloseReason) => void) | undefined;
}

/** The longest answer accepted (the contract says the same). */
export const MAX_ANSWER_LENGTH = 1024;

/**
 * Long work the renderer may cancel (key creation, passphrase prompts in a pty, a login).
 * The renderer picks the task id (a UUID) and sends it with the request, so it can match
 * 'task.event' progress and prompts, answer prompts with 'task.answer', and call
 * 'task.cancel' before the request has answered.
 * One registry per host process; entries live exactly as long as their work, and so do
 * their pending prompts: finishing or cancelling a task rejects whatever it still waits for.
 */
export class TaskRegistry {
  private readonly running = new Map<string, AbortController>();
  private readonly prompts = new Map<string, Map<string, Pending>>();
  /** Per task: stops following its parent signal (a host's lives long: no listener may outlive its task). */
  private readonly unlinks = new WeakMap<AbortSignal, () => void>();

  /**
   * Registers a task; a second task with a running id is refused (ids are per request).
   * `parent` is the signal of the call that started it (HandlerScope.signal): when it aborts
   * (the host stops, the page that made the call went away) the task is cancelled as by 'task.cancel'.
   */
  start(taskId: string, parent?: AbortSignal): AbortSignal {
    if (this.running.has(taskId)) throw new EngineError('busy', 'A task with this id is already running.');
    const controller = new AbortController();
    this.running.set(taskId, controller);
    if (parent) {
      const onParent = () => {
        if (this.running.get(taskId) === controller) this.cancel(taskId);
      };
      if (parent.aborted) onParent();
      else {
        parent.addEventListener('abort', onParent, { once: true });
        this.unlinks.set(controller.signal, () => parent.removeEventListener('abort', onParent));
      }
    }
    return controller.signal;
  }

  finish(taskId: string, signal: AbortSignal): void {
    this.unlink(signal);
    // Only remove our own entry (a cancelled-and-restarted id would have a new controller).
    if (this.running.get(taskId)?.signal === signal) {
      this.running.delete(taskId);
      this.rejectPending(taskId, 'ended', new EngineError('cancelled', 'The program that asked this question has ended.', { reason: reason('task-ended') }));
    }
  }

  /** Aborts a running task. False when no such task is running (already finished, or never started). */
  cancel(taskId: string): boolean {
    const controller = this.running.get(taskId);
    if (!controller) return false;
    this.unlink(controller.signal);
    this.rejectPending(taskId, 'cancelled', new EngineError('cancelled', 'Cancelled.', { reason: reason('cancelled') }));
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

  /**
   * Runs `body` as task `taskId`, removing the entry (and rejecting its pending prompts) however
   * it ends. The signal `body` gets aborts on 'task.cancel' and when `parent` aborts (see start).
   */
  async run<T>(taskId: string, body: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal): Promise<T> {
    const signal = this.start(taskId, parent);
    try {
      return await body(signal);
    } finally {
      this.finish(taskId, signal);
    }
  }

  /**
   * Waits for the user's answer to a prompt of a running task. `announce` is called with
   * the new prompt id (send the prompt event there); `closed` when the prompt stops
   * waiting (answered, cancelled, or the task ended). Rejects with 'cancelled' when the
   * task is cancelled or ends first.
   */
  waitForAnswer(
    taskId: string,
    info: PendingPromptInfo,
    announce: (promptId: string) => void,
    closed?: (promptId: string, reason: PromptCloseReason) => void,
  ): Promise<string> {
    if (!this.running.has(taskId)) return Promise.reject(new EngineError('cancelled', 'This task is no longer running.', { reason: reason('task-ended') }));
    const promptId = randomUUID();
    let list = this.prompts.get(taskId);
    if (!list) {
      list = new Map();
      this.prompts.set(taskId, list);
    }
    const pendingList = list;
    const answer = new Promise<string>((resolve, reject) => {
      pendingList.set(promptId, { info, resolve, reject, closed: closed ? (reason) => closed(promptId, reason) : undefined });
    });
    announce(promptId);
    return answer;
  }

  /**
   * Delivers an answer. False when the prompt is not waiting (answered already, or its task
   * ended). The registry keeps no copy: the answer goes straight to the waiting code.
   */
  answer(taskId: string, promptId: string, value: string): boolean {
    const list = this.prompts.get(taskId);
    const pending = list?.get(promptId);
    if (!list || !pending) return false;
    if (typeof value !== 'string' || value.length > MAX_ANSWER_LENGTH) throw new EngineError('invalid-input', `An answer can have at most ${MAX_ANSWER_LENGTH} characters.`, { reason: reason('answer-too-long', { max: String(MAX_ANSWER_LENGTH) }) });
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(value)) throw new EngineError('invalid-input', 'An answer cannot contain line breaks or control characters.', { reason: reason('answer-control') });
    list.delete(promptId);
    if (list.size === 0) this.prompts.delete(taskId);
    pending.resolve(value);
    pending.closed?.('answered');
    return true;
  }

  /** The prompts a task is waiting on (texts only), e.g. for a window that reconnects. */
  pendingPrompts(taskId: string): Array<{ promptId: string } & PendingPromptInfo> {
    return [...(this.prompts.get(taskId)?.entries() ?? [])].map(([promptId, p]) => ({ promptId, ...p.info }));
  }

  private unlink(signal: AbortSignal): void {
    this.unlinks.get(signal)?.();
    this.unlinks.delete(signal);
  }

  private rejectPending(taskId: string, reason: PromptCloseReason, err: EngineError): void {
    const list = this.prompts.get(taskId);
    if (!list) return;
    this.prompts.delete(taskId);
    for (const p of list.values()) {
      p.reject(err);
      p.closed?.(reason);
    }
  }
}

/** The host's registry, shared by every handler of this process. */
export const tasks = new TaskRegistry();
