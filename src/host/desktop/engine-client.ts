/**
 * The main-process side of the engine host: forwards each contract call (channel, input)
 * to the child, matches the answer by id, relays the events the child emits for a call to
 * that call's listener, and survives the child dying: every call in flight then gets the
 * HELPER_STOPPED envelope and the next call starts a new child. No per-call timeout: long
 * calls (key generation waiting for a passphrase) are legitimate. What is never legitimate is
 * a child whose event loop stops (a native call that never returns): while calls are in
 * flight the client pings the child, and one that does not answer within `hangAfterMs` is
 * ended and its calls get HELPER_HUNG (VS Code's pty host does the same with a heartbeat).
 * Restarts are capped: a child that keeps dying (a broken install) is not restarted more
 * than `maxRestarts` times in `restartWindowMs`; calls then get HELPER_FAILING with what to
 * do, instead of a restart loop. No `electron` import; main.ts hands in how to start the child.
 */
import type { ChannelName, Envelope, ErrorPayloadDto, EventName } from '../../shared/contract/index.js';
import { eventNames } from '../../shared/contract/names.js';
import { CLOSING_ERROR, isFromHost, type EngineChild, type FromHost } from './engine-transport.js';

/**
 * What a call gets when the host process died under it; its own code (not 'internal', which
 * says a bug), so the page can say in each language what happened. `nothingChanged: true`: the
 * engine only ever replaces files atomically (write, then rename), so a call cut short
 * leaves each file either as it was or as fully written.
 */
export const HELPER_STOPPED: ErrorPayloadDto = Object.freeze({
  code: 'helper-stopped',
  message: 'The background helper stopped unexpectedly.',
  hint: 'Try again.',
  nothingChanged: true,
});

/** What the calls in flight get when the child stopped answering pings and was ended. */
export const HELPER_HUNG: ErrorPayloadDto = Object.freeze({
  code: 'helper-hung',
  message: 'The background helper stopped responding, so it was restarted.',
  hint: 'Try again.',
  nothingChanged: true,
});

/** What a call gets while the child keeps dying: restarting it again would only loop. */
export const HELPER_FAILING: ErrorPayloadDto = Object.freeze({
  code: 'helper-failing',
  message: 'The background helper keeps stopping.',
  hint: 'Quit and reopen Mila Onboard. If it happens again, reinstall it or contact IT support.',
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
  /** Told when a child stopped answering pings and was ended (for the log). */
  onHang?(info: { pid: number | undefined; failedCalls: number }): void;
  /** How often a busy child is pinged. Default 5 s. */
  heartbeatMs?: number;
  /** How long an unanswered ping may wait before the child counts as hung. Default 30 s. */
  hangAfterMs?: number;
  /** The same, before the child has said anything at all (it is still loading). Default 60 s. */
  startupMs?: number;
  /** Unexpected ends tolerated in `restartWindowMs` before calls get HELPER_FAILING. Default 3. */
  maxRestarts?: number;
  /** Default 60 s. */
  restartWindowMs?: number;
  /** The clock the restart window is measured with (ms); tests pass their own so a loaded machine cannot stretch the window. Default performance.now. */
  clock?: () => number;
}

const knownEvents: ReadonlySet<string> = new Set(eventNames);

export class EngineClient {
  private child: EngineChild | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private starts = 0;
  /** When each recent unexpected end happened (ms, performance.now()). */
  private crashes: number[] = [];
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private pingSeq = 0;
  /** When the oldest unanswered ping was sent, or null when the child has answered every ping. */
  private unansweredSince: number | null = null;
  /** Calls of a hung child are failed with HELPER_HUNG rather than HELPER_STOPPED. */
  private hung: EngineChild | null = null;
  /** Whether the current child has sent anything yet (until then it may still be loading). */
  private heard = false;

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
    if (!this.child && this.failingTooOften()) return Promise.resolve({ ok: false, error: { ...HELPER_FAILING } });
    let child: EngineChild;
    try {
      child = this.ensureChild();
    } catch {
      return Promise.resolve({ ok: false, error: { ...HELPER_STOPPED } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, onEvent });
      if (this.pending.size === 1) {
        child.setRef(true);
        this.startHeartbeat(child);
      }
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
    this.stopHeartbeat();
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
    this.heard = false;
    child.setRef(false);
    child.onMessage((msg) => this.onMessage(child, msg));
    child.onExit((code) => this.onExit(child, code));
    return child;
  }

  private onMessage(child: EngineChild, msg: unknown): void {
    if (child !== this.child || !isFromHost(msg)) return;
    this.heard = true;
    this.handle(child, msg);
  }

  /** Unexpected ends within the window, oldest dropped; true when one more start would loop. */
  private failingTooOften(): boolean {
    const window = this.opts.restartWindowMs ?? 60_000;
    const now = (this.opts.clock ?? performance.now.bind(performance))();
    this.crashes = this.crashes.filter((t) => now - t < window);
    return this.crashes.length > (this.opts.maxRestarts ?? 3);
  }

  /** Pings the child while it has calls; ends it when a ping goes unanswered too long. */
  private startHeartbeat(child: EngineChild): void {
    if (this.heartbeat) return;
    this.unansweredSince = null;
    this.heartbeat = setInterval(() => {
      if (child !== this.child) return this.stopHeartbeat();
      const now = performance.now();
      const hangAfter = this.heard ? (this.opts.hangAfterMs ?? 30_000) : (this.opts.startupMs ?? 60_000);
      if (this.unansweredSince !== null && now - this.unansweredSince >= hangAfter) {
        this.stopHeartbeat();
        this.hung = child;
        this.opts.onHang?.({ pid: child.pid, failedCalls: this.pending.size });
        child.kill(); // onExit fails the calls in flight with HELPER_HUNG
        return;
      }
      this.unansweredSince ??= now;
      child.post({ type: 'ping', seq: ++this.pingSeq });
    }, this.opts.heartbeatMs ?? 5_000);
    this.heartbeat.unref?.();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.unansweredSince = null;
  }

  private handle(child: EngineChild, msg: FromHost): void {
    if (msg.type === 'pong') {
      if (msg.seq === this.pingSeq) this.unansweredSince = null;
      return;
    }
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
    if (this.pending.size === 0) {
      child.setRef(false);
      this.stopHeartbeat();
    }
    pending.resolve(msg.envelope);
  }

  private onExit(child: EngineChild, code: number | null): void {
    if (child !== this.child) return;
    this.child = null;
    this.stopHeartbeat();
    const failed = [...this.pending.values()];
    this.pending.clear();
    const wasHung = this.hung === child;
    this.hung = null;
    const error = this.stopped ? { ...CLOSING_ERROR } : wasHung ? { ...HELPER_HUNG } : { ...HELPER_STOPPED };
    for (const p of failed) p.resolve({ ok: false, error });
    if (this.stopped) return;
    this.crashes.push((this.opts.clock ?? performance.now.bind(performance))());
    if (!wasHung) this.opts.onUnexpectedExit?.({ code, pid: child.pid, failedCalls: failed.length });
  }
}
