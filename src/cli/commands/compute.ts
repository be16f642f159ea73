import type { Command } from 'commander';
import { checkComputeAccess, fixComputeAccess } from '../../engine/compute/access.js';
import { learnComputeHostKeys } from '../../engine/compute/host-keys.js';
import type { ComputeReportDto } from '../../shared/contract/connect.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { askYesNo, requireTerminal, type ConfirmDeps } from '../prompt-secret.js';
import { run } from '../run.js';
import { comparisonTable } from './trust.js';
import { askOnTerminal, whileInterruptible, reportFailure, showProgress, type SessionCliDeps } from './connect.js';

interface ComputeOptions extends CommonOptions {
  yes?: boolean;
  removeStale?: boolean;
}

export interface ComputeCliDeps extends SessionCliDeps, ConfirmDeps {}

const out = (s = ''): void => {
  process.stdout.write(s + '\n');
};

function printReport(r: ComputeReportDto): void {
  const mode = (m: string | null) => (m ? ` (mode ${m})` : '');
  out(`Key ${r.key.fingerprint}${r.key.file ? ` (${r.key.file})` : ''}`);
  out(`  home             ${r.home.path}${mode(r.home.mode)}${r.home.writableByOthers ? '  ! writable by others' : '  ok'}`);
  out(`  SSH folder       ${r.sshDir.path}${r.sshDir.exists ? mode(r.sshDir.mode) : ' (missing)'}${r.sshDir.ok ? '  ok' : '  !'}`);
  out(`  authorized_keys  ${r.authorizedKeys.path}${r.authorizedKeys.exists ? mode(r.authorizedKeys.mode) : ' (missing)'}${r.authorizedKeys.hasKey ? ', has your key' : ', without your key'}${r.authorizedKeys.ok ? '  ok' : '  !'}`);
  if (r.ok) {
    out('Compute nodes will accept your key (with a job running there).');
    return;
  }
  for (const p of r.problems) out(`  - ${p}`);
  out('The fix runs these commands on the cluster:');
  for (const c of r.commands) out(`    ${c}`);
}

/** `mila-onboard compute check | fix [--yes] | trust [--remove-stale]`, each over one login (prompts on the terminal). */
export function registerCompute(program: Command, deps: ComputeCliDeps = {}): void {
  const compute = program.command('compute').description('compute nodes: check and fix ~/.ssh/authorized_keys on the cluster; record the compute nodes\' host keys');

  withCommonOptions(compute.command('check').description('log in and check that compute nodes will accept your key; changes nothing')).action((opts: ComputeOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      return whileInterruptible(async (signal) => {
        const r = await checkComputeAccess(ctx, { ask: askOnTerminal(deps.streams), signal, onProgress: showProgress(opts.json) });
        if (!r.ok) return reportFailure(r, opts.json);
        if (opts.json) printJson(r);
        else printReport(r.report);
        return r.report.ok ? EXIT.ok : EXIT.failed;
      });
    }),
  );

  withCommonOptions(compute.command('fix').description('log in and fix ~/.ssh and authorized_keys on the cluster (asks first, unless --yes)'))
    .option('-y, --yes', 'fix without asking')
    .action((opts: ComputeOptions) =>
      run(opts, async () => {
        const ctx = await contextFrom(opts);
        return whileInterruptible(async (signal) => {
          const ask = askOnTerminal(deps.streams);
          if (!opts.yes) {
            requireTerminal(opts, deps, { notDone: 'Not changed', hint: 'Run "mila-onboard compute check" to see the commands, then run again with --yes.' });
            const r = await checkComputeAccess(ctx, { ask, signal, onProgress: showProgress(opts.json) });
            if (!r.ok) return reportFailure(r, opts.json);
            printReport(r.report);
            if (r.report.ok) return EXIT.ok;
            if (!(await askYesNo(deps, 'Run these commands on the cluster?'))) {
              out('Nothing was changed.');
              return EXIT.failed;
            }
          }
          const r = await fixComputeAccess(ctx, { ask, signal, onProgress: showProgress(opts.json) });
          if (!r.ok) return reportFailure(r, opts.json);
          if (opts.json) printJson(r);
          else {
            if (r.changed) {
              out('Done on the cluster:');
              for (const a of r.actions) out(`    ${a}`);
            } else out('Nothing to change: compute nodes already accept your key.');
          }
          return EXIT.ok;
        });
      }),
    );

  withCommonOptions(compute.command('trust').description("log in, learn the compute nodes' host keys from the login node, verify them, record them"))
    .option('--remove-stale', 'also take out other keys recorded for the compute nodes (a backup is kept)')
    .action((opts: ComputeOptions) =>
      run(opts, async () => {
        const ctx = await contextFrom(opts);
        return whileInterruptible(async (signal) => {
          const r = await learnComputeHostKeys(ctx, { ask: askOnTerminal(deps.streams), signal, onProgress: showProgress(opts.json), removeStale: opts.removeStale });
          if (!r.ok) return reportFailure(r, opts.json);
          if (opts.json) return printJson(r);
          out(`Compute node ${r.probeHost}, seen from the login node:`);
          for (const l of comparisonTable(r.verdicts, ctx.profile.name)) out(l);
          out(r.message);
          return EXIT.ok;
        });
      }),
    );
}
