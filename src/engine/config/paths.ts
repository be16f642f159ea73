import path from 'node:path';
import { backupsDir } from '../files/backup.js';

export interface ConfigPaths {
  /** `<sshDir>/config`: what OpenSSH reads (may be a symlink). */
  config: string;
  /** Backups of the config before each change, the journal and the lock (shared folder with known_hosts). */
  backups: string;
  journal: string;
  lock: string;
}

export function configPaths(sshDir: string): ConfigPaths {
  const backups = backupsDir(sshDir);
  return {
    config: path.join(sshDir, 'config'),
    backups,
    journal: path.join(backups, 'journal.json'),
    lock: path.join(backups, 'config.lock'),
  };
}
