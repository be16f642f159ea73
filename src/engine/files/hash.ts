import { createHash } from 'node:crypto';

/** What a plan calls a file that does not exist. */
export const ABSENT_HASH = 'absent';

/** The identity of a file's exact bytes: plans carry it, writers refuse when the file no longer has it. */
export function hashBytes(buf: Buffer | null): string {
  if (buf === null) return ABSENT_HASH;
  return 'sha256:' + createHash('sha256').update(buf).digest('hex');
}
