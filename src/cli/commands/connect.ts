import type { Command } from 'commander';
import { connect } from '../../engine/connect/connect.js';
import type { SessionFailure, SessionPhase } from '../../engine/connect/session.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import type { PromptStreams } from '../prompt-secret.js';
import { run } from '../run.js';
import { askOnTerminal, whileInterruptible } from '../terminal.js';

export { askOnTerminal, whileInterruptible };

/** What the commands need from the outside world; tests replace it. */
export interface SessionCliDeps {
  /** Where prompts are read and shown (default: the terminal; a pipe gives one answer per line). */
  streams?: PromptStreams;
}

const err = (s = ''): void => {
  process.stderr.write(s + '\n');
};


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
        return whileInterruptible(async (signal) => {
          const r = await connect(ctx, { ask: askOnTerminal(deps.streams), signal, onProgress: showProgress(opts.json) as (p: SessionPhase) => void });
          if (!r.ok) return reportFailure(r, opts.json);
          if (opts.json) printJson(r);
          else process.stdout.write(`Logged in to ${ctx.profile.name}${r.hostname ? ` (${r.hostname})` : ''} in ${(r.elapsedMs / 1000).toFixed(1)} s. Everything works: "ssh ${ctx.profile.alias}" will do the same.\n`);
          return EXIT.ok;
        });
      }),
  );
}
