import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError, fromFsError, reason } from '../errors.js';
import { ConfigApplyInputSchema, type ConfigApplyInput, type ConfigApplyResult } from '../../shared/contract/config.js';
import { hashBytes } from './bytes.js';
import { writeBackup } from '../files/backup.js';
import { restoreState } from '../files/file-state.js';
import type { FsLayer } from '../files/fs-layer.js';
import { acquireLock } from '../files/lock.js';
import { assertUnchanged, changedUnderneath } from '../files/managed.js';
import { assertSafeBackupsDir, assertSafeSshDir, privateFileProblem } from '../files/safe-folder.js';
import { atomicReplace, ensurePrivateDir } from '../files/write-safely.js';
import { readJournal, writeJournal } from './journal.js';
import { configPaths } from './paths.js';
import { computePlan, parseInput, validateInputs, type PlanInternals } from './plan.js';
import { readConfigState, resolveDeps, type ConfigDeps } from './state.js';
import { verifyWritten, type VerifyReport } from './verify.js';

async function exists(fs: FsLayer, p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

function verificationFailure(v: VerifyReport, internals: PlanInternals): string | null {
  const ac = v.aliasCheck;
  if (ac && !ac.ok) {
    if (ac.error) return `OpenSSH could not read the new config for "${ac.alias}": ${ac.error}`;
    return `"ssh -G ${ac.alias}" did not give the cluster's settings: ${ac.mismatches.map((m) => `${m.option} is ${m.actual}, expected ${m.expected}`).join('; ')}`;
  }
  const broken = v.broken[0];
  if (broken) return `OpenSSH now fails for your entry "${broken.alias}": ${broken.error}`;
  const changed = v.changed.find((c) => !internals.exempt.has(c.alias.toLowerCase()));
  if (changed) return `Your entry "${changed.alias}" resolves differently after the change (${[...changed.removed.map((l) => `-${l}`), ...changed.added.map((l) => `+${l}`)].slice(0, 6).join(', ')})`;
  return null;
}

/**
 * Writes the plan to the config: under a lock, only if the file is still what the plan
 * read, after a backup, atomically, through a symlink, keeping its mode; then checks the
 * result with ssh -G and puts the original back if the check fails.
 */
export async function applyConfig(ctx: EngineContext, rawInput: ConfigApplyInput, deps: ConfigDeps = {}): Promise<ConfigApplyResult> {
  const input = parseInput(ConfigApplyInputSchema, rawInput);
  const d = resolveDeps(ctx, deps);
  const fs = d.fs;
  // Bad input is rejected before anything on disk is touched.
  validateInputs(ctx, input, d);
  const paths = configPaths(ctx.sshDir);

  const early = await readConfigState(fs, paths.config);
  if (hashBytes(early.bytes) !== input.expectedHash) throw changedUnderneath(paths.config);

  const safeFolders = async (): Promise<void> => {
    await assertSafeSshDir(fs, ctx.sshDir);
    await assertSafeBackupsDir(fs, paths.backups);
  };
  await safeFolders();
  await ensurePrivateDir(fs, ctx.sshDir);
  await ensurePrivateDir(fs, paths.backups);
  await safeFolders();
  const release = await acquireLock(fs, paths.lock, () => d.now().getTime(), 'the SSH config');
  try {
    const journalProblem = await privateFileProblem(fs, paths.journal, 'The change journal');
    if (journalProblem)
      throw new EngineError('unsafe-journal', `${journalProblem}; mila-onboard did not write it that way, so it does not trust it. Nothing was changed.`, {
        reason: reason('journal-untrusted', { backups: paths.backups }),
      });
    const state = await readConfigState(fs, paths.config);
    if (hashBytes(state.bytes) !== input.expectedHash) throw changedUnderneath(paths.config);
    const internals = d.plans?.recall(ctx, input, input.expectedHash, d) ?? (await computePlan(ctx, input, state, d, { display: false }));
    const plan = internals.plan;
    if (!plan.changed) {
      return {
        changed: false,
        configPath: paths.config,
        targetPath: state.targetPath,
        backupPath: null,
        hash: plan.hash,
        verification: plan.verification,
        warnings: plan.warnings,
        createdControlDir: await makeControlDir(fs, internals, d.controlDir, plan.warnings),
        message: `${paths.config} already has these settings; nothing was changed.`,
      };
    }
    if (plan.problems.length > 0)
      throw new EngineError('verification-failed', plan.problems.join('\n'), { hint: 'Nothing was written. Run "config plan" to see the details.', reason: reason('config-refused', { path: paths.config }) });
    if (plan.conflicts.length > 0 && internals.onConflict === 'refuse') {
      throw new EngineError(
        'already-exists',
        `Your SSH config already has entries the ${ctx.profile.name} block would touch: ${plan.conflicts.map((c) => `"${c.alias}" (line ${c.line})`).join(', ')}.`,
        {
          hint: 'Choose to keep yours (--on-conflict keep-mine) or to put the new entries first (--on-conflict use-ours). Your lines are never deleted.',
          reason: reason('config-conflicts', { aliases: plan.conflicts.map((c) => c.alias).join(', '), path: paths.config }),
        },
      );
    }

    const backup = state.bytes ? await writeBackup(fs, paths.backups, 'config', state.bytes, d.now()) : null;
    const backupPath = backup ? path.join(paths.backups, backup) : null;
    // Never leave a file we wrote writable by others (OpenSSH refuses such a config): the
    // owner's bits and read access stay as the user chose, group/other write goes.
    const mode = (state.mode ?? 0o600) & ~0o022;
    await atomicReplace(fs, state.targetPath, internals.afterBytes, mode, {
      owner: state.owner,
      // An editor does not take our lock: look once more just before replacing.
      beforeRename: () => assertUnchanged(fs, state.targetPath, input.expectedHash, paths.config),
    });

    const rollback = async (why: string, code: 'verification-failed' | 'internal' = 'verification-failed', cause?: unknown): Promise<never> => {
      const failed = await restoreState(fs, state);
      if (failed)
        throw new EngineError(code, `${why}. Putting the original back also failed: ${failed}`, {
          hint: backupPath ? `Your original config is saved at ${backupPath}; copy it back to ${state.targetPath}.` : `Delete ${state.targetPath}; there was no config before.`,
          reason: backupPath ? reason('file-restore-failed', { path: state.targetPath, backup: backupPath }) : reason('file-restore-failed-new', { path: state.targetPath }),
          nothingChanged: false,
          cause,
        });
      throw new EngineError(code, `${why}. The original config was put back.`, { hint: 'Run "config plan" to see the details.', reason: reason('file-write-undone', { path: paths.config }), cause });
    };

    // Check the file now on disk.
    let verification: VerifyReport | ConfigApplyResult['verification'] = plan.verification;
    const written = await fs.readFile(state.targetPath).catch(() => null);
    if (!written || !written.equals(internals.afterBytes)) await rollback(`${state.targetPath} does not hold what was written`);
    if (d.runSsh && internals.verifyState) {
      let v: VerifyReport;
      try {
        v = await verifyWritten({
          after: internals.after,
          riskyIncludes: internals.includes.risky,
          includes: internals.includes,
          aliases: internals.sshAliases,
          checkedAliases: internals.checkedAliases,
          profileAlias: internals.profileAliasChecked,
          expected: internals.expected,
          displayPath: paths.config,
          run: d.runSsh,
          configPath: paths.config,
          state: internals.verifyState,
        });
      } catch (err) {
        return await rollback('Checking the new config with ssh -G failed', 'verification-failed', err);
      }
      const failure = verificationFailure(v, internals);
      if (failure) await rollback(failure);
      verification = v;
    }

    const afterHash = hashBytes(internals.afterBytes);
    const { journal, problem } = await readJournal(fs, paths.journal);
    const warnings = [...plan.warnings];
    if (problem) warnings.push(problem);
    journal.entries.push({
      time: d.now().toISOString(),
      configPath: paths.config,
      targetPath: state.targetPath,
      existed: state.exists,
      beforeHash: plan.hash,
      afterHash,
      backup,
      profileId: ctx.profile.id,
      variant: internals.variant,
      user: internals.user,
    });
    try {
      await writeJournal(fs, paths.journal, journal);
    } catch (err) {
      await rollback(`Could not record the change for undo (${(err as Error).message})`, 'internal', err);
    }

    const createdControlDir = await makeControlDir(fs, internals, d.controlDir, warnings);
    return {
      changed: true,
      configPath: paths.config,
      targetPath: state.targetPath,
      backupPath,
      hash: afterHash,
      verification,
      warnings,
      createdControlDir,
      message: `${paths.config} now has the ${ctx.profile.name} entries${backupPath ? `; the previous version is saved at ${backupPath}` : ''}. Undo with "mila-onboard config revert".`,
    };
  } finally {
    await release();
  }
}

/** The ControlPath folder must exist for ssh to use connection sharing. */
async function makeControlDir(fs: FsLayer, internals: PlanInternals, dir: string | null, warnings: string[]): Promise<string | null> {
  if (!internals.model.connectionSharing || !dir) return null;
  if (await exists(fs, dir)) return null;
  try {
    await fs.mkdir(dir, 0o700);
    return dir;
  } catch (err) {
    warnings.push(`${fromFsError(err, `Could not create ${dir}`).message} Connection sharing will not work until it exists (mkdir -p -m 700 ${dir}).`);
    return null;
  }
}
