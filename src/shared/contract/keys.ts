import { z } from 'zod';
import { Empty, channel } from './common.js';
import { AgentAdviceSchema } from './reasons.js';

export const KeyProblemSchema = z.object({
  code: z.enum(['not-a-key', 'unreadable', 'public-only', 'public-missing', 'public-mismatch', 'permissions-too-open', 'unsupported']),
  message: z.string(),
});

export const PermissionsSchema = z.object({
  /** Octal mode as text ("600"), or null where POSIX modes do not apply (Windows). */
  mode: z.string().nullable(),
  tooOpen: z.boolean(),
});

export const KeyEntrySchema = z.object({
  /** File name inside the SSH folder (never a full path from the renderer's side). */
  file: z.string(),
  kind: z.enum(['private', 'public-only', 'unusable']),
  type: z.string().nullable(),
  bits: z.number().int().nullable(),
  fingerprint: z.string().nullable(),
  comment: z.string().nullable(),
  hasPublic: z.boolean(),
  encrypted: z.boolean().nullable(),
  permissions: PermissionsSchema,
  problems: z.array(KeyProblemSchema),
});
export type KeyEntry = z.infer<typeof KeyEntrySchema>;

export const KeyListSchema = z.object({
  folder: z.object({ path: z.string(), exists: z.boolean(), permissions: PermissionsSchema }),
  keys: z.array(KeyEntrySchema),
});
export type KeyList = z.infer<typeof KeyListSchema>;

/* ---------- Creating, recovering, protecting, inspecting keys; the agent; cancelling long work ---------- */

/** A task id the renderer makes (crypto.randomUUID()) so it can match progress events and cancel. */
const TaskId = z.uuid();
/** A key's file name inside the SSH folder; the engine checks it again (no paths, no options). */
const FileName = z.string().min(1).max(105);
const NewKeyName = z.string().min(1).max(100);
/** Passphrases cross the boundary once, in the request that uses them; never in a response or event. */
const Passphrase = z.string().max(1024);

export const KeyTypeSchema = z.enum(['ed25519', 'rsa']);

export const CreateKeyInputSchema = z
  .object({
    taskId: TaskId,
    type: KeyTypeSchema,
    /** RSA only: 3072 (default) or 4096. */
    bits: z.union([z.literal(3072), z.literal(4096)]).optional(),
    /** Default: a free name from the profile (id_ed25519_mila, id_ed25519_mila_2...). */
    name: NewKeyName.optional(),
    /** Default: user@this-computer. */
    comment: z.string().max(200).optional(),
    passphrase: Passphrase,
    /** Must be true for an empty passphrase to be accepted. */
    allowEmptyPassphrase: z.boolean(),
  })
  .strict();

export const CreatedKeySchema = z.object({
  file: z.string(),
  path: z.string(),
  key: KeyEntrySchema,
  /** One line `type base64 comment`, ready to copy. */
  publicKey: z.string(),
  fingerprint: z.string(),
  /** ssh-keygen's randomart box, one string per line. */
  randomart: z.array(z.string()),
  elapsedMs: z.number(),
});

export const SuggestNameInputSchema = z.object({ type: KeyTypeSchema.optional() }).strict();
export const SuggestNameSchema = z.object({ name: z.string() });

export const FileInputSchema = z.object({ file: FileName }).strict();

export const PublicKeySchema = z.object({
  /** The .pub file name. */
  file: z.string(),
  line: z.string(),
  type: z.string(),
  bits: z.number().int().nullable(),
  fingerprint: z.string(),
  comment: z.string().nullable(),
});

export const RecoverPublicInputSchema = z
  .object({
    taskId: TaskId,
    file: FileName,
    /** Empty for a key without a passphrase. */
    passphrase: Passphrase,
    /** Replace an existing NAME.pub that belongs to another key. */
    overwrite: z.boolean().optional(),
  })
  .strict();

export const RecoveredPublicSchema = PublicKeySchema.extend({
  /** False when NAME.pub already held this key and was left alone. */
  written: z.boolean(),
  replaced: z.boolean(),
});

export const ProtectInputSchema = z
  .object({
    taskId: TaskId,
    file: FileName,
    /** The new passphrase (not empty). */
    passphrase: Passphrase.min(1),
    /** Only to change an existing passphrase. */
    oldPassphrase: Passphrase.optional(),
  })
  .strict();

export const ProtectedKeySchema = z.object({ key: KeyEntrySchema, changed: z.boolean() });

export const FixPermissionsInputSchema = z.object({ files: z.array(FileName).max(200).optional() }).strict();
export const FixPermissionsSchema = z.object({
  changed: z.array(z.object({ file: z.string(), from: z.string(), to: z.string() })),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  windows: z.object({ explanation: z.string(), commands: z.array(z.string()) }).optional(),
});

export const InspectedKeySchema = z.object({
  file: z.string(),
  /** The file ssh-keygen read (NAME.pub when present). */
  source: z.string(),
  type: z.string(),
  bits: z.number().int().nullable(),
  fingerprint: z.string(),
  comment: z.string().nullable(),
  randomart: z.array(z.string()),
});

export const AgentStatusSchema = z.object({
  reachable: z.boolean(),
  state: z.enum(['has-keys', 'no-keys', 'not-running']),
  socket: z.string().nullable(),
  keys: z.array(z.object({ bits: z.number().int().nullable(), fingerprint: z.string(), comment: z.string().nullable(), type: z.string() })),
  windowsService: z
    .object({
      state: z.enum(['running', 'stopped', 'starting', 'stopping', 'paused', 'missing', 'unknown']),
      startType: z.enum(['automatic', 'manual', 'disabled', 'unknown']),
    })
    .optional(),
  advice: z.string().nullable(),
  /** The same advice as a code and values (OS-specific), for the wizard to say in the user's language. */
  adviceReason: AgentAdviceSchema.nullable(),
});

export const AgentAddInputSchema = z.object({ taskId: TaskId, file: FileName, passphrase: Passphrase.optional() }).strict();
export const AgentAddedSchema = z.object({ file: z.string(), fingerprint: z.string(), comment: z.string().nullable() });

export const TaskCancelInputSchema = z.object({ taskId: TaskId }).strict();
export const TaskCancelSchema = z.object({ cancelled: z.boolean() });

/**
 * Payload of the 'task.event' stream: a discriminated union on `type`. Never a passphrase,
 * a one-time code or key material: answers go the other way ('task.answer') and are not echoed.
 */
export const TaskProgressEventSchema = z.object({
  taskId: z.string(),
  type: z.literal('progress'),
  /**
   * keys.create: starting → generating → writing → done. Other key tasks: starting → done.
   * connect.start: connecting → authenticating (first prompt) → running (logged in) → done.
   * compute.check / compute.fix / compute.trust: connecting → authenticating → checking | fixing | scanning → done.
   */
  phase: z.enum(['starting', 'generating', 'writing', 'done', 'connecting', 'authenticating', 'running', 'checking', 'fixing', 'scanning']),
});

/** OpenSSH is asking something; answer with 'task.answer' {taskId, promptId, answer}. */
export const TaskPromptEventSchema = z.object({
  taskId: z.string(),
  type: z.literal('prompt'),
  promptId: z.string(),
  /**
   * passphrase: the key's passphrase (`Enter passphrase for key '…': `).
   * otp: a one-time code (keyboard-interactive; an empty answer is allowed: push approval).
   * password / unknown: shown verbatim; Mila never asks a password (see the step's text).
   * host-key is never sent: the engine answers "no" itself.
   */
  kind: z.enum(['passphrase', 'otp', 'password', 'unknown', 'host-key', 'new-passphrase', 'confirm-passphrase', 'overwrite', 'duo-menu']),
  /** OpenSSH's (or the server's) prompt text, verbatim (control sequences removed). */
  text: z.string(),
  /**
   * duo-menu only: Duo's numbered choices. The answer is an option's `key` (a push then
   * waits for approval on the phone: show that, with a cancel) or a passcode.
   */
  options: z.array(z.object({ key: z.string().max(4), label: z.string().max(200), action: z.enum(['push', 'phone', 'sms', 'other']) })).max(9).optional(),
  /** Mask the answer field. */
  secret: z.boolean(),
  /** The previous answer to this same prompt was refused (wrong passphrase, wrong code). */
  retry: z.boolean(),
  /** Never present; declared so that code reading `event.phase` on any event still type-checks. */
  phase: z.never().optional(),
});

/** A prompt the renderer is showing is no longer waiting: answered, or its task ended or was cancelled. */
export const TaskPromptClosedEventSchema = z.object({
  taskId: z.string(),
  type: z.literal('prompt-closed'),
  promptId: z.string(),
  reason: z.enum(['answered', 'cancelled', 'ended']),
  /** Never present (see above). */
  phase: z.never().optional(),
});

export const TaskEventSchema = z.discriminatedUnion('type', [TaskProgressEventSchema, TaskPromptEventSchema, TaskPromptClosedEventSchema]);
export type TaskEvent = z.infer<typeof TaskEventSchema>;
export type TaskProgressEvent = z.infer<typeof TaskProgressEventSchema>;
export type TaskPromptEvent = z.infer<typeof TaskPromptEventSchema>;
export type TaskPromptClosedEvent = z.infer<typeof TaskPromptClosedEventSchema>;

export const keysChannels = {
  'keys.list': channel(Empty, KeyListSchema),
  'keys.create': channel(CreateKeyInputSchema, CreatedKeySchema),
  'keys.suggestName': channel(SuggestNameInputSchema, SuggestNameSchema),
  'keys.public': channel(FileInputSchema, PublicKeySchema),
  'keys.recoverPublic': channel(RecoverPublicInputSchema, RecoveredPublicSchema),
  'keys.protect': channel(ProtectInputSchema, ProtectedKeySchema),
  'keys.fixPermissions': channel(FixPermissionsInputSchema, FixPermissionsSchema),
  'keys.inspect': channel(FileInputSchema, InspectedKeySchema),
  'agent.status': channel(Empty, AgentStatusSchema),
  'agent.add': channel(AgentAddInputSchema, AgentAddedSchema),
  'task.cancel': channel(TaskCancelInputSchema, TaskCancelSchema),
};
