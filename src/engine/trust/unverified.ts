import type { EngineContext } from '../context.js';
import { EngineError, reason } from '../errors.js';
import type { TrustApplyResult } from '../../shared/contract/trust.js';
import type { Comparison } from './compare.js';
import type { VerifiedKey } from './edit.js';
import { planTrust, UNVERIFIED_COMMENT, type TrustDeps } from './plan.js';
import { trustApplyResult, writeVerifiedKeys } from './store.js';

/**
 * Trust for a cluster that publishes no host-key fingerprints (the Alliance's): nobody can
 * vouch for the key the server presents, so it is never recorded silently. The user sees
 * each presented key (fingerprint and randomart), is told plainly that it cannot be
 * checked, and confirms. The confirmation names the fingerprints the user saw: apply scans
 * again and records only if the server still presents exactly those, so a key swapped in
 * between (or a different server) is refused.
 */

/** Every presented key, as the known_hosts writer takes them (none of them verified). */
export function presentedKeys(c: Comparison): VerifiedKey[] {
  return c.verdicts.map((v) => ({ type: v.type, algorithm: v.algorithm, blob: v.blob }));
}

/** The plain statement the trust step shows (English; the wizard has its own en/fr keys). */
export function unverifiedWarning(ctx: EngineContext, host: string): string {
  return (
    `${ctx.profile.name} publishes no host-key fingerprints, so nobody can vouch for the key ${host} presents: ` +
    'mila-onboard cannot tell the real server from someone pretending to be it. ' +
    'It records the key only if you confirm; from then on, ssh will warn loudly if the server ever presents another key.'
  );
}

export function needsConfirmation(ctx: EngineContext, c: Comparison, host: string): EngineError {
  return new EngineError('cancelled', `${unverifiedWarning(ctx, host)} Nothing was written.`, {
    hint: `Confirm the fingerprints shown (${c.verdicts.map((v) => v.presented).join(', ')}) to record them; on the command line, answer y or add --accept-unverified.`,
    reason: reason('host-keys-unconfirmed', { host, profile: ctx.profile.name }),
    nothingChanged: true,
  });
}

export interface UnverifiedApplyOptions {
  /** The fingerprints the user saw and confirmed. Absent: nothing is written. */
  acceptUnverified?: readonly string[] | undefined;
  removeStale: boolean;
  expectedHash?: string | undefined;
  signal?: AbortSignal | undefined;
}

export async function applyUnverifiedTrust(ctx: EngineContext, opts: UnverifiedApplyOptions, deps: TrustDeps = {}): Promise<TrustApplyResult> {
  const plan = await planTrust(ctx, deps, { signal: opts.signal });
  const c = plan.comparison;
  if (!opts.acceptUnverified || opts.acceptUnverified.length === 0) throw needsConfirmation(ctx, c, plan.host);
  const confirmed = new Set(opts.acceptUnverified);
  const unseen = c.verdicts.filter((v) => !confirmed.has(v.presented));
  if (unseen.length > 0 || c.verdicts.length === 0)
    throw new EngineError(
      'host-key-mismatch',
      `The server at ${plan.host} now presents ${unseen.length ? `a key you did not confirm (${unseen.map((v) => `${v.type} ${v.presented}`).join(', ')})` : 'no key'}. ` +
        'It may not be the same server you were shown. Nothing was written.',
      {
        hint: 'Look at the keys again before confirming; if they keep changing, do not connect and contact support.',
        reason: unseen.length
          ? reason('host-keys-changed', { host: plan.host, keys: unseen.map((v) => `${v.type} ${v.presented}`).join(', '), support: ctx.profile.links.support })
          : reason('host-keys-gone', { host: plan.host }),
        nothingChanged: true,
      },
    );
  const res = await writeVerifiedKeys(
    ctx,
    { names: plan.names, verified: presentedKeys(c), comment: UNVERIFIED_COMMENT, removeStale: opts.removeStale, expectedHash: opts.expectedHash, purpose: 'login' },
    deps,
  );
  const types = c.verdicts.map((v) => v.type).join(', ');
  return trustApplyResult(
    res,
    c.verdicts.map((v) => ({ type: v.type, presented: v.presented, published: null, status: v.status })),
    res.changed
      ? `${res.knownHostsPath} now records the keys you confirmed (${types}) for ${plan.host}. They could not be verified: ${ctx.profile.name} publishes none. Undo with "mila-onboard trust revert".`
      : `${res.knownHostsPath} already records these keys (${types}) for ${plan.host}; nothing was changed.`,
  );
}
