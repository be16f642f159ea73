import { z } from 'zod';
import { Empty, channel } from './common.js';

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

export const keysChannels = {
  'keys.list': channel(Empty, KeyListSchema),
};
