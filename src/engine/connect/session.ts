import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError, reason } from '../errors.js';
import type { DuoOption, Prompt, PromptKind } from '../openssh/prompts.js';
import { answerPrompts, wasAsked } from '../openssh/conversation.js';
import { runInPty, type PtySessionHooks } from '../openssh/pty-session.js';
import { phases } from '../openssh/phases.js';
import { sshFileOptions } from '../openssh/run.js';
import { safeConfigFor, type SafeConfig } from '../openssh/safe-config.js';
import { diagnoseAttempt, remember } from './attempt.js';
import { diagnose, type Diagnosis, type DiagnoseContext } from './diagnose.js';
import { openSshWords, parseEvidence } from './evidence.js';
import { pathExists } from '../files/exists.js';

/**
 * One login to the cluster in a pseudo-terminal, running one remote command: the path the
 * connection test, the compute-node check and fix, and the compute host-key probe share.
 * Every question OpenSSH asks goes to `ask` (the user), except the host-key question,
 * which is always answered "no" (trust is only ever given through verified fingerprints),
 * and a password prompt, which ends the login: the 'login' job of openssh/conversation.ts.
 */

export type SessionPhase = 'connecting' | 'authenticating' | 'running' | 'done';

/** What the user is asked: OpenSSH's prompt, never an answer. */
export interface AskPrompt {
  kind: PromptKind;
  /** Verbatim (control sequences removed). */
  text: string;
  secret: boolean;
  /** The same prompt was already answered once in this session (wrong passphrase, refused code). */
  retry: boolean;
  keyFile?: string | undefined;
  account?: string | undefined;
  /** Duo's menu: the numbered choices (push to a phone...); a passcode may be typed instead. */
  options?: DuoOption[] | undefined;
}

export type ConnectAsk = (prompt: AskPrompt) => Promise<string>;

export interface SessionOptions {
  /** The remote command, run by the user's login shell on the cluster. */
  command: string;
  /** Printed by the command first: seeing it means we are logged in. */
  marker: string;
  ask: ConnectAsk;
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: SessionPhase) => void) | undefined;
  /** Host alias to connect to (default: the profile's, `mila`). */
  alias?: string | undefined;
  /** Time OpenSSH may take, not counting time waiting for the user's answers. Default 90 s. */
  timeoutMs?: number | undefined;
  /** OpenSSH's ConnectTimeout in seconds (default 15); tests shorten it. */
  connectTimeoutSec?: number | undefined;
  hooks?: PtySessionHooks | undefined;
}

export interface SessionSuccess {
  ok: true;
  /** Everything printed, LF lines, no escapes. */
  output: string;
  exitCode: number;
  elapsedMs: number;
}

export interface SessionFailure {
  ok: false;
  diagnosis: Diagnosis;
  /** The last lines OpenSSH printed. */
  details: string;
  elapsedMs: number;
}

export type SessionOutcome = SessionSuccess | SessionFailure;

/** The longest answer typed at a prompt (the contract allows the same). */
export const MAX_ANSWER = 1024;

class PasswordAsked extends Error {}

function lastLines(output: string, n = 30): string {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}

export interface SshArgsExtra {
  /**
   * OpenSSH's debug log goes to this file (`-vv -E FILE`), not to the terminal: the prompts
   * and the remote command's output stay clean, and the log says which key and username
   * were offered and what the server answered (evidence.ts). It holds no secret.
   */
  logFile?: string | undefined;
  connectTimeoutSec?: number | undefined;
  /** The config OpenSSH reads (safeConfigFor): default the SSH folder's own. */
  configFile?: string | undefined;
}

export function sshArgs(ctx: EngineContext, alias: string, command: string, extra: SshArgsExtra = {}): string[] {
  return [
    ...sshFileOptions(ctx.sshDir, extra.configFile ?? path.join(ctx.sshDir, 'config')),
    ...(extra.logFile ? ['-vv', '-E', extra.logFile] : []),
    '-o',
    'BatchMode=no',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `ConnectTimeout=${extra.connectTimeoutSec ?? 15}`,
    // A test of the connection must really log in (an open shared connection would hide a
    // broken key or known_hosts) and must not leave a background master behind.
    '-o',
    'ControlPath=none',
    '-T',
    '--',
    alias,
    command,
  ];
}

function failure(diagnosis: Diagnosis, output: string, started: number): SessionFailure {
  return { ok: false, diagnosis, details: lastLines(openSshWords(output)), elapsedMs: Date.now() - started };
}

/** The debug log ssh wrote (capped), or '' when there is none. */
async function readLog(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.length > 1024 * 1024 ? text.slice(-1024 * 1024) : text;
}

export async function runSession(ctx: EngineContext, opts: SessionOptions): Promise<SessionOutcome> {
  const started = Date.now();
  const alias = opts.alias ?? ctx.profile.alias;
  const dctx: DiagnoseContext = { answeredCode: false, passphraseAnswers: 0, supportUrl: ctx.profile.links.support, accessDelayHours: ctx.profile.keys.accessDelayHours };
  const configFile = path.join(ctx.sshDir, 'config');
  if (!(await pathExists(configFile, { followLinks: true }))) {
    return failure(
      {
        code: 'config-error',
        message: `There is no SSH config in ${ctx.sshDir} yet, so OpenSSH does not know what "${alias}" is.`,
        next: 'Open the “Connection settings” step and write the cluster’s settings first.',
        alarming: false,
        values: {},
      },
      '',
      started,
    );
  }

  const phase = phases<SessionPhase>('connecting', opts.onProgress);

  let seen = '';
  let output = '';
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'mila-onboard-ssh-'));
  const logFile = path.join(logDir, 'ssh.log');
  let log = '';
  // Nothing in the user's config runs, not even during a login: a Match exec is read from a copy.
  let safe: SafeConfig | null = null;
  try {
    safe = await safeConfigFor(ctx.sshDir, { home: os.userInfo().homedir || os.homedir() });
    const res = await runInPty({
      program: 'ssh',
      args: sshArgs(ctx, alias, opts.command, { logFile, connectTimeoutSec: opts.connectTimeoutSec, configFile: safe?.path }),
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 90_000,
      hooks: opts.hooks,
      onOutput: (chunk) => {
        if (phase.current === 'running') return;
        seen = (seen + chunk).slice(-4096);
        if (seen.includes(opts.marker)) phase.to('running');
      },
      onPrompt: answerPrompts('ssh', {
        job: 'login',
        password: () => new PasswordAsked(),
        ask: async (prompt: Prompt, info) => {
          phase.to('authenticating');
          const answer = await opts.ask({
            kind: prompt.kind,
            text: prompt.text,
            // A Duo passcode is a one-time code: masked and never kept, like Mila's.
            secret: prompt.secret || prompt.kind === 'otp' || prompt.kind === 'duo-menu',
            retry: prompt.retry || info.attempt > 1,
            keyFile: prompt.keyFile,
            account: prompt.account,
            ...(prompt.options ? { options: prompt.options } : {}),
          });
          if (typeof answer !== 'string' || answer.length > MAX_ANSWER) throw new EngineError('invalid-input', `An answer can have at most ${MAX_ANSWER} characters.`, { reason: reason('answer-too-long', { max: String(MAX_ANSWER) }) });
          if (prompt.kind === 'otp' || prompt.kind === 'duo-menu') dctx.answeredCode = true;
          if (prompt.kind === 'passphrase') dctx.passphraseAnswers = (dctx.passphraseAnswers ?? 0) + 1;
          return answer;
        },
      }),
    });
    output = safe ? safe.unmap(res.output) : res.output;
    // Answered "no" (see conversation.ts): the login cannot have succeeded through an unverified host.
    const hostKeyQuestion = wasAsked(res, 'host-key');
    log = await readLog(logFile);
    const ev = parseEvidence(log);
    if (output.includes(opts.marker) && !hostKeyQuestion) {
      await remember(ctx, ev, null);
      return { ok: true, output, exitCode: res.exitCode, elapsedMs: Date.now() - started };
    }
    const transcript = `${output}\n${log}`;
    if (hostKeyQuestion) {
      return failure(diagnose('Host key verification failed.', dctx), transcript, started);
    }
    const d = await diagnoseAttempt(ctx, transcript, ev, dctx);
    await remember(ctx, ev, d);
    return failure(d, transcript, started);
  } catch (err) {
    if (err instanceof PasswordAsked) {
      return failure(
        {
          code: 'key-refused',
          message: `The cluster asked for a password. ${ctx.profile.name} does not use passwords: this means it did not accept your key.`,
          next: 'Do not type your password anywhere. If you just sent your public key, wait for it to be registered; otherwise check that the key in your connection settings is the one you submitted.',
          alarming: false,
          values: {},
        },
        output,
        started,
      );
    }
    if (err instanceof EngineError && err.code === 'timeout') {
      log ||= await readLog(logFile);
      return failure(diagnose('Connection timed out', { ...dctx, evidence: parseEvidence(log) }), `${output}\n${log}`, started);
    }
    throw err;
  } finally {
    opts.onProgress?.('done');
    await rm(logDir, { recursive: true, force: true }).catch(() => undefined);
    await safe?.dispose().catch(() => undefined);
  }
}
