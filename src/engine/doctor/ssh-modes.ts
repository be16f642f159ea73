import { chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { fromFsError } from '../errors.js';
import type { DoctorItemCode, DoctorReasonDto } from '../../shared/contract/reasons.js';

/**
 * The SSH folder, the config and known_hosts must not be writable by group or others: OpenSSH
 * refuses such a config ("Bad owner or permissions"), and anyone who can write known_hosts
 * can make this computer trust their server. doctor reports it; the fix (with the user's
 * consent) removes group/other write and nothing else: read access is the user's choice and
 * not a danger for these files (private keys are the keys step's business).
 */

export interface UnsafeMode {
  path: string;
  what: 'SSH folder' | 'SSH config' | 'known_hosts';
  mode: string;
  /** The mode after the fix: the same without group/other write. */
  fixedMode: string;
  /** False when another user owns it: only they (or root) can change it. */
  ownedByYou: boolean;
}

const octal = (m: number): string => (m & 0o777).toString(8).padStart(3, '0');
const myUid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

/** What is writable by others among the SSH folder, its config and known_hosts (links followed: OpenSSH reads the target). */
export async function unsafeSshModes(sshDir: string, platform: NodeJS.Platform = process.platform): Promise<UnsafeMode[]> {
  if (platform === 'win32') return [];
  const out: UnsafeMode[] = [];
  const items: Array<[string, UnsafeMode['what']]> = [
    [sshDir, 'SSH folder'],
    [path.join(sshDir, 'config'), 'SSH config'],
    [path.join(sshDir, 'known_hosts'), 'known_hosts'],
  ];
  for (const [p, what] of items) {
    const st = await stat(p).catch(() => null);
    if (!st || (st.mode & 0o022) === 0) continue;
    const uid = myUid();
    out.push({ path: p, what, mode: octal(st.mode), fixedMode: octal(st.mode & ~0o022), ownedByYou: uid === null || st.uid === uid });
  }
  return out;
}

export interface FixModesResult {
  changed: Array<{ path: string; from: string; to: string }>;
  skipped: Array<{ path: string; reason: string }>;
}

/** Removes group/other write from what unsafeSshModes finds. Calling it is the user's consent. */
export async function fixSshModes(sshDir: string, platform: NodeJS.Platform = process.platform): Promise<FixModesResult> {
  const result: FixModesResult = { changed: [], skipped: [] };
  for (const u of await unsafeSshModes(sshDir, platform)) {
    if (!u.ownedByYou) {
      result.skipped.push({ path: u.path, reason: `${u.path} belongs to another user: ask them (or an administrator) to run chmod go-w on it.` });
      continue;
    }
    try {
      await chmod(u.path, parseInt(u.fixedMode, 8));
    } catch (err) {
      throw fromFsError(err, `Could not change the permissions of ${u.path}`, u.path);
    }
    result.changed.push({ path: u.path, from: u.mode, to: u.fixedMode });
  }
  return result;
}

/** The doctor line for these modes (English; the wizard says it from the check's id and status). */
export function describeUnsafeModes(list: readonly UnsafeMode[]): { message: string; next: string } {
  const items = list.map((u) => `${u.what} ${u.path} (mode ${u.mode})`).join(', ');
  const mine = list.filter((u) => u.ownedByYou);
  const theirs = list.filter((u) => !u.ownedByYou);
  return {
    message: `Other users of this computer can change ${items}: OpenSSH refuses a config like that, and anyone who can write known_hosts can make this computer trust their server.`,
    next: [
      mine.length > 0 ? `Let mila-onboard fix it (removes write access for group and others): mila-onboard doctor --fix, or run: chmod go-w ${mine.map((u) => JSON.stringify(u.path)).join(' ')}` : '',
      theirs.length > 0 ? `${theirs.map((u) => u.path).join(', ')} belong(s) to another user: ask an administrator.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

const ITEM: Record<UnsafeMode['what'], DoctorItemCode> = { 'SSH folder': 'writable-folder', 'SSH config': 'writable-config', known_hosts: 'writable-known-hosts' };

/** The same finding as describeUnsafeModes, as a code and values: one item per file, and whose they are. */
export function unsafeModesReason(list: readonly UnsafeMode[]): DoctorReasonDto {
  const theirs = list.filter((u) => !u.ownedByYou);
  return {
    code: theirs.length > 0 ? 'permissions-unsafe-others' : 'permissions-unsafe',
    params: { others: theirs.map((u) => u.path).join(', '), paths: list.filter((u) => u.ownedByYou).map((u) => JSON.stringify(u.path)).join(' ') },
    items: list.map((u) => ({ code: ITEM[u.what], params: { path: u.path, mode: u.mode } })),
  };
}
