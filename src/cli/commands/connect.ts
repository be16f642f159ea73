import type { Command } from 'commander';
import { connect } from '../../engine/connect/connect.js';
import type { AskPrompt, ConnectAsk, SessionFailure, SessionPhase } from '../../engine/connect/session.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { readSecret, type PromptStreams } from '../prompt-secret.js';
import { run } from '../run.js';

/** What the commands need from the outside world; tests replace it. */
export interface SessionCliDeps {
  /** Where prompts are read and shown (default: the terminal; a pipe gives one answer per line). */
  streams?: PromptStreams;
}

const err = (s = ''): void => {
  process.stderr.write(s + '\n');
};

/**
 * The engine's `ask` on a terminal: OpenSSH's prompt shown as it is, the answer read
 * without echo (passphrases and one-time codes alike) and handed to the pty.
 */
export function askOnTerminal(streams?: PromptStreams): ConnectAsk {
  return async (prompt: AskPrompt) => {
    if (prompt.kind === 'otp') {
      if (prompt.retry) err('That code was refused. Wait for a new one.');
      err('One-time code: type the code from your authenticator app, or press Enter alone after approving the notification on your phone.');
    } else if (prompt.kind === 'passphrase' && prompt.retry) {
      err('That passphrase did not unlock the key. Try again (it is the key\'s passphrase, not your Mila password).');
    } else if (prompt.kind === 'unknown') {
      err('The cluster asks something mila-onboard does not recognise; it is shown as received:');
    } else if (prompt.kind === 'duo-menu') {
      return askDuo(prompt, streams);
    }
    return readSecret(prompt.text, streams);
  };
}

/**
 * Duo's menu on a terminal: the choices in plain words, then the answer (a number or a
 * passcode, not echoed). After a push, say what is happening: the server waits for the
 * approval on the phone, and Ctrl-C cancels.
 */
async function askDuo(prompt: AskPrompt, streams?: PromptStreams): Promise<string> {
  if (prompt.retry) err('Duo refused that passcode. Choose again, or type a new passcode.');
  err('Second factor (Duo). Choose:');
  for (const o of prompt.options ?? []) err(`  ${o.key}  ${o.action === 'push' ? `send a push to your phone and approve it there (${o.label})` : o.label}`);
  err('  or type a passcode from Duo Mobile (or touch your YubiKey).');
  const answer = await readSecret('Number or passcode: ', streams);
  const chosen = (prompt.options ?? []).find((o) => o.key === answer.trim());
  if (chosen?.action === 'push') err('Waiting for you to approve the push on your phone… (Ctrl-C cancels)');
  return answer;
}

/** Ctrl-C while ssh runs: stop it cleanly instead of dying mid-way. */
export function cancelOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

const PHASES: Record<string, string> = {
  connecting: 'Connecting…',
  authenticating: 'Logging in…',
  running: 'Logged in.',
  checking: 'Checking your cluster folders…',
  fixing: 'Fixing your cluster folders…',
  scanning: 'Asking a compute node for its host keys…',
};

export function showProgress(json: boolean | undefined): (phase: string) => void {
  return (phase) => {
    if (!json && PHASES[phase]) err(PHASES[phase]);
  };
}

/** Prints a diagnosed failure (stderr, or JSON on stdout) and returns exit code 1. */
export function reportFailure(f: SessionFailure, json: boolean | undefined): number {
  if (json) {
    printJson(f);
    return EXIT.failed;
  }
  err();
  err(`${f.diagnosis.alarming ? 'WARNING: ' : ''}${f.diagnosis.message}`);
  err(`What to do: ${f.diagnosis.next}`);
  if (f.details) {
    err();
    err('What OpenSSH said:');
    for (const l of f.details.split('\n')) err(`  ${l}`);
  }
  return EXIT.failed;
}

/** `mila-onboard connect`: logs in once, asking prompts on the terminal; exit 0 logged in, 1 with a diagnosis. */
export function registerConnect(program: Command, deps: SessionCliDeps = {}): void {
  withCommonOptions(program.command('connect').description('log in to the cluster once to check that everything works (asks your passphrase and one-time code)')).action(
    (opts: CommonOptions) =>
      run(opts, async () => {
        const ctx = await contextFrom(opts);
        const interrupt = cancelOnInterrupt();
        try {
          const r = await connect(ctx, { ask: askOnTerminal(deps.streams), signal: interrupt.signal, onProgress: showProgress(opts.json) as (p: SessionPhase) => void });
          if (!r.ok) return reportFailure(r, opts.json);
          if (opts.json) printJson(r);
          else process.stdout.write(`Logged in to ${ctx.profile.name}${r.hostname ? ` (${r.hostname})` : ''} in ${(r.elapsedMs / 1000).toFixed(1)} s. Everything works: "ssh ${ctx.profile.alias}" will do the same.\n`);
          return EXIT.ok;
        } finally {
          interrupt.dispose();
        }
      }),
  );
}
