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
}

export function defaultSshDir(): string {
  return path.join(os.homedir(), '.ssh');
}

export function createContext(opts: { sshDir?: string | undefined; profile: ClusterProfile; platform?: NodeJS.Platform }): EngineContext {
  return {
    sshDir: path.resolve(opts.sshDir ?? defaultSshDir()),
    profile: opts.profile,
    platform: opts.platform ?? process.platform,
  };
}
