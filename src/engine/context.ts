import os from 'node:os';
import path from 'node:path';
import type { ClusterProfile } from './profile/schema.js';

/**
 * What every engine operation works on. Fronts build one and pass it in, so tests (and
 * users with `--ssh-dir`) can point the whole engine at any folder and any cluster.
 */
export interface EngineContext {
  /** The SSH folder: ~/.ssh by default. Every OpenSSH program run uses its config and known_hosts. */
  readonly sshDir: string;
  readonly profile: ClusterProfile;
  /** The OS the SSH config is written for; a parameter so Windows output is testable here. */
  readonly platform: NodeJS.Platform;
  /** Where the app keeps its own small state (wizard progress): never inside the SSH folder. */
  readonly stateDir: string;
}

/** The per-user application data folder each OS expects. */
export function defaultStateDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Mila Onboard');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Mila Onboard');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'mila-onboard');
}

/**
 * The per-user cache folder each OS expects (what can be thrown away: the CLI's compile cache).
 * `home` is a parameter so tests can point it anywhere.
 */
export function defaultCacheDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Mila Onboard', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Mila Onboard');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'mila-onboard');
}

export function defaultSshDir(): string {
  return path.join(os.homedir(), '.ssh');
}

export function createContext(opts: { sshDir?: string | undefined; profile: ClusterProfile; platform?: NodeJS.Platform; stateDir?: string | undefined }): EngineContext {
  return {
    sshDir: path.resolve(opts.sshDir ?? defaultSshDir()),
    profile: opts.profile,
    platform: opts.platform ?? process.platform,
    stateDir: path.resolve(opts.stateDir ?? defaultStateDir()),
  };
}
