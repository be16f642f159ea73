import type { EngineContext } from '../context.js';
import type { PtySessionHooks } from '../openssh/pty-session.js';
import { runSession, type ConnectAsk, type SessionFailure, type SessionPhase } from './session.js';

export const CONNECT_MARKER = 'mila-onboard-ok';

export interface ConnectOptions {
  ask: ConnectAsk;
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: SessionPhase) => void) | undefined;
  /** Run after the harmless `echo mila-onboard-ok; hostname` (tests use it to keep ssh alive a moment). */
  command?: string | undefined;
  alias?: string | undefined;
  timeoutMs?: number | undefined;
  /** OpenSSH's ConnectTimeout in seconds (default 15). */
  connectTimeoutSec?: number | undefined;
  hooks?: PtySessionHooks | undefined;
}

export interface ConnectSuccess {
  ok: true;
  hostname: string | null;
  elapsedMs: number;
}

export type ConnectResult = ConnectSuccess | SessionFailure;

/** The line after the marker: what `hostname` printed. */
export function hostnameAfterMarker(output: string, marker = CONNECT_MARKER): string | null {
  const lines = output.split('\n').map((l) => l.trim());
  const i = lines.indexOf(marker);
  const h = i >= 0 ? lines[i + 1] : undefined;
  return h && /^[A-Za-z0-9._-]{1,253}$/.test(h) ? h : null;
}

/**
 * The first login: `ssh -F <sshDir>/config -o BatchMode=no -o StrictHostKeyChecking=yes
 * -o ConnectTimeout=15 mila 'echo mila-onboard-ok; hostname'` in a pty. Prompts go to
 * `ask`; failures come back as a diagnosis (not thrown); cancel throws 'cancelled'.
 */
export async function connect(ctx: EngineContext, opts: ConnectOptions): Promise<ConnectResult> {
  const command = `echo ${CONNECT_MARKER}; hostname${opts.command ? `; ${opts.command}` : ''}`;
  const res = await runSession(ctx, { ...opts, command, marker: CONNECT_MARKER });
  if (!res.ok) return res;
  return { ok: true, hostname: hostnameAfterMarker(res.output), elapsedMs: res.elapsedMs };
}
