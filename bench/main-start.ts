/**
 * 6. Main-process start: how long loading dist/main/main.cjs takes (all that runs before
 * Electron's ready event and the first window), in a fresh Node process each time, with
 * `electron` replaced by a stand-in whose app.whenReady() never resolves. Electron's own
 * start is not ours and is not counted.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatMs, repeat, summarize } from './stats.js';
import type { BenchEnv, SectionResult } from './types.js';

export const MAIN_TARGET_MS = 50;

/** The stand-in for `electron`: enough for main.ts's top level, and nothing ever becomes ready. */
const ELECTRON_STUB = `
const noop = () => {};
const app = {
  isPackaged: false,
  enableSandbox: noop,
  requestSingleInstanceLock: () => true,
  setAppUserModelId: noop,
  on() { return app; },
  once() { return app; },
  whenReady: () => new Promise(() => {}),
  quit: noop,
  exit: noop,
  getPath: () => require('node:os').tmpdir(),
};
class BrowserWindow {}
module.exports = {
  app,
  BrowserWindow,
  dialog: { showErrorBox: noop },
  ipcMain: { handle: noop, on: noop, removeHandler: noop },
  Menu: { setApplicationMenu: noop, buildFromTemplate: () => ({}) },
  screen: {},
  session: {},
  shell: {},
  utilityProcess: undefined,
};
`;

/** Runs in the child: hook `electron`, time the require of main.cjs, print the milliseconds. */
const LOADER = `
const Module = require('node:module');
const stub = process.argv[2];
const main = process.argv[3];
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? stub : resolve.call(this, request, ...rest);
};
const t0 = performance.now();
require(main);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms }) + '\\n');
`;

export async function benchMainStart(env: BenchEnv): Promise<SectionResult> {
  const stub = path.join(env.tmp, 'electron-stub.cjs');
  const loader = path.join(env.tmp, 'main-loader.cjs');
  writeFileSync(stub, ELECTRON_STUB);
  writeFileSync(loader, LOADER);
  const main = path.join(env.root, 'dist', 'main', 'main.cjs');
  const runs = env.quick ? 5 : 15;
  env.log(`Main-process start: ${runs} fresh processes loading dist/main/main.cjs with a stand-in electron`);
  const times = await repeat(runs, 2, () => {
    const r = spawnSync(process.execPath, [loader, stub, main], {
      cwd: env.root,
      encoding: 'utf8',
      // main.ts reads these; a throwaway folder keeps the real ~/.ssh out of it.
      env: { ...process.env, MILA_ONBOARD_SSH_DIR: path.join(env.tmp, 'main-ssh'), MILA_ONBOARD_PROFILE: '' },
    });
    if (r.status !== 0) throw new Error(`loading main.cjs failed (${r.status}): ${r.stderr}`);
    const line = r.stdout.trim().split('\n').pop() ?? '';
    return (JSON.parse(line) as { ms: number }).ms;
  });
  const s = summarize(times);
  return {
    rows: [{ id: '6', what: 'Main-process start: require dist/main/main.cjs (electron stubbed)', result: formatMs(s), target: `< ${MAIN_TARGET_MS} ms`, ok: s.median < MAIN_TARGET_MS }],
    notes: [
      `Main-process start: ${runs} fresh Node processes (after 2 warm-ups), each timing \`require('dist/main/main.cjs')\` with \`electron\` resolved to a stand-in through Module._resolveFilename; app.whenReady() never resolves, so this is exactly the work done before Electron's ready event.`,
    ],
  };
}
