import type { Command } from 'commander';
import { doctor } from '../../engine/doctor/doctor.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { run } from '../run.js';

const SYMBOL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/**
 * `mila-onboard doctor [--json]`: every local check (keys, config via ssh -G, known_hosts,
 * agent, reachability), no login. Exit 0 when nothing fails (warnings allowed), 1 otherwise.
 */
export function registerDoctor(program: Command): void {
  withCommonOptions(program.command('doctor').description('check keys, settings, known hosts, agent and reachability; exit 0 when nothing fails')).action((opts: CommonOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const report = await doctor(ctx);
      if (opts.json) printJson(report);
      else {
        for (const c of report.checks) {
          process.stdout.write(`[${SYMBOL[c.status]}] ${c.id}: ${c.message}\n`);
          if (c.next) process.stdout.write(`       → ${c.next}\n`);
        }
        process.stdout.write(
          report.overall === 'ok' ? 'All is well.\n' : report.overall === 'warn' ? 'Everything needed works; see the warnings above.\n' : 'Something needs fixing: see FAIL above.\n',
        );
      }
      return report.overall === 'fail' ? EXIT.failed : EXIT.ok;
    }),
  );
}
