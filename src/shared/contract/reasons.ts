import * as z from 'zod/mini';
import '../zod-english.js';

/**
 * Codes for what the engine says to a person, so every front can say it in the person's
 * language (issue #14): each comes with string values (paths, names, modes, counts: never
 * translated), and the English sentence beside it stays what the CLI prints. Kept here, apart
 * from the schemas that use them (common.ts, connect.ts, keys.ts, app.ts), so the lists can grow
 * without reshuffling those files. Every code has an English and a French text in the renderer
 * (test/unit/i18n-reasons.test.ts fails when one is missing).
 */

/** The values of a code: plain strings, shown as they are (a path is never translated). */
export const ReasonParamsSchema = z.record(z.string(), z.string());

/**
 * Engine refusals a person can meet in the wizard (EngineError's `reason`), beyond the refusals
 * of what was typed (ErrorReasonSchema's first codes). Each text says what happened and what
 * to do next.
 */
export const ENGINE_REASON_CODES = [
  // The file system (errors.ts fromFsError): `path` is the file or folder concerned.
  'fs-not-found',
  'fs-permission-denied',
  'fs-disk-full',
  'fs-read-only',
  // Files Mila Onboard edits (config, known_hosts) and their backups.
  'file-changed-underneath',
  'file-edited-since',
  'file-edited-since-no-backup',
  'file-now-link',
  'file-link-broken',
  'file-not-regular',
  'file-too-large',
  'file-private-key-text',
  'file-nul-bytes',
  'file-write-undone',
  'file-restore-failed',
  'file-restore-failed-new',
  'nothing-to-undo',
  // known_hosts' undo from one cluster's tab while another cluster made its last change.
  'undo-other-cluster-first',
  'journal-untrusted',
  'backup-mismatch',
  'busy-lock',
  'folder-not-yours',
  'folder-writable',
  'folder-link-other',
  'folder-not-folder',
  'backups-link',
  // Keys.
  'key-exists',
  'key-appeared',
  'key-file-missing',
  'key-is-public',
  'key-is-folder',
  'key-not-private',
  'key-putty',
  'key-too-large',
  'key-has-passphrase',
  'key-needs-passphrase',
  'key-readback-failed',
  'key-unreadable-by-openssh',
  'keygen-failed',
  'key-protect-failed',
  'key-no-free-name',
  'ssh-folder-not-folder',
  'ssh-folder-missing',
  'wrong-passphrase',
  'passphrase-empty',
  'passphrase-control',
  'passphrase-too-long',
  'comment-control',
  'comment-too-long',
  'public-missing',
  'public-invalid',
  'public-other-key',
  'public-appeared',
  'public-mismatch-made',
  // The SSH agent.
  'agent-unreachable',
  'agent-not-answering',
  'agent-not-answering-windows',
  'agent-key-too-open',
  'agent-add-failed',
  // The connection settings.
  'config-conflicts',
  'config-refused',
  'config-unreadable',
  'config-no-public-key',
  'config-block-not-changed',
  'config-block-missing',
  'config-backup-markers',
  'config-markers-broken',
  // Trusting the cluster.
  'host-key-mismatch',
  'host-keys-unverifiable',
  'host-keys-unreachable',
  'host-keys-refused',
  'host-keys-dns',
  'host-keys-unconfirmed',
  'host-keys-changed',
  'host-keys-gone',
  // Compute nodes.
  'compute-no-probe',
  'compute-scan-failed',
  'compute-folder-bad',
  'compute-check-incomplete',
  'compute-still-wrong',
  // Running OpenSSH.
  'openssh-missing-linux',
  'openssh-missing-macos',
  'openssh-missing-windows',
  'openssh-timeout',
  'openssh-unexpected-question',
  'answer-control',
  'answer-too-long',
  'cancelled',
  'task-ended',
  // The request itself was refused at the boundary (host/dispatch.ts).
  'request-invalid',
] as const;

/**
 * What a doctor check found, one code per finding (src/engine/doctor/doctor.ts). Each has an
 * English and French `message`, and a `next` (what to do) that may be empty for an ok result.
 */
export const DOCTOR_CODES = [
  'pty-ok',
  'pty-no-version',
  'key-missing',
  'key-unreadable',
  'key-not-private',
  'key-putty',
  'key-too-open',
  'key-public-missing',
  'key-public-mismatch',
  'key-unprotected',
  'key-protected',
  'key-usable',
  'config-missing',
  'config-writable',
  'config-unreadable',
  'config-wrong',
  'config-not-ours',
  'config-partial',
  'config-ok',
  'permissions-ok',
  'permissions-unsafe',
  'permissions-unsafe-others',
  'known-hosts-none-confirmed',
  'known-hosts-confirmed',
  'known-hosts-missing',
  'known-hosts-stale',
  'known-hosts-ok',
  'compute-keys-missing',
  'compute-keys-missing-unpublished',
  'compute-keys-missing-compare',
  'compute-keys-stale',
  'compute-keys-ok',
  'agent-unknown',
  'agent-unreachable',
  'agent-ok',
  'agent-without-key',
  'agent-running',
  'reach-ok',
  'reach-refused',
  'reach-timeout',
  'reach-dns',
  'reach-network',
  'reach-not-ssh',
  // A check ended with an engine refusal: said through that refusal's own reason (`error`).
  'check-error',
  // A check failed in a way nobody foresaw: the English detail is all there is.
  'check-failed',
] as const;

/** One part of a finding, said on its own line (a wrong setting, a file others can change, a line left out). */
export const DOCTOR_ITEM_CODES = [
  'setting-wrong',
  'setting-unset',
  'identity-missing',
  'left-out-exec',
  'left-out-include',
  'writable-folder',
  'writable-config',
  'writable-known-hosts',
] as const;

export const DoctorReasonSchema = z.object({
  code: z.enum(DOCTOR_CODES),
  params: ReasonParamsSchema,
  items: z.optional(z.array(z.object({ code: z.enum(DOCTOR_ITEM_CODES), params: ReasonParamsSchema }))),
});
export type DoctorReasonDto = z.infer<typeof DoctorReasonSchema>;
export type DoctorCode = (typeof DOCTOR_CODES)[number];
export type DoctorItemCode = (typeof DOCTOR_ITEM_CODES)[number];

/** Why no SSH agent can be used, per OS (the agent panel and the doctor say it; keys/agent.ts finds it). */
export const AGENT_ADVICE_CODES = ['no-socket', 'no-socket-macos', 'not-answering', 'windows-missing', 'windows-disabled', 'windows-stopped'] as const;
export const AgentAdviceSchema = z.object({ code: z.enum(AGENT_ADVICE_CODES), params: ReasonParamsSchema });
export type AgentAdviceDto = z.infer<typeof AgentAdviceSchema>;
