/**
 * Web front: argument-free calls made before the socket opened, named in its URL as
 * `[id, channel]` pairs, so the host answers them as soon as the socket is up. Channel names
 * and ids only: no input, so nothing a user typed is ever in a URL.
 */
export type EarlyCall = [id: number, channel: string];

export const EARLY_CALLS_PARAM = 'early';
export const MAX_EARLY_CALLS = 4;

/** The early calls of a socket URL's query, or none when the value is not exactly that shape. */
export function parseEarlyCalls(value: string | null): EarlyCall[] {
  if (!value || value.length > 512) return [];
  try {
    const calls: unknown = JSON.parse(value);
    if (!Array.isArray(calls) || calls.length > MAX_EARLY_CALLS) return [];
    const ok = calls.every((c) => Array.isArray(c) && c.length === 2 && Number.isSafeInteger(c[0]) && typeof c[1] === 'string');
    return ok ? (calls as EarlyCall[]) : [];
  } catch {
    return [];
  }
}
