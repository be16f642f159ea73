import type { EngineContext } from '../context.js';
import { EngineError, reason } from '../errors.js';
import { runSession, type ConnectAsk, type SessionFailure } from '../connect/session.js';
import type { PtySessionHooks } from '../openssh/pty-session.js';
import type { TrustVerdict } from '../../shared/contract/trust.js';
import { mismatchError, notVerifiedError, toVerdicts } from '../trust/apply.js';
import { compareHostKeys } from '../trust/compare.js';
import { ENTRY_COMMENT, verifiedKeys } from '../trust/plan.js';
import { parseKeyscan } from '../trust/scan.js';
import { writeVerifiedKeys } from '../trust/store.js';
import { BEGIN, END, shPipeline } from './script.js';

export type ComputeTrustPhase = 'connecting' | 'authenticating' | 'scanning' | 'done';

export interface ComputeTrustOptions {
  ask: ConnectAsk;
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: ComputeTrustPhase) => void) | undefined;
  /** Take out lines for the compute patterns whose key is not a verified one. */
  removeStale?: boolean | undefined;
  timeoutMs?: number | undefined;
  hooks?: PtySessionHooks | undefined;
}

export type ComputeTrustResult =
  | {
      ok: true;
      probeHost: string;
      patterns: string[];
      verdicts: TrustVerdict[];
      changed: boolean;
      added: string[];
      keptStale: { line: number; text: string; removable: boolean }[];
      knownHostsPath: string;
      backupPath: string | null;
      message: string;
    }
  | SessionFailure;

const KEYSCAN_SCRIPT = `echo "${BEGIN}"
ssh-keyscan -T 10 -t ed25519,ecdsa,rsa -p "$2" -- "$1" 2>/dev/null
echo "${END}"
`;

/** The remote command: ssh-keyscan of the probe host, run on the login node. */
export function keyscanCommand(probeHost: string, port: number): string {
  return shPipeline(KEYSCAN_SCRIPT, [probeHost, String(port)]);
}

function between(output: string): string {
  const lines = output.split('\n');
  const b = lines.indexOf(BEGIN);
  const e = lines.indexOf(END, b + 1);
  return b < 0 || e < 0 ? '' : lines.slice(b + 1, e).join('\n');
}

/**
 * Learns the compute nodes' host keys so that the first `ssh cn-xxxx` asks nothing: over a
 * working login, `ssh-keyscan` of the profile's probe node runs on the login node; each key
 * is checked against the published compute fingerprints (a lying login node cannot inject
 * a key), and only verified keys are recorded, under the profile's compute known_hosts
 * patterns (host key checking stays on).
 */
export async function learnComputeHostKeys(ctx: EngineContext, opts: ComputeTrustOptions): Promise<ComputeTrustResult> {
  const { probeHost, port, knownHostsPatterns, fingerprints } = ctx.profile.compute;
  if (!probeHost) {
    throw new EngineError('not-found', `The ${ctx.profile.name} profile names no compute node to learn the compute-node keys from (compute.probeHost).`, {
      hint: 'The first connection to a compute node will show its key fingerprint: compare it with the published compute-node fingerprints before answering yes.',
      reason: reason('compute-no-probe', { profile: ctx.profile.name }),
    });
  }
  const res = await runSession(ctx, {
    command: keyscanCommand(probeHost, port),
    marker: BEGIN,
    ask: opts.ask,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    hooks: opts.hooks,
    onProgress: (p) => opts.onProgress?.(p === 'running' ? 'scanning' : p),
  });
  if (!res.ok) return res;
  const scanned = parseKeyscan(between(res.output));
  if (scanned.length === 0) {
    throw new EngineError('verification-failed', `The login node could not get the host keys of ${probeHost} (port ${port}).`, {
      hint: 'The compute node may be down or the name may be wrong. Try again later.',
      reason: reason('compute-scan-failed', { host: probeHost, port: String(port) }),
    });
  }
  const comparison = compareHostKeys(scanned, fingerprints);
  const what = `The compute node ${probeHost}, as seen from the login node,`;
  if (comparison.mismatch) throw mismatchError(ctx, comparison, what, probeHost);
  if (!comparison.trusted) throw notVerifiedError(ctx, comparison, what, probeHost);
  const w = await writeVerifiedKeys(ctx, {
    names: knownHostsPatterns,
    verified: verifiedKeys(comparison),
    comment: ENTRY_COMMENT,
    removeStale: opts.removeStale ?? false,
    purpose: 'compute',
  });
  const types = comparison.verdicts.filter((v) => v.status === 'match').map((v) => v.type);
  return {
    ok: true,
    probeHost,
    patterns: knownHostsPatterns,
    verdicts: toVerdicts(comparison),
    changed: w.changed,
    added: w.added,
    keptStale: w.keptStale,
    knownHostsPath: w.knownHostsPath,
    backupPath: w.backupPath,
    message: w.changed
      ? `${w.knownHostsPath} now records the compute nodes' verified keys (${types.join(', ')}) for ${knownHostsPatterns.join(', ')}. Undo with "mila-onboard trust revert".`
      : `${w.knownHostsPath} already records the compute nodes' verified keys; nothing was changed.`,
  };
}
