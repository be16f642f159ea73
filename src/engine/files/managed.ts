import path from 'node:path';
import type * as z from 'zod/mini';
import type { ErrorReasonDto } from '../../shared/contract/common.js';
import { EngineError, fromFsError, reason } from '../errors.js';
import { writeBackup } from './backup.js';
import { readFileState, restoreState, type FileState } from './file-state.js';
import { errnoOf, type FsLayer } from './fs-layer.js';
import { hashBytes } from './hash.js';
import { readJournalFile, writeJournalFile, type BaseJournalEntry } from './journal.js';
import { acquireLock } from './lock.js';
import { atomicReplace, ensurePrivateDir } from './write-safely.js';
import { assertSafeBackupsDir, assertSafeSshDir, backupPathFor, privateFileProblem } from './safe-folder.js';

/**
 * One mechanism for every file mila-onboard changes in the SSH folder (the config, known_hosts):
 * under a lock, only if the file still has the bytes the plan was made from, after a
 * backup, atomically (through a symlink, keeping the mode and owner), checked after
 * writing, recorded in a journal so `revert` restores the exact bytes from before.
 */
export interface ManagedFileSpec<S extends z.ZodMiniType<BaseJournalEntry>> {
  /** The path OpenSSH reads (may be a symlink). */
  path: string;
  backupsDir: string;
  journalPath: string;
  lockPath: string;
  /** Backups are named `<backupPrefix>.<stamp>`. */
  backupPrefix: string;
  /** How messages name the file: "this SSH config", "your known_hosts file". */
  label: string;
  /** How the size check names the kind of file: "an SSH config", "a known_hosts file". */
  kind: string;
  entrySchema: S;
  /** Mode of a file created from nothing. */
  newFileMode: number;
}

/** Refuses ('changed-underneath') when the file's bytes no longer hash to `expectedHash`. */
export async function assertUnchanged(fs: FsLayer, target: string, expectedHash: string, shownPath: string): Promise<void> {
  let now: Buffer | null = null;
  try {
    now = await fs.readFile(target);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw fromFsError(err, `Could not read ${target}`, target);
  }
  if (hashBytes(now) !== expectedHash) throw changedUnderneath(shownPath);
}

export function changedUnderneath(p: string): EngineError {
  return new EngineError('changed-underneath', `${p} was changed by something else since it was read.`, {
    hint: 'Look at the plan again (it now shows the current file), then apply.',
    reason: reason('file-changed-underneath', { path: p }),
  });
}

export interface ReplaceRequest<E> {
  /** The hash of the bytes the plan was made from; the write is refused if the file no longer has them. */
  expectedHash?: string | undefined;
  /** The new bytes from the current state, or null when nothing needs to change. May throw to refuse. */
  build(state: FileState): Buffer | null;
  /** Checks the bytes now on disk; returns why they are wrong (the original is then put back), or null. */
  verify?(written: Buffer): Promise<string | null> | string | null;
  /** The journal entry's fields beyond the common ones. */
  entry: Omit<E, keyof BaseJournalEntry>;
  now: () => Date;
}

export interface ReplaceResult {
  changed: boolean;
  state: FileState;
  backupPath: string | null;
  beforeHash: string;
  afterHash: string;
  warnings: string[];
}

export async function replaceManagedFile<S extends z.ZodMiniType<BaseJournalEntry>>(fs: FsLayer, spec: ManagedFileSpec<S>, req: ReplaceRequest<z.output<S>>): Promise<ReplaceResult> {
  if (req.expectedHash !== undefined) {
    const early = await readFileState(fs, spec.path, spec.kind);
    if (hashBytes(early.bytes) !== req.expectedHash) throw changedUnderneath(spec.path);
  }
  await assertSafeFolders(fs, spec);
  await ensurePrivateDir(fs, path.dirname(spec.path));
  await ensurePrivateDir(fs, spec.backupsDir);
  // Again once they exist: nothing may have been slipped in between the check and mkdir.
  await assertSafeFolders(fs, spec);
  const release = await acquireLock(fs, spec.lockPath, () => req.now().getTime(), spec.label);
  try {
    const journalProblem = await privateFileProblem(fs, spec.journalPath, 'The change journal');
    if (journalProblem) throw unsafeJournal(journalProblem, spec);
    const state = await readFileState(fs, spec.path, spec.kind);
    const beforeHash = hashBytes(state.bytes);
    if (req.expectedHash !== undefined && beforeHash !== req.expectedHash) throw changedUnderneath(spec.path);
    const next = req.build(state);
    if (next === null || (state.bytes !== null && next.equals(state.bytes))) {
      return { changed: false, state, backupPath: null, beforeHash, afterHash: beforeHash, warnings: [] };
    }
    const backup = state.bytes ? await writeBackup(fs, spec.backupsDir, spec.backupPrefix, state.bytes, req.now()) : null;
    const backupPath = backup ? path.join(spec.backupsDir, backup) : null;
    // Never left writable by others (known_hosts writable by others lets anyone add a host key).
    await atomicReplace(fs, state.targetPath, next, (state.mode ?? spec.newFileMode) & ~0o022, {
      owner: state.owner,
      // Editors do not take our lock: look once more just before replacing.
      beforeRename: () => assertUnchanged(fs, state.targetPath, beforeHash, spec.path),
    });

    const rollback = async (why: string, cause?: unknown): Promise<never> => {
      const failed = await restoreState(fs, state);
      if (failed)
        throw new EngineError('internal', `${why}. Putting the original back also failed: ${failed}`, {
          hint: backupPath ? `The original is saved at ${backupPath}; copy it back to ${state.targetPath}.` : `Delete ${state.targetPath}; there was no file before.`,
          reason: backupPath ? reason('file-restore-failed', { path: state.targetPath, backup: backupPath }) : reason('file-restore-failed-new', { path: state.targetPath }),
          nothingChanged: false,
          cause,
        });
      throw new EngineError('verification-failed', `${why}. The original was put back.`, { reason: reason('file-write-undone', { path: spec.path }), cause });
    };

    const written = await fs.readFile(state.targetPath).catch(() => null);
    if (!written || !written.equals(next)) await rollback(`${state.targetPath} does not hold what was written`);
    if (req.verify) {
      let why: string | null;
      try {
        why = await req.verify(written!);
      } catch (err) {
        why = (err as Error).message;
      }
      if (why) await rollback(why);
    }

    const warnings: string[] = [];
    const { journal, problem } = await readJournalFile(fs, spec.journalPath, spec.entrySchema);
    if (problem) warnings.push(problem);
    const afterHash = hashBytes(next);
    const base: BaseJournalEntry = {
      time: req.now().toISOString(),
      configPath: spec.path,
      targetPath: state.targetPath,
      existed: state.exists,
      beforeHash,
      afterHash,
      backup,
    };
    journal.entries.push({ ...base, ...req.entry } as z.output<S>);
    try {
      await writeJournalFile(fs, spec.journalPath, journal);
    } catch (err) {
      await rollback(`Could not record the change for undo (${(err as Error).message})`, err);
    }
    return { changed: true, state, backupPath, beforeHash, afterHash, warnings };
  } finally {
    await release();
  }
}

export interface RevertCheckOf<E> {
  entry: E | null;
  state: FileState | null;
  /** Why revert cannot run, or null. */
  blocked: string | null;
  /** The same as a code and values, for the wizard's languages (set whenever `blocked` is). */
  blockedReason?: ErrorReasonDto;
  /** True when it is blocked because the journal or a backup cannot be trusted (not just "nothing to undo"). */
  unsafe?: boolean;
}

async function assertSafeFolders(fs: FsLayer, spec: { path: string; backupsDir: string }): Promise<void> {
  await assertSafeSshDir(fs, path.dirname(spec.path));
  await assertSafeBackupsDir(fs, spec.backupsDir);
}

/** The journal or a backup is not as mila-onboard wrote it (the precise why is in the English message). */
function journalUntrusted(spec: { backupsDir: string }): ErrorReasonDto {
  return reason('journal-untrusted', { backups: spec.backupsDir });
}

function unsafeJournal(why: string, spec: { backupsDir: string }): EngineError {
  return new EngineError('unsafe-journal', `${why}; mila-onboard did not write it that way, so it does not trust it. Nothing was changed.`, {
    hint: 'Someone or something else may have changed your backups. Look at the folder before restoring anything by hand.',
    reason: journalUntrusted(spec),
  });
}

const HASH = /^(sha256:[0-9a-f]{64}|absent)$/;

/** Why a journal entry is not one mila-onboard wrote for this file now (names, hashes, paths), or null. */
async function entryProblem(fs: FsLayer, spec: ManagedFileSpec<z.ZodMiniType<BaseJournalEntry>>, entry: BaseJournalEntry, state: FileState): Promise<string | null> {
  if (!HASH.test(entry.beforeHash) || !HASH.test(entry.afterHash)) return 'The change journal holds a malformed hash';
  if (entry.configPath !== spec.path) return `The change journal's last entry is for ${entry.configPath}, not ${spec.path}`;
  if (entry.targetPath !== state.targetPath) return `The change journal's last entry would write ${entry.targetPath}, not ${state.targetPath}`;
  if (entry.existed !== (entry.backup !== null)) return 'The change journal\'s last entry does not match its backup';
  if (entry.backup !== null) {
    const p = backupPathFor(spec.backupsDir, spec.backupPrefix, entry.backup);
    if (!p) return `The change journal names a backup outside the backups folder (${JSON.stringify(entry.backup).slice(0, 80)})`;
    const bad = await privateFileProblem(fs, p, 'The backup');
    if (bad) return bad;
  }
  return null;
}

/** Whether the last change can be undone now, without changing anything. */
export async function checkRevertManaged<S extends z.ZodMiniType<BaseJournalEntry>>(fs: FsLayer, spec: ManagedFileSpec<S>): Promise<RevertCheckOf<z.output<S>>> {
  try {
    await assertSafeFolders(fs, spec);
  } catch (err) {
    if (err instanceof EngineError) return { entry: null, state: null, blocked: err.message, ...(err.reason ? { blockedReason: err.reason } : {}), unsafe: true };
    throw err;
  }
  const journalProblem = await privateFileProblem(fs, spec.journalPath, 'The change journal');
  if (journalProblem) return { entry: null, state: null, blocked: unsafeJournal(journalProblem, spec).message, blockedReason: journalUntrusted(spec), unsafe: true };
  const { journal, problem } = await readJournalFile(fs, spec.journalPath, spec.entrySchema);
  if (problem) return { entry: null, state: null, blocked: problem, blockedReason: journalUntrusted(spec) };
  const entry = journal.entries.at(-1) ?? null;
  if (!entry) return { entry: null, state: null, blocked: `mila-onboard has not changed ${spec.label} (or its changes were already undone).`, blockedReason: reason('nothing-to-undo', { path: spec.path }) };
  const state = await readFileState(fs, spec.path, spec.kind);
  const bad = await entryProblem(fs, spec as ManagedFileSpec<z.ZodMiniType<BaseJournalEntry>>, entry, state);
  if (bad) return { entry: null, state, blocked: unsafeJournal(bad, spec).message, blockedReason: journalUntrusted(spec), unsafe: true };
  if (hashBytes(state.bytes) !== entry.afterHash)
    return {
      entry,
      state,
      blocked: `${spec.path} was edited after mila-onboard's last change, so undoing it would lose those edits.${entry.backup ? ` The version from before that change is saved at ${path.join(spec.backupsDir, entry.backup)}.` : ''}`,
      blockedReason: entry.backup
        ? reason('file-edited-since', { path: spec.path, backup: path.join(spec.backupsDir, entry.backup) })
        : reason('file-edited-since-no-backup', { path: spec.path }),
    };
  if (!entry.existed && state.symlink) return { entry, state, blocked: `${spec.path} is now a link; mila-onboard will not delete through it.`, blockedReason: reason('file-now-link', { path: spec.path }) };
  return { entry, state, blocked: null };
}

export interface RevertOutcome {
  reverted: true;
  path: string;
  restoredFrom: string | null;
  removed: boolean;
  message: string;
}

/** Restores the exact bytes from before the last change (or deletes the file that change created). */
export async function revertManagedFile<S extends z.ZodMiniType<BaseJournalEntry>>(fs: FsLayer, spec: ManagedFileSpec<S>, now: () => Date): Promise<RevertOutcome> {
  // Checked before the lock is written there: a backups folder that is a link is never written into.
  await assertSafeFolders(fs, spec);
  try {
    await fs.lstat(spec.backupsDir);
  } catch {
    throw new EngineError('not-found', `There is nothing to undo: mila-onboard has not changed ${spec.label}.`, { reason: reason('nothing-to-undo', { path: spec.path }) });
  }
  const release = await acquireLock(fs, spec.lockPath, () => now().getTime(), spec.label);
  try {
    const check = await checkRevertManaged(fs, spec);
    if (check.unsafe)
      throw new EngineError('unsafe-journal', check.blocked ?? 'The change journal cannot be trusted.', { hint: 'Look at the backups folder before restoring anything by hand.', reason: check.blockedReason ?? journalUntrusted(spec) });
    if (check.blocked || !check.entry || !check.state) {
      throw new EngineError(!check.entry ? 'not-found' : 'changed-underneath', check.blocked ?? 'Nothing to undo.', { reason: check.blockedReason ?? reason('nothing-to-undo', { path: spec.path }) });
    }
    const { entry, state } = check;
    let restoredFrom: string | null = null;
    if (entry.existed) {
      if (!entry.backup) throw new EngineError('internal', 'The change journal names no backup for this change.', { reason: journalUntrusted(spec) });
      restoredFrom = backupPathFor(spec.backupsDir, spec.backupPrefix, entry.backup);
      if (!restoredFrom) throw new EngineError('unsafe-journal', 'The change journal names a backup outside the backups folder.', { reason: journalUntrusted(spec) });
      let original: Buffer;
      try {
        original = await fs.readFile(restoredFrom);
      } catch (err) {
        throw fromFsError(err, `Could not read the backup ${restoredFrom}`, restoredFrom);
      }
      if (hashBytes(original) !== entry.beforeHash)
        throw new EngineError('verification-failed', `The backup ${restoredFrom} does not match the file it was made from, so it is not used.`, { reason: reason('backup-mismatch', { backup: restoredFrom }) });
      await atomicReplace(fs, state.targetPath, original, state.mode ?? spec.newFileMode, { owner: state.owner });
    } else {
      try {
        await fs.unlink(state.targetPath);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw fromFsError(err, `Could not delete ${state.targetPath}`, state.targetPath);
      }
    }
    const { journal } = await readJournalFile(fs, spec.journalPath, spec.entrySchema);
    journal.entries.pop();
    let note = '';
    try {
      await writeJournalFile(fs, spec.journalPath, journal);
    } catch (err) {
      note = ` (The change journal could not be updated: ${(err as Error).message})`;
    }
    return {
      reverted: true,
      path: spec.path,
      restoredFrom,
      removed: !entry.existed,
      message: entry.existed
        ? `${spec.path} is back to what it was before mila-onboard's last change.${note}`
        : `${spec.path} did not exist before mila-onboard's last change, so it was deleted.${note}`,
    };
  } finally {
    await release();
  }
}
