import type { Command } from 'commander';
import { createContext, type EngineContext } from '../engine/context.js';
import { loadProfile } from '../engine/profile/load.js';

export interface CommonOptions {
  sshDir?: string;
  profile?: string;
  json?: boolean;
}

/** Adds the options every command takes. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--ssh-dir <dir>', 'SSH folder to work on (default: ~/.ssh); OpenSSH uses its config and known_hosts')
    .option('--profile <name-or-file>', 'cluster profile: a built-in name or a JSON file', 'mila')
    .option('--json', 'print machine-readable JSON');
}

export async function contextFrom(opts: CommonOptions): Promise<EngineContext> {
  return createContext({ sshDir: opts.sshDir, profile: await loadProfile(opts.profile ?? 'mila') });
}
