/**
 * How the engine answers OpenSSH's questions: one policy, in one place, for every program
 * run in a pseudo-terminal (pty-session.ts runs it; prompts.ts says what a prompt is).
 *
 * Each run is one named job, and the job alone decides which prompt kinds are answered and
 * how (the table below). What stays with each caller is only its own: the key's name in its
 * messages, its progress events, what it does with the output. The rules every job shares:
 *   - an existing key's passphrase is typed from what the caller was given (once: being asked
 *     again means it was wrong), or asked of the person (as many times as the job allows);
 *   - a new passphrase is typed at ssh-keygen's prompt and at its confirmation, never refused twice;
 *   - an existing file is never overwritten ("n");
 *   - a host-key question is answered "no": trust is given only through verified fingerprints;
 *   - a password prompt stops a login (the clusters take keys only);
 *   - anything else stops the program, shown verbatim, never answered blindly (unexpectedPrompt).
 */
import type { PromptKind, Prompt } from './prompts.js';
import { unexpectedPrompt, type AskFn, type PromptInfo, type PtySessionResult } from './pty-session.js';
import type { OpenSshProgram } from './run.js';

/** An existing key's passphrase: typed from what the caller had, or asked of the person. */
export interface KeyUnlock {
  /** Given by the caller: typed at the first prompt only (a second prompt means it was wrong). */
  passphrase?: string | undefined;
  /** Asked of the person when no passphrase was given. */
  ask?: AskFn | undefined;
  /** How many prompts the person may answer (ssh-add lets them try again); one more means a wrong passphrase. Default 1. */
  tries?: number | undefined;
  /** Checks what the person typed before it is typed (length, control characters). */
  check(answer: string): string;
  /** The refusal once the passphrase is wrong. */
  wrong(): Error;
  /** The refusal when a passphrase is asked, none was given and nobody can be asked. */
  missing(): Error;
}

/** A new passphrase, typed at `Enter (new) passphrase` and at `Enter same passphrase again`. */
export interface NewPassphrase {
  passphrase: string;
  /** The refusal when ssh-keygen asks again (it did not take the passphrase). */
  refused(): Error;
}

/** What a program in the pty is run for: each job answers its prompts by the table below. */
export type PtyJob =
  /** `ssh-keygen -y`, `ssh-add`: unlock an existing key, nothing else. */
  | { job: 'unlock-key'; unlock: KeyUnlock }
  /** `ssh-keygen -p`: the current passphrase (when the key has one), then the new one twice. */
  | { job: 'change-passphrase'; unlock: KeyUnlock; next: NewPassphrase }
  /** `ssh-keygen -t`: the new key's passphrase twice; an existing file is left alone. */
  | { job: 'create-key'; next: NewPassphrase }
  /**
   * `ssh`: every question goes to the person (key passphrase, one-time code, Duo's menu, an
   * unknown question shown verbatim), except the host-key question and a password prompt.
   */
  | { job: 'login'; ask(prompt: Prompt, info: PromptInfo): Promise<string>; password(): Error }
  /** `ssh -V` and the like: nothing may be asked. */
  | { job: 'no-questions' };

export type JobName = PtyJob['job'];

/** How one prompt is answered. */
export type Rule = 'unlock' | 'new-passphrase' | 'confirm-passphrase' | 'refuse-overwrite' | 'refuse-host-key' | 'refuse-password' | 'ask-person' | 'unexpected';

/** The whole policy: which prompt kinds each job answers, and how; every other kind gets `otherwise`. */
export const POLICY: Readonly<Record<JobName, Readonly<Partial<Record<PromptKind, Rule>>> & { otherwise: Rule }>> = {
  'unlock-key': { passphrase: 'unlock', otherwise: 'unexpected' },
  'change-passphrase': { passphrase: 'unlock', 'new-passphrase': 'new-passphrase', 'confirm-passphrase': 'confirm-passphrase', otherwise: 'unexpected' },
  'create-key': { 'new-passphrase': 'new-passphrase', 'confirm-passphrase': 'confirm-passphrase', overwrite: 'refuse-overwrite', otherwise: 'unexpected' },
  login: { 'host-key': 'refuse-host-key', password: 'refuse-password', otherwise: 'ask-person' },
  'no-questions': { otherwise: 'unexpected' },
};

export function ruleFor(job: JobName, kind: PromptKind): Rule {
  return POLICY[job][kind] ?? POLICY[job].otherwise;
}

/**
 * The `onPrompt` for one run of `program` doing `job` (pass it to runInPty). It keeps the
 * run's count of passphrase prompts, so make one per run. Throwing stops the program.
 */
export function answerPrompts(program: OpenSshProgram, job: PtyJob): (prompt: Prompt, info: PromptInfo) => Promise<string> {
  let unlockAsked = 0;
  return async (prompt, info) => {
    const rule = ruleFor(job.job, prompt.kind);
    if (rule === 'unlock' && 'unlock' in job) {
      const { unlock } = job;
      const given = unlock.passphrase;
      const tries = given !== undefined ? 1 : (unlock.tries ?? 1);
      unlockAsked += 1;
      if (given === undefined && !unlock.ask) throw unlock.missing();
      // Asked once more than allowed, or told that the one answer allowed was refused: wrong.
      if (unlockAsked > tries || (tries === 1 && prompt.retry)) throw unlock.wrong();
      return given ?? unlock.check(await unlock.ask!(prompt));
    }
    if (rule === 'new-passphrase' && 'next' in job) {
      if (prompt.retry) throw job.next.refused();
      return job.next.passphrase;
    }
    if (rule === 'confirm-passphrase' && 'next' in job) return job.next.passphrase;
    if (rule === 'refuse-overwrite') return 'n';
    if (rule === 'refuse-host-key') return 'no';
    if (rule === 'refuse-password' && job.job === 'login') throw job.password();
    if (rule === 'ask-person' && job.job === 'login') return job.ask(prompt, info);
    throw unexpectedPrompt(program, prompt);
  };
}

/** Whether the program said the passphrase typed for an existing key was wrong (ssh-keygen prints it, then exits). */
export function saidWrongPassphrase(result: Pick<PtySessionResult, 'prompts' | 'output'>): boolean {
  return result.prompts.some((p) => p.kind === 'wrong-passphrase') || /incorrect passphrase supplied/.test(result.output);
}

/** Whether the program asked `kind` during the run (a host-key question, an overwrite question). */
export function wasAsked(result: Pick<PtySessionResult, 'prompts'>, kind: PromptKind): boolean {
  return result.prompts.some((p) => p.kind === kind);
}
