import type { Command } from 'commander';
import { createContext, type EngineContext } from '../engine/context.js';
import { EngineError } from '../engine/errors.js';
import { BUILT_IN_PROFILES, loadProfile } from '../engine/profile/load.js';

export interface CommonOptions {
  sshDir?: string;
  profile?: string;
  /** Built-in cluster names (`--cluster narval --cluster rorqual`). */
  cluster?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the options every command takes. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--ssh-dir <dir>', 'SSH folder to work on (default: ~/.ssh); OpenSSH uses its config and known_hosts')
    .option('--profile <name-or-file>', 'cluster profile: a built-in name or a JSON file', 'mila')
    .option('--cluster <name>', `a built-in cluster, instead of --profile; repeat it for several where a command allows (${Object.keys(BUILT_IN_PROFILES).join(', ')})`, collect)
    .option('--json', 'print machine-readable JSON');
}

function checkClusterName(name: string): string {
  if (!Object.hasOwn(BUILT_IN_PROFILES, name))
    throw new EngineError('invalid-input', `There is no built-in cluster named "${name}".`, {
      hint: `Known clusters: ${Object.keys(BUILT_IN_PROFILES).join(', ')}. For a profile file, use --profile FILE.`,
    });
  return name;
}

/** The profiles the command works on: each --cluster (in order, duplicates once), else --profile. */
export async function contextsFrom(opts: CommonOptions): Promise<EngineContext[]> {
  const names = [...new Set((opts.cluster ?? []).map(checkClusterName))];
  if (names.length > 0 && opts.profile !== undefined && opts.profile !== 'mila')
    throw new EngineError('invalid-input', 'Give either --cluster NAME or --profile FILE, not both.');
  const sources = names.length > 0 ? names : [opts.profile ?? 'mila'];
  return Promise.all(sources.map(async (s) => createContext({ sshDir: opts.sshDir, profile: await loadProfile(s) })));
}

/** One profile: a command that works on one cluster at a time refuses several. */
export async function contextFrom(opts: CommonOptions): Promise<EngineContext> {
  const all = await contextsFrom(opts);
  if (all.length > 1)
    throw new EngineError('invalid-input', 'This command works on one cluster at a time: give one --cluster.', {
      hint: 'doctor and config plan, apply, status and revert take several --cluster.',
    });
  return all[0]!;
}
