/**
 * The engine host's serving loop, separate from its entry (engine-host.ts) so a test can
 * run it with a stand-in dispatch. It receives {id, channel, input}, runs the dispatch
 * with a scope whose `emit` posts {event, payload, requestId} back, and answers with the
 * envelope. Calls run concurrently, as they do in the main process. No `electron` import.
 */
import { ChildProcess } from 'node:child_process';
import type { EngineContext } from '../engine/context.js';
import { toErrorPayload } from '../engine/errors.js';
import type { HandlerScope } from '../host/handlers/scope.js';
import type { Envelope, EventName } from '../shared/contract/index.js';
import { CLOSING_ERROR, isToHost, type CallMessage, type HostEndpoint } from './engine-transport.js';

export type HostDispatch = (channel: unknown, rawInput: unknown, scope: HandlerScope) => Promise<Envelope<unknown>>;

export interface ServeOptions {
  dispatch: HostDispatch;
  /** The engine context; a rejection is reported to every call instead of crashing. */
  context: Promise<EngineContext>;
  /** Every cluster served, the primary first (a call's `cluster` id picks one); absent: `context`'s only. */
  clusters?: Promise<readonly EngineContext[]>;
  /** Ends the process (process.exit in the host; a spy in tests). */
  exit(code: number): void;
  /** Ends the programs the host started; called before exiting. */
  endChildren?(): void;
  /** How long a shutdown waits for calls in flight before ending anyway. */
  shutdownGraceMs?: number;
}

export interface EngineService {
  /** Calls being served right now. */
  readonly inFlight: number;
  /** Finish (bounded) what is in flight, end the children, exit. Idempotent. */
  shutdown(): Promise<void>;
}

export function serveEngine(endpoint: HostEndpoint, opts: ServeOptions): EngineService {
  const inFlight = new Set<Promise<void>>();
  let stopping: Promise<void> | null = null;
  // A failed profile load is answered per call; this only keeps it from being "unhandled".
  opts.context.catch(() => undefined);
  opts.clusters?.catch(() => undefined);

  const run = async (msg: CallMessage): Promise<Envelope<unknown>> => {
    let ctx: EngineContext;
    let clusters: readonly EngineContext[] | undefined;
    try {
      ctx = await opts.context;
      clusters = await opts.clusters;
    } catch (err) {
      return { ok: false, error: toErrorPayload(err) };
    }
    const scope: HandlerScope = {
      ctx,
      clusters,
      front: 'desktop',
      emit(event: EventName, payload: unknown) {
        endpoint.post({ type: 'event', requestId: msg.id, event, payload });
      },
    };
    try {
      return await opts.dispatch(msg.channel, msg.input, scope);
    } catch {
      // dispatch answers with envelopes; this only guards against a bug escaping it.
      return { ok: false, error: { code: 'internal', message: 'The request failed unexpectedly.', nothingChanged: false } };
    }
  };

  const serve = (msg: CallMessage): void => {
    if (stopping) {
      endpoint.post({ type: 'result', id: msg.id, envelope: { ok: false, error: { ...CLOSING_ERROR } } });
      return;
    }
    const task = run(msg).then((envelope) => endpoint.post({ type: 'result', id: msg.id, envelope }));
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const end = (): void => {
    try {
      opts.endChildren?.();
    } finally {
      opts.exit(0);
    }
  };

  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      const grace = new Promise<void>((resolve) => setTimeout(resolve, opts.shutdownGraceMs ?? 1500).unref?.());
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      end();
    })();
    return stopping;
  };

  endpoint.onMessage((msg) => {
    if (!isToHost(msg)) return; // not ours: ignored rather than trusted
    if (msg.type === 'shutdown') void shutdown();
    else if (msg.type === 'ping') endpoint.post({ type: 'pong', seq: msg.seq });
    else serve(msg);
  });
  // Under child_process.fork: the app is gone, so nobody will read an answer.
  endpoint.onParentGone(end);

  return {
    get inFlight() {
      return inFlight.size;
    },
    shutdown,
  };
}

/**
 * Keeps a list of every child process started in this process (execFile, spawn, fork all
 * go through ChildProcess.prototype.spawn), so the host can end them when it stops: an
 * `ssh` still waiting on the network must not outlive the app. Programs run in a pty
 * (node-pty) are not ChildProcesses; they get SIGHUP from the kernel when the host exits
 * and their pty closes. Installed once, by the host's entry only.
 */
const trackedChildren = new Set<ChildProcess>();

export function trackChildProcesses(): { readonly live: ReadonlySet<ChildProcess>; endAll(signal?: NodeJS.Signals): number } {
  const proto = ChildProcess.prototype as ChildProcess & { spawn(options: unknown): unknown; __milaTracked?: boolean };
  if (!proto.__milaTracked) {
    const original = proto.spawn;
    proto.spawn = function spawn(this: ChildProcess, options: unknown) {
      const result = original.call(this, options);
      if (this.pid !== undefined) {
        trackedChildren.add(this);
        this.once('exit', () => trackedChildren.delete(this));
      }
      return result;
    };
    proto.__milaTracked = true;
  }
  return {
    live: trackedChildren,
    endAll(signal: NodeJS.Signals = 'SIGTERM') {
      let ended = 0;
      for (const child of trackedChildren) {
        if (child.exitCode === null && child.signalCode === null && child.kill(signal)) ended++;
      }
      return ended;
    },
  };
}
