import * as z from 'zod/mini';
import '../zod-english.js';
import { clustered } from './clusters.js';
import { Empty, Int, channel } from './common.js';

/**
 * Trusting the cluster: the login node's host keys, checked against the fingerprints the
 * cluster publishes (the profile), recorded in <sshDir>/known_hosts; and undoing that.
 */

export const TrustVerdictSchema = z.object({
  /** ED25519, ECDSA, RSA. */
  type: z.string(),
  /** SHA256 fingerprint the server presented. */
  presented: z.string(),
  /** SHA256 fingerprint the cluster publishes for this type, or null. */
  published: z.nullable(z.string()),
  status: z.enum(['match', 'mismatch', 'not-published']),
  /** The presented key's randomart (trust.plan only), drawn by ssh-keygen. */
  randomart: z.optional(z.array(z.string())),
});
export type TrustVerdict = z.infer<typeof TrustVerdictSchema>;

export const StaleLineSchema = z.object({
  /** 1-based line number in known_hosts. */
  line: Int,
  text: z.string(),
  /**
   * False when the line names our host only through a wildcard pattern (`*`, `?`): it is
   * never removed automatically (it may serve other hosts); shown so the user can edit it.
   */
  removable: z.boolean(),
});
export type StaleLine = z.infer<typeof StaleLineSchema>;

export const TrustPlanSchema = z.object({
  host: z.string(),
  port: Int,
  /** The names the keys are recorded under (`[host]:port` when the port is not 22), login nodes included. */
  names: z.array(z.string()),
  verdicts: z.array(TrustVerdictSchema),
  /** At least one key matches and none contradicts what is published. */
  trusted: z.boolean(),
  /** A key contradicts what is published: a possible attack. Apply refuses. */
  mismatch: z.boolean(),
  /** known_hosts lines apply would add (empty when not trusted or already recorded). */
  toAdd: z.array(z.string()),
  toAddCount: Int,
  /** Lines for these names with a key that is not a verified one. Removed only with removeStale. */
  stale: z.array(StaleLineSchema),
  alreadyTrusted: z.boolean(),
  /**
   * The cluster publishes no fingerprints: nothing can be verified; `toAdd` is what a
   * confirmation records. trust.apply then needs `acceptUnverified` (the fingerprints shown).
   */
  unverified: z._default(z.boolean(), false),
  knownHostsPath: z.string(),
  /** Hash of known_hosts as read ("absent" for no file); pass it to trust.apply as expectedHash. */
  hash: z.string(),
  /** Where to report a mismatch. */
  supportUrl: z.string(),
});
export type TrustPlanDto = z.infer<typeof TrustPlanSchema>;

export const TrustApplyInputSchema = z.strictObject({
  removeStale: z._default(z.boolean(), false),
  /** The plan's hash: apply refuses ('changed-underneath') when known_hosts changed since. */
  expectedHash: z.optional(z.string().check(z.maxLength(100))),
  /**
   * Unpublished fingerprints only: the presented fingerprints the user saw and confirmed.
   * Apply scans again and records only if the server presents exactly these.
   */
  acceptUnverified: z.optional(z.array(z.string().check(z.regex(/^SHA256:[A-Za-z0-9+/]{43}$/))).check(z.maxLength(8))),
});
export type TrustApplyInput = z.input<typeof TrustApplyInputSchema>;

export const TrustApplyResultSchema = z.object({
  /** False when everything was already recorded (nothing written, no backup). */
  changed: z.boolean(),
  knownHostsPath: z.string(),
  backupPath: z.nullable(z.string()),
  added: z.array(z.string()),
  removed: z.array(z.object({ line: Int, text: z.string() })),
  /** Stale lines left in place (removeStale was false, or the line is not removable). */
  keptStale: z.array(StaleLineSchema),
  verdicts: z.array(TrustVerdictSchema),
  /** Hash of known_hosts now. */
  hash: z.string(),
  warnings: z.array(z.string()),
  message: z.string(),
});
export type TrustApplyResult = z.infer<typeof TrustApplyResultSchema>;

export const TrustRevertResultSchema = z.object({
  reverted: z.boolean(),
  knownHostsPath: z.string(),
  restoredFrom: z.nullable(z.string()),
  /** True when known_hosts did not exist before and was deleted. */
  removed: z.boolean(),
  message: z.string(),
});
export type TrustRevertResult = z.infer<typeof TrustRevertResultSchema>;

export const TrustStatusSchema = z.object({
  knownHostsPath: z.string(),
  exists: z.boolean(),
  login: z.object({
    names: z.array(z.string()),
    /** Key types recorded for every name with a published fingerprint (ED25519, ECDSA, RSA). */
    verifiedTypes: z.array(z.string()),
    /** ssh will connect without asking: a published key is recorded for every name. */
    trusted: z.boolean(),
    stale: z.array(StaleLineSchema),
    /** No published fingerprints: the recorded keys are ones the user confirmed, unverified. */
    unverified: z._default(z.boolean(), false),
  }),
  compute: z.object({
    patterns: z.array(z.string()),
    verifiedTypes: z.array(z.string()),
    trusted: z.boolean(),
    stale: z.array(StaleLineSchema),
    /** The profile names a compute node to learn the keys from (compute.probeHost). */
    canLearn: z.boolean(),
  }),
  canRevert: z.boolean(),
  revertBlocked: z.nullable(z.string()),
  lastChange: z.nullable(z.object({ time: z.string(), backupPath: z.nullable(z.string()), purpose: z.string() })),
});
export type TrustStatus = z.infer<typeof TrustStatusSchema>;

// Each cluster is trusted on its own: every channel takes an optional `cluster` id (clusters.ts).
export const trustChannels = {
  /** Fetches the login node's keys (ssh-keyscan) and compares; writes nothing. Needs the network. */
  'trust.plan': channel(clustered(Empty), TrustPlanSchema),
  /** Scans and verifies again, then writes (backup first). Mismatch: error 'host-key-mismatch', nothing written. */
  'trust.apply': channel(clustered(TrustApplyInputSchema), TrustApplyResultSchema),
  'trust.revert': channel(clustered(Empty), TrustRevertResultSchema),
  'trust.status': channel(clustered(Empty), TrustStatusSchema),
};
