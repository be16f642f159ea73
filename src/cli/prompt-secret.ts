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
