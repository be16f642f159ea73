import { EngineError } from '../engine/errors.js';

/**
 * Reading a secret (passphrase, one-time code) or a short answer on the terminal.
 *
 * On a TTY: raw mode, nothing echoed, Backspace and Ctrl-U edit, Enter ends, Ctrl-C or
 * Ctrl-D cancel. Not on a TTY (a pipe, a test): one line per question, so
 * `printf 'pass\npass\n' | mila-onboard keys create` works. Prompts go to stderr so
 * `--json` output on stdout stays clean. The text read is returned and not kept here.
 */

export interface PromptStreams {
  input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  output?: NodeJS.WritableStream;
}

/** Lines left over from a pipe, per stream: a pipe may deliver all answers in one chunk. */
const leftovers = new WeakMap<object, { buffer: string; ended: boolean }>();

function readLine(input: NodeJS.ReadableStream): Promise<string | null> {
  let state = leftovers.get(input);
  if (!state) {
    state = { buffer: '', ended: false };
    leftovers.set(input, state);
  }
  const s = state;
  const take = (): string | null | undefined => {
    const i = s.buffer.indexOf('\n');
    if (i >= 0) {
      const line = s.buffer.slice(0, i).replace(/\r$/, '');
      s.buffer = s.buffer.slice(i + 1);
      return line;
    }
    if (s.ended) {
      if (s.buffer === '') return null;
      const line = s.buffer;
      s.buffer = '';
      return line;
    }
    return undefined;
  };
  const ready = take();
  if (ready !== undefined) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
    };
    const onData = (chunk: Buffer | string) => {
      s.buffer += chunk.toString();
      const line = take();
      if (line !== undefined) {
        cleanup();
        resolve(line);
      }
    };
    const onEnd = () => {
      s.ended = true;
      cleanup();
      resolve(take() ?? null);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

function readHidden(input: NonNullable<PromptStreams['input']>, output: NodeJS.WritableStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    let escape = false;
    const done = (err: Error | null) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
      value = '';
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (escape) {
          // Skip the rest of an escape sequence (arrow keys and the like).
          if (/[A-Za-z~]/.test(ch)) escape = false;
          continue;
        }
        switch (ch) {
          case '\r':
          case '\n':
            return done(null);
          case '\u0003':
            return done(new EngineError('cancelled', 'Cancelled.'));
          case '\u0004':
            if (value === '') return done(new EngineError('cancelled', 'Cancelled.'));
            break;
          case '\u007f':
          case '\b':
            value = Array.from(value).slice(0, -1).join('');
            break;
          case '\u0015':
            value = '';
            break;
          case '\u001b':
            escape = true;
            break;
          default:
            if (ch >= ' ') value += ch;
        }
      }
    };
    // Echo off before the prompt shows, so even an answer typed at once is not echoed.
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
    output.write(prompt);
  });
}

/** Asks for a secret without echo (or reads one line from a pipe). Rejects with 'cancelled' on Ctrl-C or end of input. */
export async function readSecret(prompt: string, streams: PromptStreams = {}): Promise<string> {
  const input = streams.input ?? process.stdin;
  const output = streams.output ?? process.stderr;
  if (input.isTTY && input.setRawMode) return readHidden(input, output, prompt);
  output.write(prompt);
  const line = await readLine(input);
  if (!input.isTTY) output.write('\n');
  if (line === null) throw new EngineError('cancelled', 'No answer: the input ended.');
  return line;
}

/** Asks a yes/no question (echoed). Default no; end of input means no. */
export async function confirm(question: string, streams: PromptStreams = {}): Promise<boolean> {
  const input = streams.input ?? process.stdin;
  const output = streams.output ?? process.stderr;
  output.write(`${question} [y/N] `);
  const line = await readLine(input);
  if (!input.isTTY) output.write('\n');
  return line !== null && /^\s*y(es)?\s*$/i.test(line);
}

/** What a command that asks before it changes anything takes from the outside world; tests replace it. */
export interface ConfirmDeps {
  /** Asks a yes/no question on the terminal; only called when `interactive()` is true. */
  confirm?: (question: string) => Promise<boolean>;
  /** Whether someone is at a terminal to answer. */
  interactive?: () => boolean;
}

/**
 * Someone can answer only when stdin is a terminal, stderr (where the question goes) is one,
 * and stdout is one: the command printed there what it asks about (the diff, the keys, the
 * commands), and nobody should say yes to what went into a pipe unseen.
 */
function atTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY && process.stdout.isTTY);
}

/** What a command says when it cannot ask: what it did not do, and how to go on. */
export interface Refusal {
  notDone: 'Not written' | 'Not changed';
  hint: string;
}

/** Whether a question can be asked: a terminal, and output meant for a person (not --json, for a program). */
export function canAsk(opts: { json?: boolean }, deps: ConfirmDeps): boolean {
  return !opts.json && (deps.interactive ?? atTerminal)();
}

/** Throws, changing nothing, when nobody can be asked. */
export function requireTerminal(opts: { json?: boolean }, deps: ConfirmDeps, refusal: Refusal): void {
  if (!canAsk(opts, deps)) {
    throw new EngineError('cancelled', `${refusal.notDone}: there is no terminal to ask for confirmation.`, { hint: refusal.hint });
  }
}

/** The yes/no question, through the test's stand-in when there is one. */
export function askYesNo(deps: ConfirmDeps, question: string): Promise<boolean> {
  return (deps.confirm ?? ((q: string) => confirm(q)))(question);
}

/** Before a change: `--yes` goes ahead; otherwise the question at the terminal, or a refusal without one. */
export async function confirmOrRefuse(opts: { yes?: boolean; json?: boolean }, deps: ConfirmDeps, question: string, refusal: Refusal): Promise<boolean> {
  if (opts.yes) return true;
  requireTerminal(opts, deps, refusal);
  return askYesNo(deps, question);
}

/** Asks a new passphrase twice; on a TTY retries a mismatch up to three times, from a pipe fails at once. */
export async function readNewPassphrase(what: string, streams: PromptStreams = {}): Promise<string> {
  const input = streams.input ?? process.stdin;
  for (let i = 0; i < 3; i++) {
    const first = await readSecret(`${what}: `, streams);
    const second = await readSecret('Enter the same passphrase again: ', streams);
    if (first === second) return first;
    if (!input.isTTY) break;
    (streams.output ?? process.stderr).write('The passphrases do not match. Try again.\n');
  }
  throw new EngineError('invalid-input', 'The two passphrases do not match.');
}
