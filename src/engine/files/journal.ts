import * as z from 'zod/mini';
import '../../shared/zod-english.js';
import { errnoOf, type FsLayer } from './fs-layer.js';
import { atomicReplace } from './write-safely.js';

/**
 * A small record of each change, kept beside the backups, so a revert can restore the
 * exact bytes from before the last change (or delete a file the change created). Each
 * managed file has its own journal file; the fields every entry has are these, and a
 * file's journal may add its own (the config records the profile, variant and user).
 */
export const BaseJournalEntrySchema = z.object({
  time: z.string(),
  /** The path OpenSSH reads (`<sshDir>/config`, `<sshDir>/known_hosts`)... */
  configPath: z.string(),
  /** ...and the file really written when that is a symlink. */
  targetPath: z.string(),
  existed: z.boolean(),
  beforeHash: z.string(),
  afterHash: z.string(),
  /** Backup file name inside the backups folder; null when there was no file. */
  backup: z.nullable(z.string()),
});
export type BaseJournalEntry = z.infer<typeof BaseJournalEntrySchema>;

export interface JournalOf<E> {
  version: 1;
  entries: E[];
}

/** At most this many entries are kept (the backup files themselves stay). */
const MAX_ENTRIES = 50;

export async function readJournalFile<S extends z.ZodMiniType>(fs: FsLayer, p: string, entrySchema: S): Promise<{ journal: JournalOf<z.output<S>>; problem: string | null }> {
  const empty = (): JournalOf<z.output<S>> => ({ version: 1, entries: [] });
  let buf: Buffer;
  try {
    buf = await fs.readFile(p);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return { journal: empty(), problem: null };
    return { journal: empty(), problem: `The change journal ${p} cannot be read.` };
  }
  try {
    const parsed = z.object({ version: z.literal(1), entries: z.array(entrySchema) }).safeParse(JSON.parse(buf.toString('utf8')));
    if (parsed.success) return { journal: parsed.data as JournalOf<z.output<S>>, problem: null };
  } catch {
    /* fall through */
  }
  return { journal: empty(), problem: `The change journal ${p} is damaged; earlier changes cannot be reverted automatically.` };
}

export async function writeJournalFile<E>(fs: FsLayer, p: string, journal: JournalOf<E>): Promise<void> {
  const trimmed: JournalOf<E> = { version: 1, entries: journal.entries.slice(-MAX_ENTRIES) };
  await atomicReplace(fs, p, Buffer.from(JSON.stringify(trimmed, null, 2) + '\n'), 0o600);
}
