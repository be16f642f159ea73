import type { Command } from 'commander';
import { undoAll } from '../../engine/undo.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { run } from '../run.js';

export function registerUndo(program: Command): void {
  withCommonOptions(program.command('undo').description('put the SSH config and known_hosts back as they were before mila-onboard (keys stay)'))
    .option('--yes', 'undo without asking')
    .action((opts: CommonOptions & { yes?: boolean }) =>
      run(opts, async () => {
        if (!opts.yes) {
          process.stderr.write('This restores your SSH config and known_hosts to their state before mila-onboard. Run again with --yes to do it.\n');
          return EXIT.failed;
        }
        const result = await undoAll(await contextFrom(opts));
        if (opts.json) printJson(result);
        else {
          console.log(result.undone === 0 ? 'Nothing to undo.' : `Undone: ${result.undone} change(s), each file back to its exact earlier bytes.`);
          for (const why of result.left) console.log(`Left as it is: ${why}`);
        }
        return result.left.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}
