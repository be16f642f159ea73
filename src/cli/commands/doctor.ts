import type { Command } from 'commander';
import { doctor } from '../../engine/doctor/doctor.js';
import { contextsFrom, withCommonOptions, type CommonOptions } from '../options.js';
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
      const contexts = await contextsFrom(opts);
      // One report per cluster (--cluster mila --cluster narval): each has its own block,
      // known_hosts entries and login node. --json: one report, or a list for several.
      const reports = [];
      for (const ctx of contexts) reports.push({ cluster: ctx.profile.id, report: await doctor(ctx) });
      if (opts.json) printJson(contexts.length === 1 && !opts.cluster?.length ? reports[0]!.report : reports);
      for (const { cluster, report } of opts.json ? [] : reports) {
        if (contexts.length > 1) process.stdout.write(`== ${cluster} ==\n`);
        for (const c of report.checks) {
          process.stdout.write(`[${SYMBOL[c.status]}] ${c.id}: ${c.message}\n`);
          if (c.next) process.stdout.write(`       → ${c.next}\n`);
        }
        process.stdout.write(
          report.overall === 'ok' ? 'All is well.\n' : report.overall === 'warn' ? 'Everything needed works; see the warnings above.\n' : 'Something needs fixing: see FAIL above.\n',
        );
      }
      return reports.some((r) => r.report.overall === 'fail') ? EXIT.failed : EXIT.ok;
    }),
  );
}
