import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fromFsError } from '../errors.js';
import { errnoOf, type FsLayer } from './fs-layer.js';

function cleanupQuietly(fs: FsLayer, p: string): Promise<void> {
  return fs.unlink(p).catch(() => undefined);
}

/**
 * Replaces `target` with `data` so that at every moment the file is either wholly the old
 * bytes or wholly the new ones: a temporary file in the same folder (so the rename stays
 * on one filesystem), written, given `mode`, flushed to disk, then renamed over the
 * target, and the folder flushed. On any failure before the rename the temporary file is
 * removed and the target is untouched; the error says which step failed and why.
 *
 * `beforeRename` runs just before the rename (apply uses it to make sure nobody changed
 * the file meanwhile); throwing there also leaves the target untouched.
 */
export async function atomicReplace(
  fs: FsLayer,
  target: string,
  data: Buffer,
  mode: number,
  opts: { beforeRename?: () => Promise<void>; owner?: { uid: number; gid: number } | null } = {},
): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.mila-onboard-${randomBytes(6).toString('hex')}.tmp`);
  let file;
  try {
    file = await fs.createExclusive(tmp, 0o600);
  } catch (err) {
    throw fromFsError(err, `Could not create a temporary file in ${dir}`, dir);
  }
  let step = 'write';
  try {
    await file.write(data);
    step = 'set the permissions of';
    await file.chmod(mode);
    // Run as root (sudo) on a user's file: the new file must stay theirs.
    const owner = opts.owner;
    if (owner && file.chown && process.getuid?.() === 0 && owner.uid !== 0) await file.chown(owner.uid, owner.gid);
    step = 'flush to disk';
    await file.sync();
    step = 'close';
    await file.close();
    file = null;
  } catch (err) {
    if (file) await file.close().catch(() => undefined);
    await cleanupQuietly(fs, tmp);
    throw fromFsError(err, `Could not ${step} the new version of ${target}`, target);
  }
  try {
    if (opts.beforeRename) await opts.beforeRename();
  } catch (err) {
    await cleanupQuietly(fs, tmp);
    throw err;
  }
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    await cleanupQuietly(fs, tmp);
    throw fromFsError(err, `Could not put the new version of ${target} in place`, target);
  }
  // The rename is done; a folder that cannot be flushed does not undo it.
  await fs.syncDir(dir).catch(() => undefined);
}

/** Writes a new file that must not exist yet (a backup): never overwrites anything. */
export async function writeNewFile(fs: FsLayer, p: string, data: Buffer, mode: number): Promise<void> {
  let file;
  try {
    file = await fs.createExclusive(p, mode);
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') throw err;
    throw fromFsError(err, `Could not create ${p}`, p);
  }
  try {
    await file.write(data);
    await file.chmod(mode);
    await file.sync();
    await file.close();
  } catch (err) {
    await file.close().catch(() => undefined);
    await cleanupQuietly(fs, p);
    throw fromFsError(err, `Could not write ${p}`, p);
  }
}

/** Creates a folder (and its parents) with mode 700 where missing. */
export async function ensurePrivateDir(fs: FsLayer, dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, 0o700);
  } catch (err) {
    throw fromFsError(err, `Could not create the folder ${dir}`, dir);
  }
}
