import type { Envelope } from '../../shared/contract/index.js';
import type { HostMessage, InterruptedTask } from '../../shared/web-messages.js';
import { outcomeOf, PageWork } from '../page-work.js';
import type { TaskRegistry } from '../tasks.js';

// Shared with Electron's window (src/main/window-work.ts); re-exported for the web host's users.
export { outcomeOf, type InterruptedTask };

/**
 * Work follows the page. A task belongs to the socket that started it; when that socket
 * closes (a reload, a closed tab) the task is cancelled, so no OpenSSH program is left waiting
 * at a prompt nobody will answer, and key creation removes what it had staged. Its outcome is
 * kept for the page's session and sent to the next socket of that session as
 * `{ interrupted: [...] }`, so the page can say what happened.
 */
export class PageTasks {
  private readonly untold = new Map<string, InterruptedTask[]>();
  private readonly open = new Map<string, Set<(msg: HostMessage) => void>>();

  constructor(private readonly registry: TaskRegistry) {}

  /** Binds one socket of a session; `send` delivers a message to it. */
  attach(session: string, send: (msg: HostMessage) => void): { follow(channel: string, input: unknown, answer: Promise<Envelope<unknown>>): Promise<Envelope<unknown>>; closed(): void } {
    const senders = this.open.get(session) ?? new Set();
    senders.add(send);
    this.open.set(session, senders);
    const waiting = this.untold.get(session);
    if (waiting) {
      this.untold.delete(session);
      send({ interrupted: waiting });
    }
    const work = new PageWork<Envelope<unknown>>();
    return {
      follow: (channel, input, answer) => work.follow(channel, input, answer),
      closed: () => {
        senders.delete(send);
        for (const { taskId, channel, answer } of work.takeAll()) {
          this.registry.cancel(taskId);
          // Told once it has really ended (ssh-keygen killed and its staging folder removed).
          void answer.then((envelope) => this.tell(session, { channel, outcome: outcomeOf(envelope) }));
        }
      },
    };
  }

  private tell(session: string, task: InterruptedTask): void {
    const senders = this.open.get(session);
    if (senders && senders.size > 0) {
      for (const send of senders) send({ interrupted: [task] });
      return;
    }
    const list = this.untold.get(session) ?? [];
    // A handful is all a page can show; an endless reload loop must not grow this.
    if (list.length < 8) list.push(task);
    this.untold.set(session, list);
  }
}
