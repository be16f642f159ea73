/**
 * The engine host's serving loop, separate from its entry (engine-host.ts) so a test can
 * run it with a stand-in dispatch. It receives {id, channel, input}, runs the dispatch
 * with a scope whose `emit` posts {event, payload, requestId} back, and answers with the
 * envelope. Calls run concurrently, as they do in the main process. No `electron` import.
 *
 * Ending work: every call's scope carries the host's one AbortSignal. Stopping aborts it, and
 * each OpenSSH program a call started is ended by the engine itself (openssh/terminate.ts),
 * pty or not, before the process exits: no list of children, no patched spawn.
 */
import type { EngineContext } from '../../engine/context.js';
import { toErrorPayload } from '../../engine/errors.js';
import type { HandlerScope } from '../handlers/scope.js';
import type { Envelope, EventName } from '../../shared/contract/index.js';
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
  /** How long a shutdown lets calls in flight finish before their work is aborted. */
  shutdownGraceMs?: number;
  /** How long, once aborted, calls get to end their programs (terminate's grace, then SIGKILL) before the exit. */
  settleMs?: number;
}

export interface EngineService {
  /** Calls being served right now. */
  readonly inFlight: number;
  /**
   * Finish (bounded) what is in flight, abort the rest (its programs are ended), wait (bounded)
   * for them to end, exit. Idempotent. `graceMs` 0: abort at once (a signal to stop, the app gone).
   */
  shutdown(opts?: { graceMs?: number; code?: number }): Promise<void>;
  /** Aborts all work now, without waiting (the process is about to end anyway). */
  abortAll(): void;
}

export function serveEngine(endpoint: HostEndpoint, opts: ServeOptions): EngineService {
  const inFlight = new Set<Promise<void>>();
  let stopping: Promise<void> | null = null;
  /** One for the process: every call's work follows it (HandlerScope.signal). */
  const life = new AbortController();
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
      signal: life.signal,
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

  const settled = (ms: number): Promise<unknown> => {
    const timer = new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());
    return Promise.race([Promise.allSettled([...inFlight]), timer]);
  };

  const shutdown = (stop: { graceMs?: number; code?: number } = {}): Promise<void> => {
    stopping ??= (async () => {
      const grace = stop.graceMs ?? opts.shutdownGraceMs ?? 1500;
      if (grace > 0) await settled(grace);
      // What is still running is nobody's now: end its programs (terminate.ts), and give them
      // the time to go (SIGTERM, then SIGKILL after terminate's grace) before this process does.
      life.abort();
      await settled(opts.settleMs ?? 2500);
      opts.exit(stop.code ?? 0);
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
  endpoint.onParentGone(() => void shutdown({ graceMs: 0 }));

  return {
    get inFlight() {
      return inFlight.size;
    },
    shutdown,
    abortAll: () => life.abort(),
  };
}
