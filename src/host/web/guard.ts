import type { Socket } from 'node:net';

/**
 * What the web host does with what goes wrong outside a contract call: it says so on its
 * error output and keeps serving. A line holds the error's name, its code and where it was
 * thrown, never its message: messages can quote what a client sent (JSON.parse quotes its
 * input, which may be a passphrase sent with task.answer).
 */
export function describeFault(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as NodeJS.ErrnoException).code;
  const where = (err.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at '));
  return `${err.name}${typeof code === 'string' ? ` (${code})` : ''}${where ? ` ${where.trim()}` : ''}`;
}

export function logFault(what: string, err: unknown): void {
  process.stderr.write(`Mila Onboard kept running after ${what}: ${describeFault(err)}\n`);
}

/**
 * The process-level guard: an error nobody handled (a bug, or a client that found a path we
 * missed) is logged without secrets instead of ending the process, so a user's key creation
 * is not cut off half-way by someone else's bad connection.
 */
export function guardProcess(): void {
  process.on('uncaughtException', (err) => logFault('an unexpected error', err));
  process.on('unhandledRejection', (err) => logFault('an unexpected error', err));
}

/**
 * Connections that have not finished sending a request yet (a slow or abandoned upgrade, or
 * thousands of them from a hostile page). At most `max` are kept: past that the oldest is
 * dropped, so a flood bounds memory and file descriptors without locking out the page,
 * whose own requests arrive whole at once.
 */
export class PendingConnections {
  private readonly waiting = new Set<Socket>();
  constructor(private readonly max: number) {}

  add(socket: Socket): void {
    this.waiting.add(socket);
    socket.once('close', () => this.waiting.delete(socket));
    while (this.waiting.size > this.max) {
      const oldest = this.waiting.values().next().value as Socket;
      this.waiting.delete(oldest);
      oldest.destroy();
    }
  }

  /** A whole request arrived on it: no longer pending. */
  settled(socket: Socket): void {
    this.waiting.delete(socket);
  }

  get size(): number {
    return this.waiting.size;
  }
}
