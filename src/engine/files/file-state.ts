import { EngineError, fromFsError, reason } from '../errors.js';
import { errnoOf, type FsLayer } from './fs-layer.js';
import { atomicReplace } from './write-safely.js';

/** Larger than any real SSH config or known_hosts; refusing beats reading a runaway file into memory. */
export const MAX_MANAGED_BYTES = 16 * 1024 * 1024;

export interface FileState {
  /** The path OpenSSH reads (`<sshDir>/config`, `<sshDir>/known_hosts`). */
  configPath: string;
  /** The file really read and written (the symlink's target, or configPath). */
  targetPath: string;
  symlink: boolean;
  exists: boolean;
  bytes: Buffer | null;
  mode: number | null;
  nlink: number;
  owner: { uid: number; gid: number } | null;
}

/** Private-key armour (OpenSSH, PEM RSA/EC/DSA/PKCS#8, encrypted) or a PuTTY key file. */
const PRIVATE_KEY_TEXT = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-/;

/**
 * Refuses bytes that are not a config or known_hosts a person could have meant: private-key
 * text (a config that is a link to a key, a key pasted in) or NUL bytes. The message names the
 * file and never quotes a byte of it: the refusal may travel to the window, logs and the terminal.
 */
export function refuseUnsafeContent(bytes: Buffer, filePath: string, what: string): void {
  const nul = bytes.indexOf(0) !== -1;
  if (!nul && !PRIVATE_KEY_TEXT.test(bytes.toString('latin1'))) return;
  const why = nul ? 'contains NUL bytes, so it is not a text file' : 'contains private-key text';
  throw new EngineError('unsafe-content', `${filePath} ${why}; mila-onboard will not show or change it as ${what}.`, {
    hint: nul
      ? 'Check which file this is; OpenSSH reads it as text. Put your settings in a text file, then try again.'
      : 'A private key never belongs in this file. Check that it is not a link to your key (ls -l), move the key text out of it, then try again.',
    reason: reason(nul ? 'file-nul-bytes' : 'file-private-key-text', { path: filePath }),
  });
}

/**
 * Reads a file mila-onboard may rewrite, through a symlink; refuses a dangling link or
 * something that is not a regular file. `what` names the kind of file in messages.
 */
export async function readFileState(fs: FsLayer, filePath: string, what = 'an SSH config'): Promise<FileState> {
  let lst;
  try {
    lst = await fs.lstat(filePath);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return { configPath: filePath, targetPath: filePath, symlink: false, exists: false, bytes: null, mode: null, nlink: 0, owner: null };
    throw fromFsError(err, `Could not look at ${filePath}`, filePath);
  }
  const symlink = lst.isSymbolicLink();
  let targetPath = filePath;
  if (symlink) {
    try {
      targetPath = await fs.realpath(filePath);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ELOOP')
        throw new EngineError('unsafe-path', `${filePath} is a link to a file that does not exist.`, {
          hint: 'Point the link at an existing file (or remove the link), then try again. mila-onboard does not create files through a broken link.',
          reason: reason('file-link-broken', { path: filePath }),
        });
      throw fromFsError(err, `Could not follow the link ${filePath}`, filePath);
    }
  }
  let st;
  try {
    st = await fs.stat(targetPath);
  } catch (err) {
    throw fromFsError(err, `Could not look at ${targetPath}`, targetPath);
  }
  if (!st.isFile()) throw new EngineError('unsafe-path', `${targetPath} is not a regular file, so mila-onboard will not write it.`, { reason: reason('file-not-regular', { path: targetPath }) });
  if (st.size > MAX_MANAGED_BYTES) throw new EngineError('unsafe-path', `${targetPath} is larger than 16 MB; that is not ${what} mila-onboard will edit.`, { reason: reason('file-too-large', { path: targetPath, max: '16' }) });
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(targetPath);
  } catch (err) {
    throw fromFsError(err, `Could not read ${targetPath}`, targetPath);
  }
  refuseUnsafeContent(bytes, filePath, what);
  return { configPath: filePath, targetPath, symlink, exists: true, bytes, mode: st.mode & 0o7777, nlink: st.nlink, owner: { uid: st.uid, gid: st.gid } };
}

/** Puts a file back as it was read (or removes it if it did not exist); returns an error message when even that fails. */
export async function restoreState(fs: FsLayer, state: FileState): Promise<string | null> {
  try {
    if (state.bytes) await atomicReplace(fs, state.targetPath, state.bytes, state.mode ?? 0o600, { owner: state.owner });
    else await fs.unlink(state.targetPath);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
