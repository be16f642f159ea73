import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError, fromFsError, reason } from '../errors.js';
import { replaceManagedFile } from '../files/managed.js';
import type { ConfigRevertResult } from '../../shared/contract/config.js';
import { BOM_BIN, fromBin, toBin } from './bytes.js';
import { readJournal } from './journal.js';
import { configPaths } from './paths.js';
import { checkRevert, configFileSpec, revertConfig } from './revert.js';
import { parseConfig, type ParsedConfig } from './splice.js';
import { resolveDeps, type ConfigDeps } from './state.js';

const bomLength = (parsed: ParsedConfig): number => (parsed.bom ? BOM_BIN.length : 0);

/** The block's bytes in a parsed file ('' when there is none). */
function blockBin(parsed: ParsedConfig): string {
  if (!parsed.block) return '';
  const offset = bomLength(parsed);
  return parsed.bin.slice(offset + parsed.block.startByte, offset + parsed.block.endByte);
}

/** Everything outside this profile's block: what undoing one cluster must leave exactly as it is. */
function outside(parsed: ParsedConfig): string {
  if (!parsed.block) return parsed.bin;
  const offset = bomLength(parsed);
  return parsed.bin.slice(0, offset + parsed.block.startByte) + parsed.bin.slice(offset + parsed.block.endByte);
}

/**
 * Undoes the last change to THIS cluster's block only (one block per cluster, each with
 * its own undo). When that change is also the last change to the file, the exact bytes from
 * before it come back (revertConfig). When another cluster's block was written since, only
 * this block goes back to what it was before its last change (or goes away, if it did not
 * exist): every byte outside it, the other blocks included, stays. That edit is itself a
 * journaled change with a backup, so it can be undone in turn.
 */
export async function revertClusterBlock(ctx: EngineContext, deps: ConfigDeps = {}): Promise<ConfigRevertResult> {
  const d = resolveDeps(ctx, deps);
  const id = ctx.profile.id;
  const paths = configPaths(ctx.sshDir);
  const { journal, problem } = await readJournal(d.fs, paths.journal);
  if (problem) throw new EngineError('internal', problem, { reason: reason('journal-untrusted', { backups: paths.backups }) });
  const index = journal.entries.map((e) => e.profileId).lastIndexOf(id);
  if (index < 0)
    throw new EngineError('not-found', `mila-onboard has not changed the ${ctx.profile.name} block of ${paths.config} (or that change was already undone).`, {
      reason: reason('config-block-not-changed', { profile: ctx.profile.name, path: paths.config }),
    });
  if (index === journal.entries.length - 1 && (await checkRevert(ctx, deps)).blocked === null) return revertConfig(ctx, deps);

  const entry = journal.entries[index]!;
  let before = '';
  if (entry.backup) {
    const file = path.join(paths.backups, entry.backup);
    try {
      before = toBin(await d.fs.readFile(file));
    } catch (err) {
      throw fromFsError(err, `Could not read the backup ${file}`, file);
    }
  }
  const previous = parseConfig(before, id);
  if (previous.markerProblems.length)
    throw new EngineError('verification-failed', `The backup from before that change has broken ${ctx.profile.name} markers: ${previous.markerProblems[0]}`, {
      reason: reason('config-backup-markers', { profile: ctx.profile.name, backup: entry.backup ? path.join(paths.backups, entry.backup) : '' }),
    });
  const restored = blockBin(previous);
  let kept = '';
  const res = await replaceManagedFile(d.fs, configFileSpec(ctx.sshDir), {
    now: d.now,
    entry: { profileId: id, variant: entry.variant, user: entry.user },
    build: (state) => {
      const current = parseConfig(state.bytes ? toBin(state.bytes) : '', id);
      if (current.markerProblems.length) throw new EngineError('invalid-input', current.markerProblems[0]!, { nothingChanged: true, reason: reason('config-markers-broken', { profile: ctx.profile.name, path: paths.config }) });
      if (!current.block)
        throw new EngineError('not-found', `There is no ${ctx.profile.name} block in ${paths.config} to undo.`, { nothingChanged: true, reason: reason('config-block-missing', { profile: ctx.profile.name, path: paths.config }) });
      kept = outside(current);
      const offset = bomLength(current);
      const start = offset + current.block.startByte;
      const end = offset + current.block.endByte;
      return fromBin(current.bin.slice(0, start) + restored + current.bin.slice(end));
    },
    verify: (written) => {
      const after = parseConfig(toBin(written), id);
      if (outside(after) !== kept) return `Lines outside the ${ctx.profile.name} block changed`;
      if (blockBin(after) !== restored) return `The ${ctx.profile.name} block is not what it was before its last change`;
      return null;
    },
  });
  return {
    reverted: true,
    configPath: paths.config,
    restoredFrom: entry.backup ? path.join(paths.backups, entry.backup) : null,
    removed: false,
    message:
      (restored === ''
        ? `The ${ctx.profile.name} block was taken out of ${paths.config}`
        : `The ${ctx.profile.name} block of ${paths.config} is back to what it was before its last change`) +
      `; every other line, other clusters' blocks included, is unchanged.${res.backupPath ? ` The version before this undo is saved at ${res.backupPath}.` : ''}`,
  };
}

/**
 * Whether this cluster's block has a change to undo, whichever cluster was written last (what
 * the wizard's per-cluster "Undo" offers; revertClusterBlock does it). Null: it has one.
 */
export async function clusterRevertBlocked(ctx: EngineContext, deps: ConfigDeps = {}): Promise<string | null> {
  const d = resolveDeps(ctx, deps);
  const paths = configPaths(ctx.sshDir);
  const { journal, problem } = await readJournal(d.fs, paths.journal);
  if (problem) return problem;
  return journal.entries.some((e) => e.profileId === ctx.profile.id) ? null : `mila-onboard has not changed the ${ctx.profile.name} block of ${paths.config} (or that change was already undone).`;
}
