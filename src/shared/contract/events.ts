// zod/mini, like every schema (classic zod's chainable API cannot be tree-shaken: measured
// about 92 kB gzipped with esbuild, against about 4 kB for mini). The page bundles this file
// (its task screens check every event), so unlike the other schema files it does not import
// ../zod-english.js: the page never shows an event's refusal, and carries no texts for it.
import * as z from 'zod/mini';
import type { EventName } from './names.js';

/**
 * The events a host streams to the page while a call runs (the contract's other half: the
 * channels answer once, events report along the way). Each event name in names.ts has its
 * payload schema here; the compiler checks the two lists agree.
 *
 * Hosts emit them typed (HandlerScope.emit), but what reaches a page has crossed a process
 * or a socket, so a front reads them through readEvent(), never with a cast. This file
 * imports only zod/mini, so the page loads it without the rest of the contract.
 */

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
  options: z.optional(
    z.array(z.object({ key: z.string().check(z.maxLength(4)), label: z.string().check(z.maxLength(200)), action: z.enum(['push', 'phone', 'sms', 'other']) })).check(z.maxLength(9)),
  ),
  /** Mask the answer field. */
  secret: z.boolean(),
  /** The previous answer to this same prompt was refused (wrong passphrase, wrong code). */
  retry: z.boolean(),
  /** Never present; declared so that code reading `event.phase` on any event still type-checks. */
  phase: z.optional(z.never()),
});

/** A prompt the renderer is showing is no longer waiting: answered, or its task ended or was cancelled. */
export const TaskPromptClosedEventSchema = z.object({
  taskId: z.string(),
  type: z.literal('prompt-closed'),
  promptId: z.string(),
  reason: z.enum(['answered', 'cancelled', 'ended']),
  /** Never present (see above). */
  phase: z.optional(z.never()),
});

export const TaskEventSchema = z.discriminatedUnion('type', [TaskProgressEventSchema, TaskPromptEventSchema, TaskPromptClosedEventSchema]);
export type TaskEvent = z.infer<typeof TaskEventSchema>;
export type TaskProgressEvent = z.infer<typeof TaskProgressEventSchema>;
export type TaskPromptEvent = z.infer<typeof TaskPromptEventSchema>;
export type TaskPromptClosedEvent = z.infer<typeof TaskPromptClosedEventSchema>;

/**
 * Electron only: what became of the tasks a reloaded window had started (main sends it once
 * the new page has loaded; the web host tells a page's next socket instead). Same shape as
 * shared/web-messages.ts's InterruptedTask.
 */
export const PageInterruptedEventSchema = z.object({
  interrupted: z.array(z.object({ channel: z.string().check(z.maxLength(100)), outcome: z.enum(['stopped', 'finished', 'failed']) })).check(z.maxLength(50)),
});

/** Each event's payload schema. */
export const eventSchemas = {
  'task.event': TaskEventSchema,
  'page.interrupted': PageInterruptedEventSchema,
} satisfies Record<EventName, z.ZodMiniType>;

// eventSchemas has a schema for every name in names.ts's eventNames and nothing else: a name
// added there without a schema here (or the reverse) fails to compile.
const everyEvent: [Exclude<EventName, keyof typeof eventSchemas>, Exclude<keyof typeof eventSchemas, EventName>] extends [never, never] ? true : false = true;
void everyEvent;

/** What event `E` carries. */
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>;

/**
 * A payload that arrived from a host, checked against its event's schema: the typed value, or
 * null when it is not what the contract says (a front then ignores it rather than guess).
 */
export function readEvent<E extends EventName>(event: E, payload: unknown): EventPayload<E> | null {
  const result = eventSchemas[event].safeParse(payload);
  return result.success ? (result.data as EventPayload<E>) : null;
}

/**
 * A raw listener for `event` (what a Transport's `on` takes) that passes on only payloads
 * matching the contract, typed. `refused` is told of the others by the event's name alone:
 * a payload can hold a prompt's text, which is the user's business, not a log's.
 */
export function checkedListener<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void, refused?: (event: E) => void): (raw: unknown) => void {
  return (raw) => {
    const payload = readEvent(event, raw);
    if (payload === null) refused?.(event);
    else listener(payload);
  };
}
