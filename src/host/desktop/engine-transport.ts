/**
 * The pipe between Electron main and the engine host, the separate process that runs
 * every contract call (VS Code's pty-host idea: node-pty and OpenSSH children live there,
 * so a hang or crash in them never freezes the window).
 *
 * The same child module runs under two process APIs:
 *   - Electron's `utilityProcess.fork` (the app): the child talks through
 *     `process.parentPort` (`on('message', e => e.data)`, `postMessage`);
 *   - Node's `child_process.fork` (tests, and main.ts run under plain Node with a
 *     stand-in electron module): the child talks through `process.on('message')` and
 *     `process.send`.
 * Both sides only see the two small interfaces below (HostEndpoint in the child,
 * EngineChild in the parent), so engine-client.ts and engine-service.ts do not know which
 * one they run on. No `electron` import here, not even for types: the utilityProcess side
 * of the parent (it names Electron's types) is src/main/utility-engine.ts.
 */
import { fork } from 'node:child_process';
import type { Envelope } from '../../shared/contract/index.js';
import { pickFlags } from '../flags.js';

// ---------------------------------------------------------------------------------------
// The protocol. Every message is a plain object that survives structured clone and JSON.

/** Parent → child: run one contract call. */
export interface CallMessage {
  type: 'call';
  id: number;
  channel: string;
  input: unknown;
}
/** Parent → child: finish the calls in flight (bounded), end your own children, exit. */
export interface ShutdownMessage {
  type: 'shutdown';
}
/**
 * Parent → child: are you still there? Answered from the child's event loop, so a child
 * stuck in a synchronous call (a native module that never returns) does not answer.
 */
export interface PingMessage {
  type: 'ping';
  seq: number;
}
export type ToHost = CallMessage | ShutdownMessage | PingMessage;

/** Child → parent: the envelope answering call `id`. */
export interface ResultMessage {
  type: 'result';
  id: number;
  envelope: Envelope<unknown>;
}
/** Child → parent: an event a handler emitted while serving call `requestId`. */
export interface EventMessage {
  type: 'event';
  requestId: number;
  event: string;
  payload: unknown;
}
/** Child → parent: the answer to ping `seq`. */
export interface PongMessage {
  type: 'pong';
  seq: number;
}
export type FromHost = ResultMessage | EventMessage | PongMessage;

/** The answer to calls made once the app has asked the host to stop (quitting). */
export const CLOSING_ERROR = Object.freeze({
  code: 'cancelled',
  message: 'The app is closing.',
  nothingChanged: true,
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function isToHost(msg: unknown): msg is ToHost {
  if (!isObject(msg)) return false;
  if (msg.type === 'shutdown') return true;
  if (msg.type === 'ping') return isId(msg.seq);
  return msg.type === 'call' && isId(msg.id) && typeof msg.channel === 'string';
}

export function isFromHost(msg: unknown): msg is FromHost {
  if (!isObject(msg)) return false;
  if (msg.type === 'result') return isId(msg.id) && isObject(msg.envelope) && typeof msg.envelope.ok === 'boolean';
  if (msg.type === 'pong') return isId(msg.seq);
  return msg.type === 'event' && isId(msg.requestId) && typeof msg.event === 'string';
}

// ---------------------------------------------------------------------------------------
// The engine context, handed to the child at start as arguments.

export interface EngineHostArgs {
  /** Absolute path of the SSH folder. */
  sshDir: string;
  /** A built-in profile name, or the absolute path of a profile file. */
  profile: string;
  /** The OS the engine writes for (a parameter so tests can ask for Windows output). */
  platform: NodeJS.Platform;
}

const PLATFORMS: ReadonlySet<string> = new Set(['aix', 'android', 'darwin', 'freebsd', 'haiku', 'linux', 'openbsd', 'sunos', 'win32', 'cygwin', 'netbsd']);

/** Always the `--flag=value` form, so a value starting with `--` cannot be taken for a flag. */
export function engineHostArgs(ctx: EngineHostArgs): string[] {
  return [`--ssh-dir=${ctx.sshDir}`, `--profile=${ctx.profile}`, `--platform=${ctx.platform}`];
}

const isPlatform = (value: string | undefined): value is NodeJS.Platform => value !== undefined && PLATFORMS.has(value);

/**
 * Reads the arguments back in the child. Positions are not relied on: argv[0..1] differ
 * between `child_process.fork` and `utilityProcess.fork` (pickFlags reads only our flags).
 * The last occurrence wins.
 */
export function parseEngineHostArgs(argv: readonly string[], fallbackPlatform: NodeJS.Platform = process.platform): EngineHostArgs {
  const flags = pickFlags(argv, ['ssh-dir', 'profile', 'platform']);
  const sshDir = flags['ssh-dir'];
  if (sshDir === undefined) throw new Error('The engine host was started without --ssh-dir.');
  return { sshDir, profile: flags.profile ?? 'mila', platform: isPlatform(flags.platform) ? flags.platform : fallbackPlatform };
}

// ---------------------------------------------------------------------------------------
// Child side.

/** What the engine host uses to talk to its parent. */
export interface HostEndpoint {
  /** Which API carries the messages (for logs and tests). */
  readonly kind: 'utility-process' | 'node-ipc';
  onMessage(listener: (msg: unknown) => void): void;
  post(msg: FromHost): void;
  /** Called when the parent is gone (Node IPC disconnect). Electron kills a utility process itself. */
  onParentGone(listener: () => void): void;
}

/** The parts of `process` the endpoint reads; a fake stands in for it in tests. */
export interface ProcessLike {
  parentPort?: { on(event: 'message', listener: (event: { data: unknown }) => void): unknown; postMessage(message: unknown): void } | undefined;
  send?: ((message: unknown, ...rest: never[]) => boolean) | undefined;
  on(event: 'message' | 'disconnect', listener: (...args: never[]) => void): unknown;
}

/** Picks `process.parentPort` under utilityProcess, `process.send` under child_process.fork. */
export function hostEndpoint(proc: ProcessLike = process as unknown as ProcessLike): HostEndpoint {
  const port = proc.parentPort;
  if (port) {
    return {
      kind: 'utility-process',
      onMessage: (listener) => void port.on('message', (event) => listener(event?.data)),
      post: (msg) => port.postMessage(msg),
      onParentGone: () => undefined,
    };
  }
  const send = proc.send;
  if (typeof send === 'function') {
    return {
      kind: 'node-ipc',
      onMessage: (listener) => void proc.on('message', listener as (...args: never[]) => void),
      post: (msg) => {
        // Throws or fails only when the parent is already gone; the disconnect handler ends us then.
        try {
          (send as (m: unknown, cb: (err: Error | null) => void) => boolean).call(proc, msg, () => undefined);
        } catch {
          // ignored: see above
        }
      },
      onParentGone: (listener) => void proc.on('disconnect', listener),
    };
  }
  throw new Error('The engine host must be started by the app (utilityProcess.fork or child_process.fork with an IPC channel).');
}

// ---------------------------------------------------------------------------------------
// Parent side.

/** One running engine host, whatever API started it. */
export interface EngineChild {
  readonly kind: 'utility-process' | 'node-fork';
  readonly pid: number | undefined;
  post(msg: ToHost): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** Called once, when the process has ended (or could not start). */
  onExit(listener: (code: number | null) => void): void;
  /** Asks the OS to end the process (SIGTERM on POSIX, TerminateProcess on Windows). */
  kill(): void;
  /** Whether the child keeps the parent's event loop alive (Node only; Electron's app loop does anyway). */
  setRef(active: boolean): void;
}

/** Makes one onExit that fires exactly once, whichever of several events reports the end. */
export function exitOnce(): { fire(code: number | null): void; add(listener: (code: number | null) => void): void } {
  const listeners: Array<(code: number | null) => void> = [];
  let exited: { code: number | null } | null = null;
  return {
    fire(code) {
      if (exited) return;
      exited = { code };
      for (const l of listeners) l(code);
    },
    add(listener) {
      if (exited) listener(exited.code);
      else listeners.push(listener);
    },
  };
}

/**
 * Starts the engine host with Node's `child_process.fork`. Structured-clone serialization,
 * as utilityProcess uses, so both transports carry the same values.
 */
export function forkEngine(modulePath: string, args: readonly string[], opts: { execPath?: string; env?: NodeJS.ProcessEnv; silent?: boolean } = {}): EngineChild {
  const child = fork(modulePath, [...args], {
    serialization: 'advanced',
    execArgv: [],
    ...(opts.execPath ? { execPath: opts.execPath } : {}),
    env: opts.env ?? process.env,
    stdio: opts.silent ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = exitOnce();
  child.once('exit', (code) => exit.fire(code));
  // 'error' is emitted for a failed spawn (no pid: no 'exit' will follow), a failed kill or send.
  child.on('error', () => {
    if (child.pid === undefined) exit.fire(null);
  });
  return {
    kind: 'node-fork',
    get pid() {
      return child.pid;
    },
    post(msg) {
      if (!child.connected) return; // the exit handler fails whatever was waiting
      child.send(msg, () => undefined);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => exit.add(listener),
    kill: () => void child.kill('SIGTERM'),
    setRef(active) {
      const channel = child.channel as { ref?(): void; unref?(): void } | null | undefined;
      if (active) {
        child.ref();
        channel?.ref?.();
      } else {
        child.unref();
        channel?.unref?.();
      }
    },
  };
}
