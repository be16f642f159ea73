// `npm run test:electron [-- --packaged]`: the Playwright _electron smoke test
// (test/electron/smoke.spec.ts, playwright.electron.config.ts).
//
// It runs wherever an Electron binary exists:
//   - by default, the development Electron (node_modules/electron) on the built app folder
//     (needs `npm run build`);
//   - with --packaged, the packaged test build from `npm run dist:test` (release/test-build;
//     the release build cannot be driven: its inspector fuse is off, see electron-builder.test.yml).
// Where there is no binary (as on machines that cannot download Electron), it says so in
// one line, "Electron smoke test not run: no Electron binary on this machine", and exits 0:
// reported, not silently skipped, and kept out of `npm test`. With
// MILA_ONBOARD_REQUIRE_ELECTRON=1 (the installers workflow sets it), a missing binary is a
// failure instead.
//
// On Linux without a display, it runs itself under `xvfb-run -a` when xvfb-run exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDevElectron, findPackagedTestBuild, noDisplayReason } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packaged = process.argv.includes('--packaged');
const passThrough = process.argv.slice(2).filter((a) => a !== '--packaged');
const required = process.env.MILA_ONBOARD_REQUIRE_ELECTRON === '1';

const found = packaged ? findPackagedTestBuild(root) : findDevElectron();
if (!('binary' in found)) {
  if (required) {
    console.error(`Electron smoke test cannot run, and MILA_ONBOARD_REQUIRE_ELECTRON=1: ${found.reason}`);
    process.exit(1);
  }
  console.log('Electron smoke test not run: no Electron binary on this machine');
  process.exit(0);
}

if (!packaged) {
  const missing = ['dist/main/main.cjs', 'dist/desktop/engine-host.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html'].filter((f) => !existsSync(path.join(root, f)));
  if (missing.length > 0) {
    console.error(`Build the app first (npm run build): missing ${missing.join(', ')}`);
    process.exit(1);
  }
}

const env = {
  ...process.env,
  MILA_ONBOARD_SMOKE_EXECUTABLE: found.binary,
  // The development Electron is given the app folder; a packaged app knows its own.
  MILA_ONBOARD_SMOKE_APP_ARGS: JSON.stringify(packaged ? [] : [root]),
};
delete env.ELECTRON_RUN_AS_NODE;

const playwright = [path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--config', path.join(root, 'playwright.electron.config.ts'), ...passThrough];
let command = process.execPath;
let args = playwright;
if (noDisplayReason()) {
  if (spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error) {
    console.error(`Electron smoke test cannot run: ${noDisplayReason()}, and xvfb-run is not installed (apt-get install xvfb).`);
    process.exit(1);
  }
  command = 'xvfb-run';
  args = ['-a', '-s', '-screen 0 1920x1080x24', process.execPath, ...playwright];
}

console.log(`Electron smoke test: ${packaged ? 'packaged test build' : 'development Electron'} at ${found.binary}`);
const child = spawn(command, args, { stdio: 'inherit', env, cwd: root });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
