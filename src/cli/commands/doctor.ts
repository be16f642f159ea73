import type { Command } from 'commander';
import { doctor, type DoctorReport } from '../../engine/doctor/doctor.js';
import { fixSshModes, unsafeSshModes } from '../../engine/doctor/ssh-modes.js';
import { contextsFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { askYesNo, requireTerminal, type ConfirmDeps } from '../prompt-secret.js';
import { run } from '../run.js';

const SYMBOL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

interface DoctorOptions extends CommonOptions {
  fix?: boolean;
  yes?: boolean;
}

export type DoctorCliDeps = ConfirmDeps;

function print(report: DoctorReport): void {
  for (const c of report.checks) {
    process.stdout.write(`[${SYMBOL[c.status]}] ${c.id}: ${c.message}\n`);
    if (c.next) process.stdout.write(`       → ${c.next}\n`);
  }
  process.stdout.write(
    report.overall === 'ok' ? 'All is well.\n' : report.overall === 'warn' ? 'Everything needed works; see the warnings above.\n' : 'Something needs fixing: see FAIL above.\n',
  );
}

/**
 * `mila-onboard doctor [--json] [--fix [--yes]]`: every local check (keys, config via ssh -G,
 * permissions, known_hosts, agent, reachability), no login. Exit 0 when nothing fails
 * (warnings allowed), 1 otherwise. `--fix` removes write access for group and others from
 * the SSH folder, config and known_hosts, after asking (or with --yes), then checks again.
 */
export function registerDoctor(program: Command, deps: DoctorCliDeps = {}): void {
  withCommonOptions(program.command('doctor').description('check keys, settings, permissions, known hosts, agent and reachability; exit 0 when nothing fails'))
    .option('--fix', 'remove write access for group and others from the SSH folder, config and known_hosts (asks first, unless --yes)')
    .option('-y, --yes', 'with --fix: fix without asking')
    .action((opts: DoctorOptions) =>
      run(opts, async () => {
        const contexts = await contextsFrom(opts);
        // Every cluster's context shares one SSH folder: its modes are fixed once.
        const ctx = contexts[0]!;
        if (opts.fix) {
          const unsafe = (await unsafeSshModes(ctx.sshDir, ctx.platform)).filter((u) => u.ownedByYou);
          if (unsafe.length > 0) {
            if (!opts.yes) {
              requireTerminal(opts, deps, { notDone: 'Not changed', hint: 'Run again with --fix --yes.' });
              for (const u of unsafe) process.stdout.write(`  chmod go-w ${u.path}   (${u.mode} → ${u.fixedMode})\n`);
              if (!(await askYesNo(deps, 'Remove write access for group and others from these?'))) {
                process.stdout.write('Nothing was changed.\n');
                return EXIT.failed;
              }
            }
            const fixed = await fixSshModes(ctx.sshDir, ctx.platform);
            if (!opts.json) {
              for (const c of fixed.changed) process.stdout.write(`Fixed: ${c.path} ${c.from} → ${c.to}\n`);
              for (const s of fixed.skipped) process.stdout.write(`Not changed: ${s.reason}\n`);
            }
          } else if (!opts.json) process.stdout.write('Permissions: nothing to fix.\n');
        }
        // One report per cluster (--cluster mila --cluster narval): each has its own block,
        // known_hosts entries and login node. --json: one report, or a list for several.
        const reports = [];
        for (const c of contexts) reports.push({ cluster: c.profile.id, report: await doctor(c) });
        if (opts.json) printJson(contexts.length === 1 && !opts.cluster?.length ? reports[0]!.report : reports);
        for (const { cluster, report } of opts.json ? [] : reports) {
          if (contexts.length > 1) process.stdout.write(`== ${cluster} ==\n`);
          print(report);
        }
        return reports.some((r) => r.report.overall === 'fail') ? EXIT.failed : EXIT.ok;
      }),
    );
}
