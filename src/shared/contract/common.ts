import * as z from 'zod/mini';
import '../zod-english.js';
import { ErrorCodeSchema } from './errors.js';
import { ENGINE_REASON_CODES, ReasonParamsSchema } from './reasons.js';

/**
 * The precise why of a refusal, with its values, so a front can say it in the user's language
 * (the English message says the same): first what was typed, then every other refusal the
 * engine can give (reasons.ts).
 */
export const ErrorReasonSchema = z.object({
  code: z.enum([
    'user-empty',
    'user-blank',
    'user-too-long',
    'user-leading-dash',
    'user-leading-dot',
    'user-space',
    'user-at',
    'user-control',
    'user-char',
    'user-uppercase',
    'key-name-empty',
    'key-name-control',
    'key-name-path',
    'key-name-dash',
    'key-name-too-long',
    'key-name-reserved',
    'key-name-pub',
    'key-name-chars',
    // This computer cannot start programs in a terminal (macOS: node-pty's spawn-helper), with the fix.
    'pty-helper-not-executable',
    'pty-helper-missing',
    // Every other engine refusal a person can meet in the wizard (reasons.ts).
    ...ENGINE_REASON_CODES,
  ]),
  params: ReasonParamsSchema,
  /** OpenSSH's own words behind the refusal, shown as they are and labelled as OpenSSH's. */
  openssh: z.optional(z.string()),
});
export type ErrorReasonDto = z.infer<typeof ErrorReasonSchema>;

/** What every failed request carries back: a code the UI translates and plain English for the CLI. */
export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.optional(z.string()),
  reason: z.optional(ErrorReasonSchema),
  nothingChanged: z.boolean(),
});
export type ErrorPayloadDto = z.infer<typeof ErrorPayloadSchema>;

/** The response envelope used over IPC and the web socket alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayloadDto };

export const Empty = z.strictObject({});

/** Declares one request channel: its input and output schemas. */
export interface ChannelSpec<I extends z.ZodMiniType = z.ZodMiniType, O extends z.ZodMiniType = z.ZodMiniType> {
  input: I;
  output: O;
}
export const channel = <I extends z.ZodMiniType, O extends z.ZodMiniType>(input: I, output: O): ChannelSpec<I, O> => ({ input, output });

/* ---------- Pieces several contract files share: one definition each ---------- */

/** A whole number (classic zod's `z.number().int()`: the same checks and the same refusal texts). */
export const Int = z.int();

/** A task id the renderer makes (crypto.randomUUID()) so it can match progress events and cancel. */
export const TaskId = z.uuid();

/** The input of a call that names only its task (compute.*, task.cancel, connect.start). */
export const TaskInputSchema = z.strictObject({ taskId: TaskId });
