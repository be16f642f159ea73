// What `npm start` runs after the build: the desktop app in Electron if Electron's binary
// is installed, otherwise the same wizard in the browser through the loopback web host.
// Arguments are passed through to either (e.g. `npm start -- --ssh-dir /tmp/ssh`).
//
// The binary is located the way node_modules/electron/index.js does it (path.txt, then
// dist/), but without `require('electron')`: when the binary is missing, that module
// starts a download, which must not happen behind the user's back (and cannot succeed
// on machines without access to Electron's download host).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

/** @returns {{ binary: string } | { reason: string }} */
function findElectron() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: "Electron is not installed (run npm install)" };
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
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no graphical display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { binary };
}

/** Runs a child with the terminal attached, forwards Ctrl+C / termination, exits with its code. */
function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env, cwd: process.cwd() });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (err) => {
    console.error(`Could not start ${path.basename(command)}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const mainBundle = path.join(root, 'dist', 'main', 'main.cjs');
const webHost = path.join(root, 'dist', 'web', 'web-host.cjs');
const found = findElectron();

if ('binary' in found && existsSync(mainBundle)) {
  // The app folder (not main.cjs itself), so Electron reads package.json: the app is named
  // "Mila Onboard" and keeps its settings under that name, as the packaged app does.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(found.binary, [root, ...args], env);
} else {
  const reason = 'binary' in found ? `the Electron entry ${mainBundle} has not been built` : found.reason;
  if (!existsSync(webHost)) {
    console.error(`Cannot start: ${reason}, and the web host ${webHost} has not been built either (run npm run build).`);
    process.exit(1);
  }
  console.log(`${reason[0].toUpperCase()}${reason.slice(1)}; opening the wizard in your browser instead.`);
  run(process.execPath, [webHost, ...args]);
}
