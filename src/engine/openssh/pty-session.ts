// Sync on purpose: findProgram is execvp's PATH walk, run once right before node-pty's spawn,
// which is itself synchronous; an async walk would only add a tick to every prompt-driven run.
// eslint-disable-next-line no-restricted-imports
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import type * as Pty from 'node-pty';
import { EngineError, reason } from '../errors.js';
import { recognisePrompt, normaliseOutput, type Prompt } from './prompts.js';
import { loadPty, loadedSpawnHelper } from './pty-module.js';
import { spawnRefused } from './pty-ready.js';
import { openSshCancelled, openSshMissing, type OpenSshProgram } from './run.js';
import { terminate, whenAborted, type EndableChild } from './terminate.js';
import { childEnvironment } from './env.js';

/**
 * Runs one OpenSSH program in a pseudo-terminal and answers its prompts.
 *
 * Why a pty: ssh-keygen, ssh-add and ssh read passphrases and one-time codes from the
 * terminal, never from stdin, and the only other ways in (`-N`, `-P`, SSH_ASKPASS) put the
 * secret in argv, the environment or a helper program. Here the secret is typed at the
 * prompt, like a person would: it is written to the pty followed by '\r' and the string is
 * dropped. Nothing in this module logs or keeps an answer.
 *
 * The caller decides every answer in `onPrompt`: return the text to type, or throw to stop
 * (the pty is killed, and the promise rejects with what was thrown). Key creation answers
 * from the passphrase it was given; the "connect" feature will pass the prompt to the user
 * (an `ask(prompt)` callback) and type what they answer.
 */

export type AskFn = (prompt: Prompt) => Promise<string>;

export interface PromptInfo {
  /** How many times a prompt of the same kind and text was seen in this run (1 the first time). */
  attempt: number;
}

export interface PtySessionHooks {
  /** Called with the child's pid once it runs (tests read /proc/PID to prove no secret is in argv or env). */
  onSpawn?(pid: number): void;
  /** Called, and awaited, before each answer is typed. Must not see the answer: it gets only the prompt. */
  beforeAnswer?(prompt: Prompt): Promise<void> | void;
}

export interface PtySessionOptions {
  program: OpenSshProgram;
  /** A full path to run instead of looking `program` up on PATH (macOS: Apple's /usr/bin/ssh-add for --apple-use-keychain). */
  executable?: string;
  args: readonly string[];
  cwd?: string;
  /** Variables added to (or, when undefined, removed from) the filtered environment. Never secrets. */
  env?: Record<string, string | undefined>;
  /** Called for every prompt that awaits an answer. Return the answer, or throw to stop the program. */
  onPrompt(prompt: Prompt, info: PromptInfo): Promise<string> | string;
  /** Notices (wrong passphrase, changed host key): informational, nothing is typed. */
  onNotice?(prompt: Prompt): void;
  /** Every chunk of output (without answers: the pty does not echo passphrases). */
  onOutput?(chunk: string): void;
  signal?: AbortSignal;
  /** Time the program may run, not counting time spent waiting for `onPrompt`. Default 120 s. */
  timeoutMs?: number;
  /** Silence after which an unrecognised line ending in ': ' or '? ' counts as a prompt. Default 500 ms. */
  quietMs?: number;
  hooks?: PtySessionHooks;
  platform?: NodeJS.Platform;
}

export interface PtySessionResult {
  exitCode: number;
  signal: number | undefined;
  /** Everything the program printed, normalised to LF lines without terminal escapes (capped at 1 MiB). */
  output: string;
  /** Every prompt and notice seen, in order (texts only; answers are never recorded). */
  prompts: Prompt[];
}

const MAX_OUTPUT = 1024 * 1024;

/** The shared child environment (see env.ts), with TERM set for the pty. */
export function ptyEnvironment(base: NodeJS.ProcessEnv = process.env, extra: Record<string, string | undefined> = {}): Record<string, string> {
  return childEnvironment(base, { TERM: 'xterm', ...extra });
}

/** Finds a program on PATH (with PATHEXT on Windows), or null. Resolving first turns "not installed" into a clear error. */
export function findProgram(program: string, env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const pathVar = env.PATH ?? env.Path ?? env.path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  const names = platform === 'win32' && path.extname(program) !== '' ? [program] : exts.map((e) => program + e.toLowerCase());
  for (const dir of pathVar.split(sep)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (platform !== 'win32') accessSync(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/**
 * Runs the program to its end, answering prompts through `onPrompt`. Resolves with the exit
 * code and output whatever the code; rejects on cancel ('cancelled'), timeout ('timeout'),
 * a missing program ('openssh-missing'), a terminal that cannot start programs (pty-module.ts),
 * or whatever `onPrompt` threw.
 *
 * node-pty is native code: it is loaded on first use (pty-module.ts), so listing keys or
 * writing the config never depends on it (and start-up does not pay for it).
 */
export function runInPty(opts: PtySessionOptions): Promise<PtySessionResult> {
  const platform = opts.platform ?? process.platform;
  const env = ptyEnvironment(process.env, opts.env);
  if (opts.signal?.aborted) return Promise.reject(openSshCancelled(opts.program));
  const file = opts.executable ?? findProgram(opts.program, env, platform);
  if (!file) return Promise.reject(openSshMissing(opts.program, platform));

  let pty: typeof Pty;
  try {
    pty = loadPty();
  } catch (err) {
    return Promise.reject(err);
  }
  return runLoaded(pty, opts, env, file, platform);
}

/** How every program is started in the pty. */
export function ptySpawnOptions(cwd: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Pty.IPtyForkOptions & Pty.IWindowsPtyForkOptions {
  return {
    name: 'xterm',
    cols: 200,
    rows: 40,
    cwd,
    env,
    encoding: 'utf8',
    // Windows: the conpty.dll and OpenConsole.exe node-pty ships, instead of the system's
    // conpty. Its kill path closes the console directly; the system-conpty path instead
    // forks a helper script with the app's own executable (child_process.fork), which in
    // the packaged app (run-as-node fuse off) starts a second Mila Onboard and then waits
    // 5 s for an answer that never comes (docs/platforms.md). Ignored on macOS and Linux.
    useConptyDll: platform === 'win32',
  };
}

function runLoaded(pty: typeof Pty, opts: PtySessionOptions, env: NodeJS.ProcessEnv, file: string, platform: NodeJS.Platform): Promise<PtySessionResult> {
  return new Promise<PtySessionResult>((resolve, reject) => {
    let term: Pty.IPty;
    try {
      term = pty.spawn(file, [...opts.args], ptySpawnOptions(opts.cwd ?? process.cwd(), env, platform));
    } catch (err) {
      const msg = (err as Error)?.message ?? '';
      if (/ENOENT|not found|execvp/i.test(msg)) reject(openSshMissing(opts.program, platform));
      else if (/posix_spawn|fork failed|EACCES|permission denied/i.test(msg)) reject(spawnRefused(opts.program, msg, platform, loadedSpawnHelper()));
      else reject(new EngineError('internal', `Could not start "${opts.program}": ${msg}`, { cause: err }));
      return;
    }

    let raw = '';
    /** Output since the last answer; prompts are recognised in it. */
    let pending = '';
    const prompts: Prompt[] = [];
    const attempts = new Map<string, number>();
    let answering = false;
    let exited = false;
    let failure: unknown = null;
    let quietTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let remaining = opts.timeoutMs ?? 120_000;
    let timerStarted = Date.now();
    const lastNotice = new Set<string>();

    const stopTimeout = () => {
      if (timeoutTimer) {
        clearTimeout(timeoutTimer);
        timeoutTimer = undefined;
        remaining -= Date.now() - timerStarted;
      }
    };
    const startTimeout = () => {
      if (exited || timeoutTimer) return;
      timerStarted = Date.now();
      timeoutTimer = setTimeout(
        () => stop(new EngineError('timeout', `"${opts.program}" did not finish in time and was stopped.`, { hint: 'Try again.', reason: reason('openssh-timeout', { program: opts.program }) })),
        Math.max(0, remaining),
      );
    };

    let markExited = (): void => undefined;
    const child: EndableChild = {
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      kill(signal) {
        try {
          term.kill(signal);
        } catch {
          // already gone
        }
      },
    };
    let ending = false;

    /** Stops the program: the first reason wins. Hung up like a closed terminal, then killed if it lingers (terminate.ts). */
    const stop = (reason: unknown) => {
      if (failure === null) failure = reason;
      if (exited || ending) return;
      ending = true;
      void terminate(child, { signal: 'SIGHUP', platform });
    };

    const unbindAbort = whenAborted(opts.signal, () => stop(openSshCancelled(opts.program)));

    const handle = async (prompt: Prompt, consumed: number) => {
      answering = true;
      stopTimeout();
      prompts.push(prompt);
      const key = `${prompt.kind}\0${prompt.text}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      try {
        let answer: string | null = await opts.onPrompt(prompt, { attempt });
        if (exited || failure !== null) return;
        // eslint-disable-next-line no-control-regex -- Ctrl-C/Ctrl-D typed into the pty would end the program
        if (/[\r\n\x03\x04]/.test(answer)) throw new EngineError('invalid-input', 'An answer cannot contain line breaks or control characters.', { reason: reason('answer-control') });
        await opts.hooks?.beforeAnswer?.(prompt);
        if (exited || failure !== null) return;
        pending = pending.slice(consumed);
        term.write(answer + '\r');
        answer = null; // dropped: the only copy left is the caller's
      } catch (err) {
        stop(err);
      } finally {
        answering = false;
        if (!exited && failure === null) {
          startTimeout();
          examine(false);
          scheduleQuiet();
        }
      }
    };

    const examine = (quiet: boolean) => {
      if (answering || exited || failure !== null || pending === '') return;
      const prompt = recognisePrompt(pending, { quiet });
      if (!prompt) return;
      if (!prompt.awaitsAnswer) {
        // Report each notice once per stretch of output.
        if (!lastNotice.has(prompt.text)) {
          lastNotice.add(prompt.text);
          prompts.push(prompt);
          opts.onNotice?.(prompt);
        }
        return;
      }
      void handle(prompt, pending.length);
    };

    const scheduleQuiet = () => {
      if (quietTimer) clearTimeout(quietTimer);
      quietTimer = setTimeout(() => examine(true), opts.quietMs ?? 500);
    };

    term.onData((chunk) => {
      if (raw.length < MAX_OUTPUT) raw += chunk;
      pending += chunk;
      if (pending.length > 64 * 1024) pending = pending.slice(-16 * 1024);
      opts.onOutput?.(chunk);
      examine(false);
      scheduleQuiet();
    });

    term.onExit(({ exitCode, signal }) => {
      exited = true;
      markExited();
      if (quietTimer) clearTimeout(quietTimer);
      if (timeoutTimer) clearTimeout(timeoutTimer);
      unbindAbort();
      const output = normaliseOutput(raw);
      // A late notice (wrong passphrase) printed just before exit.
      const tailNotice = recognisePrompt(pending);
      if (tailNotice && !tailNotice.awaitsAnswer && !lastNotice.has(tailNotice.text)) prompts.push(tailNotice);
      if (failure !== null) return reject(failure);
      if (exitCode !== 0 && /execvp\(3\) failed/.test(output) && prompts.length === 0) return reject(openSshMissing(opts.program, platform));
      resolve({ exitCode, signal: signal || undefined, output, prompts });
    });

    opts.hooks?.onSpawn?.(term.pid);
    startTimeout();
  });
}

/** The refusal when a program asks something this flow does not expect: shown verbatim, never answered blindly. */
export function unexpectedPrompt(program: string, prompt: Prompt): EngineError {
  return new EngineError('internal', `${program} asked something unexpected: "${prompt.text.trim()}". Nothing was answered.`, {
    reason: reason('openssh-unexpected-question', { program }, prompt.text.trim() || undefined),
  });
}
