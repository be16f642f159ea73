import { z } from 'zod';

/** What every failed request carries back: a code the UI translates and plain English for the CLI. */
export const ErrorPayloadSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  nothingChanged: z.boolean(),
});
export type ErrorPayloadDto = z.infer<typeof ErrorPayloadSchema>;

/** The response envelope used over IPC and the web socket alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayloadDto };

export const Empty = z.object({}).strict();

/** Declares one request channel: its input and output schemas. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}
export const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ChannelSpec<I, O> => ({ input, output });
