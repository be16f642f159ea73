/**
 * The main-process side of the engine host: forwards each contract call (channel, input)
 * to the child, matches the answer by id, relays the events the child emits for a call to
 * that call's listener, and survives the child dying: every call in flight then gets the
 * HELPER_STOPPED envelope and the next call starts a new child. No timeouts: long calls
 * (key generation waiting for a passphrase) are legitimate, and a hung child cannot block
 * the main process anyway. No `electron` import; main.ts hands in how to start the child.
 */
import type { ChannelName, Envelope, ErrorPayloadDto, EventName } from '../shared/contract/index.js';
import { eventNames } from '../shared/contract/names.js';
import { CLOSING_ERROR, isFromHost, type EngineChild, type FromHost } from './engine-transport.js';

/**
 * What a call gets when the host process died under it. `nothingChanged: true`: the
 * engine only ever replaces files atomically (write, then rename), so a call cut short
 * leaves each file either as it was or as fully written.
 */
export const HELPER_STOPPED: ErrorPayloadDto = Object.freeze({
  code: 'internal',
  message: 'The background helper stopped unexpectedly.',
  hint: 'Try again.',
  nothingChanged: true,
});

export type EventSink = (event: EventName, payload: unknown) => void;

interface Pending {
  resolve(envelope: Envelope<unknown>): void;
  onEvent: EventSink | undefined;
}

export interface EngineClientOptions {
  /** Told when a child ended without being asked to (for the log). */
  onUnexpectedExit?(info: { code: number | null; pid: number | undefined; failedCalls: number }): void;
}

const knownEvents: ReadonlySet<string> = new Set(eventNames);

export class EngineClient {
  private child: EngineChild | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private starts = 0;

  constructor(
    private readonly spawn: () => EngineChild,
    private readonly opts: EngineClientOptions = {},
  ) {}

  /** How many child processes were started so far (1 + restarts). */
  get started(): number {
    return this.starts;
  }

  /** The running child's pid, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Calls waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Starts the child now rather than on the first call (a warm-up; optional). */
  start(): void {
    if (!this.stopped) this.ensureChild();
  }

  /**
   * Runs one contract call in the child. Always resolves with an envelope: the child's
   * answer, HELPER_STOPPED if it died first, or CLOSING_ERROR once the app is quitting.
   * Events the handler emits while the call is in flight go to `onEvent`; an event sent
   * after the answer has no listener left and is dropped.
   */
  call(channel: ChannelName | string, input: unknown, onEvent?: EventSink): Promise<Envelope<unknown>> {
    if (this.stopped) return Promise.resolve({ ok: false, error: { ...CLOSING_ERROR } });
    let child: EngineChild;
    try {
      child = this.ensureChild();
    } catch {
      return Promise.resolve({ ok: false, error: { ...HELPER_STOPPED } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, onEvent });
      if (this.pending.size === 1) child.setRef(true);
      child.post({ type: 'call', id, channel, input: input ?? {} });
    });
  }

  /**
   * Ends the child for good (app quit): asks it to finish and exit, waits up to
   * `graceMs`, then kills it and waits up to `killWaitMs` for the exit. Later calls get
   * CLOSING_ERROR. Resolves once the child is gone (or the waits ran out).
   */
  stop(opts: { graceMs?: number; killWaitMs?: number } = {}): Promise<void> {
    this.stopped = true;
    this.stopping ??= (async () => {
      const child = this.child;
      if (!child) return;
      const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
      const timer = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));
      child.setRef(true);
      child.post({ type: 'shutdown' });
      if ((await Promise.race([exited.then(() => 'exited' as const), timer(opts.graceMs ?? 3000)])) === 'timeout') {
        child.kill();
        await Promise.race([exited, timer(opts.killWaitMs ?? 2000)]);
      }
    })();
    return this.stopping;
  }

  private ensureChild(): EngineChild {
    if (this.child) return this.child;
    const child = this.spawn();
    this.starts++;
    this.child = child;
    child.setRef(false);
    child.onMessage((msg) => this.onMessage(child, msg));
    child.onExit((code) => this.onExit(child, code));
    return child;
  }

  private onMessage(child: EngineChild, msg: unknown): void {
    if (child !== this.child || !isFromHost(msg)) return;
    this.handle(child, msg);
  }

  private handle(child: EngineChild, msg: FromHost): void {
    if (msg.type === 'event') {
      if (!knownEvents.has(msg.event)) return;
      const sink = this.pending.get(msg.requestId)?.onEvent;
      try {
        sink?.(msg.event as EventName, msg.payload);
      } catch {
        // a listener's failure (a closed window) must not break the pipe
      }
      return;
    }
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    this.pending.delete(msg.id);
    if (this.pending.size === 0) child.setRef(false);
    pending.resolve(msg.envelope);
  }

  private onExit(child: EngineChild, code: number | null): void {
    if (child !== this.child) return;
    this.child = null;
    const failed = [...this.pending.values()];
    this.pending.clear();
    const error = this.stopped ? { ...CLOSING_ERROR } : { ...HELPER_STOPPED };
    for (const p of failed) p.resolve({ ok: false, error });
    if (!this.stopped) this.opts.onUnexpectedExit?.({ code, pid: child.pid, failedCalls: failed.length });
  }
}
