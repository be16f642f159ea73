import path from 'node:path';
import type { EngineContext } from '../context.js';
import type { ConfigStatus } from '../../shared/contract/config.js';
import { binToDisplay, toBin } from './bytes.js';
import { configPaths } from './paths.js';
import { checkRevert } from './revert.js';
import { parseConfig } from './splice.js';
import { readConfigState, resolveDeps, type ConfigDeps } from './state.js';
import { VARIANT_RE } from './template.js';

/** What is in the config now: the block (who, which key, which variant) and whether undo is possible. */
export async function configStatus(ctx: EngineContext, deps: ConfigDeps = {}): Promise<ConfigStatus> {
  const d = resolveDeps(ctx, deps);
  const paths = configPaths(ctx.sshDir);
  const state = await readConfigState(d.fs, paths.config);
  const parsed = parseConfig(state.bytes ? toBin(state.bytes) : '', ctx.profile.id);
  let block: ConfigStatus['block'] = null;
  if (parsed.block) {
    const inside = parsed.lines.slice(parsed.block.startLine, parsed.block.endLine + 1);
    const first = (kw: string): string | null => {
      const l = inside.find((x) => x.directive?.keyword === kw);
      const v = l?.directive?.args[0];
      return v === undefined ? null : binToDisplay(v);
    };
    const variant = inside.map((l) => VARIANT_RE.exec(l.text)?.[1]).find((v) => v !== undefined) as 'simple' | 'advanced' | undefined;
    const identity = first('identityfile');
    block = {
      startLine: parsed.block.startLine + 1,
      endLine: parsed.block.endLine + 1,
      user: first('user'),
      identity: identity === null ? null : identity.replace(/%%/g, '%'),
      variant: variant ?? null,
    };
  }
  const check = await checkRevert(ctx, deps);
  return {
    configPath: paths.config,
    exists: state.exists,
    symlink: state.symlink,
    block,
    problems: parsed.markerProblems,
    canRevert: check.blocked === null,
    revertBlocked: check.blocked,
    lastApply: check.entry ? { time: check.entry.time, backupPath: check.entry.backup ? path.join(paths.backups, check.entry.backup) : null } : null,
  };
}
