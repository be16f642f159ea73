import { chmod, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, fromFsError, reason } from '../errors.js';
import { listKeys } from './list.js';
import { resolveExistingKeyFile } from './names.js';

export interface PermissionChange {
  /** '.' for the SSH folder itself, else a file name inside it. */
  file: string;
  from: string;
  to: string;
}

export interface FixPermissionsResult {
  changed: PermissionChange[];
  skipped: { file: string; reason: string }[];
  /** On Windows: no modes to change; what to do instead, in plain words and commands. */
  windows?: { explanation: string; commands: string[] };
}

export function windowsPermissionAdvice(files: string[]): { explanation: string; commands: string[] } {
  return {
    explanation:
      'Windows has no file modes: OpenSSH on Windows checks the file\'s access list instead. A private key must be owned by your user account, ' +
      'and no other user (not even "Users" or "Authenticated Users") may read it. To fix a key, run this in a Command Prompt (cmd.exe); ' +
      'it removes inherited access and leaves full control to you alone.',
    commands: files.map((f) => `icacls "${f}" /inheritance:r /grant:r "%USERNAME%":F`),
  };
}

const mode = (m: number) => (m & 0o777).toString(8).padStart(3, '0');

/**
 * Makes the SSH folder 700, private keys 600 and public keys not writable by others (644).
 * Calling it is the user's consent: listKeys reports what is too open, the front asks, then
 * calls this. `files` limits it to those names; by default every key listKeys found too open.
 * Symbolic links are not followed (changing the file a link points to is not ours to decide).
 */
export async function fixPermissions(sshDir: string, files?: readonly string[], platform: NodeJS.Platform = process.platform): Promise<FixPermissionsResult> {
  const dir = path.resolve(sshDir);
  const list = await listKeys(dir, platform);
  if (!list.folder.exists) throw new EngineError('not-found', `There is no SSH folder at ${dir}.`, { reason: reason('ssh-folder-missing', { dir }) });

  let targets: string[];
  if (files === undefined) {
    targets = list.keys.filter((k) => k.permissions.tooOpen).map((k) => k.file);
  } else {
    targets = [];
    for (const f of files) targets.push((await resolveExistingKeyFile(dir, f, { allowPublic: true })).name);
  }

  if (platform === 'win32') {
    const privates = files === undefined ? list.keys.filter((k) => k.kind === 'private').map((k) => k.file) : targets.filter((f) => !f.toLowerCase().endsWith('.pub'));
    return { changed: [], skipped: [], windows: windowsPermissionAdvice(privates.map((f) => path.join(dir, f))) };
  }

  const result: FixPermissionsResult = { changed: [], skipped: [] };
  try {
    const st = await stat(dir);
    if ((st.mode & 0o077) !== 0) {
      await chmod(dir, 0o700);
      result.changed.push({ file: '.', from: mode(st.mode), to: '700' });
    }
  } catch (err) {
    throw fromFsError(err, `Changing the permissions of ${dir}`, dir);
  }

  for (const name of targets) {
    const full = path.join(dir, name);
    const st = await lstat(full).catch(() => null);
    if (!st) {
      result.skipped.push({ file: name, reason: 'The file is gone.' });
      continue;
    }
    if (st.isSymbolicLink()) {
      result.skipped.push({ file: name, reason: 'This is a link to another file; change the permissions of the file it points to.' });
      continue;
    }
    if (!st.isFile()) {
      result.skipped.push({ file: name, reason: 'This is not a regular file.' });
      continue;
    }
    const isPublic = name.toLowerCase().endsWith('.pub');
    const wanted = isPublic ? ((st.mode & 0o022) !== 0 ? 0o644 : null) : (st.mode & 0o077) !== 0 ? 0o600 : null;
    if (wanted === null) continue;
    try {
      await chmod(full, wanted);
      result.changed.push({ file: name, from: mode(st.mode), to: mode(wanted) });
    } catch (err) {
      const e = fromFsError(err, `Changing the permissions of ${name}`);
      result.skipped.push({ file: name, reason: e.message });
    }
  }
  // A key listed as too open may have its .pub too open as well.
  if (files === undefined) {
    for (const k of list.keys) {
      if (k.kind !== 'private' || !k.hasPublic) continue;
      const pub = path.join(dir, `${k.file}.pub`);
      const st = await lstat(pub).catch(() => null);
      if (st && st.isFile() && (st.mode & 0o022) !== 0) {
        await chmod(pub, 0o644).then(
          () => result.changed.push({ file: `${k.file}.pub`, from: mode(st.mode), to: '644' }),
          (err) => result.skipped.push({ file: `${k.file}.pub`, reason: fromFsError(err, 'chmod').message }),
        );
      }
    }
  }
  return result;
}
