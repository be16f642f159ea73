import { z } from 'zod';
import { clustered } from './clusters.js';
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

// The 'task.event' stream's payloads (progress, prompts) live in events.ts: key creation is one
// of several kinds of long work that emit them. Re-exported here for code that imported them
// from this file before they moved.
export { TaskEventSchema, TaskProgressEventSchema, TaskPromptClosedEventSchema, TaskPromptEventSchema } from './events.js';
export type { TaskEvent, TaskProgressEvent, TaskPromptClosedEvent, TaskPromptEvent } from './events.js';

export const keysChannels = {
  'keys.list': channel(Empty, KeyListSchema),
  'keys.create': channel(CreateKeyInputSchema, CreatedKeySchema),
  // `cluster`: suggest that profile's key name (the Alliance's own key, id_ed25519_alliance).
  'keys.suggestName': channel(clustered(SuggestNameInputSchema), SuggestNameSchema),
  'keys.public': channel(FileInputSchema, PublicKeySchema),
  'keys.recoverPublic': channel(RecoverPublicInputSchema, RecoveredPublicSchema),
  'keys.protect': channel(ProtectInputSchema, ProtectedKeySchema),
  'keys.fixPermissions': channel(FixPermissionsInputSchema, FixPermissionsSchema),
  'keys.inspect': channel(FileInputSchema, InspectedKeySchema),
  'agent.status': channel(Empty, AgentStatusSchema),
  'agent.add': channel(AgentAddInputSchema, AgentAddedSchema),
  'task.cancel': channel(TaskCancelInputSchema, TaskCancelSchema),
};
