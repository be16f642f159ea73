import { lstatSync, mkdirSync } from 'node:fs';
import nodeModule from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { defaultCacheDir } from '../engine/context.js';

/**
 * Node's compile cache (Node 22.1 and later: the versions the CLI supports) keeps V8's compiled
 * code of the CLI's chunks between runs, so a command does not compile the same half-megabyte
 * each time: about 40 ms of a `config plan` here (docs/benchmarks.md).
 *
 * Node's own default place for it is the shared temporary folder, where another user of the
 * computer could plant or swap the cached code that this program would then load. So the cache
 * goes only in the user's own cache folder, and only when that folder, its parent and the cache
 * root are the user's and cannot be changed by anyone else (not a link, owned by this user, not
 * writable by group or others). If any check fails, the CLI runs without a cache: slower, never
 * less safe. On Windows the folder is under %LOCALAPPDATA%, which only its user can open.
 */

export type CompileCacheOutcome = 'enabled' | 'unavailable' | 'refused';

export interface CompileCacheDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  uid: number | null;
  /** module.enableCompileCache where Node has it (undefined on Node 20). */
  enable: ((dir: string) => unknown) | undefined;
}

function defaults(): CompileCacheDeps {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  return {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    enable: enable ? (dir) => enable.call(nodeModule, dir) : undefined,
  };
}

/** True when `p` is a real folder of this user's that nobody else can change. */
function privateFolder(p: string, uid: number | null, posix: boolean): boolean {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return false;
  }
  if (!st.isDirectory() || st.isSymbolicLink()) return false;
  if (!posix) return true;
  return (uid === null || st.uid === uid) && (st.mode & 0o022) === 0;
}

/** Turns the compile cache on in the user's private cache folder, when Node has it and the folder is safe. */
export function enablePrivateCompileCache(overrides: Partial<CompileCacheDeps> = {}): CompileCacheOutcome {
  const deps = { ...defaults(), ...overrides };
  if (!deps.enable) return 'unavailable';
  const dir = path.join(defaultCacheDir(deps.platform, deps.env, deps.home), 'compile');
  const posix = deps.platform !== 'win32';
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return 'refused';
  }
  // The cache root (~/.cache), the app's folder and the cache folder itself: whoever can change
  // any of them can swap what is below.
  const chain = [path.dirname(path.dirname(dir)), path.dirname(dir), dir];
  if (!chain.every((p) => privateFolder(p, deps.uid, posix))) return 'refused';
  try {
    deps.enable(dir);
  } catch {
    return 'unavailable';
  }
  return 'enabled';
}
