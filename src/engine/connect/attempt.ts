import type { EngineContext } from '../context.js';
import { diagnose, type Diagnosis, type DiagnoseContext } from './diagnose.js';
import { keyUsed, type LoginEvidence } from './evidence.js';
import { readAttempts, recentFailures, recordAttempt, usersKeyWorkedWith, type AttemptOutcome } from './history.js';

/**
 * One login attempt's end, shared by the interactive login (session.ts) and the key check
 * (check.ts): diagnose a failure with this app's history, and add the attempt to it.
 */

export function outcomeOf(d: Diagnosis | null): AttemptOutcome {
  if (!d) return 'logged-in';
  if (['wrong-passphrase', 'mfa-rejected', 'key-refused', 'wrong-username', 'key-not-offered', 'too-many-keys'].includes(d.code)) return 'auth-failed';
  if (d.code === 'connection-refused' || d.code === 'refused-after-failures') return 'refused';
  if (d.code === 'timeout' || d.code === 'network' || d.code === 'dns') return 'unreachable';
  return 'other';
}

/** Remembers the attempt in the app's state folder (history.ts), when ssh said where it went. */
export async function remember(ctx: EngineContext, ev: LoginEvidence, d: Diagnosis | null, outcome: AttemptOutcome = outcomeOf(d)): Promise<void> {
  if (!ev.host || !ev.port) return;
  const accepted = ev.offered.find((k) => k.accepted);
  await recordAttempt(ctx, { host: ev.host, port: ev.port, outcome, user: ev.user, acceptedKey: accepted?.fingerprint ?? null });
}

/** Diagnoses a failed attempt from the terminal output and the debug log, with this app's history. */
export async function diagnoseAttempt(ctx: EngineContext, transcript: string, ev: LoginEvidence, base: DiagnoseContext): Promise<Diagnosis> {
  const attempts = ev.host && ev.port ? await readAttempts(ctx) : [];
  const key = keyUsed(ev);
  return diagnose(transcript, {
    ...base,
    evidence: ev,
    recentFailures: ev.host && ev.port ? recentFailures(attempts, ev.host, ev.port) : 0,
    usersKeyWorkedWith: ev.host && ev.port && key ? usersKeyWorkedWith(attempts, ev.host, ev.port, key.fingerprint) : [],
  });
}

