import type { EngineContext } from '../context.js';
import { EngineError, reason } from '../errors.js';
import type { TrustApplyResult, TrustVerdict } from '../../shared/contract/trust.js';
import type { Comparison } from './compare.js';
import { ENTRY_COMMENT, planTrust, verifiedKeys, type TrustDeps } from './plan.js';
import { trustApplyResult, writeVerifiedKeys } from './store.js';
import { applyUnverifiedTrust } from './unverified.js';

export interface TrustApplyOptions {
  removeStale: boolean;
  /**
   * Only for a cluster that publishes no fingerprints: the presented fingerprints the user
   * saw and confirmed (see unverified.ts). Ignored when fingerprints are published: a
   * published fingerprint is never overridden by a confirmation.
   */
  acceptUnverified?: readonly string[] | undefined;
  /** The plan's hash (known_hosts as the user saw it); refused if the file changed since. */
  expectedHash?: string | undefined;
  /** Ends the new scan when the work is cancelled (nothing is written then). */
  signal?: AbortSignal | undefined;
}

export function toVerdicts(c: Comparison): TrustVerdict[] {
  return c.verdicts.map((v) => ({ type: v.type, presented: v.presented, published: v.published, status: v.status }));
}

/**
 * The refusal when a server contradicts the published fingerprints: why it matters and what to
 * do. `host` names the server in the wizard's own sentence (`what` is the English one's subject).
 */
export function mismatchError(ctx: EngineContext, c: Comparison, what: string, host = ''): EngineError {
  const bad = c.verdicts.filter((v) => v.status === 'mismatch');
  const details = bad.map((v) => `${v.type}: the server shows ${v.presented}, ${ctx.profile.name} publishes ${v.published}`).join('; ');
  return new EngineError(
    'host-key-mismatch',
    `${what} presented a host key that is not the one ${ctx.profile.name} publishes (${details}). ` +
      'This may be an attack: someone between this computer and the cluster (on this network, for example) could be pretending to be the cluster ' +
      'to capture your passphrase, your one-time codes or your work. It can also, rarely, mean the cluster changed its keys. ' +
      'Nothing was written, and this computer will not trust that server.',
    {
      hint: `Do not connect to the cluster for now. Contact IT support (${ctx.profile.links.support}) and tell them the fingerprints above. Only continue when they confirm what to do.`,
      reason: reason('host-key-mismatch', {
        host,
        profile: ctx.profile.name,
        presented: bad.map((v) => `${v.type} ${v.presented}`).join(', '),
        published: bad.map((v) => `${v.type} ${v.published}`).join(', '),
        support: ctx.profile.links.support,
      }),
      nothingChanged: true,
    },
  );
}

export function notVerifiedError(ctx: EngineContext, c: Comparison, what: string, host = ''): EngineError {
  return new EngineError(
    'verification-failed',
    `None of the host keys ${what} presented (${c.verdicts.map((v) => v.type).join(', ') || 'none'}) is one ${ctx.profile.name} publishes a fingerprint for, so none can be verified. Nothing was written.`,
    {
      hint: `Contact IT support (${ctx.profile.links.support}); the published fingerprints may have changed.`,
      reason: reason('host-keys-unverifiable', { host, profile: ctx.profile.name, types: c.verdicts.map((v) => v.type).join(', '), support: ctx.profile.links.support }),
    },
  );
}

/**
 * Scans the login node again (never trusting a scan the UI saw earlier), verifies every
 * key against the published fingerprints, and records the verified ones in known_hosts
 * under every name OpenSSH looks up for the login host and nodes (`[host]:port` when the
 * port is not 22). Any mismatch: nothing is written ('host-key-mismatch'). Stale lines
 * for these names are removed only with `removeStale` (after a backup, like every change).
 */
export async function applyTrust(ctx: EngineContext, opts: TrustApplyOptions, deps: TrustDeps = {}): Promise<TrustApplyResult> {
  if (!ctx.profile.login.fingerprintsPublished) return applyUnverifiedTrust(ctx, opts, deps);
  const plan = await planTrust(ctx, deps, { signal: opts.signal });
  const what = `The server at ${plan.host} (port ${plan.port})`;
  const shown = plan.port === 22 ? plan.host : `${plan.host}:${plan.port}`;
  if (plan.comparison.mismatch) throw mismatchError(ctx, plan.comparison, what, shown);
  if (!plan.comparison.trusted) throw notVerifiedError(ctx, plan.comparison, what, shown);
  const res = await writeVerifiedKeys(
    ctx,
    { names: plan.names, verified: verifiedKeys(plan.comparison), comment: ENTRY_COMMENT, removeStale: opts.removeStale, expectedHash: opts.expectedHash, purpose: 'login' },
    deps,
  );
  const verified = plan.comparison.verdicts.filter((v) => v.status === 'match').map((v) => v.type);
  let message: string;
  if (!res.changed) message = `${res.knownHostsPath} already records the verified keys (${verified.join(', ')}) of ${plan.host}; nothing was changed.`;
  else
    message =
      `${res.knownHostsPath} now records the verified keys (${verified.join(', ')}) of ${plan.host}` +
      (res.removed.length ? `; ${res.removed.length} stale line(s) were taken out` : '') +
      (res.backupPath ? `; the previous version is saved at ${res.backupPath}` : '') +
      '. Undo with "mila-onboard trust revert".';
  if (res.keptStale.length > 0) {
    message += ` ${res.keptStale.length} other line(s) for this host hold keys that are not the cluster's${opts.removeStale ? ' and name it through a wildcard, so they were left alone' : ' (remove them with --remove-stale)'}.`;
  }
  return trustApplyResult(res, toVerdicts(plan.comparison), message);
}
