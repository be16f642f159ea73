/**
 * The packaging check that runs here: electron-builder builds the unpacked Linux app
 * (`--linux dir`) from electron-builder.yml, as `npm run dist` would, and the test opens
 * the app.asar it produced.
 *
 * What differs from a real build, and why:
 *   - electronDist: Electron's binary cannot be downloaded here, so a placeholder Electron
 *     folder stands in: an `electron` shell script (renamed to `mila-onboard` by
 *     electron-builder, exactly like the real binary) and an empty resources/ folder.
 *   - Fuses are NOT disabled. The placeholder script carries an Electron fuse wire (the
 *     sentinel string @electron/fuses searches for, then version 1, then one byte per fuse
 *     set to Electron's shipped defaults) in a comment line. So electron-builder runs its
 *     real fuse step on it, and the test reads the wire back: it proves the configuration
 *     flips the fuses it claims to, not only that the YAML says so. (Had this not worked,
 *     the fallback would have been a `electronFuses: null` override.)
 *   - directories.output: a temp folder, so nothing lands in the work tree.
 * Nothing else is overridden. In particular `npmRebuild: false` comes from the real
 * configuration (node-pty is Node-API; see electron-builder.yml); a rebuild would need
 * Electron's headers from the network. With it, electron-builder needs no network at all
 * for the `dir` target. (The AppImage/deb/dmg/nsis targets of `npm run dist` download
 * their tools and the real Electron; that runs in .github/workflows/installers.yml.)
 *
 * Needs `npm run build` first (npm test runs it before the tests).
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as asar from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ptyEntry } from '../../src/engine/openssh/pty-module.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; devDependencies: Record<string, string>; dependencies: Record<string, string> };

/** What @electron/fuses looks for in the Electron binary (its constants.js). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse wire v1 order (@electron/fuses FuseV1Options). */
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
] as const;
/** Electron's shipped defaults for those fuses ('1' on, '0' off). */
const ELECTRON_DEFAULT_WIRE = '10110001';

const BUILT_FILES = ['dist/main/main.cjs', 'dist/desktop/engine-host.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];

let tmp: string;
const builds: Record<'release' | 'test', { appDir: string; log: string; ms: number }> = {} as never;

function placeholderElectron(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\n# Placeholder Electron for the packaging test; fuse wire: '),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, FUSES.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE, 'latin1'),
    Buffer.from('\necho "placeholder Electron: not runnable" >&2\nexit 1\n'),
  ]);
  writeFileSync(path.join(dir, 'electron'), script);
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'LICENSE'), 'placeholder\n');
}

/** Reads the fuse wire back the way @electron/fuses' getCurrentFuseWire does. */
function fuseWire(executable: string): Record<(typeof FUSES)[number], 'on' | 'off'> {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at < 0) throw new Error(`no fuse wire in ${executable}`);
  const start = at + FUSE_SENTINEL.length;
  expect(bytes[start]).toBe(1); // wire version
  expect(bytes[start + 1]).toBe(FUSES.length);
  const out = {} as Record<(typeof FUSES)[number], 'on' | 'off'>;
  FUSES.forEach((name, i) => {
    const state = String.fromCharCode(bytes[start + 2 + i]!);
    expect(['0', '1']).toContain(state);
    out[name] = state === '1' ? 'on' : 'off';
  });
  return out;
}

async function buildDir(kind: 'release' | 'test', electronDist: string): Promise<void> {
  const configFile = path.join(tmp, `${kind}.json`);
  const output = path.join(tmp, `out-${kind}`);
  const base = path.join(root, kind === 'release' ? 'electron-builder.yml' : 'electron-builder.test.yml');
  // JSON is read by electron-builder like its YAML; `extends` keeps the real file as the base.
  writeFileSync(configFile, JSON.stringify({ extends: `file:${base}`, electronDist, directories: { output } }, null, 2));
  // electron-builder mutes its log when it sees VITEST in the environment; the log is
  // wanted here (it is printed when a check fails).
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ELECTRON_BUILDER_CACHE: path.join(tmp, 'cache') };
  delete env.VITEST;
  const t = performance.now();
  const { stdout, stderr } = await run(
    process.execPath,
    [path.join(root, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', '--x64', '--publish', 'never', '--projectDir', root, '--config', configFile],
    { cwd: root, timeout: 120_000, env, maxBuffer: 16 * 1024 * 1024 },
  );
  builds[kind] = { appDir: path.join(output, 'linux-unpacked'), log: stdout + stderr, ms: performance.now() - t };
}

beforeAll(async () => {
  const missing = BUILT_FILES.filter((f) => !existsSync(path.join(root, f)));
  if (missing.length > 0) throw new Error(`Build first (npm run build; npm test does it): missing ${missing.join(', ')}`);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mila-packaging-'));
  const electronDist = path.join(tmp, 'electron-dist');
  placeholderElectron(electronDist);
  // One after the other: two cores, and both read the same project folder.
  await buildDir('release', electronDist);
  await buildDir('test', electronDist);
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Every path in the archive ("/dist/main/main.cjs"), and which of them are unpacked. */
function archive(appDir: string): { files: string[]; unpacked: Set<string>; asarPath: string } {
  const asarPath = path.join(appDir, 'resources', 'app.asar');
  const entries = asar.listPackage(asarPath, { isPack: true }) as unknown as string[];
  const files: string[] = [];
  const unpacked = new Set<string>();
  for (const entry of entries) {
    const m = /^(pack|unpack)\s*:\s*(.*)$/.exec(entry);
    const p = (m ? m[2]! : entry).replace(/\\/g, '/');
    files.push(p);
    if (m?.[1] === 'unpack') unpacked.add(p);
  }
  return { files, unpacked, asarPath };
}

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : ['/' + path.relative(base, full).split(path.sep).join('/')];
  });
}

describe('electron-builder --linux dir with the real configuration', () => {
  it('builds without the network, quickly', () => {
    for (const kind of ['release', 'test'] as const) {
      expect(existsSync(path.join(builds[kind].appDir, 'resources', 'app.asar')), builds[kind].log).toBe(true);
      expect(builds[kind].log).toMatch(/npmRebuild is set to false/);
      expect(builds[kind].log).toMatch(/using custom unpacked Electron distribution/);
      expect(builds[kind].log).toMatch(/executing @electron\/fuses/);
      expect(builds[kind].log).not.toMatch(/download/i);
      expect(builds[kind].ms).toBeLessThan(60_000);
    }
  });

  it('names the executable after the app (the placeholder Electron, renamed)', () => {
    const exe = path.join(builds.release.appDir, 'mila-onboard');
    expect(existsSync(exe)).toBe(true);
    expect(statSync(exe).mode & 0o111).not.toBe(0);
    expect(existsSync(path.join(builds.release.appDir, 'electron'))).toBe(false);
  });

  it('packs the app\'s files', () => {
    const { files } = archive(builds.release.appDir);
    for (const f of ['/package.json', '/profiles/mila.json', ...BUILT_FILES.map((b) => `/${b}`)]) expect(files).toContain(f);
    expect(files.some((f) => /^\/dist\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
    const packed = JSON.parse(asar.extractFile(archive(builds.release.appDir).asarPath, 'package.json').toString('utf8')) as { main: string; name: string };
    expect(packed.main).toBe(pkg.main);
    expect(files).toContain(`/${packed.main}`);
  });

  it('the packed bundles are the built ones, byte for byte', () => {
    const { asarPath } = archive(builds.release.appDir);
    for (const f of BUILT_FILES) {
      expect(asar.extractFile(asarPath, f).equals(readFileSync(path.join(root, f))), f).toBe(true);
    }
  });

  it('unpacks node-pty\'s native module, which the engine host loads from there', () => {
    const { files, unpacked } = archive(builds.release.appDir);
    const ptyNode = '/node_modules/node-pty/build/Release/pty.node';
    expect(files).toContain(ptyNode);
    expect(unpacked.has(ptyNode)).toBe(true);
    const onDisk = path.join(builds.release.appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node');
    expect(existsSync(onDisk)).toBe(true);
    expect(readFileSync(onDisk).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(files).toContain('/node_modules/node-pty/lib/index.js');
    expect(files).toContain('/node_modules/node-pty/package.json');
  });

  it('unpacks all of node-pty: the engine loads it from app.asar.unpacked, where its Windows Worker files are real files', () => {
    const { files, unpacked } = archive(builds.release.appDir);
    const ptyFiles = files.filter((f) => f.startsWith('/node_modules/node-pty/') && /\.(js|node|json)$/.test(f));
    expect(ptyFiles.length).toBeGreaterThan(5);
    expect(ptyFiles.filter((f) => !unpacked.has(f))).toEqual([]);
    const onDisk = path.join(builds.release.appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'node-pty');
    for (const f of ['lib/index.js', 'lib/worker/conoutSocketWorker.js', 'lib/shared/conout.js', 'lib/conpty_console_list_agent.js', 'package.json']) {
      expect(existsSync(path.join(onDisk, f)), f).toBe(true);
    }
  });

  it('the packaged node-pty, found the way the engine finds it, loads and starts ssh -V in a terminal', async () => {
    // What require.resolve('node-pty') gives inside the app, and where pty-module.ts then loads it from.
    const inAsar = path.join(builds.release.appDir, 'resources', 'app.asar', 'node_modules', 'node-pty', 'lib', 'index.js');
    const entry = ptyEntry(inAsar);
    expect(entry).toBe(path.join(builds.release.appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'node-pty', 'lib', 'index.js'));
    const script = `
      const pty = require(${JSON.stringify(entry)});
      let out = '';
      const t = pty.spawn('ssh', ['-V'], { name: 'xterm', cols: 120, rows: 10, cwd: process.cwd(), env: { PATH: process.env.PATH, LC_ALL: 'C' } });
      t.onData((d) => (out += d));
      t.onExit(({ exitCode }) => { process.stdout.write(JSON.stringify({ exitCode, out })); });
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: tmp, timeout: 30_000 });
    const r = JSON.parse(stdout) as { exitCode: number; out: string };
    expect(r.exitCode).toBe(0);
    expect(r.out).toMatch(/^OpenSSH_\d/);
  });

  it('ships no tests, no source maps, no TypeScript sources and no build leftovers', () => {
    const { files } = archive(builds.release.appDir);
    const unpackedOnDisk = walk(path.join(builds.release.appDir, 'resources', 'app.asar.unpacked'));
    const all = [...files, ...unpackedOnDisk];
    expect(all.filter((f) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(f) || /\/(__tests__|tests?|e2e|fixtures)\//.test(f))).toEqual([]);
    expect(all.filter((f) => /\.map$/.test(f))).toEqual([]);
    expect(all.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))).toEqual([]);
    expect(all.filter((f) => /\.(cc|cpp|h|hpp|gyp|gypi|mk|pdb)$|\/Makefile$|\/obj(\.target)?\//.test(f))).toEqual([]);
    // and no source-map comments left inside the shipped JavaScript
    const { asarPath } = archive(builds.release.appDir);
    for (const f of files.filter((p) => /^\/dist\/.*\.(c?js)$/.test(p))) {
      expect(asar.extractFile(asarPath, f.slice(1)).toString('utf8'), f).not.toMatch(/sourceMappingURL=/);
    }
    // nothing from the work tree besides the listed folders
    const topLevel = [...new Set(files.map((f) => f.split('/')[1]))].sort();
    expect(topLevel).toEqual(['dist', 'node_modules', 'package.json', 'profiles']);
    const distDirs = [...new Set(files.filter((f) => f.startsWith('/dist/')).map((f) => f.split('/')[2]))].sort();
    expect(distDirs).toEqual(['desktop', 'main', 'preload', 'renderer']); // no dist/cli, dist/web: not part of the desktop app
  });

  it('holds no devDependency, and of the dependencies only node-pty (everything else is bundled)', () => {
    const { files } = archive(builds.release.appDir);
    const modules = new Set(
      files
        .filter((f) => f.startsWith('/node_modules/'))
        .map((f) => {
          const parts = f.split('/');
          return parts[2]!.startsWith('@') ? `${parts[2]}/${parts[3]}` : parts[2]!;
        })
        .filter((m) => !m.endsWith('/undefined')),
    );
    expect([...modules]).toEqual(['node-pty']);
    for (const dev of Object.keys(pkg.devDependencies)) expect(files, dev).not.toContain(`/node_modules/${dev}`);
    for (const name of ['electron', 'vite', 'vitest', 'playwright', '@playwright/test', 'typescript', 'esbuild', 'electron-builder']) {
      expect(files.some((f) => f === `/node_modules/${name}` || f.startsWith(`/node_modules/${name}/`)), name).toBe(false);
    }
    // Only node-pty is unpacked.
    const unpacked = walk(path.join(builds.release.appDir, 'resources', 'app.asar.unpacked'));
    expect(unpacked.length).toBeGreaterThan(0);
    expect(unpacked.filter((f) => !f.startsWith('/node_modules/node-pty/'))).toEqual([]);
    // The Linux build carries Linux's addon only (the prebuilds are for macOS and Windows).
    expect(files.filter((f) => f.startsWith('/node_modules/node-pty/prebuilds'))).toEqual([]);
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS, no inspector, asar integrity on, app only from asar', () => {
    const before = Object.fromEntries(FUSES.map((name, i) => [name, ELECTRON_DEFAULT_WIRE[i] === '1' ? 'on' : 'off']));
    const release = fuseWire(path.join(builds.release.appDir, 'mila-onboard'));
    expect(release).toEqual({
      ...before,
      RunAsNode: 'off',
      EnableCookieEncryption: 'on',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
    });
  });

  it('the test build (electron-builder.test.yml) differs only by the inspector fuse, and has the same files', () => {
    const release = fuseWire(path.join(builds.release.appDir, 'mila-onboard'));
    const test = fuseWire(path.join(builds.test.appDir, 'mila-onboard'));
    expect(test).toEqual({ ...release, EnableNodeCliInspectArguments: 'on' });
    expect(archive(builds.test.appDir).files).toEqual(archive(builds.release.appDir).files);
  });
});
