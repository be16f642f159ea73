import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { readFileState, type FileState } from '../files/file-state.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import type { PlanCache } from './plan-cache.js';
import { defaultSshRunner, type SshRunner } from './verify.js';

/** What the config operations need besides the context; every field is replaceable in tests. */
export interface ConfigDeps {
  fs?: FsLayer;
  /** Runs `ssh` with arguments; null skips the ssh -G checks. */
  runSsh?: SshRunner | null;
  /** Where `~` points for OpenSSH (its password-database home). */
  home?: string;
  /** The connection-sharing folder: the block's ControlPath points into it and apply creates it. Null: nothing is created and the block keeps ~/.cache/ssh. */
  controlDir?: string | null;
  now?: () => Date;
  /** The caller's memory of its last plan, so apply right after it reuses it (plan-cache.ts); none: nothing is reused. */
  plans?: PlanCache | null;
}

export interface Deps {
  fs: FsLayer;
  runSsh: SshRunner | null;
  home: string;
  controlDir: string | null;
  now: () => Date;
  plans: PlanCache | null;
}

function sshHome(): string {
  // OpenSSH expands `~` from the password database, not $HOME.
  if (process.platform === 'win32') return os.homedir();
  try {
    return os.userInfo().homedir || os.homedir();
  } catch {
    return os.homedir();
  }
}

export function resolveDeps(_ctx: EngineContext, deps: ConfigDeps = {}): Deps {
  const home = deps.home ?? sshHome();
  return {
    fs: deps.fs ?? nodeFs,
    runSsh: deps.runSsh === undefined ? defaultSshRunner : deps.runSsh,
    home,
    controlDir: deps.controlDir === undefined ? path.join(home, '.cache', 'ssh') : deps.controlDir,
    now: deps.now ?? (() => new Date()),
    plans: deps.plans ?? null,
  };
}

export type { FileState } from '../files/file-state.js';

/** Reads the config through a symlink; refuses a dangling link or something that is not a file. */
export function readConfigState(fs: FsLayer, configPath: string): Promise<FileState> {
  return readFileState(fs, configPath, 'an SSH config');
}
