import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { EngineError, fromFsError, reason } from '../errors.js';
import { errnoOf, type FsLayer } from './fs-layer.js';
import { writeNewFile } from './write-safely.js';

/** A lock older than this is taken to be left over from a crash. */
export const STALE_LOCK_MS = 10 * 60 * 1000;

interface LockInfo {
  pid: number;
  host: string;
  time: number;
  token: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

async function readLock(fs: FsLayer, p: string): Promise<LockInfo | null> {
  try {
    const data = JSON.parse((await fs.readFile(p)).toString('utf8')) as Partial<LockInfo>;
    if (typeof data.pid === 'number' && typeof data.host === 'string' && typeof data.time === 'number' && typeof data.token === 'string') return data as LockInfo;
  } catch {
    /* unreadable or half-written: judged by its age below */
  }
  return null;
}

async function isStale(fs: FsLayer, p: string, info: LockInfo | null, now: number): Promise<boolean> {
  if (info) {
    if (info.host === os.hostname() && !processAlive(info.pid)) return true;
    return now - info.time > STALE_LOCK_MS;
  }
  try {
    const st = await fs.stat(p);
    return now - st.mtimeMs > STALE_LOCK_MS;
  } catch {
    return true;
  }
}

/**
 * One writer at a time: a lock file created with O_EXCL (atomic on every local
 * filesystem). A lock whose process is gone, or that is older than ten minutes, is
 * taken over. Returns the release function.
 */
export async function acquireLock(fs: FsLayer, lockPath: string, now: () => number = Date.now, what = 'the SSH config'): Promise<() => Promise<void>> {
  const info: LockInfo = { pid: process.pid, host: os.hostname(), time: now(), token: randomBytes(8).toString('hex') };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeNewFile(fs, lockPath, Buffer.from(JSON.stringify(info)), 0o600);
      return async () => {
        const current = await readLock(fs, lockPath);
        if (current?.token === info.token) await fs.unlink(lockPath).catch(() => undefined);
      };
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err instanceof EngineError ? err : fromFsError(err, `Could not create the lock file ${lockPath}`, lockPath);
      const holder = await readLock(fs, lockPath);
      if (attempt === 0 && (await isStale(fs, lockPath, holder, now()))) {
        await fs.unlink(lockPath).catch(() => undefined);
        continue;
      }
      throw new EngineError('busy', `Another mila-onboard${holder ? ` (process ${holder.pid})` : ''} is changing ${what} right now.`, {
        hint: `Wait for it to finish, then try again. If none is running, delete ${lockPath}.`,
        reason: reason('busy-lock', { lock: lockPath }),
      });
    }
  }
  throw new EngineError('busy', `Could not take the lock on ${what}.`, { hint: `If no other mila-onboard is running, delete ${lockPath}.`, reason: reason('busy-lock', { lock: lockPath }) });
}
