// npm "postinstall": makes node-pty's macOS spawn-helper files executable in node_modules
// (see spawn-helper-mode.cjs for why). Runs on every OS so that a tree copied from Linux to a
// Mac also works; on Windows file modes do not exist and there is nothing to do.
//
//   node scripts/ensure-spawn-helper.mjs [node-pty folder]
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ensureSpawnHelpersExecutable, spawnHelpers } = require('./spawn-helper-mode.cjs');

if (process.platform === 'win32') {
  console.log('mila-onboard postinstall: Windows has no file run bits; nothing to do for node-pty.');
  process.exit(0);
}

let ptyDir = process.argv[2];
if (!ptyDir) {
  try {
    ptyDir = path.dirname(require.resolve('node-pty/package.json'));
  } catch {
    console.error('mila-onboard postinstall: node-pty is not installed, so its spawn-helper could not be checked. Run "npm ci" again.');
    process.exit(1);
  }
}

try {
  const changed = ensureSpawnHelpersExecutable(ptyDir);
  const all = spawnHelpers(ptyDir);
  for (const f of changed) console.log(`mila-onboard postinstall: made ${path.relative(process.cwd(), f)} executable (node-pty ships it without its run bit).`);
  if (changed.length === 0) console.log(`mila-onboard postinstall: node-pty's ${all.length} spawn-helper file(s) are executable.`);
} catch (err) {
  console.error(`mila-onboard postinstall: could not make node-pty's spawn-helper executable: ${err.message}`);
  console.error(`Fix it by hand: chmod +x ${path.join(ptyDir, 'prebuilds')}/*/spawn-helper`);
  process.exit(1);
}
