/**
 * What the web host sends a page over its socket, as one type both ends share (server.ts
 * and page-tasks.ts write it, the page's web-transport.ts reads it). No zod: the page's
 * first screen loads the reader. Event payloads stay `unknown` here; the page checks them
 * against the contract where it subscribes (renderer/api/events.ts).
 */
import { isEnvelope } from './api.js';
import type { Envelope } from './contract/common.js';
import { eventNames, type EventName } from './contract/names.js';

/** What became of a task whose page went away (reloaded, closed), told to the page when it comes back. */
export interface InterruptedTask {
  channel: string;
  /** stopped: cancelled, and nothing was changed; finished: it completed before it could be stopped; failed: anything else. */
  outcome: 'stopped' | 'finished' | 'failed';
}

export type HostMessage =
  /** First, to a page that came with a launch secret: the session secret it keeps for reloads. */
  | { session: string }
  /** Tasks of this page's session that a reload or a closed tab stopped. */
  | { interrupted: InterruptedTask[] }
  /** The answer to request `id`. */
  | { id: number; envelope: Envelope<unknown> }
  /** An event a handler emitted while serving one of this page's requests. */
  | { event: EventName; payload: unknown };

const OUTCOMES: ReadonlySet<string> = new Set(['stopped', 'finished', 'failed']);
const EVENTS: ReadonlySet<string> = new Set(eventNames);
const isEventName = (v: unknown): v is EventName => typeof v === 'string' && EVENTS.has(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInterrupted = (t: unknown): t is InterruptedTask => isObject(t) && typeof t.channel === 'string' && typeof t.outcome === 'string' && OUTCOMES.has(t.outcome);

/** One socket message read back: its shape checked, or null when it is none of the above. */
export function readHostMessage(data: string): HostMessage | null {
  let msg: unknown;
  try {
    msg = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(msg)) return null;
  if (typeof msg.session === 'string') return { session: msg.session };
  if (Array.isArray(msg.interrupted)) return { interrupted: msg.interrupted.filter(isInterrupted) };
  if (typeof msg.id === 'number' && isEnvelope(msg.envelope)) return { id: msg.id, envelope: msg.envelope };
  if (isEventName(msg.event)) return { event: msg.event, payload: msg.payload };
  return null;
}
