import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError, fromFsError } from '../errors.js';
import type { ConfigRevertResult } from '../../shared/contract/config.js';
import { hashBytes } from './bytes.js';
import { errnoOf } from './fs-layer.js';
import { readJournal, writeJournal, type JournalEntry } from './journal.js';
import { acquireLock } from './lock.js';
import { configPaths } from './paths.js';
import { readConfigState, resolveDeps, type ConfigDeps, type FileState } from './state.js';
import { atomicReplace } from './write-safely.js';

export interface RevertCheck {
  entry: JournalEntry | null;
  state: FileState | null;
  /** Why revert cannot run, or null. */
  blocked: string | null;
}

/** Whether the last apply can be undone now, without changing anything. */
export async function checkRevert(ctx: EngineContext, deps: ConfigDeps = {}): Promise<RevertCheck> {
  const d = resolveDeps(ctx, deps);
  const paths = configPaths(ctx.sshDir);
  const { journal, problem } = await readJournal(d.fs, paths.journal);
  if (problem) return { entry: null, state: null, blocked: problem };
  const entry = journal.entries.at(-1) ?? null;
  if (!entry) return { entry: null, state: null, blocked: 'mila-onboard has not changed this SSH config (or its changes were already undone).' };
  const state = await readConfigState(d.fs, paths.config);
  if (hashBytes(state.bytes) !== entry.afterHash)
    return {
      entry,
      state,
      blocked: `${paths.config} was edited after mila-onboard's last change, so undoing it would lose those edits.${entry.backup ? ` The version from before that change is saved at ${path.join(paths.backups, entry.backup)}.` : ''}`,
    };
  if (!entry.existed && state.symlink) return { entry, state, blocked: `${paths.config} is now a link; mila-onboard will not delete through it.` };
  return { entry, state, blocked: null };
}

/** Restores the exact bytes from before the last apply (or deletes the file apply created). */
export async function revertConfig(ctx: EngineContext, deps: ConfigDeps = {}): Promise<ConfigRevertResult> {
  const d = resolveDeps(ctx, deps);
  const fs = d.fs;
  const paths = configPaths(ctx.sshDir);
  try {
    await fs.stat(paths.backups);
  } catch {
    throw new EngineError('not-found', 'There is nothing to undo: mila-onboard has not changed this SSH config.');
  }
  const release = await acquireLock(fs, paths.lock, () => d.now().getTime());
  try {
    const check = await checkRevert(ctx, deps);
    if (check.blocked || !check.entry || !check.state) {
      const noEntry = !check.entry;
      throw new EngineError(noEntry ? 'not-found' : 'changed-underneath', check.blocked ?? 'Nothing to undo.');
    }
    const { entry, state } = check;
    let restoredFrom: string | null = null;
    if (entry.existed) {
      if (!entry.backup) throw new EngineError('internal', 'The change journal names no backup for this change.');
      restoredFrom = path.join(paths.backups, entry.backup);
      let original: Buffer;
      try {
        original = await fs.readFile(restoredFrom);
      } catch (err) {
        throw fromFsError(err, `Could not read the backup ${restoredFrom}`);
      }
      if (hashBytes(original) !== entry.beforeHash)
        throw new EngineError('verification-failed', `The backup ${restoredFrom} does not match the file it was made from, so it is not used.`);
      await atomicReplace(fs, state.targetPath, original, state.mode ?? 0o600, { owner: state.owner });
    } else {
      try {
        await fs.unlink(state.targetPath);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw fromFsError(err, `Could not delete ${state.targetPath}`);
      }
    }
    const { journal } = await readJournal(fs, paths.journal);
    journal.entries.pop();
    let note = '';
    try {
      await writeJournal(fs, paths.journal, journal);
    } catch (err) {
      note = ` (The change journal could not be updated: ${(err as Error).message})`;
    }
    return {
      reverted: true,
      configPath: paths.config,
      restoredFrom,
      removed: !entry.existed,
      message: entry.existed
        ? `${paths.config} is back to what it was before mila-onboard's last change.${note}`
        : `${paths.config} did not exist before mila-onboard's last change, so it was deleted.${note}`,
    };
  } finally {
    await release();
  }
}
