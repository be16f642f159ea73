import { chmod, link, mkdir, mkdtemp, rm, rmdir, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KeyEntry } from '../../shared/contract/keys.js';
import { EngineError, fromFsError, reason } from '../errors.js';
import { answerPrompts, wasAsked } from '../openssh/conversation.js';
import { runInPty, type PtySessionHooks } from '../openssh/pty-session.js';
import type { Prompt } from '../openssh/prompts.js';
import { lastLine, sentenceWith } from '../openssh/last-line.js';
import { phases } from '../openssh/phases.js';
import { inspectKey } from './inspect.js';
import { listKeys } from './list.js';
import { suggestKeyName, validateNewKeyName, type KeyType } from './names.js';
import { checkPassphrase } from './passphrase.js';
import { readPublicKey } from './public.js';
import { pathExists } from '../files/exists.js';

export type CreatePhase = 'starting' | 'generating' | 'writing' | 'done';

export interface CreateKeyOptions {
  sshDir: string;
  /** ed25519 (default, recommended) or rsa (most compatible). */
  type?: KeyType;
  /** RSA only: 3072 (default) or 4096. */
  bits?: number;
  /** A plain file name inside sshDir. Default: a free name from `defaultName` (see suggestKeyName). */
  name?: string;
  /** Default `user@host` of this computer. */
  comment?: string;
  /** Typed at ssh-keygen's prompts in the pty; never in argv or the environment. */
  passphrase: string;
  /** An empty passphrase is refused unless this is true. */
  allowEmptyPassphrase?: boolean;
  /** The cluster profile's keys.defaultName (id_ed25519_mila). */
  defaultName?: string;
  onProgress?(phase: CreatePhase): void;
  signal?: AbortSignal;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  /** For tests and diagnostics: see the child's pid and pause before each answer. */
  hooks?: PtySessionHooks;
}

export interface CreatedKey {
  /** File name inside the SSH folder. */
  file: string;
  /** Full path of the private key. */
  path: string;
  /** The key as listKeys reports it (encrypted, fingerprint, permissions...). */
  key: KeyEntry;
  /** The one-line public key (`type base64 comment`), ready to copy. */
  publicKey: string;
  fingerprint: string;
  randomart: string[];
  /** How long ssh-keygen took, in milliseconds. */
  elapsedMs: number;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

export function defaultComment(): string {
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'user';
  }
  return `${user}@${os.hostname()}`;
}

function checkTypeAndBits(type: unknown, bits: unknown): { type: KeyType; bits: number | undefined } {
  if (type !== 'ed25519' && type !== 'rsa') throw new EngineError('invalid-input', 'The key type must be "ed25519" (recommended) or "rsa".');
  if (type === 'ed25519') {
    if (bits !== undefined && bits !== 256) throw new EngineError('invalid-input', 'Ed25519 keys have one fixed size; leave the size out.');
    return { type, bits: undefined };
  }
  const b = bits ?? 3072;
  if (b !== 3072 && b !== 4096) throw new EngineError('invalid-input', 'RSA keys are made with 3072 bits (recommended) or 4096 bits.');
  return { type, bits: b };
}

function checkComment(comment: unknown): string {
  if (comment === undefined) return defaultComment();
  if (typeof comment !== 'string') throw new EngineError('invalid-input', 'The comment must be text.');
  if (CONTROL.test(comment)) throw new EngineError('invalid-input', 'The comment cannot contain line breaks or control characters.', { reason: reason('comment-control') });
  if (comment.length > 200) throw new EngineError('invalid-input', 'The comment is too long (at most 200 characters).', { reason: reason('comment-too-long', { max: '200' }) });
  return comment;
}

/**
 * Creates a key pair with ssh-keygen in a pty, typing the passphrase at its prompts.
 * Never overwrites: an existing NAME or NAME.pub is refused before ssh-keygen starts, and
 * ssh-keygen writes into a private staging folder; the pair is then hard-linked into
 * place, which fails rather than replace a file that appeared meanwhile. On cancel,
 * timeout or failure only the staging folder is removed: nobody else's file is touched.
 */
export async function createKey(opts: CreateKeyOptions): Promise<CreatedKey> {
  const platform = opts.platform ?? process.platform;
  const { type, bits } = checkTypeAndBits(opts.type ?? 'ed25519', opts.bits);
  const passphrase = checkPassphrase(opts.passphrase, { allowEmpty: opts.allowEmptyPassphrase === true });
  const comment = checkComment(opts.comment);
  const sshDir = path.resolve(opts.sshDir);
  const name = opts.name === undefined ? await suggestKeyName(sshDir, type, opts.defaultName) : validateNewKeyName(sshDir, opts.name);
  const file = path.join(sshDir, name);
  const pub = `${file}.pub`;
  if (opts.signal?.aborted) throw new EngineError('cancelled', 'Cancelled before the key was created.', { reason: reason('cancelled') });

  for (const f of [file, pub]) {
    if (await pathExists(f)) {
      const free = await suggestKeyName(sshDir, type, opts.defaultName).catch(() => null);
      throw new EngineError('already-exists', `${path.basename(f)} already exists in ${sshDir}. An existing key is never overwritten.`, {
        hint: free ? `Use another name, for example ${free}, or use the existing key.` : 'Use another name, or use the existing key.',
        reason: reason('key-exists', { name: path.basename(f), dir: sshDir, free: free ?? '' }),
      });
    }
  }

  // The SSH folder: created (700) when missing, and removed again if this run fails and left it empty.
  let createdDir = false;
  try {
    const st = await stat(sshDir).catch(() => null);
    if (!st) {
      await mkdir(sshDir, { recursive: true, mode: 0o700 });
      if (platform !== 'win32') await chmod(sshDir, 0o700);
      createdDir = true;
    } else if (!st.isDirectory()) {
      throw new EngineError('invalid-input', `${sshDir} is not a folder.`, { reason: reason('ssh-folder-not-folder', { dir: sshDir }) });
    }
  } catch (err) {
    throw err instanceof EngineError ? err : fromFsError(err, `Creating the SSH folder ${sshDir}`, sshDir);
  }

  let staging: string;
  try {
    staging = await mkdtemp(path.join(sshDir, '.mila-onboard-keygen-'));
  } catch (err) {
    if (createdDir) await rmdir(sshDir).catch(() => undefined);
    throw fromFsError(err, `Writing in the SSH folder ${sshDir}`, sshDir);
  }
  const stagedFile = path.join(staging, name);
  const stagedPub = `${stagedFile}.pub`;
  const cleanUp = async (): Promise<boolean> => {
    const ok = await rm(staging, { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (createdDir) await rmdir(sshDir).catch(() => undefined);
    return ok;
  };

  const args = ['-t', type, ...(bits ? ['-b', String(bits)] : []), '-f', stagedFile, '-C', comment];
  // The staging folder is new and private, so an "Overwrite?" cannot happen; if it does, nothing is replaced.
  const answer = answerPrompts('ssh-keygen', {
    job: 'create-key',
    next: { passphrase, refused: () => new EngineError('internal', 'ssh-keygen did not accept the passphrase.') },
  });
  let seen = '';
  const phase = phases<CreatePhase>('starting', opts.onProgress);
  const started = Date.now();
  let result;
  try {
    result = await runInPty({
      program: 'ssh-keygen',
      args,
      cwd: staging,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 120_000,
      platform,
      hooks: opts.hooks,
      onOutput: (chunk) => {
        if (phase.current !== 'starting') return;
        seen = (seen + chunk).slice(-200);
        if (seen.includes('Generating public/private')) phase.to('generating');
      },
      onPrompt: async (prompt: Prompt, info) => {
        const typed = await answer(prompt, info);
        // The passphrase is typed, then ssh-keygen generates; its confirmation is typed, then it writes.
        if (prompt.kind === 'new-passphrase') phase.to('generating');
        if (prompt.kind === 'confirm-passphrase') phase.to('writing');
        return typed;
      },
    });
  } catch (err) {
    // Cancelled, timed out, missing program, unexpected prompt: remove what this run made.
    const cleaned = await cleanUp();
    if (err instanceof EngineError) {
      if (!cleaned) throw new EngineError(err.code, `${err.message} Some partial files could not be removed: ${name}, ${name}.pub.`, { hint: err.hint, reason: err.reason, nothingChanged: false });
      throw err;
    }
    throw new EngineError('internal', `ssh-keygen failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
  const elapsedMs = Date.now() - started;

  if (wasAsked(result, 'overwrite') || result.exitCode !== 0 || !(await pathExists(stagedFile)) || !(await pathExists(stagedPub))) {
    await cleanUp();
    const last = lastLine(result.output);
    throw new EngineError('internal', sentenceWith('ssh-keygen could not create the key', last), {
      hint: 'Check that the SSH folder is writable, then try again.',
      reason: reason('keygen-failed', { dir: sshDir }, last || undefined),
    });
  }
  if (platform !== 'win32') {
    await chmod(stagedFile, 0o600).catch(() => undefined);
    await chmod(stagedPub, 0o644).catch(() => undefined);
  }
  // link() never replaces an existing file: a name taken meanwhile stays its owner's.
  try {
    await link(stagedFile, file);
    try {
      await link(stagedPub, pub);
    } catch (err) {
      await unlink(file).catch(() => undefined); // ours: the link above just made it
      throw err;
    }
  } catch (err) {
    await cleanUp();
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new EngineError('already-exists', `${name} appeared in ${sshDir} while the key was being made; it was left as it is.`, { hint: 'Use another name.', reason: reason('key-appeared', { name, dir: sshDir }) });
    }
    throw fromFsError(err, `Saving the new key in ${sshDir}`, file);
  }
  await rm(staging, { recursive: true, force: true }).catch(() => undefined);

  const list = await listKeys(sshDir, platform);
  const key = list.keys.find((k) => k.file === name);
  const expectEncrypted = passphrase !== '';
  if (!key || key.kind !== 'private' || key.encrypted !== expectEncrypted || !key.fingerprint) {
    throw new EngineError('verification-failed', `The new key ${name} was written, but it does not read back as expected.`, {
      hint: 'Delete it and try again.',
      reason: reason('key-readback-failed', { name, dir: sshDir }),
      nothingChanged: false,
    });
  }
  const [pubLine, art] = await Promise.all([readPublicKey(sshDir, name), inspectKey(sshDir, name)]);
  phase.to('done');
  return { file: name, path: file, key, publicKey: pubLine.line, fingerprint: key.fingerprint, randomart: art.randomart, elapsedMs };
}
