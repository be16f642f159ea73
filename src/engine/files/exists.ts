import { lstat, stat } from 'node:fs/promises';

/**
 * Whether something is at `p`. By default anything counts, a broken link included (what a
 * "never overwrite" check needs); with `followLinks`, only what a link leads to (what a
 * "can OpenSSH read it" check needs). Never throws.
 */
export async function pathExists(p: string, opts: { followLinks?: boolean } = {}): Promise<boolean> {
  return (await (opts.followLinks ? stat(p) : lstat(p)).catch(() => null)) !== null;
}
