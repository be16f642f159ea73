import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../shared/version.js';
import { registerConfig } from './commands/config.js';
import { registerKeys } from './commands/keys.js';
import { registerProfile } from './commands/profile.js';
import { EXIT } from './output.js';

const program = new Command('mila-onboard')
  .description('Set up SSH access to the Mila cluster: keys, connection settings, verified host keys, first login.')
  .version(APP_VERSION)
  .exitOverride()
  .showHelpAfterError();

registerKeys(program);
registerConfig(program);
registerProfile(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return;
  }
  process.stderr.write(`Error: ${(err as Error).message}\n`);
  process.exitCode = EXIT.failed;
});
