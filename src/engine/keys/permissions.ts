import type { Stats } from 'node:fs';

export interface Permissions {
  mode: string | null;
  tooOpen: boolean;
}

/**
 * OpenSSH refuses a private key that group or others may read ("UNPROTECTED PRIVATE
 * KEY FILE!"), and the cluster's sshd refuses an SSH folder others may write. We ask
 * for the usual 600 / 700. Windows has no POSIX modes: OpenSSH checks ACLs there
 * instead, which this reports as not applicable (mode null).
 */
export function privateKeyPermissions(st: Stats, platform: NodeJS.Platform = process.platform): Permissions {
  if (platform === 'win32') return { mode: null, tooOpen: false };
  const mode = st.mode & 0o777;
  return { mode: mode.toString(8).padStart(3, '0'), tooOpen: (mode & 0o077) !== 0 };
}

export function publicKeyPermissions(st: Stats, platform: NodeJS.Platform = process.platform): Permissions {
  if (platform === 'win32') return { mode: null, tooOpen: false };
  const mode = st.mode & 0o777;
  // A public key may be world-readable; only others writing it is a problem.
  return { mode: mode.toString(8).padStart(3, '0'), tooOpen: (mode & 0o022) !== 0 };
}

export function folderPermissions(st: Stats, platform: NodeJS.Platform = process.platform): Permissions {
  if (platform === 'win32') return { mode: null, tooOpen: false };
  const mode = st.mode & 0o777;
  return { mode: mode.toString(8).padStart(3, '0'), tooOpen: (mode & 0o077) !== 0 };
}
