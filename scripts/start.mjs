// What `npm start` runs after the build: the desktop app in Electron if Electron's binary
// is installed, otherwise the same wizard in the browser through the loopback web host.
// Arguments are passed through to either (e.g. `npm start -- --ssh-dir /tmp/ssh`).
//
// The binary is located by scripts/electron-binary.mjs, without `require('electron')`:
// when the binary is missing, that module starts a download, which must not happen behind
// the user's back (and cannot succeed on machines without access to Electron's download host).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDevElectron, noDisplayReason } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** @returns {{ binary: string } | { reason: string }} */
function findElectron() {
  const found = findDevElectron();
  if (!('binary' in found)) return found;
  const noDisplay = noDisplayReason();
  return noDisplay ? { reason: noDisplay } : found;
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
  run(process.execPath, [webHost, '--open', ...args]);
}
