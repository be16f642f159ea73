import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../shared/version.js';
import { enablePrivateCompileCache } from './compile-cache.js';
import { EXIT } from './output.js';

/**
 * The commands, loaded on demand: start-up (and `--version`, `--help`) pays only for
 * commander and this table; a command's module (the engine, zod, ...) is loaded only when
 * that command runs or its help is asked for. To add a command: one row, in help order.
 * `description` is what the top-level help shows; `load` registers the real command.
 */
interface CommandEntry {
  name: string;
  description: string;
  load: (program: Command) => Promise<void>;
}

const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'keys',
    description: 'find, inspect and create SSH keys',
    load: async (p) => (await import('./commands/keys.js')).registerKeys(p),
  },
  {
    name: 'config',
    description: "write the cluster's entries into your SSH config, safely; undo them",
    load: async (p) => (await import('./commands/config.js')).registerConfig(p),
  },
  {
    name: 'profile',
    description: 'cluster profiles: every fact about a cluster the program uses, as data',
    load: async (p) => (await import('./commands/profile.js')).registerProfile(p),
  },
  {
    name: 'trust',
    description: "verify the cluster's host keys against the published fingerprints and record them in known_hosts",
    load: async (p) => (await import('./commands/trust.js')).registerTrust(p),
  },
  {
    name: 'connect',
    description: 'log in to the cluster once to check that everything works',
    load: async (p) => (await import('./commands/connect.js')).registerConnect(p),
  },
  {
    name: 'compute',
    description: "compute nodes: check/fix ~/.ssh on the cluster; record the compute nodes' host keys",
    load: async (p) => (await import('./commands/compute.js')).registerCompute(p),
  },
  {
    name: 'doctor',
    description: 'check keys, settings, known hosts, agent and reachability',
    load: async (p) => (await import('./commands/doctor.js')).registerDoctor(p),
  },
  {
    name: 'undo',
    description: 'put the SSH config and known_hosts back as they were before mila-onboard (keys stay)',
    load: async (p) => (await import('./commands/undo.js')).registerUndo(p),
  },
];

/** The command the arguments name (`mila-onboard [help] NAME ...`), if any. */
function requested(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

// `mila-onboard config plan | head`: a reader that stops early is not an error, and gets no stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? EXIT.ok);
});

async function main(): Promise<void> {
  // Before any command's code loads: those chunks are what the cache keeps compiled.
  enablePrivateCompileCache();
  const program = new Command('mila-onboard')
    .description('Set up SSH access to the Mila cluster: keys, connection settings, verified host keys, first login.')
    .version(APP_VERSION)
    .exitOverride()
    .showHelpAfterError();

  const wanted = requested(process.argv.slice(2));
  for (const entry of COMMANDS) {
    // The named command for real; the others as a name and a line of help.
    if (entry.name === wanted) await entry.load(program);
    else program.command(entry.name).description(entry.description);
  }
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return;
  }
  process.stderr.write(`Error: ${(err as Error).message}\n`);
  process.exitCode = EXIT.failed;
});
