import * as z from 'zod/mini';
import '../zod-english.js';
import { clustered } from './clusters.js';
import { Empty, ErrorReasonSchema, TaskInputSchema, TaskId, channel } from './common.js';
import { DoctorReasonSchema, ReasonParamsSchema } from './reasons.js';
import { StaleLineSchema, TrustVerdictSchema } from './trust.js';

/**
 * The first login, the compute-node setup over that login, and the doctor. Long work runs
 * under a renderer-made task id: progress and prompts arrive on 'task.event' (see
 * TaskEventSchema in events.ts); answers go back with 'task.answer'; 'task.cancel' stops it.
 */

export const DiagnosisSchema = z.object({
  code: z.enum([
    'host-key-changed',
    'host-key-unknown',
    'key-permissions',
    'config-permissions',
    'wrong-passphrase',
    'mfa-rejected',
    'key-refused',
    'wrong-username',
    'key-not-offered',
    'too-many-keys',
    'connection-refused',
    'refused-after-failures',
    'connection-closed',
    'timeout',
    'dns',
    'network',
    'config-error',
    'unknown',
  ]),
  message: z.string(),
  next: z.string(),
  /** A security alert (host key changed): show it differently. */
  alarming: z.boolean(),
  /**
   * The facts the texts name, for the fronts' own translations: user, key, fingerprint,
   * host, port, hours, failures, previousUser (each only when known). Never a secret.
   */
  values: ReasonParamsSchema,
});
export type DiagnosisDto = z.infer<typeof DiagnosisSchema>;

/** A connection that did not work: why, in plain words, and OpenSSH's own words (answers are never in it). */
export const ConnectFailureSchema = z.object({
  ok: z.literal(false),
  diagnosis: DiagnosisSchema,
  /** The last lines OpenSSH printed (for "show details" and for IT support). */
  details: z.string(),
  elapsedMs: z.number(),
});

// The input of a call that names only its task is common.ts's TaskInputSchema (keys.ts's task.cancel takes it too).
export { TaskInputSchema };

export const ConnectResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** What `hostname` printed on the cluster (null if it printed nothing recognisable). */
    hostname: z.nullable(z.string()),
    elapsedMs: z.number(),
  }),
  ConnectFailureSchema,
]);
export type ConnectResultDto = z.infer<typeof ConnectResultSchema>;

export const TaskAnswerInputSchema = z.strictObject({
  taskId: TaskId,
  promptId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** Typed at the prompt, then dropped. Empty is allowed (push approval: Enter on an empty code). */
  answer: z.string().check(z.maxLength(1024)),
});
export const TaskAnswerSchema = z.object({ accepted: z.boolean() });

export const ComputeReportSchema = z.object({
  /** The cluster folders, as the remote shell saw them. */
  home: z.object({ path: z.string(), mode: z.nullable(z.string()), writableByOthers: z.boolean() }),
  sshDir: z.object({ path: z.string(), exists: z.boolean(), mode: z.nullable(z.string()), ok: z.boolean() }),
  authorizedKeys: z.object({ path: z.string(), exists: z.boolean(), mode: z.nullable(z.string()), hasKey: z.boolean(), ok: z.boolean() }),
  /** The public key checked for (its fingerprint and file). */
  key: z.object({ fingerprint: z.string(), file: z.nullable(z.string()) }),
  /** True when compute nodes will accept the key: nothing to fix. */
  ok: z.boolean(),
  problems: z.array(z.string()),
  /** The exact commands `compute.fix` would run on the cluster (empty when ok). */
  commands: z.array(z.string()),
});
export type ComputeReportDto = z.infer<typeof ComputeReportSchema>;

export const ComputeCheckResultSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), report: ComputeReportSchema }), ConnectFailureSchema]);

export const ComputeFixResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** False when there was nothing to do (a second run changes nothing). */
    changed: z.boolean(),
    /** The commands that were run, in order. */
    actions: z.array(z.string()),
    /** The state after the fix. */
    report: ComputeReportSchema,
  }),
  ConnectFailureSchema,
]);

export const ComputeTrustResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    probeHost: z.string(),
    patterns: z.array(z.string()),
    verdicts: z.array(TrustVerdictSchema),
    changed: z.boolean(),
    added: z.array(z.string()),
    keptStale: z.array(StaleLineSchema),
    knownHostsPath: z.string(),
    backupPath: z.nullable(z.string()),
    message: z.string(),
  }),
  ConnectFailureSchema,
]);

export const DoctorCheckSchema = z.object({
  id: z.enum(['pty', 'keys', 'config', 'permissions', 'known-hosts', 'compute-known-hosts', 'agent', 'reachability']),
  status: z.enum(['ok', 'warn', 'fail']),
  /** What was found. */
  message: z.string(),
  /** What to do (empty when ok). */
  next: z.string(),
  /** The same finding as a code and values, for the wizard to say in the user's language. */
  reason: DoctorReasonSchema,
  /** check-error: the engine refusal the check ended with, said through its own reason. */
  error: z.optional(ErrorReasonSchema),
  /** OpenSSH's own words behind the finding, shown as they are and labelled as OpenSSH's. */
  openssh: z.optional(z.string()),
});
export type DoctorCheckDto = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.object({
  /** fail if any check fails; else warn if any warns; else ok. The CLI exits 1 only on fail. */
  overall: z.enum(['ok', 'warn', 'fail']),
  checks: z.array(DoctorCheckSchema),
  elapsedMs: z.number(),
});
export type DoctorReportDto = z.infer<typeof DoctorReportSchema>;

/**
 * "Does my key work yet?" without a prompt: `ssh -vv -o BatchMode=yes` against the login
 * host. OpenSSH says whether the server accepts the key before any passphrase or code is
 * needed, so no passphrase and no one-time code is ever asked.
 * - logged-in: the key works and this host asks no second factor.
 * - code-needed: the key works; the server now wants the one-time code (not asked).
 * - accepted-locked: the server accepts the key; it is protected by a passphrase and not in
 *   the SSH agent, so it was not unlocked (the key is registered; a login will ask the passphrase).
 * - refused: the server did not accept the key (not registered yet, or wrong username).
 * - not-offered: OpenSSH had no key to offer.
 * - failed: the check could not be made (network, host key...): see `failure`.
 */
export const KeyCheckVerdictSchema = z.enum(['logged-in', 'code-needed', 'accepted-locked', 'refused', 'not-offered', 'failed']);
export type KeyCheckVerdict = z.infer<typeof KeyCheckVerdictSchema>;

export const KeyCheckResultSchema = z.object({
  verdict: KeyCheckVerdictSchema,
  /** The key works (logged-in, code-needed, accepted-locked). */
  works: z.boolean(),
  /** Where and as whom OpenSSH tried. */
  host: z.nullable(z.string()),
  port: z.nullable(z.number()),
  user: z.nullable(z.string()),
  /** The key offered (the accepted one if any): file as OpenSSH names it, and its fingerprint. */
  key: z.nullable(z.object({ file: z.string(), fingerprint: z.string(), agent: z.boolean() })),
  /** Why the check could not be made, when verdict is failed (or why the key was refused). */
  failure: z.nullable(ConnectFailureSchema),
  /** OpenSSH's own words (errors, and which key was offered and what the server said). */
  details: z.string(),
  checkedAt: z.number(),
  elapsedMs: z.number(),
});
export type KeyCheckResultDto = z.infer<typeof KeyCheckResultSchema>;

/** What `doctor.fixPermissions` changed: group/other write removed from the SSH folder, config, known_hosts. */
export const FixModesResultSchema = z.object({
  changed: z.array(z.object({ path: z.string(), from: z.string(), to: z.string() })),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type FixModesResultDto = z.infer<typeof FixModesResultSchema>;

// connect.start, doctor.run and keys.check take an optional `cluster` id (clusters.ts); compute stays the primary's.
export const connectChannels = {
  /** Logs in once (`ssh mila 'echo …; hostname'`), asking every prompt through 'task.event'. A failure is a value, not an error; cancel is an error ('cancelled'). */
  'connect.start': channel(clustered(TaskInputSchema), ConnectResultSchema),
  /** Answers a prompt event. accepted: false when that prompt is no longer waiting. */
  'task.answer': channel(TaskAnswerInputSchema, TaskAnswerSchema),
  /** Over a login: does the cluster's ~/.ssh/authorized_keys let compute nodes accept the key? */
  'compute.check': channel(TaskInputSchema, ComputeCheckResultSchema),
  /** Over a login: fixes what compute.check found (idempotent). Ask the user first: it changes files on the cluster. */
  'compute.fix': channel(TaskInputSchema, ComputeFixResultSchema),
  /** Over a login: learns the compute nodes' host keys (ssh-keyscan on the login node), verifies them, records them. */
  'compute.trust': channel(TaskInputSchema, ComputeTrustResultSchema),
  /** Every local check, in parallel; no prompts, no login. */
  'doctor.run': channel(clustered(Empty), DoctorReportSchema),
  /** Does the cluster accept my key yet? No prompt, no passphrase, no code (see KeyCheckResultSchema). */
  'keys.check': channel(clustered(Empty), KeyCheckResultSchema),
  /** Removes group/other write from the SSH folder, config and known_hosts (what the permissions check reports). Ask the user first. */
  'doctor.fixPermissions': channel(Empty, FixModesResultSchema),
};
