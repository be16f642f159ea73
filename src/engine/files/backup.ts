import path from 'node:path';
import { EngineError } from '../errors.js';
import { errnoOf, type FsLayer } from './fs-layer.js';
import { writeNewFile } from './write-safely.js';

/** The folder inside the SSH folder that holds backups, journals and locks of every file mila-onboard writes. */
export const BACKUPS_DIR_NAME = 'mila-onboard-backups';

export function backupsDir(sshDir: string): string {
  return path.join(sshDir, BACKUPS_DIR_NAME);
}

/** `20250131-142501-123`: sortable, unique enough per millisecond, no characters a file system dislikes. */
export function backupStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '') + `-${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

/**
 * A copy of the original as `<prefix>.<stamp>` (mode 600), never overwriting an older
 * backup (`-1`, `-2`... when the name is taken). Returns the file name inside `dir`.
 */
export async function writeBackup(fs: FsLayer, dir: string, prefix: string, bytes: Buffer, now: Date): Promise<string> {
  const base = `${prefix}.${backupStamp(now)}`;
  for (let i = 0; i < 100; i++) {
    const name = i === 0 ? base : `${base}-${i}`;
    try {
      await writeNewFile(fs, path.join(dir, name), bytes, 0o600);
      return name;
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
  }
  throw new EngineError('internal', `Could not find a free backup name in ${dir}.`);
}
