import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { applyConfig } from '../../engine/config/apply.js';
import { configPaths } from '../../engine/config/paths.js';
import { unifiedDiff } from '../../engine/config/diff.js';
import { PlanCache } from '../../engine/config/plan-cache.js';
import { planConfig } from '../../engine/config/plan.js';
import { checkRevert, revertConfig } from '../../engine/config/revert.js';
import type { ConfigDeps } from '../../engine/config/state.js';
import { configStatus } from '../../engine/config/status.js';
import type { EngineContext } from '../../engine/context.js';
import { EngineError } from '../../engine/errors.js';
import type { ConfigInput, ConfigPlan, ConfigConflictChoice, ConfigVerification } from '../../shared/contract/config.js';
import { revertClusterBlock } from '../../engine/config/revert-block.js';
import { contextFrom, contextsFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { EXIT, printJson } from '../output.js';
import { run } from '../run.js';
import { confirmOrRefuse as confirmOr, type ConfirmDeps } from '../prompt-secret.js';

interface ConfigOptions extends CommonOptions {
  user?: string;
  identity?: string;
  variant?: 'simple' | 'advanced';
  onConflict?: ConfigConflictChoice;
  removeBom?: boolean;
  yes?: boolean;
}

/** What the commands need from the outside world; tests replace it. */
export interface ConfigCliDeps extends ConfirmDeps {
  engine?: ConfigDeps;
  /** Overrides the platform the config is written for (tests). */
  platform?: NodeJS.Platform;
}

const out = (s = ''): void => {
  process.stdout.write(s + '\n');
};

function withConfigInputs(cmd: Command): Command {
  return withCommonOptions(cmd)
    .option('--user <name>', 'your cluster user name (default: the one already in the block)')
    .option('--identity <path>', 'private key to use: a file name in the SSH folder or a path (default: the profile\'s key name)')
    .addOption(new Option('--variant <variant>', 'simple: the login node, mila-cpu and compute nodes; advanced: the documentation\'s full template').choices(['simple', 'advanced']))
    .addOption(
      new Option('--on-conflict <choice>', 'when your config already defines an alias the block defines: refuse, keep-mine, or use-ours (the block goes first; your lines stay)')
        .choices(['refuse', 'keep-mine', 'use-ours'])
        .default('refuse'),
    )
    .option('--remove-bom', 'remove a byte-order mark at the start of the file, which OpenSSH cannot read');
}

const notWritten = { notDone: 'Not written', hint: 'Look at "config plan", then run again with --yes.' } as const;
const confirmOrRefuse = (opts: ConfigOptions, deps: ConfirmDeps, question: string) => confirmOr(opts, deps, question, notWritten);

async function contextFor(opts: ConfigOptions, deps: ConfigCliDeps): Promise<EngineContext> {
  const ctx = await contextFrom(opts);
  return deps.platform ? { ...ctx, platform: deps.platform } : ctx;
}

/**
 * Runs `body` once per cluster (`--cluster narval --cluster rorqual`: one block each, one
 * after the other, each with its own heading); the exit code is the worst one. With --json,
 * one cluster at a time (each answer is one JSON document).
 */
async function perCluster(opts: ConfigOptions, deps: ConfigCliDeps, body: (ctx: EngineContext) => Promise<void | number>): Promise<number> {
  const all = (await contextsFrom(opts)).map((c) => (deps.platform ? { ...c, platform: deps.platform } : c));
  if (all.length > 1 && opts.json) throw new EngineError('invalid-input', '--json answers for one cluster at a time: give one --cluster.');
  let worst: number = EXIT.ok;
  for (const ctx of all) {
    if (all.length > 1) out(`== ${ctx.profile.name} (${ctx.profile.id}) ==`);
    worst = Math.max(worst, (await body(ctx)) ?? EXIT.ok);
    if (all.length > 1) out();
  }
  return worst;
}

/** The inputs, filling gaps from the block already in the file. */
async function inputsFrom(ctx: EngineContext, opts: ConfigOptions, deps: ConfigCliDeps): Promise<ConfigInput> {
  const status = await configStatus(ctx, deps.engine);
  const user = opts.user ?? status.block?.user ?? undefined;
  if (user === undefined) throw new EngineError('invalid-input', 'Give your cluster user name with --user NAME.');
  let identity = opts.identity ?? status.block?.identity ?? undefined;
  // A path typed on the command line is relative to the current folder; a bare name is looked up in the SSH folder.
  if (opts.identity !== undefined && /[\\/]/.test(opts.identity) && !path.isAbsolute(opts.identity) && !opts.identity.startsWith('~')) {
    identity = path.resolve(opts.identity);
  }
  return {
    user,
    identity,
    variant: opts.variant ?? status.block?.variant ?? 'simple',
    onConflict: opts.onConflict ?? 'refuse',
    removeBom: opts.removeBom ?? false,
  };
}

function describeVerification(v: ConfigVerification): string[] {
  const lines: string[] = [];
  if (!v.ran) {
    if (v.skippedReason) lines.push(`Not checked with ssh -G: ${v.skippedReason}`);
    return lines;
  }
  if (v.brokenBefore && !v.aliasCheck?.ok) {
    lines.push(`OpenSSH rejects the config as it is now: ${v.brokenBefore}.`);
    return lines;
  }
  if (v.aliasCheck) {
    lines.push(
      v.aliasCheck.ok
        ? v.complete
          ? `Checked with ssh -G: "ssh ${v.aliasCheck.alias}" would use the cluster's host, port, user, key and authentication methods.`
          : `ssh -G could read only part of the config (what was left out is listed below); in what it read, "ssh ${v.aliasCheck.alias}" would use the cluster's host, port, user, key and authentication methods.`
        : `Checked with ssh -G: "ssh ${v.aliasCheck.alias}" would NOT be right${v.aliasCheck.error ? `: ${v.aliasCheck.error}` : ''}.`,
    );
  }
  if (v.checkedAliases.length > 0) {
    const moved = v.changed.length + v.broken.length;
    lines.push(`Your ${v.checkedAliases.length} existing host alias(es): ${moved === 0 ? 'all resolve exactly as before' : `${moved} would change (see above)`}.`);
  }
  for (const n of v.notes) lines.push(n);
  return lines;
}

function printPlan(plan: ConfigPlan): void {
  out(`SSH config: ${plan.configPath}${plan.symlink ? ` (a link to ${plan.targetPath})` : ''}${plan.exists ? '' : ' (does not exist yet)'}`);
  if (!plan.changed) out('It already has these settings: nothing to change.');
  else {
    out(plan.blockAction === 'replace' ? 'The mila-onboard block is replaced where it is; nothing else changes:' : 'The mila-onboard block is added at the top; nothing else changes:');
    out();
    out(plan.diff.trimEnd());
    out();
  }
  if (plan.conflicts.length > 0) {
    out('Conflicts with your own entries:');
    for (const c of plan.conflicts) {
      out(`  ! ${c.message}`);
      for (const l of c.text.split('\n')) out(`    | ${l}`);
    }
  }
  for (const w of plan.warnings) out(`Note: ${w}`);
  for (const l of describeVerification(plan.verification)) out(l);
  if (plan.problems.length > 0) {
    out('Apply would refuse:');
    for (const p of plan.problems) out(`  - ${p}`);
  } else if (!plan.canApply) {
    out('Apply would refuse until you choose: --on-conflict keep-mine (leave your entries in charge) or --on-conflict use-ours (the new entries go first and win; your lines stay).');
  }
}

export function registerConfig(program: Command, deps: ConfigCliDeps = {}): void {
  const config = program.command('config').description('write the cluster\'s entries into your SSH config, safely; undo them');

  withConfigInputs(config.command('plan').description('show what apply would write (a diff of the whole file); writes nothing')).action((opts: ConfigOptions) =>
    run(opts, () =>
      perCluster(opts, deps, async (ctx) => {
        const plan = await planConfig(ctx, await inputsFrom(ctx, opts, deps), deps.engine);
        if (opts.json) printJson(plan);
        else printPlan(plan);
        return plan.canApply || !plan.changed ? EXIT.ok : EXIT.failed;
      }),
    ),
  );

  withConfigInputs(config.command('apply').description('write the block (after showing it and asking, unless --yes)'))
    .option('-y, --yes', 'write without asking')
    .action((opts: ConfigOptions) =>
      run(opts, () => perCluster(opts, deps, async (ctx) => {
        const input = await inputsFrom(ctx, opts, deps);
        // Apply reuses the plan just shown (same bytes and inputs) instead of asking ssh -G again.
        const engine: ConfigDeps = { ...deps.engine, plans: deps.engine?.plans ?? new PlanCache() };
        const plan = await planConfig(ctx, input, engine);
        if (!plan.changed) {
          if (opts.json) printJson({ changed: false, configPath: plan.configPath, hash: plan.hash, message: 'Nothing to change.' });
          else out(`${plan.configPath} already has these settings: nothing to change.`);
          return EXIT.ok;
        }
        if (!plan.canApply) {
          if (opts.json) printJson({ ok: false, plan });
          else printPlan(plan);
          if (!opts.json) process.stderr.write('Not written. Nothing was changed.\n');
          return EXIT.failed;
        }
        if (!opts.yes && !opts.json) printPlan(plan);
        if (!(await confirmOrRefuse(opts, deps, `Write these changes to ${plan.configPath}?`))) {
          out('Not written. Nothing was changed.');
          return EXIT.failed;
        }
        const result = await applyConfig(ctx, { ...input, expectedHash: plan.hash }, engine);
        if (opts.json) return printJson(result);
        out(result.message);
        if (result.createdControlDir) out(`Created ${result.createdControlDir} for connection sharing.`);
        for (const l of describeVerification(result.verification)) out(l);
        for (const w of result.warnings) out(`Note: ${w}`);
      })),
    );

  withCommonOptions(
    config
      .command('revert')
      .description('undo the last change mila-onboard made to the SSH config (exact bytes); with --cluster NAME, the last change to that cluster\'s block only, every other line kept'),
  )
    .option('-y, --yes', 'undo without asking')
    .action((opts: ConfigOptions) =>
      run(opts, async () => {
        if (opts.cluster?.length) {
          return perCluster(opts, deps, async (ctx) => {
            if (!(await confirmOrRefuse(opts, deps, `Undo the last change to the ${ctx.profile.name} block?`))) {
              out('Nothing was changed.');
              return EXIT.failed;
            }
            const result = await revertClusterBlock(ctx, deps.engine);
            if (opts.json) return printJson(result);
            out(result.message);
          });
        }
        const ctx = await contextFor(opts, deps);
        const check = await checkRevert(ctx, deps.engine);
        if (check.blocked || !check.entry || !check.state)
          throw new EngineError(check.entry ? 'changed-underneath' : 'not-found', check.blocked ?? 'Nothing to undo.');
        if (!opts.yes && !opts.json) {
          const current = check.state.bytes?.toString('utf8') ?? '';
          let previous = '';
          if (check.entry.backup) previous = (await readFile(path.join(configPaths(ctx.sshDir).backups, check.entry.backup)).catch(() => Buffer.from(''))).toString('utf8');
          out(check.entry.existed ? `Undo mila-onboard's change of ${check.entry.time}:` : `${check.state.configPath} did not exist before mila-onboard's change of ${check.entry.time}; it will be deleted.`);
          out(unifiedDiff(check.state.configPath, current, previous, true).trimEnd());
        }
        if (!(await confirmOrRefuse(opts, deps, `Undo the change to ${check.state.configPath}?`))) {
          out('Nothing was changed.');
          return EXIT.failed;
        }
        const result = await revertConfig(ctx, deps.engine);
        if (opts.json) return printJson(result);
        out(result.message);
      }),
    );

  withCommonOptions(config.command('status').description('show whether the block is there, for whom, and whether undo is possible')).action((opts: ConfigOptions) =>
    run(opts, () => perCluster(opts, deps, async (ctx) => {
      const s = await configStatus(ctx, deps.engine);
      if (opts.json) return printJson(s);
      out(`SSH config: ${s.configPath}${s.exists ? '' : ' (does not exist)'}${s.symlink ? ' (a link)' : ''}`);
      if (s.block)
        out(`The ${ctx.profile.name} block is at lines ${s.block.startLine}-${s.block.endLine}: user ${s.block.user ?? '?'}, key ${s.block.identity ?? '?'}, variant ${s.block.variant ?? '?'}.`);
      else out(`There is no ${ctx.profile.name} block yet. Add it with "mila-onboard config apply --user NAME".`);
      for (const p of s.problems) out(`Problem: ${p}`);
      out(s.canRevert ? `The last change (${s.lastApply?.time ?? '?'}) can be undone with "mila-onboard config revert".` : `Undo: ${s.revertBlocked ?? 'not possible'}`);
      if (ctx.profile.id !== 'mila' || opts.cluster?.length) out(`Undo this cluster's block only: mila-onboard config revert --cluster ${ctx.profile.id}`);
    })),
  );
}
