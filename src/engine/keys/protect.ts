import { randomBytes } from 'node:crypto';
import { chmod, copyFile, constants as fsConstants, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { KeyEntry } from '../../shared/contract/keys.js';
import { EngineError, fromFsError, reason } from '../errors.js';
import { answerPrompts, saidWrongPassphrase } from '../openssh/conversation.js';
import { lastLine, sentenceWith } from '../openssh/last-line.js';
import type { AskFn } from '../openssh/pty-session.js';
import { classifyPrivateKey } from './format.js';
import { keygenOnKey, type KeyJobOptions } from './keygen-on-key.js';
import { listKeys } from './list.js';
import { resolveExistingKeyFile } from './names.js';
import { checkPassphrase, keyUnlock, wrongPassphrase } from './passphrase.js';

export interface ProtectKeyOptions extends KeyJobOptions {
  sshDir: string;
  /** The private key's file name inside sshDir. */
  file: string;
  /** The new passphrase, typed at `Enter new passphrase` and `Enter same passphrase again`. Never empty. */
  passphrase: string;
  /** For a key that already has a passphrase: the current one (typed at `Enter old passphrase: `). */
  oldPassphrase?: string;
  /** Asked for the current passphrase when the key has one and `oldPassphrase` was not given. */
  ask?: AskFn;
}

export interface ProtectedKey {
  key: KeyEntry;
  /** True when the key had a passphrase before (it was changed rather than added). */
  changed: boolean;
}

/**
 * Adds a passphrase to a key (or changes it): `ssh-keygen -p` in a pty, run on a private
 * copy beside the key, which replaces the key in one rename only once it reads back as
 * protected and still the same key. If anything fails, the original file is untouched.
 * The caller asks the user first: this rewrites their key file.
 */
export async function protectKey(opts: ProtectKeyOptions): Promise<ProtectedKey> {
  const platform = opts.platform ?? process.platform;
  const sshDir = path.resolve(opts.sshDir);
  const { name, path: full } = await resolveExistingKeyFile(sshDir, opts.file);
  const passphrase = checkPassphrase(opts.passphrase, { what: 'The new passphrase' });
  const old = opts.oldPassphrase === undefined || opts.oldPassphrase === '' ? undefined : checkPassphrase(opts.oldPassphrase, { what: 'The current passphrase' });

  let real: string;
  let before;
  try {
    real = await realpath(full);
    const st = await stat(real);
    if (st.size > 256 * 1024) throw new EngineError('invalid-input', `${name} is too large to be an SSH key.`, { reason: reason('key-too-large', { name }) });
    before = classifyPrivateKey(await readFile(real, 'utf8'));
  } catch (err) {
    throw err instanceof EngineError ? err : fromFsError(err, `Reading ${name}`, full);
  }
  if (before.kind === 'not-a-key') throw new EngineError('invalid-input', `${name} is not an SSH private key.`, { reason: reason('key-not-private', { name }) });
  if (before.format === 'putty')
    throw new EngineError('invalid-input', `${name} is a PuTTY key; convert it to OpenSSH format first (PuTTYgen → Conversions → Export OpenSSH key).`, { reason: reason('key-putty', { name }) });
  const hadPassphrase = before.encrypted === true;
  if (hadPassphrase && old === undefined && !opts.ask) {
    throw new EngineError('invalid-input', `${name} already has a passphrase. To change it, give the current passphrase too.`, { reason: reason('key-has-passphrase', { name }) });
  }

  // Work on a copy in the key's own folder (same disk, so the final rename is atomic).
  const tmp = path.join(path.dirname(real), `.${path.basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await copyFile(real, tmp, fsConstants.COPYFILE_EXCL);
    if (platform !== 'win32') await chmod(tmp, 0o600);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw fromFsError(err, `Copying ${name}`, full);
  }

  try {
    const result = await keygenOnKey(
      sshDir,
      ['-p', '-f', tmp],
      opts,
      answerPrompts('ssh-keygen', {
        job: 'change-passphrase',
        unlock: keyUnlock(name, {
          passphrase: old,
          ask: opts.ask,
          what: 'The current passphrase',
          missing: () => new EngineError('invalid-input', `${name} already has a passphrase. To change it, give the current passphrase too.`, { reason: reason('key-has-passphrase', { name }) }),
        }),
        next: { passphrase, refused: () => new EngineError('internal', 'ssh-keygen did not accept the new passphrase.') },
      }),
    );
    if (saidWrongPassphrase(result)) throw wrongPassphrase(name);
    if (result.exitCode !== 0) {
      const last = lastLine(result.output);
      throw new EngineError('internal', sentenceWith('ssh-keygen could not add the passphrase', last), { reason: reason('key-protect-failed', { name }, last || undefined) });
    }
    const after = classifyPrivateKey(await readFile(tmp, 'utf8'));
    const sameKey = after.kind === 'private' && (!before.publicKey || after.publicKey?.blob === before.publicKey.blob);
    if (after.kind !== 'private' || after.encrypted !== true || !sameKey) {
      throw new EngineError('verification-failed', `The protected copy of ${name} did not read back as expected; the original key was left as it is.`, { reason: reason('key-protect-failed', { name }) });
    }
    await rename(tmp, real);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err instanceof EngineError ? err : fromFsError(err, `Protecting ${name}`, full);
  }

  const key = (await listKeys(sshDir, platform)).keys.find((k) => k.file === name);
  if (!key) throw new EngineError('internal', `${name} could not be read back after adding the passphrase.`, { nothingChanged: false });
  return { key, changed: hadPassphrase };
}
