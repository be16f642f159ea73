import path from 'node:path';
import type { Stats } from 'node:fs';
import type { ErrorReasonDto } from '../../shared/contract/common.js';
import { EngineError, fromFsError, reason } from '../errors.js';
import { errnoOf, type FsLayer } from './fs-layer.js';

/**
 * Before mila-onboard reads a backup or writes anything in the SSH folder, the folders and the
 * journal it trusts are checked: another user who can write there (a shared or world-writable
 * ~/.ssh) could otherwise pre-create the backups folder as a link to theirs, or edit the journal,
 * and have `revert` write their bytes (a ProxyCommand) into ~/.ssh/config.
 *
 * Rules (POSIX; Windows has no uid/mode bits and is skipped): owned by the user running
 * mila-onboard, not writable by group or others, and for the backups folder, the journal and
 * backups, not a link. The SSH folder itself may be a link (dotfile setups) if the link and
 * the folder it points to pass the same rules.
 */

const posix = process.platform !== 'win32';
const myUid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

/** Why `p` is not safe to trust (English), and the same as a reason for the wizard; null when it is. */
function folderProblem(st: Stats, p: string, what: string): { why: string; reason: ErrorReasonDto } | null {
  const uid = myUid();
  if (uid !== null && st.uid !== uid) return { why: `${what} ${p} belongs to another user (uid ${st.uid})`, reason: reason('folder-not-yours', { path: p }) };
  const mode = (st.mode & 0o777).toString(8);
  if ((st.mode & 0o022) !== 0) return { why: `${what} ${p} can be changed by other users (mode ${mode})`, reason: reason('folder-writable', { path: p, mode }) };
  return null;
}

function problemOf(st: Stats, p: string, what: string): string | null {
  return folderProblem(st, p, what)?.why ?? null;
}

function refuse(why: string, hint: string, because: ErrorReasonDto): EngineError {
  return new EngineError('unsafe-folder', `${why}, so mila-onboard will not use it. Nothing was changed.`, { hint, reason: because });
}

async function lstatOrNull(fs: FsLayer, p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null;
    throw fromFsError(err, `Could not look at ${p}`, p);
  }
}

/** The SSH folder: missing is fine (it will be created 700); otherwise a folder of the user's, not writable by others. */
export async function assertSafeSshDir(fs: FsLayer, sshDir: string): Promise<void> {
  if (!posix) return;
  const l = await lstatOrNull(fs, sshDir);
  if (!l) return;
  const hint = `Run: chmod go-w ${sshDir} (and check who owns it), or let mila-onboard fix it: mila-onboard doctor --fix.`;
  if (l.isSymbolicLink()) {
    const own = myUid();
    if (own !== null && l.uid !== own) throw refuse(`The SSH folder ${sshDir} is a link made by another user (uid ${l.uid})`, 'Remove the link and create your own folder (mkdir -m 700).', reason('folder-link-other', { path: sshDir }));
  }
  let st: Stats;
  try {
    st = await fs.stat(sshDir);
  } catch (err) {
    throw fromFsError(err, `Could not look at ${sshDir}`, sshDir);
  }
  if (!st.isDirectory()) throw refuse(`${sshDir} is not a folder`, 'Move that file away; the SSH folder must be a folder.', reason('folder-not-folder', { path: sshDir }));
  const p = folderProblem(st, sshDir, 'The SSH folder');
  if (p) throw refuse(p.why, hint, p.reason);
}

/** The backups folder: missing is fine (created 700); otherwise a real folder (never a link) of the user's, not writable by others. */
export async function assertSafeBackupsDir(fs: FsLayer, dir: string): Promise<void> {
  if (!posix) return;
  const l = await lstatOrNull(fs, dir);
  if (!l) return;
  const hint = `Check ${dir}: it should be a folder you own with mode 700. If you did not make it this way, move it aside (mv) and try again.`;
  if (l.isSymbolicLink()) throw refuse(`The backups folder ${dir} is a link (to ${await fs.realpath(dir).catch(() => 'nowhere')})`, hint, reason('backups-link', { path: dir }));
  if (!l.isDirectory()) throw refuse(`${dir} is not a folder`, hint, reason('folder-not-folder', { path: dir }));
  const p = folderProblem(l, dir, 'The backups folder');
  if (p) throw refuse(p.why, hint, p.reason);
}

/** A file mila-onboard reads back as its own (journal, backup): a regular file of the user's, not a link, not writable by others. Missing: null. */
export async function privateFileProblem(fs: FsLayer, p: string, what: string): Promise<string | null> {
  if (!posix) return null;
  const l = await lstatOrNull(fs, p);
  if (!l) return null;
  if (l.isSymbolicLink()) return `${what} ${p} is a link`;
  if (!l.isFile()) return `${what} ${p} is not a regular file`;
  return problemOf(l, p, what);
}

/** Where a backup named in the journal lives: only a plain name made by writeBackup, inside the backups folder. */
export function backupPathFor(backupsDir: string, prefix: string, name: string): string | null {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!new RegExp(`^${escaped}\\.\\d{8}-\\d{6}-\\d{3}(-\\d{1,2})?$`).test(name)) return null;
  const p = path.resolve(backupsDir, name);
  return path.dirname(p) === path.resolve(backupsDir) ? p : null;
}
