import path from 'node:path';
import { EngineError, reason } from '../errors.js';

/**
 * Whether node-pty can start a program on this computer, checked before the first spawn.
 *
 * Why: on macOS node-pty starts every program through a small helper, `spawn-helper`, that
 * sits beside its compiled addon. node-pty 1.1.0 is published with that file lacking its
 * run permission (mode 644 in the npm tarball, microsoft/node-pty#850), and then every
 * spawn fails with node-pty's bare "posix_spawnp failed", which names neither the file nor
 * the fix. The postinstall script (scripts/ensure-spawn-helper.mjs) and the packaging hook
 * (scripts/after-pack.cjs) set the bit; this check is the last line, for a copy that
 * escaped both (another package manager, a copy without modes, a damaged install).
 *
 * Everything here is a function of (path, platform, stat), so it is tested on any OS.
 * Linux compiles node-pty from source and never uses the helper; Windows has none.
 */

/** What the check needs to know about a file: null when it does not exist. */
export type StatLike = (file: string) => { mode: number; isFile: boolean } | null;

/** The folders node-pty 1.1 tries for its addon, in its own order (lib/utils.js loadNativeModule). */
export function nativeDirs(platform: NodeJS.Platform, arch: string): string[] {
  return ['build/Release', 'build/Debug', `prebuilds/${platform}-${arch}`];
}

/**
 * The app.asar path of a file as the file on disk. Inside a packaged app, node-pty's files
 * are listed in app.asar but live in app.asar.unpacked (electron-builder.yml asarUnpack);
 * node-pty itself makes the same replacement for spawn-helper.
 */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

/**
 * The spawn-helper node-pty will use: the one beside the first pty.node it would load,
 * as node-pty computes it (`<dir>/spawn-helper`, app.asar replaced by app.asar.unpacked).
 * null when no addon is found (loading node-pty reports that) or on a system without the helper.
 */
export function spawnHelperPath(ptyPackageDir: string, platform: NodeJS.Platform, arch: string, stat: StatLike): string | null {
  if (platform !== 'darwin') return null;
  for (const dir of nativeDirs(platform, arch)) {
    const addon = unpackedPath(path.join(ptyPackageDir, dir, 'pty.node'));
    if (stat(addon)?.isFile) return unpackedPath(path.join(ptyPackageDir, dir, 'spawn-helper'));
  }
  return null;
}

/** A path quoted for a POSIX shell, so the fix can be pasted as it is (app paths hold spaces). */
export function shellQuote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that fixes a helper without its run bit. */
export function spawnHelperFix(helper: string): string {
  return `chmod +x ${shellQuote(helper)}`;
}

/**
 * null when node-pty can start programs; otherwise the refusal, with the exact fix.
 * Never "posix_spawnp failed" alone.
 */
export function spawnHelperProblem(helper: string | null, platform: NodeJS.Platform, stat: StatLike): EngineError | null {
  if (platform !== 'darwin' || helper === null) return null;
  const st = stat(helper);
  if (!st || !st.isFile) {
    return new EngineError('internal', `Mila Onboard cannot start OpenSSH in a terminal on this computer: its terminal helper program is missing (${helper}).`, {
      hint: 'Reinstall Mila Onboard. If you run it from source, run "npm ci" again.',
      reason: reason('pty-helper-missing', { path: helper }),
    });
  }
  if ((st.mode & 0o111) === 0) {
    return new EngineError(
      'internal',
      `Mila Onboard cannot start OpenSSH in a terminal on this computer: its terminal helper program (${helper}) is not allowed to run (it lacks its run permission, mode ${(st.mode & 0o777).toString(8)}).`,
      { hint: `Run this once in Terminal, then try again: ${spawnHelperFix(helper)}`, reason: reason('pty-helper-not-executable', { path: helper, fix: spawnHelperFix(helper) }) },
    );
  }
  return null;
}

/**
 * node-pty's own failure to start a program ("posix_spawnp failed.", "fork failed"), said
 * plainly: which program, that the system refused to start it, and what to do. On macOS the
 * usual cause is the helper (a quarantine flag or a run bit lost after the check), so the
 * fix names it.
 */
export function spawnRefused(program: string, detail: string, platform: NodeJS.Platform, helper: string | null): EngineError {
  const message = `Mila Onboard could not start "${program}" in a terminal: this computer refused to start it (${detail.trim().replace(/\.$/, '')}).`;
  const hint =
    platform === 'darwin' && helper
      ? `Run this once in Terminal, then try again: ${spawnHelperFix(helper)}. If it still fails, reinstall Mila Onboard.`
      : 'Try again. If it still fails, restart the computer or reinstall Mila Onboard.';
  return new EngineError('internal', message, { hint, ...(platform === 'darwin' && helper ? { reason: reason('pty-helper-not-executable', { path: helper, fix: spawnHelperFix(helper) }) } : {}) });
}
