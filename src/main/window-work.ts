/**
 * Work follows the window's page, as it follows a web page (src/host/web/page-tasks.ts): a
 * reload, a crashed renderer or a closed window cancels the tasks the page started (no OpenSSH
 * program left waiting at a prompt nobody will answer), and the next page is told what became
 * of each, so it can say so (renderer/api/interrupted.ts). No `electron` import: main.ts passes
 * the window's webContents in, and the unit test a fake one.
 */
import type { Envelope } from '../shared/contract/common.js';
import { outcomeOf, PageWork, type InterruptedTask } from '../host/page-work.js';

/** The event the page listens to (shared/contract/names.ts eventNames). */
export const INTERRUPTED_EVENT = 'page.interrupted';

/** The slice of WebContents used here. */
export interface PageLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** A handful is all a page can show; an endless reload loop must not grow the list. */
const MAX_UNTOLD = 8;

export class WindowWork {
  private readonly work = new PageWork<Envelope<unknown>>();
  private readonly untold: InterruptedTask[] = [];
  /** The page that can hear now: set once its document has loaded (its scripts ran and listen), cleared when it goes. */
  private page: PageLike | null = null;

  /** `cancel` stops one task (main: task.cancel to the engine host). */
  constructor(private readonly cancel: (taskId: string) => void) {}

  /** Follows a call of the page; returns its answer unchanged. */
  follow(channel: string, input: unknown, answer: Promise<Envelope<unknown>>): Promise<Envelope<unknown>> {
    return this.work.follow(channel, input, answer);
  }

  /**
   * The page went away (a new document started loading, the renderer is gone, the window
   * closed): its tasks are cancelled, and each outcome is kept for the next page, once the
   * task has really ended (ssh-keygen killed and its staging folder removed).
   */
  pageGone(): void {
    this.page = null;
    for (const { taskId, channel, answer } of this.work.takeAll()) {
      this.cancel(taskId);
      void answer.then((envelope) => this.tell({ channel, outcome: outcomeOf(envelope) }));
    }
  }

  /** The new document has loaded: it listens now, so it hears what it missed, and later outcomes as they come. */
  pageLoaded(page: PageLike): void {
    this.page = page;
    if (this.untold.length > 0) this.send(this.untold.splice(0));
  }

  /** Tasks still followed (for tests). */
  get running(): number {
    return this.work.size;
  }

  private tell(task: InterruptedTask): void {
    if (this.page && !this.page.isDestroyed()) return this.send([task]);
    if (this.untold.length < MAX_UNTOLD) this.untold.push(task);
  }

  private send(list: InterruptedTask[]): void {
    try {
      this.page?.send(INTERRUPTED_EVENT, { interrupted: list });
    } catch {
      // A page destroyed between the check and the send hears nothing; the next one starts afresh.
    }
  }
}
