import path from 'node:path';
import { configStatus } from '../config/status.js';
import { expandIdentityPath } from '../connect/identity.js';
import type { EngineContext } from '../context.js';

export interface DefaultKeyChoice {
  /** The key's name inside the SSH folder. */
  name: string;
  /** Why this key: the connection settings name it, or it is the profile's usual name. */
  reason: 'config' | 'profile-default';
}

/**
 * The key a command means when it is given none (`mila-onboard keys public`): the one the
 * managed block's IdentityFile names, when it is in the SSH folder, else the profile's usual
 * key name (id_ed25519_mila for Mila). Only the config is read; nothing is run.
 */
export async function defaultKeyName(ctx: EngineContext): Promise<DefaultKeyChoice> {
  const status = await configStatus(ctx).catch(() => null);
  const identity = status?.block?.identity;
  if (identity) {
    const full = expandIdentityPath(identity);
    const dir = path.resolve(ctx.sshDir);
    // A key outside the SSH folder is not one this command reads: fall back to the usual name.
    if (path.dirname(full) === dir) return { name: path.basename(full), reason: 'config' };
  }
  return { name: ctx.profile.keys.defaultName, reason: 'profile-default' };
}
