import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError, fromFsError } from '../errors.js';
import { errnoOf, nodeFs, type FsLayer } from './fs-layer.js';
import { defaultSshRunner, type SshRunner } from './verify.js';

/** Larger than any real SSH config; refusing beats reading a runaway file into memory. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** What the config operations need besides the context; every field is replaceable in tests. */
export interface ConfigDeps {
  fs?: FsLayer;
  /** Runs `ssh` with arguments; null skips the ssh -G checks. */
  runSsh?: SshRunner | null;
  /** Where `~` points for OpenSSH (its password-database home). */
  home?: string;
  /** The connection-sharing folder apply creates; null to never create it. */
  controlDir?: string | null;
  now?: () => Date;
}

export interface Deps {
  fs: FsLayer;
  runSsh: SshRunner | null;
  home: string;
  controlDir: string | null;
  now: () => Date;
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
  };
}

export interface FileState {
  configPath: string;
  /** The file really read and written (the symlink's target, or configPath). */
  targetPath: string;
  symlink: boolean;
  exists: boolean;
  bytes: Buffer | null;
  mode: number | null;
  nlink: number;
  owner: { uid: number; gid: number } | null;
}

/** Reads the config through a symlink; refuses a dangling link or something that is not a file. */
export async function readConfigState(fs: FsLayer, configPath: string): Promise<FileState> {
  let lst;
  try {
    lst = await fs.lstat(configPath);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return { configPath, targetPath: configPath, symlink: false, exists: false, bytes: null, mode: null, nlink: 0, owner: null };
    throw fromFsError(err, `Could not look at ${configPath}`);
  }
  const symlink = lst.isSymbolicLink();
  let targetPath = configPath;
  if (symlink) {
    try {
      targetPath = await fs.realpath(configPath);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ELOOP')
        throw new EngineError('unsafe-path', `${configPath} is a link to a file that does not exist.`, {
          hint: 'Point the link at an existing file (or remove the link), then try again. mila-onboard does not create files through a broken link.',
        });
      throw fromFsError(err, `Could not follow the link ${configPath}`);
    }
  }
  let st;
  try {
    st = await fs.stat(targetPath);
  } catch (err) {
    throw fromFsError(err, `Could not look at ${targetPath}`);
  }
  if (!st.isFile()) throw new EngineError('unsafe-path', `${targetPath} is not a regular file, so mila-onboard will not write it.`);
  if (st.size > MAX_CONFIG_BYTES) throw new EngineError('unsafe-path', `${targetPath} is larger than 16 MB; that is not an SSH config mila-onboard will edit.`);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(targetPath);
  } catch (err) {
    throw fromFsError(err, `Could not read ${targetPath}`);
  }
  return { configPath, targetPath, symlink, exists: true, bytes, mode: st.mode & 0o7777, nlink: st.nlink, owner: { uid: st.uid, gid: st.gid } };
}
