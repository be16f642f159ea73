import * as z from 'zod/mini';
import '../../shared/zod-english.js';
import { BaseJournalEntrySchema, readJournalFile, writeJournalFile, type JournalOf } from '../files/journal.js';
import type { FsLayer } from '../files/fs-layer.js';

/**
 * The config's change journal: the shared entry (src/engine/files/journal.ts) plus what
 * the block was made from, so `config revert` can restore the exact bytes from before
 * the last apply (or delete a file apply created).
 */
export const JournalEntrySchema = z.extend(BaseJournalEntrySchema, {
  profileId: z.string(),
  variant: z.string(),
  user: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

export const JournalSchema = z.object({ version: z.literal(1), entries: z.array(JournalEntrySchema) });
export type Journal = JournalOf<JournalEntry>;

export function readJournal(fs: FsLayer, p: string): Promise<{ journal: Journal; problem: string | null }> {
  return readJournalFile(fs, p, JournalEntrySchema);
}

export function writeJournal(fs: FsLayer, p: string, journal: Journal): Promise<void> {
  return writeJournalFile(fs, p, journal);
}
