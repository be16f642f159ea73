/**
 * The CLI's one way to talk to the person at the terminal while OpenSSH waits: the engine's
 * `ask` (OpenSSH's prompt shown as it is, the answer read without echo and typed into the
 * pty) and Ctrl-C as a clean cancel. Every command that runs a pty flow (keys, connect,
 * compute) uses these; yes/no questions use `confirm` from prompt-secret.ts.
 */
import type { AskPrompt, ConnectAsk } from '../engine/connect/session.js';
import { readSecret, type PromptStreams } from './prompt-secret.js';

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

/** Runs `work` with Ctrl-C as a clean cancel: ssh is stopped through the signal instead of the CLI dying mid-way. */
export async function whileInterruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
