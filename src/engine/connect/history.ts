import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import '../../shared/zod-english.js';
import type { EngineContext } from '../context.js';
import { atomicReplace, ensurePrivateDir, nodeFs } from '../files/index.js';

/**
 * This app's own recent login attempts, per host: the only honest ground for saying "the
 * cluster may have blocked your address after failed logins" when a connection is refused
 * (Mila bans an address for about an hour after repeated failures; a refusal without
 * failures before it is a closed port, a firewall or a network that blocks the port).
 * Also remembers which username a key was accepted with, to spot a wrong username later.
 *
 * Kept in the app's state folder (never the SSH folder); no secrets: host, port, outcome,
 * username and a key's public fingerprint. Small: the last 50 attempts of the last day.
 */

export type AttemptOutcome = 'logged-in' | 'key-accepted' | 'auth-failed' | 'refused' | 'unreachable' | 'other';

const AttemptSchema = z.object({
  at: z.number(),
  host: z.string().check(z.maxLength(255)),
  port: z.int(),
  outcome: z.enum(['logged-in', 'key-accepted', 'auth-failed', 'refused', 'unreachable', 'other']),
  user: z.nullable(z.string().check(z.maxLength(255))),
  /** The public key's fingerprint that the server accepted, if it accepted one. */
  acceptedKey: z.nullable(z.string().check(z.maxLength(100))),
});
export type Attempt = z.infer<typeof AttemptSchema>;
const HistorySchema = z.object({ version: z.literal(1), attempts: z.array(AttemptSchema) });

const KEEP = 50;
const DAY_MS = 24 * 3600_000;
/** How far back a failed login counts towards "you may be blocked" (Mila's ban lasts about an hour). */
export const BAN_WINDOW_MS = 2 * 3600_000;

function historyFile(ctx: EngineContext): string {
  return path.join(ctx.stateDir, 'login-attempts.json');
}

export async function readAttempts(ctx: EngineContext): Promise<Attempt[]> {
  try {
    const parsed = HistorySchema.safeParse(JSON.parse(await readFile(historyFile(ctx), 'utf8')));
    return parsed.success ? parsed.data.attempts : [];
  } catch {
    return []; // none yet, or unreadable: no history
  }
}

/** Adds one attempt (best effort: a state folder that cannot be written never fails a login). */
export async function recordAttempt(ctx: EngineContext, attempt: Omit<Attempt, 'at'> & { at?: number }, now = Date.now()): Promise<void> {
  try {
    const attempts = (await readAttempts(ctx)).filter((a) => now - a.at < DAY_MS);
    attempts.push(AttemptSchema.parse({ ...attempt, at: attempt.at ?? now }));
    await ensurePrivateDir(nodeFs, ctx.stateDir);
    const data = { version: 1 as const, attempts: attempts.slice(-KEEP) };
    await atomicReplace(nodeFs, historyFile(ctx), Buffer.from(JSON.stringify(data, null, 2) + '\n'), 0o600);
  } catch {
    // The history only sharpens a diagnosis; losing it must not break anything.
  }
}

/** Failed logins (key or code refused) against this host in the ban window. */
export function recentFailures(attempts: Attempt[], host: string, port: number, now = Date.now()): number {
  return attempts.filter((a) => a.host === host && a.port === port && a.outcome === 'auth-failed' && now - a.at < BAN_WINDOW_MS).length;
}

/** Usernames this key was accepted with on this host before (most recent last). */
export function usersKeyWorkedWith(attempts: Attempt[], host: string, port: number, fingerprint: string): string[] {
  const users = attempts.filter((a) => a.host === host && a.port === port && a.acceptedKey === fingerprint && a.user).map((a) => a.user!);
  return [...new Set(users)];
}
