import type { ChildProcess } from 'node:child_process';

/**
 * The one way a child the engine started is ended: ask it to stop (SIGTERM, or SIGHUP for a
 * program in a terminal, which is what closing a terminal sends), wait `graceMs`, then kill
 * it (SIGKILL) if it is still there. Windows has no signals: the plain kill is already
 * final (TerminateProcess; node-pty closes the console), so nothing is escalated there.
 *
 * Every child (execFile in run.ts, node-pty in pty-session.ts) takes an AbortSignal and is
 * ended through here when it aborts: a cancelled task, a page that went away and a host that
 * stops all end children this way (and so does a timeout), and no code needs a list of the
 * children that exist.
 */

/** A running child, whatever started it. */
export interface EndableChild {
  /** Sends `signal`; undefined: the platform's plain kill (the only one Windows has). Must not throw for a child already gone. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves once the child has exited. */
  readonly exited: Promise<void>;
}

export interface TerminateOptions {
  /** How long the child may take to end after the polite signal. Default 1500 ms. */
  graceMs?: number;
  /** The polite signal: SIGTERM (default), or SIGHUP for a terminal. */
  signal?: 'SIGTERM' | 'SIGHUP';
  platform?: NodeJS.Platform;
}

export const DEFAULT_GRACE_MS = 1500;

/** Ends `child` (see above); resolves once it has exited. Calling it again while it ends does no harm. */
export function terminate(child: EndableChild, opts: TerminateOptions = {}): Promise<void> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    child.kill();
    return child.exited;
  }
  child.kill(opts.signal ?? 'SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? DEFAULT_GRACE_MS);
  // The timer must not keep a process alive that has nothing else to do once the child is gone.
  timer.unref?.();
  void child.exited.then(() => clearTimeout(timer));
  return child.exited;
}

/**
 * Calls `onAbort` when `signal` aborts (at once if it already has). Returns the function that
 * unbinds it, to call when the child has ended by itself: a long-lived signal (a host's) must
 * not collect listeners of children long gone.
 */
export function whenAborted(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** A Node child process as an EndableChild. */
export function endableProcess(child: ChildProcess): EndableChild {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    exited,
    kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    },
  };
}
