import * as z from 'zod/mini';
import '../zod-english.js';
import { clustered } from './clusters.js';
import { Empty, Int, TaskId, TaskInputSchema, channel } from './common.js';
import { AgentAdviceSchema } from './reasons.js';

export const KeyProblemSchema = z.object({
  code: z.enum(['not-a-key', 'unreadable', 'public-only', 'public-missing', 'public-mismatch', 'permissions-too-open', 'unsupported']),
  message: z.string(),
});

export const PermissionsSchema = z.object({
  /** Octal mode as text ("600"), or null where POSIX modes do not apply (Windows). */
  mode: z.nullable(z.string()),
  tooOpen: z.boolean(),
});

export const KeyEntrySchema = z.object({
  /** File name inside the SSH folder (never a full path from the renderer's side). */
  file: z.string(),
  kind: z.enum(['private', 'public-only', 'unusable']),
  type: z.nullable(z.string()),
  bits: z.nullable(Int),
  fingerprint: z.nullable(z.string()),
  comment: z.nullable(z.string()),
  hasPublic: z.boolean(),
  encrypted: z.nullable(z.boolean()),
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

/** A key's file name inside the SSH folder; the engine checks it again (no paths, no options). */
const FileName = z.string().check(z.minLength(1), z.maxLength(105));
const NewKeyName = z.string().check(z.minLength(1), z.maxLength(100));
/** Passphrases cross the boundary once, in the request that uses them; never in a response or event. */
const Passphrase = z.string().check(z.maxLength(1024));

export const KeyTypeSchema = z.enum(['ed25519', 'rsa']);

export const CreateKeyInputSchema = z.strictObject({
  taskId: TaskId,
  type: KeyTypeSchema,
  /** RSA only: 3072 (default) or 4096. */
  bits: z.optional(z.union([z.literal(3072), z.literal(4096)])),
  /** Default: a free name from the profile (id_ed25519_mila, id_ed25519_mila_2...). */
  name: z.optional(NewKeyName),
  /** Default: user@this-computer. */
  comment: z.optional(z.string().check(z.maxLength(200))),
  passphrase: Passphrase,
  /** Must be true for an empty passphrase to be accepted. */
  allowEmptyPassphrase: z.boolean(),
});

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

export const SuggestNameInputSchema = z.strictObject({ type: z.optional(KeyTypeSchema) });
export const SuggestNameSchema = z.object({ name: z.string() });

export const FileInputSchema = z.strictObject({ file: FileName });

export const PublicKeySchema = z.object({
  /** The .pub file name. */
  file: z.string(),
  line: z.string(),
  type: z.string(),
  bits: z.nullable(Int),
  fingerprint: z.string(),
  comment: z.nullable(z.string()),
});

export const RecoverPublicInputSchema = z.strictObject({
  taskId: TaskId,
  file: FileName,
  /** Empty for a key without a passphrase. */
  passphrase: Passphrase,
  /** Replace an existing NAME.pub that belongs to another key. */
  overwrite: z.optional(z.boolean()),
});

export const RecoveredPublicSchema = z.extend(PublicKeySchema, {
  /** False when NAME.pub already held this key and was left alone. */
  written: z.boolean(),
  replaced: z.boolean(),
});

export const ProtectInputSchema = z.strictObject({
  taskId: TaskId,
  file: FileName,
  /** The new passphrase (not empty). */
  passphrase: Passphrase.check(z.minLength(1)),
  /** Only to change an existing passphrase. */
  oldPassphrase: z.optional(Passphrase),
});

export const ProtectedKeySchema = z.object({ key: KeyEntrySchema, changed: z.boolean() });

export const FixPermissionsInputSchema = z.strictObject({ files: z.optional(z.array(FileName).check(z.maxLength(200))) });
export const FixPermissionsSchema = z.object({
  changed: z.array(z.object({ file: z.string(), from: z.string(), to: z.string() })),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  windows: z.optional(z.object({ explanation: z.string(), commands: z.array(z.string()) })),
});

export const InspectedKeySchema = z.object({
  file: z.string(),
  /** The file ssh-keygen read (NAME.pub when present). */
  source: z.string(),
  type: z.string(),
  bits: z.nullable(Int),
  fingerprint: z.string(),
  comment: z.nullable(z.string()),
  randomart: z.array(z.string()),
});

export const AgentStatusSchema = z.object({
  reachable: z.boolean(),
  state: z.enum(['has-keys', 'no-keys', 'not-running']),
  socket: z.nullable(z.string()),
  keys: z.array(z.object({ bits: z.nullable(Int), fingerprint: z.string(), comment: z.nullable(z.string()), type: z.string() })),
  windowsService: z.optional(
    z.object({
      state: z.enum(['running', 'stopped', 'starting', 'stopping', 'paused', 'missing', 'unknown']),
      startType: z.enum(['automatic', 'manual', 'disabled', 'unknown']),
    }),
  ),
  advice: z.nullable(z.string()),
  /** The same advice as a code and values (OS-specific), for the wizard to say in the user's language. */
  adviceReason: z.nullable(AgentAdviceSchema),
});

export const AgentAddInputSchema = z.strictObject({ taskId: TaskId, file: FileName, passphrase: z.optional(Passphrase) });
export const AgentAddedSchema = z.object({ file: z.string(), fingerprint: z.string(), comment: z.nullable(z.string()) });

export const TaskCancelInputSchema = TaskInputSchema;
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
