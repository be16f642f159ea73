/**
 * Checks on what the desktop app ships, made on the built files and the packaging
 * configuration (architecture.md, Electron checklist items 3, 7 and 8), plus the static
 * security scan. Runs after `npm run build` (npm test builds before running the tests).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from '../../src/main/security.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const read = (p: string): string => readFileSync(path.join(root, p), 'utf8');
const SHIPPED_DIRS = ['dist/main', 'dist/desktop', 'dist/preload', 'dist/renderer'];

function filesUnder(dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

beforeAll(() => {
  for (const f of ['dist/renderer/index.html', 'dist/main/main.cjs', 'dist/desktop/engine-host.cjs', 'dist/preload/preload.cjs']) {
    if (!existsSync(path.join(root, f))) throw new Error(`Build first (npm run build; npm test does it): ${f} is missing.`);
  }
});

// ---------------------------------------------------------------------------------------
describe('the built index.html: Content-Security-Policy (checklist 3)', () => {
  const html = () => read('dist/renderer/index.html');
  const metaCsp = (): string => {
    const tags = html().match(/<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/gi) ?? [];
    expect(tags).toHaveLength(1);
    const content = /content="([^"]*)"/i.exec(tags[0]!);
    expect(content).not.toBeNull();
    return content![1]!;
  };
  const directives = (): Map<string, string[]> =>
    new Map(
      metaCsp()
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...values]) => [name!.toLowerCase(), values]),
    );

  it('carries exactly the policy built in code (src/main/security.ts, meta form)', () => {
    expect(metaCsp()).toBe(buildCsp({ meta: true }));
  });

  it("script-src is 'self' and nothing else: no 'unsafe-eval', no 'unsafe-inline', no hosts, no wildcard", () => {
    const script = directives().get('script-src');
    expect(script).toEqual(["'self'"]);
    expect(metaCsp()).not.toMatch(/unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval|\*/);
  });

  it("everything not listed falls back to 'none'; no plugins, no <base>, no form posts", () => {
    const d = directives();
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it('has no inline script or inline event handler (the policy would block them), and its scripts exist', () => {
    const scripts = [...html().matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      const src = /\bsrc="([^"]+)"/.exec(attrs!)?.[1];
      expect(src).toMatch(/^\.\/assets\/[\w.-]+\.js$/);
      expect(existsSync(path.join(root, 'dist/renderer', src!))).toBe(true);
    }
    expect(html()).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html()).not.toMatch(/javascript:/i);
  });
});

// ---------------------------------------------------------------------------------------
/**
 * Plain-http and ws URLs that may appear in the shipped code, each exactly, with where and
 * why. They are identifiers that are never fetched; anything else fails the test, and an
 * entry that no longer occurs fails it too (so the list stays exact).
 */
const INSECURE_URL_ALLOWLIST: Array<{ url: string; files: RegExp; reason: string }> = [
  // Classic zod's JSON Schema identifiers (draft-04, draft-07) and its IPv6 check's `http://[…]`
  // left with classic zod itself (issue #16: the bundles carry zod/mini, whose unused parts are shaken out).
  ...['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/1998/Math/MathML', 'http://www.w3.org/XML/1998/namespace'].map((url) => ({
    url,
    files: /^dist\/renderer\/assets\/[\w.-]+\.js$/,
    reason: 'An XML namespace URI React DOM passes to createElementNS/setAttributeNS for SVG and MathML elements; a name, never fetched.',
  })),
];

describe('what runs before the first window is small', () => {
  it('the preload carries the contract\'s names, not its schemas (it runs in the page before every load)', () => {
    const preload = read('dist/preload/preload.cjs');
    expect(preload).not.toContain('ZodError');
    expect(preload.length).toBeLessThan(16_000);
    expect(preload).toContain('config.plan');
  });
});

describe('no http: or ws: URLs in shipped JS/HTML/CSS (checklist 7)', () => {
  const shipped = () => SHIPPED_DIRS.flatMap(filesUnder).filter((f) => /\.(c?js|mjs|html|css|json)$/.test(f));
  const found = () =>
    shipped().flatMap((file) =>
      [...read(file).matchAll(/\b(?:https?|wss?):\/\/[^\s"'`<>)\\]*/gi)]
        .map((m) => m[0])
        .filter((url) => !/^(https|wss):/i.test(url))
        .map((url) => ({ file: file.split(path.sep).join('/'), url })),
    );

  it('scans the desktop app\'s files (main, engine host, preload, renderer)', () => {
    const files = shipped().map((f) => f.split(path.sep).join('/'));
    expect(files).toEqual(expect.arrayContaining(['dist/main/main.cjs', 'dist/desktop/engine-host.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html']));
    expect(files.some((f) => /^dist\/renderer\/assets\/.*\.js$/.test(f))).toBe(true);
  });

  it('finds only allow-listed identifiers', () => {
    const unexpected = found().filter(({ file, url }) => !INSECURE_URL_ALLOWLIST.some((a) => a.url === url && a.files.test(file)));
    expect(unexpected).toEqual([]);
  });

  it('every allow-list entry still occurs (the list stays exact), and says why', () => {
    const urls = new Set(found().map((f) => f.url));
    for (const entry of INSECURE_URL_ALLOWLIST) {
      expect(urls.has(entry.url), entry.url).toBe(true);
      expect(entry.reason.length).toBeGreaterThan(30);
    }
  });

  it('the HTML and CSS have none at all', () => {
    expect(found().filter((f) => /\.(html|css)$/.test(f.file))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
interface BuilderConfig {
  extends?: string;
  directories?: { output?: string };
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  [key: string]: unknown;
}
const builderConfig = (file: string) => yaml.load(read(file)) as BuilderConfig;

describe('electron-builder configuration: fuses (checklist 7)', () => {
  it('electron-builder.yml turns off run-as-node, NODE_OPTIONS and the inspector, and turns on asar integrity and asar-only loading', () => {
    const fuses = builderConfig('electron-builder.yml').electronFuses;
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('packs the app into an asar (the fuses above are about it), unpacking only node-pty', () => {
    const config = builderConfig('electron-builder.yml');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['node_modules/node-pty/**/*']);
  });

  /**
   * What node-pty needs at run time on each OS, kept by `files` and unpacked by `asarUnpack`.
   * electron-builder builds each installer on its own OS (${platform} is the OS it runs on), so
   * the Windows and macOS trees cannot be packed here; this evaluates the configuration's own
   * globs, with electron-builder's own minimatch, for those OSes. A file is kept unless an
   * exclusion pattern matches it (node_modules start included; no pattern re-includes).
   */
  describe.each([
    {
      os: 'win32',
      arch: 'x64',
      files: [
        'lib/index.js', 'lib/utils.js', 'lib/terminal.js', 'lib/eventEmitter2.js', 'lib/windowsTerminal.js', 'lib/windowsPtyAgent.js',
        'lib/windowsConoutConnection.js', 'lib/worker/conoutSocketWorker.js', 'lib/shared/conout.js', 'lib/conpty_console_list_agent.js',
        'prebuilds/win32-x64/pty.node', 'prebuilds/win32-x64/conpty.node', 'prebuilds/win32-x64/conpty_console_list.node',
        'prebuilds/win32-x64/conpty/conpty.dll', 'prebuilds/win32-x64/conpty/OpenConsole.exe', 'prebuilds/win32-x64/winpty-agent.exe', 'prebuilds/win32-x64/winpty.dll',
        // node-pty's own postinstall copies conpty here on Windows
        'build/Release/conpty/conpty.dll', 'build/Release/conpty/OpenConsole.exe',
      ],
      dropped: ['prebuilds/win32-x64/pty.pdb', 'prebuilds/darwin-arm64/spawn-helper', 'prebuilds/win32-arm64/pty.node', 'src/win/conpty.cc', 'lib/windowsPtyAgent.test.js'],
    },
    {
      os: 'darwin',
      arch: 'arm64',
      files: ['lib/index.js', 'lib/unixTerminal.js', 'lib/utils.js', 'prebuilds/darwin-arm64/pty.node', 'prebuilds/darwin-arm64/spawn-helper'],
      dropped: ['prebuilds/darwin-x64/spawn-helper', 'prebuilds/win32-x64/conpty/conpty.dll', 'binding.gyp'],
    },
  ])('node-pty in the $os-$arch package', ({ os, arch, files, dropped }) => {
    const config = builderConfig('electron-builder.yml');
    const abl = createRequire(require.resolve('app-builder-lib/package.json'));
    const mm = ((m: { minimatch?: unknown }) => (m.minimatch ?? m) as (p: string, g: string, o: object) => boolean)(abl('minimatch') as { minimatch?: unknown });
    const exclusions = (config.files as string[]).filter((f) => f.startsWith('!')).map((f) => f.slice(1).replaceAll('${platform}', os).replaceAll('${arch}', arch));
    const kept = (f: string) => !exclusions.some((g) => mm(`node_modules/node-pty/${f}`, g, { dot: true }));
    const unpacked = (f: string) => (config.asarUnpack ?? []).some((g) => mm(`node_modules/node-pty/${f}`, g, { dot: true }));

    it.each(files)('%s is shipped, unpacked (a real file on disk)', (f) => {
      expect(kept(f)).toBe(true);
      expect(unpacked(f)).toBe(true);
    });
    it.each(dropped)('%s is left out', (f) => {
      expect(kept(f)).toBe(false);
    });
  });

  /**
   * The inspector fuse: Playwright's _electron.launch drives the app through --inspect, so
   * the smoke test needs it on. Choice made: a second configuration file for test builds,
   * electron-builder.test.yml, used only by `npm run dist:test`; release builds
   * (`npm run dist`) use electron-builder.yml, where it is off. The packaging test checks
   * the fuses electron-builder actually flips for both.
   */
  it('the inspector is allowed only in test builds: electron-builder.test.yml changes that fuse and nothing else', () => {
    const test = builderConfig('electron-builder.test.yml');
    expect(Object.keys(test).sort()).toEqual(['directories', 'electronFuses', 'extends']);
    expect(test.extends).toBe('electron-builder.yml');
    expect(test.electronFuses).toEqual({ enableNodeCliInspectArguments: true });
    expect(test.directories).toEqual({ output: 'release/test-build' });
  });

  it('npm run dist builds release installers with the release configuration; only dist:test uses the test one', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toBe('npm run build && electron-builder --publish never');
    expect(scripts['dist:test']).toMatch(/electron-builder .*--config electron-builder\.test\.yml/);
    const others = Object.entries(scripts).filter(([name]) => name !== 'dist:test');
    expect(others.filter(([, cmd]) => cmd.includes('electron-builder.test.yml'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
/**
 * Electron version within the supported majors (checklist 8).
 *
 * The rule, from Electron's release timeline documentation: the latest three stable major
 * versions are supported, and a new major ships about every 8 weeks.
 *
 * How "supported" is determined here, honestly: there is no network in tests, so the first
 * stable release date of each recent major (x.0.0) is written below, as the npm registry's
 * `time` field for the `electron` package gave it on 2026-11-25 (`npm view electron time`).
 * For dates after that snapshot, later majors are projected at the 8-week cadence from the
 * last known one. That projection can be wrong by a few weeks (Electron has delayed
 * releases before), so when this test fails on a later date: upgrade Electron, then refresh
 * the table from the registry.
 *
 * As of 2026-11-25: 45 is the latest stable (45.0.0 on 2026-10-21; 45.5.0, the version
 * installed, on 2026-11-24), so 43, 44 and 45 are supported; 46 is projected for
 * mid-December 2026, after which 43 leaves support, and 45 leaves it when 48 arrives
 * (projected April 2027).
 */
const FIRST_STABLE: Readonly<Record<number, string>> = {
  39: '2025-10-28',
  40: '2026-01-16',
  41: '2026-03-11',
  42: '2026-05-06',
  43: '2026-07-01',
  44: '2026-08-25',
  45: '2026-10-21',
};
const TABLE_DATE = '2026-11-25';
const RELEASE_DATES: Readonly<Record<string, string>> = { '45.5.0': '2026-11-24' };
const CADENCE_DAYS = 56;
const DAY = 86_400_000;

/** The three majors supported on `date`: known releases, then projected ones. */
function supportedMajors(date: Date): number[] {
  const majors = Object.keys(FIRST_STABLE).map(Number);
  const lastKnown = Math.max(...majors);
  let latest = Math.max(...majors.filter((m) => Date.parse(FIRST_STABLE[m]!) <= date.getTime()));
  if (latest === lastKnown) {
    const since = (date.getTime() - Date.parse(FIRST_STABLE[lastKnown]!)) / DAY;
    latest += Math.max(0, Math.floor(since / CADENCE_DAYS));
  }
  return [latest - 2, latest - 1, latest];
}

describe('the Electron version (checklist 8)', () => {
  const declared = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
  const installed = (JSON.parse(read('node_modules/electron/package.json')) as { version: string }).version;

  it('is pinned to an exact version, and that version is the one installed', () => {
    expect(declared).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(declared);
  });

  it('the support rule gives 43, 44 and 45 on the date the table was taken, and moves on with time', () => {
    expect(supportedMajors(new Date(`${TABLE_DATE}T12:00:00Z`))).toEqual([43, 44, 45]);
    expect(supportedMajors(new Date('2026-10-20T12:00:00Z'))).toEqual([42, 43, 44]);
    expect(supportedMajors(new Date('2026-12-20T12:00:00Z'))).toEqual([44, 45, 46]); // 46 projected
    expect(supportedMajors(new Date('2027-04-10T12:00:00Z'))).toEqual([46, 47, 48]); // 45 no longer
  });

  it(`the installed major is among the supported majors today (${new Date().toISOString().slice(0, 10)})`, () => {
    const major = Number(installed.split('.')[0]);
    const supported = supportedMajors(new Date());
    expect(
      supported,
      `Electron ${installed} is out of support: the supported majors are now ${supported.join(', ')}. Upgrade Electron and refresh FIRST_STABLE from the npm registry.`,
    ).toContain(major);
    if (RELEASE_DATES[installed]) expect(Date.parse(RELEASE_DATES[installed]!)).toBeGreaterThanOrEqual(Date.parse(FIRST_STABLE[major]!));
  });
});

// ---------------------------------------------------------------------------------------
describe('static security scan: Electronegativity (npm run scan:electron)', () => {
  interface Report {
    ok: boolean;
    checks: { atomic: number; global: number };
    findings: Array<{ check: string; file: string; severity: string }>;
    blocking: unknown[];
    stale: unknown[];
    parseErrors: unknown[];
    allowed: Array<{ check: string; file: string; reason: string }>;
  }
  let report: Report;
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'scripts/scan-electron.mjs'), '--json'], { cwd: root, timeout: 60_000 }).catch(
      (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
    );
    report = JSON.parse(stdout) as Report;
  }, 60_000);

  it('runs its checks on every file, offline', () => {
    expect(report.checks.atomic).toBeGreaterThan(30);
    expect(report.checks.global).toBeGreaterThan(3);
    expect(report.parseErrors).toEqual([]);
  });

  it('finds nothing above LOW outside the allow-list, and every allow-list entry is still needed', () => {
    expect(report.blocking).toEqual([]);
    expect(report.stale).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('each allowed finding has a reason, and no HIGH finding is allowed outside main.ts\'s window creation', () => {
    for (const a of report.allowed) expect(a.reason.length, `${a.check} ${a.file}`).toBeGreaterThan(60);
    const high = report.findings.filter((f) => f.severity === 'HIGH');
    expect(high.map((f) => `${f.check} ${f.file}`)).toEqual(['CONTEXT_ISOLATION_JS_CHECK main/main.ts']);
  });

  it('sees the navigation limits and the permission handler (the global checks pass)', () => {
    const checks = new Set(report.findings.map((f) => f.check));
    expect(checks.has('LIMIT_NAVIGATION_GLOBAL_CHECK')).toBe(false);
    expect(checks.has('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
describe("Chromium's sandbox is never switched off (docs/platforms.md)", () => {
  it('no shipped file, packaging configuration or launcher passes --no-sandbox', () => {
    const candidates = [
      ...SHIPPED_DIRS.flatMap(filesUnder),
      ...filesUnder('dist/web'),
      'electron-builder.yml',
      'electron-builder.test.yml',
      'package.json',
      'scripts/start.mjs',
      'bin/mila-onboard.cjs',
    ];
    expect(candidates.length).toBeGreaterThan(5);
    const offenders = candidates.filter((f) => /no-sandbox|disable-setuid-sandbox|ELECTRON_DISABLE_SANDBOX|appendSwitch\(\s*["']no-sandbox/.test(read(f)));
    expect(offenders).toEqual([]);
  });
});
