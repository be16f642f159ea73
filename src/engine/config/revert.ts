import type { ErrorReasonDto } from '../../shared/contract/common.js';
import type { EngineContext } from '../context.js';
import { checkRevertManaged, revertManagedFile, type ManagedFileSpec } from '../files/managed.js';
import type { FileState } from '../files/file-state.js';
import type { ConfigRevertResult } from '../../shared/contract/config.js';
import { JournalEntrySchema, type JournalEntry } from './journal.js';
import { configPaths } from './paths.js';
import { resolveDeps, type ConfigDeps } from './state.js';

export interface RevertCheck {
  entry: JournalEntry | null;
  state: FileState | null;
  /** Why revert cannot run, or null. */
  blocked: string | null;
  /** The same as a code and values (set whenever `blocked` is). */
  blockedReason?: ErrorReasonDto;
  /** Blocked because the backups folder or journal cannot be trusted. */
  unsafe?: boolean;
}

/** The config as a managed file (src/engine/files/managed.ts): backups, journal and lock. */
export function configFileSpec(sshDir: string): ManagedFileSpec<typeof JournalEntrySchema> {
  const paths = configPaths(sshDir);
  return {
    path: paths.config,
    backupsDir: paths.backups,
    journalPath: paths.journal,
    lockPath: paths.lock,
    backupPrefix: 'config',
    label: 'this SSH config',
    kind: 'an SSH config',
    entrySchema: JournalEntrySchema,
    newFileMode: 0o600,
  };
}

/** Whether the last apply can be undone now, without changing anything. */
export async function checkRevert(ctx: EngineContext, deps: ConfigDeps = {}): Promise<RevertCheck> {
  const d = resolveDeps(ctx, deps);
  return checkRevertManaged(d.fs, configFileSpec(ctx.sshDir));
}

/** Restores the exact bytes from before the last apply (or deletes the file apply created). */
export async function revertConfig(ctx: EngineContext, deps: ConfigDeps = {}): Promise<ConfigRevertResult> {
  const d = resolveDeps(ctx, deps);
  const r = await revertManagedFile(d.fs, configFileSpec(ctx.sshDir), d.now);
  return { reverted: r.reverted, configPath: r.path, restoredFrom: r.restoredFrom, removed: r.removed, message: r.message };
}
