/**
 * node-pty's macOS spawn-helper must be executable: after install (postinstall,
 * scripts/ensure-spawn-helper.mjs), in the packaged app (afterPack, scripts/after-pack.cjs),
 * and the engine refuses with a plain message and the exact fix when it is not
 * (src/engine/openssh/pty-ready.ts). node-pty 1.1.0 publishes it at mode 644
 * (microsoft/node-pty#850), so on a Mac every key creation and login would fail with a bare
 * "posix_spawnp failed". Real files, real chmod, real shell: only the OS name is passed in.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors.js';
import { loadPty, ptyEntry } from '../../src/engine/openssh/pty-module.js';
import { ptySpawnOptions } from '../../src/engine/openssh/pty-session.js';
import { shellQuote, spawnHelperFix, spawnRefused, spawnHelperPath, spawnHelperProblem, unpackedPath, type StatLike } from '../../src/engine/openssh/pty-ready.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const { ensureSpawnHelpersExecutable } = require('../../scripts/spawn-helper-mode.cjs') as { ensureSpawnHelpersExecutable(dir: string): string[] };
const afterPack = require('../../scripts/after-pack.cjs') as (ctx: unknown) => Promise<string[]>;

const mode = (f: string): number => statSync(f).mode & 0o777;
const realStat: StatLike = (f) => {
  try {
    const st = statSync(f);
    return { mode: st.mode, isFile: st.isFile() };
  } catch {
    return null;
  }
};

const temps: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'mila-spawn-helper-'));
  temps.push(d);
  return d;
};
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A node-pty folder laid out like the npm tarball: helpers and addons at 644. */
function fakePty(dir: string): { helpers: string[]; addons: string[] } {
  const helpers: string[] = [];
  const addons: string[] = [];
  for (const sub of ['prebuilds/darwin-arm64', 'prebuilds/darwin-x64', 'prebuilds/win32-x64']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    const addon = path.join(dir, sub, 'pty.node');
    writeFileSync(addon, 'addon');
    chmodSync(addon, 0o644);
    addons.push(addon);
    if (sub.startsWith('prebuilds/darwin')) {
      const helper = path.join(dir, sub, 'spawn-helper');
      writeFileSync(helper, '#!/bin/sh\n');
      chmodSync(helper, 0o644);
      helpers.push(helper);
    }
  }
  return { helpers, addons };
}

describe('after install: the spawn-helper node-pty ships for every platform is executable', () => {
  it('node_modules/node-pty/prebuilds/*/spawn-helper all have their run bits (npm ci runs the postinstall)', () => {
    const ptyDir = path.dirname(require.resolve('node-pty/package.json'));
    const prebuilds = path.join(ptyDir, 'prebuilds');
    const helpers = readdirSync(prebuilds)
      .map((d) => path.join(prebuilds, d, 'spawn-helper'))
      .filter((f) => realStat(f)?.isFile);
    // node-pty 1.1 ships one for each macOS architecture; a newer node-pty with none would make this check empty.
    expect(helpers.map((f) => path.basename(path.dirname(f))).sort()).toEqual(['darwin-arm64', 'darwin-x64']);
    if (process.platform === 'win32') return; // Windows has no run bits; the postinstall says so and does nothing.
    for (const f of helpers) expect(mode(f).toString(8), f).toBe('755');
  });

  it('package.json runs the postinstall script, and keeps prepare (the build) working', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.postinstall).toBe('node scripts/ensure-spawn-helper.mjs');
    expect(scripts.prepare).toBe('node scripts/build-node.mjs');
  });

  it('the postinstall script, run for real on a tree as npm unpacks it, makes exactly the helpers executable', async () => {
    const dir = tempDir();
    const { helpers, addons } = fakePty(dir);
    const { stdout } = await run(process.execPath, [path.join(root, 'scripts/ensure-spawn-helper.mjs'), dir], { cwd: dir });
    for (const h of helpers) expect(mode(h).toString(8)).toBe('755');
    for (const a of addons) expect(mode(a).toString(8)).toBe('644');
    expect(stdout).toContain('prebuilds/darwin-arm64/spawn-helper executable');
    // and a second run changes nothing and says so
    const again = await run(process.execPath, [path.join(root, 'scripts/ensure-spawn-helper.mjs'), dir], { cwd: dir });
    expect(again.stdout).toMatch(/2 spawn-helper file\(s\) are executable/);
  });

  it('a locally compiled helper (build/Release) is covered too, and other modes bits are kept', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'build/Release'), { recursive: true });
    const helper = path.join(dir, 'build/Release/spawn-helper');
    writeFileSync(helper, 'x');
    chmodSync(helper, 0o600);
    expect(ensureSpawnHelpersExecutable(dir)).toEqual([helper]);
    expect(mode(helper).toString(8)).toBe('711');
  });
});

describe('afterPack (electron-builder): the packaged app carries an executable spawn-helper', () => {
  const packager = { appInfo: { productFilename: 'Mila Onboard' } };

  it('macOS layout: Mila Onboard.app/Contents/Resources/app.asar.unpacked/node_modules/node-pty', async () => {
    const out = tempDir();
    const ptyDir = path.join(out, 'Mila Onboard.app/Contents/Resources/app.asar.unpacked/node_modules/node-pty');
    const { helpers, addons } = fakePty(ptyDir);
    const changed = await afterPack({ appOutDir: out, electronPlatformName: 'darwin', packager });
    expect(changed.sort()).toEqual(helpers.sort());
    for (const h of helpers) expect(mode(h).toString(8)).toBe('755');
    for (const a of addons) expect(mode(a).toString(8)).toBe('644');
  });

  it('Linux/Windows layout: resources/app.asar.unpacked/node_modules/node-pty', async () => {
    const out = tempDir();
    const { helpers } = fakePty(path.join(out, 'resources/app.asar.unpacked/node_modules/node-pty'));
    await afterPack({ appOutDir: out, electronPlatformName: 'linux', packager });
    for (const h of helpers) expect(mode(h).toString(8)).toBe('755');
  });

  it('is the afterPack hook of the release configuration, which the test configuration inherits', () => {
    const release = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    const test = yaml.load(readFileSync(path.join(root, 'electron-builder.test.yml'), 'utf8')) as Record<string, unknown>;
    expect(release.afterPack).toBe('scripts/after-pack.cjs');
    expect(test.extends).toBe('electron-builder.yml');
    expect(test.afterPack).toBeUndefined();
  });
});

describe('the engine refuses a spawn-helper without its run bit, with a plain message and the fix', () => {
  it('a 644 helper on macOS: refused, naming the file; the fix is the exact command', () => {
    const dir = tempDir();
    const { helpers } = fakePty(dir);
    const problem = spawnHelperProblem(helpers[0]!, 'darwin', realStat);
    expect(problem).toBeInstanceOf(EngineError);
    expect(problem!.message).toBe(
      `Mila Onboard cannot start OpenSSH in a terminal on this computer: its terminal helper program (${helpers[0]}) is not allowed to run (it lacks its run permission, mode 644).`,
    );
    expect(problem!.message).not.toMatch(/posix_spawnp/);
    expect(problem!.hint).toBe(`Run this once in Terminal, then try again: chmod +x ${helpers[0]}`);
    // and the same, with its values, for the window to say in French
    expect(problem!.reason).toEqual({ code: 'pty-helper-not-executable', params: { path: helpers[0], fix: `chmod +x ${helpers[0]}` } });
  });

  it('once executable, nothing to say; Linux and Windows never use the helper', () => {
    const dir = tempDir();
    const { helpers } = fakePty(dir);
    expect(spawnHelperProblem(helpers[0]!, 'linux', realStat)).toBeNull();
    expect(spawnHelperProblem(helpers[0]!, 'win32', realStat)).toBeNull();
    chmodSync(helpers[0]!, 0o755);
    expect(spawnHelperProblem(helpers[0]!, 'darwin', realStat)).toBeNull();
  });

  it('a missing helper is refused too (a damaged install)', () => {
    const p = spawnHelperProblem('/nowhere/spawn-helper', 'darwin', realStat);
    expect(p!.message).toMatch(/terminal helper program is missing \(\/nowhere\/spawn-helper\)/);
    expect(p!.hint).toMatch(/Reinstall Mila Onboard/);
  });

  it('the fix command works when pasted into a shell, even for an app path with spaces and a quote', async () => {
    const dir = path.join(tempDir(), "Mila Onboard's.app", 'Contents');
    mkdirSync(dir, { recursive: true });
    const helper = path.join(dir, 'spawn-helper');
    writeFileSync(helper, '#!/bin/sh\necho helper ran\n');
    chmodSync(helper, 0o644);
    const problem = spawnHelperProblem(helper, 'darwin', realStat)!;
    const fix = /then try again: (.*)$/.exec(problem.hint!)![1]!;
    expect(fix).toBe(spawnHelperFix(helper));
    await run('/bin/sh', ['-c', fix]);
    expect(spawnHelperProblem(helper, 'darwin', realStat)).toBeNull();
    expect((await run(helper, [])).stdout).toBe('helper ran\n');
    expect(shellQuote('/plain/path')).toBe('/plain/path');
  });

  it('finds the helper node-pty will use: beside the first addon in its search order, unpacked from app.asar', () => {
    const dir = tempDir();
    fakePty(dir);
    expect(spawnHelperPath(dir, 'darwin', 'arm64', realStat)).toBe(path.join(dir, 'prebuilds/darwin-arm64/spawn-helper'));
    mkdirSync(path.join(dir, 'build/Release'), { recursive: true });
    writeFileSync(path.join(dir, 'build/Release/pty.node'), 'compiled');
    expect(spawnHelperPath(dir, 'darwin', 'arm64', realStat)).toBe(path.join(dir, 'build/Release/spawn-helper'));
    expect(spawnHelperPath(dir, 'linux', 'x64', realStat)).toBeNull();
    expect(unpackedPath('/Applications/Mila Onboard.app/Contents/Resources/app.asar/node_modules/node-pty/lib/index.js')).toBe(
      '/Applications/Mila Onboard.app/Contents/Resources/app.asar.unpacked/node_modules/node-pty/lib/index.js',
    );
    expect(unpackedPath('C:\\Mila\\resources\\app.asar\\node_modules\\node-pty')).toBe('C:\\Mila\\resources\\app.asar.unpacked\\node_modules\\node-pty');
    expect(unpackedPath('/home/me/app.asarx/node-pty')).toBe('/home/me/app.asarx/node-pty');
  });

  it("node-pty's own bare failure is never shown alone: program, plain reason, and on macOS the helper's fix", () => {
    const mac = spawnRefused('ssh-keygen', 'posix_spawnp failed.', 'darwin', '/Applications/Mila Onboard.app/Contents/Resources/app.asar.unpacked/node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper');
    expect(mac.message).toBe('Mila Onboard could not start "ssh-keygen" in a terminal: this computer refused to start it (posix_spawnp failed).');
    expect(mac.hint).toBe("Run this once in Terminal, then try again: chmod +x '/Applications/Mila Onboard.app/Contents/Resources/app.asar.unpacked/node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper'. If it still fails, reinstall Mila Onboard.");
    expect(mac.reason?.code).toBe('pty-helper-not-executable');
    const linux = spawnRefused('ssh', 'fork failed', 'linux', null);
    expect(linux.hint).toMatch(/^Try again/);
    expect(linux.reason).toBeUndefined();
  });

  it('loadPty refuses before any spawn when the helper it would use has no run bit', () => {
    // The real node-pty is loaded; the file system answers as a Mac install from the npm tarball would.
    const macTree: StatLike = (f) => (f.endsWith(`prebuilds${path.sep}darwin-${process.arch}${path.sep}pty.node`) ? { mode: 0o100644, isFile: true } : f.endsWith('spawn-helper') ? { mode: 0o100644, isFile: true } : null);
    expect(() => loadPty('darwin', macTree)).toThrow(/terminal helper program \(.*prebuilds\/darwin-\w+\/spawn-helper\) is not allowed to run/);
    // and the real tree of this machine passes
    expect(typeof loadPty().spawn).toBe('function');
  });

  it('in a packaged app, node-pty is loaded from app.asar.unpacked when the unpacked copy exists', () => {
    const inAsar = '/opt/Mila Onboard/resources/app.asar/node_modules/node-pty/lib/index.js';
    expect(ptyEntry(inAsar, (p) => p.includes('app.asar.unpacked'))).toBe('/opt/Mila Onboard/resources/app.asar.unpacked/node_modules/node-pty/lib/index.js');
    expect(ptyEntry(inAsar, () => false)).toBe(inAsar);
    expect(ptyEntry('/src/node_modules/node-pty/lib/index.js', () => true)).toBe('/src/node_modules/node-pty/lib/index.js');
  });
});

describe('Windows: programs start on the conpty node-pty ships, whose kill path never forks the app', () => {
  it('useConptyDll on Windows only', () => {
    expect(ptySpawnOptions('/tmp', {}, 'win32').useConptyDll).toBe(true);
    expect(ptySpawnOptions('/tmp', {}, 'darwin').useConptyDll).toBe(false);
    expect(ptySpawnOptions('/tmp', {}, 'linux').useConptyDll).toBe(false);
  });

  it("node-pty 1.1's kill forks a helper only on the system-conpty path (what useConptyDll avoids)", () => {
    // The installed node-pty's own code: if an upgrade changes this, the reasoning in docs/platforms.md must be checked again.
    const agent = readFileSync(require.resolve('node-pty/lib/windowsPtyAgent.js'), 'utf8');
    const kill = agent.slice(agent.indexOf('WindowsPtyAgent.prototype.kill'), agent.indexOf('WindowsPtyAgent.prototype._getConsoleProcessList'));
    const dllBranch = kill.slice(kill.indexOf('else {'), kill.indexOf('else {', kill.indexOf('else {') + 1));
    expect(kill).toContain('if (!this._useConptyDll)');
    expect(kill).toContain('_getConsoleProcessList');
    expect(dllBranch).not.toContain('_getConsoleProcessList');
    expect(agent).toContain("child_process_1.fork(path.join(__dirname, 'conpty_console_list_agent')");
  });
});
