// Gives node-pty's macOS `spawn-helper` its run bit, in a node_modules tree or in a packaged app.
//
// Why: node-pty 1.1.0 is published with prebuilds/darwin-*/spawn-helper at mode 644
// (microsoft/node-pty#850, fixed only in 1.2 betas). node-pty starts every macOS program
// through that helper, so without the bit every key creation and login fails with
// "posix_spawnp failed". Used by the postinstall script (ensure-spawn-helper.mjs) and by
// electron-builder's afterPack hook (after-pack.cjs); the engine checks again before its first
// spawn (src/engine/openssh/pty-ready.ts). CommonJS, so electron-builder can require it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Every spawn-helper node-pty may use: one per prebuild folder, and a locally compiled one. */
function spawnHelpers(ptyDir) {
  const found = [];
  const prebuilds = path.join(ptyDir, 'prebuilds');
  let dirs = [];
  try {
    dirs = fs.readdirSync(prebuilds, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(prebuilds, d.name));
  } catch {
    // no prebuilds folder (a Linux package carries none)
  }
  for (const dir of [...dirs, path.join(ptyDir, 'build', 'Release'), path.join(ptyDir, 'build', 'Debug')]) {
    const file = path.join(dir, 'spawn-helper');
    try {
      if (fs.statSync(file).isFile()) found.push(file);
    } catch {
      // not there
    }
  }
  return found.sort();
}

/**
 * Adds the run bits (owner, group, others: like `chmod +x`) to every spawn-helper under
 * ptyDir that lacks one. Returns the files it changed. Throws if a file cannot be changed.
 */
function ensureSpawnHelpersExecutable(ptyDir) {
  const changed = [];
  for (const file of spawnHelpers(ptyDir)) {
    const mode = fs.statSync(file).mode & 0o7777;
    if ((mode & 0o111) === 0o111) continue;
    fs.chmodSync(file, mode | 0o111);
    changed.push(file);
  }
  return changed;
}

module.exports = { spawnHelpers, ensureSpawnHelpersExecutable };
