import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, fromFsError, reason } from '../errors.js';
import { answerPrompts, saidWrongPassphrase } from '../openssh/conversation.js';
import { lastLine, sentenceWith } from '../openssh/last-line.js';
import type { AskFn } from '../openssh/pty-session.js';
import { classifyPrivateKey, describePublicBlob, parsePublicKeyLine } from './format.js';
import { keygenOnKey, type KeyJobOptions } from './keygen-on-key.js';
import { resolveExistingKeyFile } from './names.js';
import { checkPassphrase, keyUnlock, wrongPassphrase } from './passphrase.js';

const MAX_KEY_BYTES = 256 * 1024;

export interface PublicKeyText {
  /** The .pub file name inside the SSH folder. */
  file: string;
  /** One line, `type base64 comment`, never wrapped: what Mila's form and authorized_keys take. */
  line: string;
  type: string;
  bits: number | null;
  fingerprint: string;
  comment: string | null;
}

/** Reads an RFC 4716 (`---- BEGIN SSH2 PUBLIC KEY ----`) public key, as PuTTYgen and some editors save it. */
export function parseRfc4716(text: string): { algo: string; base64: string; comment: string | null } | null {
  const lines = text.replace(/\r/g, '').split('\n').map((l) => l.trim());
  const start = lines.indexOf('---- BEGIN SSH2 PUBLIC KEY ----');
  const end = lines.indexOf('---- END SSH2 PUBLIC KEY ----');
  if (start < 0 || end < start) return null;
  let comment: string | null = null;
  const body: string[] = [];
  let continued = false;
  for (const l of lines.slice(start + 1, end)) {
    if (continued || /^[A-Za-z0-9-]+:/.test(l)) {
      const header = /^Comment:\s*(.*)$/i.exec(l);
      if (header) comment = header[1]!.replace(/^"(.*)"$/, '$1');
      continued = l.endsWith('\\');
      continue;
    }
    body.push(l);
  }
  const base64 = body.join('');
  if (!/^[A-Za-z0-9+/]+={0,3}$/.test(base64)) return null;
  try {
    const blob = Buffer.from(base64, 'base64');
    const len = blob.readUInt32BE(0);
    const algo = blob.subarray(4, 4 + len).toString('latin1');
    describePublicBlob(blob);
    return { algo, base64: blob.toString('base64'), comment };
  } catch {
    return null;
  }
}

/** Turns a public key file's text into the one-line form, or null when it holds no public key. */
export function publicKeyLineFromText(text: string): Omit<PublicKeyText, 'file'> | null {
  const t = text.replace(/^\uFEFF/, '');
  if (/PRIVATE KEY/.test(t)) return null; // never let private material through, whatever the file is called
  const facts = parsePublicKeyLine(t);
  if (facts) {
    const keyLine = t.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))!;
    const algo = keyLine.trim().split(/\s+/)[0]!;
    const line = `${algo} ${facts.blob}${facts.comment ? ` ${facts.comment}` : ''}`;
    return { line, type: facts.type, bits: facts.bits, fingerprint: facts.fingerprint, comment: facts.comment };
  }
  const rfc = parseRfc4716(t);
  if (rfc) {
    const f = describePublicBlob(Buffer.from(rfc.base64, 'base64'));
    const line = `${rfc.algo} ${rfc.base64}${rfc.comment ? ` ${rfc.comment}` : ''}`;
    return { line, type: f.type, bits: f.bits, fingerprint: f.fingerprint, comment: rfc.comment };
  }
  return null;
}

async function readSmall(file: string, what: string): Promise<string> {
  try {
    const st = await stat(file);
    if (st.size > MAX_KEY_BYTES) throw new EngineError('invalid-input', `${what} is too large to be an SSH key.`, { reason: reason('key-too-large', { name: what }) });
    return await readFile(file, 'utf8');
  } catch (err) {
    throw err instanceof EngineError ? err : fromFsError(err, `Reading ${what}`, file);
  }
}

/**
 * The public half of a key as one line, for copying or saving. `name` is the private key's
 * name (NAME.pub is read) or the .pub file itself. Only ever reads the public file.
 */
export async function readPublicKey(sshDir: string, name: string): Promise<PublicKeyText> {
  const { name: given } = await resolveExistingKeyFile(sshDir, name, { allowPublic: true });
  const pubName = given.toLowerCase().endsWith('.pub') ? given : `${given}.pub`;
  const pubPath = path.join(sshDir, pubName);
  if (!(await lstat(pubPath).catch(() => null))) {
    throw new EngineError('not-found', `The public half of ${given} (${pubName}) is missing.`, {
      hint: 'It can be made again from the private key ("recover public key"); this asks for the key\'s passphrase.',
      reason: reason('public-missing', { name: given, pub: pubName }),
    });
  }
  const parsed = publicKeyLineFromText(await readSmall(pubPath, pubName));
  if (!parsed) {
    throw new EngineError('invalid-input', `${pubName} does not contain a public key.`, { hint: 'It can be made again from the private key ("recover public key").', reason: reason('public-invalid', { pub: pubName }) });
  }
  return { file: pubName, ...parsed };
}

export interface RecoverPublicKeyOptions extends KeyJobOptions {
  sshDir: string;
  /** The private key's file name inside sshDir. */
  file: string;
  /** Typed at ssh-keygen's `Enter passphrase: ` prompt. Empty or absent: use `ask`, or fail if the key is protected. */
  passphrase?: string;
  /** Asked when the key turns out to be protected and no passphrase was given. */
  ask?: AskFn;
  /** Replace an existing NAME.pub that belongs to another key (or is not a key). Default false. */
  overwrite?: boolean;
  /** Used when ssh-keygen prints no comment (older key formats). */
  comment?: string;
}

export interface RecoveredPublicKey extends PublicKeyText {
  /** False when NAME.pub already held this very key and was left alone. */
  written: boolean;
  /** True when a different NAME.pub was replaced (only with `overwrite`). */
  replaced: boolean;
}

async function writePublicFile(pubPath: string, content: string, replace: boolean, platform: NodeJS.Platform): Promise<void> {
  try {
    if (!replace) {
      const fh = await open(pubPath, 'wx', 0o644);
      try {
        await fh.writeFile(content, 'utf8');
      } finally {
        await fh.close();
      }
    } else {
      const tmp = path.join(path.dirname(pubPath), `.${path.basename(pubPath)}.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(tmp, content, { encoding: 'utf8', mode: 0o644, flag: 'wx' });
      try {
        await rename(tmp, pubPath);
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        throw err;
      }
    }
    if (platform !== 'win32') await chmod(pubPath, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new EngineError('already-exists', `${path.basename(pubPath)} appeared while the public key was being made; it was left as it is.`, { reason: reason('public-appeared', { pub: path.basename(pubPath) }) });
    }
    throw fromFsError(err, `Writing ${path.basename(pubPath)}`, pubPath);
  }
}

/**
 * Makes NAME.pub again from the private key (`ssh-keygen -y -f NAME` in a pty; the
 * passphrase is typed at its prompt). A wrong passphrase fails with 'wrong-passphrase' and
 * writes nothing. An existing NAME.pub for the same key is left alone; one for another key
 * is only replaced with `overwrite: true`.
 */
export async function recoverPublicKey(opts: RecoverPublicKeyOptions): Promise<RecoveredPublicKey> {
  const platform = opts.platform ?? process.platform;
  const sshDir = path.resolve(opts.sshDir);
  const { name, path: full } = await resolveExistingKeyFile(sshDir, opts.file);
  const given = opts.passphrase === undefined || opts.passphrase === '' ? undefined : checkPassphrase(opts.passphrase);
  const cls = classifyPrivateKey(await readSmall(full, name));
  if (cls.kind === 'not-a-key') throw new EngineError('invalid-input', `${name} is not an SSH private key.`, { reason: reason('key-not-private', { name }) });
  if (cls.format === 'putty') {
    throw new EngineError('invalid-input', `${name} is a PuTTY key; OpenSSH cannot read it until it is converted (PuTTYgen → Conversions → Export OpenSSH key).`, { reason: reason('key-putty', { name }) });
  }

  const pubName = `${name}.pub`;
  const pubPath = path.join(sshDir, pubName);
  let existing: Omit<PublicKeyText, 'file'> | null | undefined; // undefined: no file
  if (await lstat(pubPath).catch(() => null)) {
    existing = publicKeyLineFromText(await readSmall(pubPath, pubName).catch(() => ''));
    const knownBlob = cls.publicKey?.blob;
    if (existing && knownBlob && existing.line.split(' ')[1] === knownBlob) {
      return { file: pubName, ...existing, written: false, replaced: false };
    }
    if (knownBlob && !opts.overwrite) {
      throw new EngineError('already-exists', `${pubName} already exists and does not belong to ${name}. It was left as it is.`, {
        hint: 'Move it aside (or confirm replacing it), then try again.',
        reason: reason('public-other-key', { pub: pubName, name }),
      });
    }
  }

  const result = await keygenOnKey(
    sshDir,
    ['-y', '-f', full],
    opts,
    answerPrompts('ssh-keygen', {
      job: 'unlock-key',
      unlock: keyUnlock(name, {
        passphrase: given,
        ask: opts.ask,
        missing: () => new EngineError('invalid-input', `${name} is protected by a passphrase. Enter it to make the public half again.`, { reason: reason('key-needs-passphrase', { name }) }),
      }),
    }),
  );
  if (saidWrongPassphrase(result)) throw wrongPassphrase(name);
  const found = result.exitCode === 0 ? result.output.split('\n').map((l) => publicKeyLineFromText(l)).find((x) => x !== null) : undefined;
  if (!found) {
    const last = lastLine(result.output);
    throw new EngineError('invalid-input', sentenceWith(`ssh-keygen could not read ${name}`, last), { reason: reason('key-unreadable-by-openssh', { name }, last || undefined) });
  }
  const blob = found.line.split(' ')[1]!;
  if (cls.publicKey && cls.publicKey.blob !== blob) {
    throw new EngineError('verification-failed', `The public key ssh-keygen made does not match ${name}. Nothing was written.`, { reason: reason('public-mismatch-made', { name }) });
  }
  let line = found.line;
  let comment = found.comment;
  const fallback = opts.comment ?? cls.comment;
  // eslint-disable-next-line no-control-regex -- a comment with control characters would break the one-line key
  if (!comment && fallback && !/[\x00-\x1f\x7f]/.test(fallback)) {
    comment = fallback;
    line = `${line} ${comment}`;
  }
  const recovered = { file: pubName, line, type: found.type, bits: found.bits, fingerprint: found.fingerprint, comment };

  if (existing !== undefined) {
    if (existing && existing.line.split(' ')[1] === blob) return { ...recovered, ...existing, file: pubName, written: false, replaced: false };
    if (!opts.overwrite) {
      throw new EngineError('already-exists', `${pubName} already exists and does not belong to ${name}. It was left as it is.`, {
        hint: 'Move it aside (or confirm replacing it), then try again.',
        reason: reason('public-other-key', { pub: pubName, name }),
      });
    }
    await writePublicFile(pubPath, line + '\n', true, platform);
    return { ...recovered, written: true, replaced: true };
  }
  await writePublicFile(pubPath, line + '\n', false, platform);
  return { ...recovered, written: true, replaced: false };
}
