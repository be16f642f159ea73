import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError, reason } from '../errors.js';
import { publicKeyLineFromText } from '../keys/public.js';
import { sshGOnConfig, type SafeSshG } from '../openssh/ssh-g.js';

/** What `ssh -G <alias>` says, with the SSH folder's config (the one oracle for what a config means). */
export type SshGResult = SafeSshG;

/** Always on a neutralised copy (openssh/ssh-g.ts): nothing in the user's config runs. */
export function sshG(ctx: EngineContext, alias: string = ctx.profile.alias): Promise<SshGResult> {
  return sshGOnConfig({ sshDir: ctx.sshDir, alias, home: sshHome() });
}

function sshHome(): string {
  try {
    return os.userInfo().homedir || os.homedir();
  } catch {
    return os.homedir();
  }
}

/** An IdentityFile as ssh -G prints it (`~` and a few tokens unexpanded) as a path on this computer. */
export function expandIdentityPath(value: string, home: string = sshHome(), user: string = os.userInfo().username): string {
  let v = value;
  if (v === '~' || v.startsWith('~/')) v = home + v.slice(1);
  v = v.replace(/%(.)/g, (m, c: string) => (c === '%' ? '%' : c === 'd' ? home : c === 'u' ? user : m));
  return path.normalize(v);
}

export interface ConfiguredIdentity {
  /** The private key file, on this computer. */
  privateKey: string;
  publicKeyFile: string;
  /** One line `type base64 comment`. */
  publicKeyLine: string;
  fingerprint: string;
  type: string;
}

/**
 * The key the config makes `ssh <alias>` use: the first IdentityFile of `ssh -G` whose
 * public half can be read. Only the public file is read.
 */
export async function configuredIdentity(ctx: EngineContext, alias: string = ctx.profile.alias): Promise<ConfiguredIdentity> {
  const g = await sshG(ctx, alias);
  if (g.code !== 0)
    throw new EngineError('verification-failed', `OpenSSH could not read the SSH config: ${g.stderr || `ssh -G exited with ${g.code}`}`, {
      reason: reason('config-unreadable', { path: path.join(ctx.sshDir, 'config'), exitCode: String(g.code) }, g.stderr || undefined),
    });
  const ids = (g.values.get('identityfile') ?? []).map((v) => expandIdentityPath(v));
  for (const privateKey of ids) {
    const publicKeyFile = `${privateKey}.pub`;
    const st = await stat(publicKeyFile).catch(() => null);
    if (!st?.isFile() || st.size > 64 * 1024) continue;
    const parsed = publicKeyLineFromText(await readFile(publicKeyFile, 'utf8').catch(() => ''));
    if (parsed) return { privateKey, publicKeyFile, publicKeyLine: parsed.line, fingerprint: parsed.fingerprint, type: parsed.type };
  }
  throw new EngineError('not-found', `The key the SSH config names for "${alias}" has no readable public half (${ids.map((i) => `${i}.pub`).join(', ') || 'no IdentityFile'}).`, {
    hint: 'Open the “Your key” step: it can make the public key again from the private key.',
    reason: reason('config-no-public-key', { alias, files: ids.map((i) => `${i}.pub`).join(', ') }),
  });
}
