import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';

/** An open file being written. */
export interface WritableFile {
  write(data: Buffer): Promise<void>;
  /** fchmod: the mode is set on the open file before it is renamed into place. */
  chmod(mode: number): Promise<void>;
  /** fchown: used only when running as root on someone else's file, so it keeps its owner. */
  chown?(uid: number, gid: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every filesystem call the safe writers make (the SSH config, known_hosts), behind one
 * interface, so tests can make any single step fail (ENOSPC on write, EROFS on create,
 * EACCES on rename...) and check that the user's file is intact each time.
 */
export interface FsLayer {
  readFile(p: string): Promise<Buffer>;
  lstat(p: string): Promise<Stats>;
  stat(p: string): Promise<Stats>;
  realpath(p: string): Promise<string>;
  readdir(p: string): Promise<string[]>;
  /** mkdir -p with the mode for every folder it creates. */
  mkdir(p: string, mode: number): Promise<void>;
  /** Creates a new file (O_CREAT|O_EXCL): fails with EEXIST rather than open an existing one. */
  createExclusive(p: string, mode: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(p: string): Promise<void>;
  /** fsync on a folder, so a rename survives a power cut. Best effort (not possible on Windows). */
  syncDir(p: string): Promise<void>;
}

export const nodeFs: FsLayer = {
  readFile: (p) => fsp.readFile(p),
  lstat: (p) => fsp.lstat(p),
  stat: (p) => fsp.stat(p),
  realpath: (p) => fsp.realpath(p),
  readdir: (p) => fsp.readdir(p),
  mkdir: async (p, mode) => {
    await fsp.mkdir(p, { recursive: true, mode });
  },
  createExclusive: async (p, mode) => {
    const fh = await fsp.open(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    return {
      write: async (data) => {
        let off = 0;
        while (off < data.length) {
          const { bytesWritten } = await fh.write(data, off, data.length - off);
          off += bytesWritten;
        }
      },
      chmod: (m) => fh.chmod(m),
      chown: (uid, gid) => fh.chown(uid, gid),
      sync: () => fh.sync(),
      close: () => fh.close(),
    };
  },
  rename: (a, b) => fsp.rename(a, b),
  unlink: (p) => fsp.unlink(p),
  syncDir: async (p) => {
    if (process.platform === 'win32') return;
    const fh = await fsp.open(p, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

export function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
