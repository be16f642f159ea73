import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError } from '../errors.js';
import { ptyEnvironment } from '../openssh/pty-session.js';
import { runOpenSsh, sshFileOptions } from '../openssh/run.js';
import { diagnoseAttempt, remember } from './attempt.js';
import type { DiagnoseContext } from './diagnose.js';
import { keyUsed, openSshWords, parseEvidence, type LoginEvidence } from './evidence.js';
import type { SessionFailure } from './session.js';
import { pathExists } from '../files/exists.js';
import { safeConfigFor } from '../openssh/safe-config.js';

/**
 * "Does my key work yet?", answered without asking anything: after the public key goes into
 * Mila's form there is a wait of up to 48 hours, and a check that asks a one-time code (or
 * a passphrase) every few minutes would be no help.
 *
 * Why it needs no prompt: OpenSSH first offers the *public* key and the server says whether
 * it would accept it ("Server accepts key", in `ssh -v`) before any signature, so before any
 * passphrase. If the key can be used without one (agent, or no passphrase), OpenSSH signs,
 * and the server either logs in (no second factor) or says "Authenticated using "publickey"
 * with partial success" and wants the code, which BatchMode=yes refuses to ask. An encrypted
 * key that is not in the agent is not unlocked (BatchMode never prompts): "accepted-locked"
 * already answers the question (the key is registered), and asking the passphrase just for
 * a check would teach people to type it into an automatic re-check. So nothing is ever asked.
 */

export type KeyCheckVerdict = 'logged-in' | 'code-needed' | 'accepted-locked' | 'refused' | 'not-offered' | 'failed';

export interface KeyCheckResult {
  verdict: KeyCheckVerdict;
  works: boolean;
  host: string | null;
  port: number | null;
  user: string | null;
  key: { file: string; fingerprint: string; agent: boolean } | null;
  failure: SessionFailure | null;
  details: string;
  checkedAt: number;
  elapsedMs: number;
}

export interface KeyCheckOptions {
  alias?: string | undefined;
  /** OpenSSH's ConnectTimeout in seconds (default 15). */
  connectTimeoutSec?: number | undefined;
  /** Ends ssh (openssh/terminate.ts) and rejects with 'cancelled' when it aborts: a host that stops, a page gone. */
  signal?: AbortSignal | undefined;
}

export function keyCheckArgs(ctx: EngineContext, alias: string, connectTimeoutSec = 15, configFile = path.join(ctx.sshDir, 'config')): string[] {
  return [
    ...sshFileOptions(ctx.sshDir, configFile),
    '-v',
    // No question of any kind: no passphrase, no code, no password, no host-key question.
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    `ConnectTimeout=${connectTimeoutSec}`,
    // A shared connection already open would answer for the key without testing it.
    '-o',
    'ControlPath=none',
    '-o',
    'ControlMaster=no',
    '-T',
    '--',
    alias,
    // Only reached on a host without a second factor: log out at once.
    'exit 0',
  ];
}

export function verdictOf(code: number, ev: LoginEvidence, stderr: string): KeyCheckVerdict {
  if (code === 0 && ev.authenticated) return 'logged-in';
  if (ev.partialSuccess) return 'code-needed';
  if (ev.offered.some((k) => k.accepted)) return 'accepted-locked';
  if (/Permission denied \(/.test(stderr)) return ev.offered.length > 0 ? 'refused' : 'not-offered';
  return 'failed';
}

export async function checkKey(ctx: EngineContext, opts: KeyCheckOptions = {}): Promise<KeyCheckResult> {
  const started = Date.now();
  const alias = opts.alias ?? ctx.profile.alias;
  const timeoutSec = opts.connectTimeoutSec ?? 15;
  const base: DiagnoseContext = { answeredCode: false, supportUrl: ctx.profile.links.support, accessDelayHours: ctx.profile.keys.accessDelayHours };
  if (!(await pathExists(path.join(ctx.sshDir, 'config'), { followLinks: true }))) {
    const failure: SessionFailure = {
      ok: false,
      diagnosis: {
        code: 'config-error',
        message: `There is no SSH config in ${ctx.sshDir} yet, so OpenSSH does not know what "${alias}" is.`,
        next: 'Open the “Connection settings” step and write the cluster’s settings first.',
        alarming: false,
        values: {},
      },
      details: '',
      elapsedMs: 0,
    };
    return { verdict: 'failed', works: false, host: null, port: null, user: null, key: null, failure, details: '', checkedAt: Date.now(), elapsedMs: 0 };
  }
  let code: number;
  let stderr: string;
  // Nothing in the user's config runs during the check: a Match exec is read from a copy.
  const safe = await safeConfigFor(ctx.sshDir, { home: os.userInfo().homedir || os.homedir() });
  try {
    // No pty: with no terminal OpenSSH cannot ask anything even if BatchMode were ignored;
    // the filtered environment drops SSH_ASKPASS (a graphical passphrase prompt).
    const res = await runOpenSsh('ssh', keyCheckArgs(ctx, alias, timeoutSec, safe?.path), { timeoutMs: (timeoutSec + 30) * 1000, env: ptyEnvironment(), signal: opts.signal });
    code = res.code;
    stderr = safe ? safe.unmap(res.stderr) : res.stderr;
  } catch (err) {
    if (!(err instanceof EngineError) || err.code !== 'timeout') throw err;
    code = 255;
    stderr = 'Connection timed out';
  } finally {
    await safe?.dispose().catch(() => undefined);
  }
  const ev = parseEvidence(stderr);
  const verdict = verdictOf(code, ev, stderr);
  const key = keyUsed(ev);
  const details = openSshWords(stderr).split('\n').slice(-30).join('\n');
  let failure: SessionFailure | null = null;
  if (verdict === 'refused' || verdict === 'not-offered' || verdict === 'failed') {
    const diagnosis = await diagnoseAttempt(ctx, stderr, ev, base);
    failure = { ok: false, diagnosis, details, elapsedMs: Date.now() - started };
    await remember(ctx, ev, diagnosis);
  } else {
    // The key was accepted: not a failed login, whatever the second factor did.
    await remember(ctx, ev, null, verdict === 'logged-in' ? 'logged-in' : 'key-accepted');
  }
  return {
    verdict,
    works: verdict === 'logged-in' || verdict === 'code-needed' || verdict === 'accepted-locked',
    host: ev.host,
    port: ev.port,
    user: ev.user,
    key: key ? { file: key.file, fingerprint: key.fingerprint, agent: key.agent } : null,
    failure,
    details,
    checkedAt: Date.now(),
    elapsedMs: Date.now() - started,
  };
}
