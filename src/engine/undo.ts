import type { ErrorReasonDto } from '../shared/contract/common.js';
import { checkRevert, revertConfig } from './config/revert.js';
import type { EngineContext } from './context.js';
import { checkRevertManaged, nodeFs } from './files/index.js';
import { revertKnownHosts } from './trust/revert.js';
import { knownHostsSpec } from './trust/store.js';

export interface UndoAllResult {
  /** How many recorded changes were undone (config and known_hosts together). */
  undone: number;
  /** Why something is left, when it is (a file edited by hand since, say). */
  left: string[];
  /** The same as codes and values, in the same order (what the wizard says); null for an unforeseen failure. */
  leftReasons: Array<ErrorReasonDto | null>;
}

/**
 * Undoes every change recorded in the journals (the SSH config's, then known_hosts'),
 * newest first, each restoring the exact bytes from before it, until none is left or one
 * cannot be undone safely. Keys are never deleted: they are the user's.
 */
export async function undoAll(ctx: EngineContext): Promise<UndoAllResult> {
  let undone = 0;
  for (let i = 0; i < 100; i++) {
    if ((await checkRevert(ctx)).blocked === null) await revertConfig(ctx);
    else if ((await checkRevertManaged(nodeFs, knownHostsSpec(ctx.sshDir))).blocked === null) await revertKnownHosts(ctx);
    else break;
    undone++;
  }
  // A journal with no entry has nothing to undo; one whose entry is blocked says why.
  const checks = [await checkRevert(ctx), await checkRevertManaged(nodeFs, knownHostsSpec(ctx.sshDir))];
  const blocked = checks.filter((c) => (c.entry !== null || c.unsafe === true) && c.blocked !== null);
  return {
    undone,
    left: blocked.map((c) => c.blocked!),
    leftReasons: blocked.map((c) => c.blockedReason ?? null),
  };
}
