import type { EngineContext } from '../context.js';
import { EngineError, reason } from '../errors.js';
import { configuredIdentity } from '../connect/identity.js';
import { publicKeyLineFromText } from '../keys/public.js';
import { runSession, type ConnectAsk, type SessionFailure } from '../connect/session.js';
import type { PtySessionHooks } from '../openssh/pty-session.js';
import type { ComputeReportDto } from '../../shared/contract/connect.js';
import { assess, BEGIN, computeCommand, parseScriptOutput, shellQuote, type ScriptMode, type ScriptReport } from './script.js';

export type ComputePhase = 'connecting' | 'authenticating' | 'checking' | 'fixing' | 'done';

export interface ComputeOptions {
  ask: ConnectAsk;
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: ComputePhase) => void) | undefined;
  /** The cluster SSH folder to check (default: the profile's compute.remoteSshDir, `~/.ssh`). */
  remoteSshDir?: string | undefined;
  /** The public key line to look for (default: the public half of the config's IdentityFile). */
  publicKeyLine?: string | undefined;
  timeoutMs?: number | undefined;
  hooks?: PtySessionHooks | undefined;
}

export type ComputeCheckResult = { ok: true; report: ComputeReportDto } | SessionFailure;
export type ComputeFixResult = { ok: true; changed: boolean; actions: string[]; report: ComputeReportDto } | SessionFailure;

interface KeyInfo {
  line: string;
  fingerprint: string;
  file: string | null;
}

async function keyFor(ctx: EngineContext, opts: ComputeOptions): Promise<KeyInfo> {
  if (opts.publicKeyLine !== undefined) {
    const parsed = publicKeyLineFromText(opts.publicKeyLine);
    if (!parsed) throw new EngineError('invalid-input', 'This is not a public key line.');
    return { line: parsed.line, fingerprint: parsed.fingerprint, file: null };
  }
  const id = await configuredIdentity(ctx);
  return { line: id.publicKeyLine, fingerprint: id.fingerprint, file: id.publicKeyFile };
}

/** The key line as it goes into authorized_keys: no control characters in the comment. */
function cleanLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\x00-\x1f\x7f]/g, ' ').trim();
}

function toReport(r: ScriptReport, key: KeyInfo): ComputeReportDto {
  const a = assess(r, key.line);
  return {
    home: { path: r.home, mode: r.homeMode, writableByOthers: a.homeWritableByOthers },
    sshDir: { path: r.sshDir, exists: r.sshExists, mode: r.sshMode, ok: a.sshOk },
    authorizedKeys: { path: r.ak, exists: r.akExists, mode: r.akMode, hasKey: r.hasKey, ok: a.akOk },
    key: { fingerprint: key.fingerprint, file: key.file },
    ok: a.ok,
    problems: a.problems,
    commands: a.commands,
  };
}

async function runScript(ctx: EngineContext, mode: ScriptMode, opts: ComputeOptions): Promise<{ ok: true; report: ScriptReport; key: KeyInfo } | SessionFailure> {
  const key = await keyFor(ctx, opts);
  key.line = cleanLine(key.line);
  const folder = opts.remoteSshDir ?? ctx.profile.compute.remoteSshDir;
  const res = await runSession(ctx, {
    command: computeCommand(mode, key.line, folder),
    marker: BEGIN,
    ask: opts.ask,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    hooks: opts.hooks,
    onProgress: (p) => opts.onProgress?.(p === 'running' ? (mode === 'fix' ? 'fixing' : 'checking') : p),
  });
  if (!res.ok) return res;
  const report = parseScriptOutput(res.output);
  if (!report || report.error) {
    const printed = res.output.split('\n').slice(-5).join(' | ');
    throw new EngineError(
      'verification-failed',
      report?.error === 'bad-folder'
        ? `The cluster folder "${folder}" is neither absolute nor under ~/.`
        : `The check on the cluster did not complete (exit ${res.exitCode}). What it printed: ${printed}`,
      {
        reason:
          report?.error === 'bad-folder'
            ? reason('compute-folder-bad', { folder })
            : reason('compute-check-incomplete', { exitCode: String(res.exitCode) }, res.output.split('\n').slice(-5).join('\n').trim() || undefined),
      },
    );
  }
  return { ok: true, report, key };
}

/**
 * Over a working login, checks what compute nodes need to accept the key: the public key
 * in the cluster's ~/.ssh/authorized_keys, ~/.ssh 700, authorized_keys 600, the home not
 * writable by group or others. Changes nothing; `commands` are what the fix would run.
 */
export async function checkComputeAccess(ctx: EngineContext, opts: ComputeOptions): Promise<ComputeCheckResult> {
  const r = await runScript(ctx, 'check', opts);
  if (!r.ok) return r;
  return { ok: true, report: toReport(r.report, r.key) };
}

const ACTIONS: Record<string, (r: ScriptReport, keyLine: string) => string> = {
  'home-mode': (r) => `chmod go-w ${shellQuote(r.home)}`,
  mkdir: (r) => `mkdir -p -m 700 ${shellQuote(r.sshDir)}`,
  'ssh-mode': (r) => `chmod 700 ${shellQuote(r.sshDir)}`,
  'create-ak': (r) => `(umask 077 && : > ${shellQuote(r.ak)})`,
  'add-key': (r, keyLine) => `printf '%s\\n' ${shellQuote(keyLine)} >> ${shellQuote(r.ak)}`,
  'ak-mode': (r) => `chmod 600 ${shellQuote(r.ak)}`,
};

/**
 * Fixes what checkComputeAccess finds, in one remote script, idempotently: each step runs
 * only when needed, so a second run changes nothing (`changed: false`). Ask the user first.
 */
export async function fixComputeAccess(ctx: EngineContext, opts: ComputeOptions): Promise<ComputeFixResult> {
  const r = await runScript(ctx, 'fix', opts);
  if (!r.ok) return r;
  const actions = r.report.did.map((d) => (ACTIONS[d] ? ACTIONS[d](r.report, r.key.line) : d));
  const report = toReport(r.report, r.key);
  if (!report.ok)
    throw new EngineError('verification-failed', `The cluster folders are still not right after the fix: ${report.problems.join(' ')}`, {
      reason: reason('compute-still-wrong', { home: report.home.path, sshDir: report.sshDir.path, authorizedKeys: report.authorizedKeys.path }),
      nothingChanged: actions.length === 0,
    });
  return { ok: true, changed: actions.length > 0, actions, report };
}
