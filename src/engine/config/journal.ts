import { z } from 'zod';
import { errnoOf, type FsLayer } from './fs-layer.js';
import { atomicReplace } from './write-safely.js';

/**
 * A small record of each change, kept beside the backups, so `config revert` can
 * restore the exact bytes from before the last apply (or delete a file apply created).
 */
export const JournalEntrySchema = z.object({
  time: z.string(),
  /** `<sshDir>/config`, and the file really written when that is a symlink. */
  configPath: z.string(),
  targetPath: z.string(),
  existed: z.boolean(),
  beforeHash: z.string(),
  afterHash: z.string(),
  /** Backup file name inside the backups folder; null when there was no file. */
  backup: z.string().nullable(),
  profileId: z.string(),
  variant: z.string(),
  user: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

export const JournalSchema = z.object({ version: z.literal(1), entries: z.array(JournalEntrySchema) });
export type Journal = z.infer<typeof JournalSchema>;

/** At most this many entries are kept (backups files themselves stay). */
const MAX_ENTRIES = 50;

export async function readJournal(fs: FsLayer, p: string): Promise<{ journal: Journal; problem: string | null }> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(p);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return { journal: { version: 1, entries: [] }, problem: null };
    return { journal: { version: 1, entries: [] }, problem: `The change journal ${p} cannot be read.` };
  }
  try {
    const parsed = JournalSchema.safeParse(JSON.parse(buf.toString('utf8')));
    if (parsed.success) return { journal: parsed.data, problem: null };
  } catch {
    /* fall through */
  }
  return { journal: { version: 1, entries: [] }, problem: `The change journal ${p} is damaged; earlier changes cannot be reverted automatically.` };
}

export async function writeJournal(fs: FsLayer, p: string, journal: Journal): Promise<void> {
  const trimmed: Journal = { version: 1, entries: journal.entries.slice(-MAX_ENTRIES) };
  await atomicReplace(fs, p, Buffer.from(JSON.stringify(trimmed, null, 2) + '\n'), 0o600);
}
