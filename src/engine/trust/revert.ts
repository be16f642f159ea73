import type { EngineContext } from '../context.js';
import { nodeFs, type FsLayer } from '../files/fs-layer.js';
import { revertManagedFile } from '../files/managed.js';
import type { TrustRevertResult } from '../../shared/contract/trust.js';
import { knownHostsSpec } from './store.js';

/** Restores known_hosts to the exact bytes from before mila-onboard's last change to it (or deletes it if that change created it). */
export async function revertKnownHosts(ctx: EngineContext, deps: { fs?: FsLayer; now?: () => Date } = {}): Promise<TrustRevertResult> {
  const r = await revertManagedFile(deps.fs ?? nodeFs, knownHostsSpec(ctx.sshDir), deps.now ?? (() => new Date()));
  return { reverted: r.reverted, knownHostsPath: r.path, restoredFrom: r.restoredFrom, removed: r.removed, message: r.message };
}
