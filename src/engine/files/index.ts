/** Safe writing of the files mila-onboard changes in the SSH folder (config, known_hosts): shared by both. */
export { nodeFs, errnoOf, type FsLayer, type WritableFile } from './fs-layer.js';
export { atomicReplace, writeNewFile, ensurePrivateDir } from './write-safely.js';
export { acquireLock, STALE_LOCK_MS } from './lock.js';
export { BaseJournalEntrySchema, readJournalFile, writeJournalFile, type BaseJournalEntry, type JournalOf } from './journal.js';
export { BACKUPS_DIR_NAME, backupsDir, backupStamp, writeBackup } from './backup.js';
export { hashBytes, ABSENT_HASH } from './hash.js';
export { readFileState, restoreState, type FileState } from './file-state.js';
export { replaceManagedFile, checkRevertManaged, revertManagedFile, changedUnderneath, type ManagedFileSpec, type ReplaceResult, type RevertOutcome } from './managed.js';
