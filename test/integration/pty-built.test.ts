/**
 * The built bundles load node-pty with `require`, never a dynamic import(), and still load it
 * and start programs with it: checked on the files `npm run build:node` wrote (dist/), then by
 * running them. Why: the desktop app's engine host runs from inside app.asar in a utility
 * process, where ESM loading from the archive has regressed in several Electron releases; the
 * CommonJS loader is the asar-aware path every Electron app uses (pty-module.ts).
 *
 * Needs `npm run build:node` (or `npm run build`) first.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { EngineClient } from '../../src/host/desktop/engine-client.js';
import { engineHostArgs, forkEngine } from '../../src/host/desktop/engine-transport.js';
import type { DoctorReportDto } from '../../src/shared/contract/connect.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const CJS = ['dist/desktop/engine-host.cjs', 'dist/web/web-host.cjs'];
const cliChunks = (): string[] => ['dist/cli/mila-onboard.mjs', ...readdirSync(path.join(root, 'dist/cli/chunks')).map((f) => `dist/cli/chunks/${f}`)];
const read = (f: string): string => readFileSync(path.join(root, f), 'utf8');

let tmp: string;
let profileFile: string;
beforeAll(() => {
  for (const f of [...CJS, 'dist/cli/mila-onboard.mjs']) if (!existsSync(path.join(root, f))) throw new Error(`Build first (npm run build:node): ${f} is missing.`);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mila-pty-built-'));
  chmodSync(tmp, 0o700);
  // The doctor also probes the login node: point it at a closed local port, so the run stays offline and quick.
  const mila = builtInProfile('mila');
  profileFile = path.join(tmp, 'profile.json');
  writeFileSync(profileFile, JSON.stringify({ ...mila, login: { ...mila.login, host: '127.0.0.1', port: 9 } }));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the built bundles load node-pty with require', () => {
  it('no bundle loads node-pty with a dynamic import()', () => {
    for (const f of [...CJS, ...cliChunks(), 'dist/main/main.cjs', 'dist/preload/preload.cjs']) {
      expect(/import\(\s*["'`]node-pty["'`]\s*\)/.test(read(f)), f).toBe(false);
    }
  });

  it('the CommonJS bundles resolve node-pty with their own require, falling back to nothing else', () => {
    for (const f of CJS) {
      const text = read(f);
      expect(/\.resolve\("node-pty"\)/.test(text), f).toBe(true);
      // pty-module.ts's nodeRequire(), minified: the bundle's require is used whenever it exists.
      expect(/typeof require=="function"\?require:\(0,[\w$]+\.createRequire\)\(__milaOnboardImportMetaUrl\)/.test(text), f).toBe(true);
      expect(text.startsWith("const __milaOnboardImportMetaUrl=require('node:url').pathToFileURL(__filename).href;"), f).toBe(true);
    }
  });

  it("the CLI's ESM chunk resolves it through the require its banner creates", () => {
    const withPty = cliChunks().filter((f) => read(f).includes('.resolve("node-pty")'));
    expect(withPty).toHaveLength(1);
    expect(read(withPty[0]!).startsWith("import{createRequire as __milaOnboardCreateRequire}from'node:module';const require=__milaOnboardCreateRequire(import.meta.url);")).toBe(true);
  });
});

describe('and the built bundles start OpenSSH through it', () => {
  const ptyCheck = (r: DoctorReportDto) => r.checks.find((c) => c.id === 'pty');

  it('the built engine host (the desktop app\'s, CommonJS), as a child process: doctor.run says the terminal works', async () => {
    const args = engineHostArgs({ sshDir: tmp, profile: profileFile, platform: process.platform });
    const client = new EngineClient(() => forkEngine(path.join(root, 'dist/desktop/engine-host.cjs'), args));
    try {
      const envelope = await client.call('doctor.run', {});
      expect(envelope.ok).toBe(true);
      const report = (envelope as { value: DoctorReportDto }).value;
      expect(ptyCheck(report)).toMatchObject({ status: 'ok', next: '' });
      expect(ptyCheck(report)!.message).toMatch(/^This computer can start OpenSSH in a terminal \(OpenSSH_\d/);
    } finally {
      await client.stop({ graceMs: 1000, killWaitMs: 2000 });
    }
  }, 60_000);

  it('the built CLI: `mila-onboard doctor` shows the terminal check first', async () => {
    const r = await run(process.execPath, [path.join(root, 'bin/mila-onboard.cjs'), 'doctor', '--ssh-dir', tmp, '--profile', profileFile], { cwd: tmp, timeout: 60_000 }).catch((e: { stdout: string; code: number }) => e);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\[ok {2}\] pty: This computer can start OpenSSH in a terminal \(OpenSSH_\d/);
    // the rest fails (an empty SSH folder, a closed port): exit 1, as documented
    expect((r as { code?: number }).code).toBe(1);
  }, 60_000);
});
