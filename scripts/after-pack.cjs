// electron-builder "afterPack" hook: in the packaged app, before signing, gives node-pty's
// macOS spawn-helper its run bit (see spawn-helper-mode.cjs for why). electron-builder copies
// unpacked files with their modes, so a tree installed without the bit (another package
// manager, a cache, a copy) would ship a Mac app that cannot create a key or log in.
'use strict';
const path = require('node:path');
const { ensureSpawnHelpersExecutable } = require('./spawn-helper-mode.cjs');

/** Where app.asar.unpacked is in the packed app, per the OS being packaged. */
function unpackedDir(context) {
  const resources =
    context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
      ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(context.appOutDir, 'resources');
  return path.join(resources, 'app.asar.unpacked');
}

async function afterPack(context) {
  const ptyDir = path.join(unpackedDir(context), 'node_modules', 'node-pty');
  const changed = ensureSpawnHelpersExecutable(ptyDir);
  for (const f of changed) console.log(`  • afterPack: made ${path.relative(context.appOutDir, f)} executable`);
  return changed;
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.unpackedDir = unpackedDir;
