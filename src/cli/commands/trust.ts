import type { Command } from 'commander';
import type { EngineContext } from '../../engine/context.js';
import { EngineError } from '../../engine/errors.js';
import { applyTrust, mismatchError, notVerifiedError, toVerdicts } from '../../engine/trust/apply.js';
import { planTrust, type TrustPlan } from '../../engine/trust/plan.js';
import { revertKnownHosts } from '../../engine/trust/revert.js';
import { trustStatus } from '../../engine/trust/status.js';
import { needsConfirmation, unverifiedWarning } from '../../engine/trust/unverified.js';
import { randomartOf } from '../../engine/keys/inspect.js';
import type { TrustVerdict } from '../../shared/contract/trust.js';
import { contextFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { askYesNo, canAsk, confirmOrRefuse as confirmOr, type ConfirmDeps } from '../prompt-secret.js';
import { run } from '../run.js';

interface TrustOptions extends CommonOptions {
  yes?: boolean;
  removeStale?: boolean;
  acceptUnverified?: boolean;
}

/** What the commands need from the outside world; tests replace it. */
export type TrustCliDeps = ConfirmDeps;

const notWritten = { notDone: 'Not written', hint: 'Look at the comparison, then run again with --yes.' } as const;
const confirmOrRefuse = (opts: TrustOptions, deps: ConfirmDeps, question: string) => confirmOr(opts, deps, question, notWritten);

const out = (s = ''): void => {
  process.stdout.write(s + '\n');
};

const MARK: Record<TrustVerdict['status'], string> = { match: 'OK   matches', mismatch: 'NO   DOES NOT MATCH', 'not-published': '--   not published (not used)' };

/** The side-by-side comparison: type, what the server presents, what the cluster publishes, verdict. */
export function comparisonTable(verdicts: readonly TrustVerdict[], clusterName: string): string[] {
  const w = 52;
  const lines = [`  ${'Type'.padEnd(8)} ${'The server presents'.padEnd(w)} ${`${clusterName} publishes`.padEnd(w)} Verdict`];
  for (const v of verdicts) lines.push(`  ${v.type.padEnd(8)} ${v.presented.padEnd(w)} ${(v.published ?? '(nothing for this type)').padEnd(w)} ${MARK[v.status]}`);
  return lines;
}

function printPlan(ctx: EngineContext, plan: TrustPlan): void {
  out(`Host keys of ${plan.host} (port ${plan.port}), recorded as: ${plan.names.join(', ')}`);
  for (const l of comparisonTable(toVerdicts(plan.comparison), ctx.profile.name)) out(l);
  out();
}

/**
 * A cluster with no published fingerprints: show what the server presents (fingerprint and
 * randomart), say plainly that nobody can vouch for it, and record it only on an explicit
 * yes at the terminal or --accept-unverified. --yes alone is not enough.
 */
async function trustUnverified(ctx: EngineContext, plan: TrustPlan, opts: TrustOptions, deps: TrustCliDeps): Promise<number> {
  const presented = plan.comparison.verdicts.map((v) => v.presented);
  if (!opts.json) {
    out(`Host keys of ${plan.host} (port ${plan.port}), to be recorded as: ${plan.names.join(', ')}`);
    for (const v of plan.comparison.verdicts) {
      out(`  ${v.type.padEnd(8)} ${v.presented}`);
      for (const l of await randomartOf(v.algorithm, v.blob)) out(`           ${l}`);
    }
    out();
    out(`Cannot be verified: ${unverifiedWarning(ctx, plan.host)}`);
    out('Compare these fingerprints with ones you got another way (your cluster\'s support, a colleague whose computer already knows the cluster) if you can.');
  }
  if (plan.alreadyTrusted) {
    if (opts.json) printJson({ ok: true, changed: false, unverified: true, verdicts: toVerdicts(plan.comparison), knownHostsPath: plan.knownHostsPath });
    else out(`${plan.knownHostsPath} already records these keys: nothing to change.`);
    return EXIT.ok;
  }
  let accepted = opts.acceptUnverified === true;
  if (!accepted) {
    if (!canAsk(opts, deps)) {
      const err = needsConfirmation(ctx, plan.comparison, plan.host);
      if (opts.json) printJson({ ok: false, unverified: true, verdicts: toVerdicts(plan.comparison), error: { code: err.code, message: err.message, hint: err.hint, nothingChanged: true } });
      else process.stderr.write(`Not written: there is no terminal to ask, and these keys cannot be verified.\nWhat to do: run it in a terminal and answer, or add --accept-unverified once you have looked at them.\n`);
      return EXIT.failed;
    }
    accepted = await askYesNo(deps, `Record these unverified keys in ${plan.knownHostsPath}?`);
  }
  if (!accepted) {
    out('Not written. Nothing was changed.');
    return EXIT.failed;
  }
  const result = await applyTrust(ctx, { removeStale: opts.removeStale ?? false, expectedHash: plan.hash, acceptUnverified: presented });
  if (opts.json) printJson({ ok: true, unverified: true, ...result });
  else {
    out(result.message);
    for (const w of result.warnings) out(`Note: ${w}`);
  }
  return EXIT.ok;
}

/**
 * `mila-onboard trust [--yes] [--remove-stale] [--json]`: shows the server's keys next to
 * the published ones and records the verified ones in known_hosts.
 * Exit 0: trusted and written (or already recorded). 1: a mismatch, nothing verifiable, or
 * refused (nothing written). 2: usage.
 */
export function registerTrust(program: Command, deps: TrustCliDeps = {}): void {
  const trust = program.command('trust').description("verify the cluster's host keys against the published fingerprints and record them in known_hosts");
  // `mila-onboard trust [--yes] [--remove-stale] [--json]` runs `trust apply` (the default subcommand).
  withCommonOptions(
    trust
      .command('apply', { isDefault: true })
      .description('compare the server\'s keys with the published fingerprints, then record the verified ones (asks first, unless --yes)')
      .option('-y, --yes', 'write without asking')
      .option('--remove-stale', 'also take out other keys recorded for the cluster (a backup is kept)')
      .option('--accept-unverified', 'for a cluster that publishes no fingerprints: record the keys the server presents now, although nobody can vouch for them (--yes alone never does)'),
  ).action((opts: TrustOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const plan = await planTrust(ctx);
      const verdicts = toVerdicts(plan.comparison);
      if (plan.unverified) return trustUnverified(ctx, plan, opts, deps);
      if (!opts.json) printPlan(ctx, plan);
      if (plan.comparison.mismatch || !plan.comparison.trusted) {
        // Nothing is written: the same refusal applyTrust gives, with the full explanation.
        const what = `The server at ${plan.host} (port ${plan.port})`;
        const err = plan.comparison.mismatch ? mismatchError(ctx, plan.comparison, what) : notVerifiedError(ctx, plan.comparison, what);
        if (opts.json) printJson({ ok: false, verdicts, error: { code: err.code, message: err.message, hint: err.hint, nothingChanged: true } });
        else {
          process.stderr.write(`${plan.comparison.mismatch ? 'WARNING: ' : ''}${err.message}\n`);
          if (err.hint) process.stderr.write(`What to do: ${err.hint}\n`);
        }
        return EXIT.failed;
      }
      const stale = plan.staleEntries;
      const removing = opts.removeStale ? stale.filter((s) => s.removable) : [];
      if (plan.toAdd.length === 0 && removing.length === 0) {
        if (opts.json) printJson({ ok: true, changed: false, verdicts, knownHostsPath: plan.knownHostsPath, stale: stale.map((s) => ({ line: s.line, text: s.text, removable: s.removable })) });
        else {
          out(`Every key matches. ${plan.knownHostsPath} already records them: nothing to change.`);
          if (stale.length) out(`${stale.length} other line(s) for this host hold keys that are not the cluster's; remove them with --remove-stale.`);
        }
        return EXIT.ok;
      }
      if (!opts.json) {
        out(`The server's keys match the published fingerprints. Lines to add to ${plan.knownHostsPath}:`);
        for (const l of plan.toAdd) out(`  + ${l}`);
        for (const s of stale) out(`  ${removing.includes(s) ? '-' : '!'} line ${s.line}: ${s.text}${removing.includes(s) ? '' : s.removable ? '   (stale: kept; --remove-stale takes it out)' : '   (names the host through a wildcard: kept)'}`);
      }
      if (!(await confirmOrRefuse(opts, deps, `Record these keys in ${plan.knownHostsPath}?`))) {
        out('Not written. Nothing was changed.');
        return EXIT.failed;
      }
      const result = await applyTrust(ctx, { removeStale: opts.removeStale ?? false, expectedHash: plan.hash });
      if (opts.json) printJson({ ok: true, ...result });
      else {
        out(result.message);
        for (const w of result.warnings) out(`Note: ${w}`);
      }
      return EXIT.ok;
    }),
  );

  withCommonOptions(trust.command('revert').description("undo mila-onboard's last change to known_hosts (exact bytes)"))
    .option('-y, --yes', 'undo without asking')
    .action((opts: TrustOptions) =>
      run(opts, async () => {
        const ctx = await contextFrom(opts);
        const status = await trustStatus(ctx);
        if (!status.canRevert) throw new EngineError(status.lastChange ? 'changed-underneath' : 'not-found', status.revertBlocked ?? 'Nothing to undo.');
        if (!(await confirmOrRefuse(opts, deps, `Undo mila-onboard's change of ${status.lastChange?.time ?? '?'} to ${status.knownHostsPath}?`))) {
          out('Nothing was changed.');
          return EXIT.failed;
        }
        const result = await revertKnownHosts(ctx);
        if (opts.json) return printJson(result);
        out(result.message);
      }),
    );

  withCommonOptions(trust.command('status').description('show which verified host keys known_hosts records, offline')).action((opts: TrustOptions) =>
    run(opts, async () => {
      const ctx = await contextFrom(opts);
      const s = await trustStatus(ctx);
      if (opts.json) return printJson(s);
      out(`known_hosts: ${s.knownHostsPath}${s.exists ? '' : ' (does not exist)'}`);
      out(
        s.login.trusted && s.login.unverified
          ? `Login nodes: keys you confirmed are recorded (${s.login.verifiedTypes.join(', ')}) for ${s.login.names.join(', ')}; ${ctx.profile.name} publishes no fingerprints to verify them.`
          : s.login.trusted
          ? `Login nodes: verified keys recorded (${s.login.verifiedTypes.join(', ')}) for ${s.login.names.join(', ')}.`
          : `Login nodes: not trusted yet. Run "mila-onboard trust".`,
      );
      for (const l of s.login.stale) out(`  ! line ${l.line}: ${l.text}`);
      out(
        s.compute.trusted
          ? `Compute nodes: verified keys recorded (${s.compute.verifiedTypes.join(', ')}) for ${s.compute.patterns.join(', ')}.`
          : `Compute nodes: keys not recorded${s.compute.canLearn ? ' (mila-onboard compute trust)' : ' (the profile names no node to learn them from)'}.`,
      );
      out(s.canRevert ? `The last change (${s.lastChange?.time ?? '?'}) can be undone with "mila-onboard trust revert".` : `Undo: ${s.revertBlocked ?? 'not possible'}`);
      return s.login.trusted ? EXIT.ok : EXIT.failed;
    }),
  );
}
