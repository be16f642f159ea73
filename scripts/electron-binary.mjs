// Where an Electron to run the app is, without `require('electron')`: when the binary is
// missing, that module starts a download, which must not happen behind the user's back
// (and cannot succeed on machines without access to Electron's download host).
// Used by scripts/start.mjs and scripts/test-electron.mjs.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The development Electron (node_modules/electron), located the way its index.js does it
 * (path.txt, then dist/), honouring ELECTRON_OVERRIDE_DIST_PATH.
 * @returns {{ binary: string } | { reason: string }}
 */
export function findDevElectron() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'Electron is not installed (run npm install)' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  let binary;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  } else if (relative) {
    binary = path.join(pkgDir, 'dist', relative);
  } else {
    return { reason: "Electron's binary is not installed on this machine (it could not be downloaded)" };
  }
  if (!existsSync(binary)) return { reason: `Electron's binary is missing (${binary} does not exist)` };
  return { binary };
}

/**
 * The executable of the packaged test build (`npm run dist:test`, electron-builder.test.yml)
 * under release/test-build: linux-unpacked/mila-onboard, win-unpacked/Mila Onboard.exe, or
 * mac*\/Mila Onboard.app/Contents/MacOS/Mila Onboard (the one for this machine's arch first).
 * @param {string} root the repository
 * @returns {{ binary: string } | { reason: string }}
 */
export function findPackagedTestBuild(root) {
  const out = path.join(root, 'release', 'test-build');
  if (!existsSync(out)) return { reason: `there is no test build (${out}); run npm run dist:test` };
  const dirs = readdirSync(out).filter((d) => statSync(path.join(out, d)).isDirectory());
  const candidates = [];
  for (const dir of dirs) {
    if (process.platform === 'linux' && /^linux(-\w+)?-unpacked$/.test(dir)) candidates.push(path.join(out, dir, 'mila-onboard'));
    if (process.platform === 'win32' && /^win(-\w+)?-unpacked$/.test(dir)) candidates.push(path.join(out, dir, 'Mila Onboard.exe'));
    if (process.platform === 'darwin' && /^mac/.test(dir)) candidates.push(path.join(out, dir, 'Mila Onboard.app', 'Contents', 'MacOS', 'Mila Onboard'));
  }
  const mine = candidates.filter((c) => c.includes(`-${process.arch}`) || (process.arch === 'x64' && !/-(arm64|ia32|armv7l)/.test(c)));
  const found = [...mine, ...candidates].find((c) => existsSync(c));
  return found ? { binary: found } : { reason: `no executable for ${process.platform}-${process.arch} in ${out}` };
}

/** Why a window cannot open here, or null when it can. */
export function noDisplayReason() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no graphical display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  return null;
}
