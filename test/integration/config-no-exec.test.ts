/**
 * Attack: `Match exec "touch MARKER"` in files reached by Include lines with odd names
 * (`inc\x` is the file incx for OpenSSH's glob; `a\*` is the file literally named `a*`;
 * `~/…`; a quoted name with a space). No operation may create a marker: config plan, config
 * apply, doctor, compute check/fix (its ssh -G), a login and the key check (which read the
 * config to connect), through the engine and the CLI.
 */
import { mkdirSync, readFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkComputeAccess, fixComputeAccess } from '../../src/engine/compute/access.js';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { checkKey } from '../../src/engine/connect/check.js';
import { connect } from '../../src/engine/connect/connect.js';
import { createContext, type EngineContext } from '../../src/engine/context.js';
import { doctor } from '../../src/engine/doctor/doctor.js';
import { runSshGuarded } from '../../src/engine/openssh/ssh-g.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { buildCliWith, type CliHarness } from '../fixtures/cli-harness.js';

const home = os.userInfo().homedir;
let root = '';
let homeInc = '';
let sshDir = '';
let markers = '';
let cli: CliHarness;
let profileFile = '';
let ctx: EngineContext;

function marker(name: string): string {
  return `Match exec "touch ${path.join(markers, name)}"\n  User attacker\n`;
}

function writeConfig(): void {
  const d = path.join(root, 'inc');
  writeFileSync(
    path.join(sshDir, 'config'),
    [
      `Include ${d}/inc\\x`,
      `Include ${d}/a\\*`,
      `Include "${d}/sp ace"`,
      `Include ~/.ssh/${path.basename(homeInc)}/h\\1`,
      'Host mine',
      '  HostName example.org',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mila-onboard-noexec-'));
  sshDir = path.join(root, 'ssh');
  markers = path.join(root, 'markers');
  mkdirSync(sshDir, { mode: 0o700 });
  mkdirSync(markers);
  const d = path.join(root, 'inc');
  mkdirSync(d);
  writeFileSync(path.join(d, 'incx'), marker('incx'), { mode: 0o600 });
  writeFileSync(path.join(d, 'a*'), marker('a-star'), { mode: 0o600 });
  writeFileSync(path.join(d, 'sp ace'), marker('space'), { mode: 0o600 });
  mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  homeInc = mkdtempSync(path.join(home, '.ssh', 'mila-onboard-noexec-test-'));
  writeFileSync(path.join(homeInc, 'h1'), marker('home'), { mode: 0o600 });
  writeConfig();
  const profile = builtInProfile();
  // A login node nobody listens on: nothing here may log in anywhere.
  const closed = { ...profile, login: { ...profile.login, host: '127.0.0.1', port: 9 } };
  profileFile = path.join(root, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(closed));
  ctx = createContext({ sshDir, profile: closed, platform: 'linux', stateDir: path.join(root, 'state') });
  cli = await buildCliWith({ config: '', compute: '', doctor: '' });
});
afterAll(() => {
  cli?.dispose();
  rmSync(root, { recursive: true, force: true });
  if (homeInc) rmSync(homeInc, { recursive: true, force: true });
});

const made = (): string[] => readdirSync(markers);

describe('nothing in the user config runs', () => {
  it('the fixture is live: plain ssh -G on this config runs every marker (proves the attack)', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh', ['-G', '-F', path.join(sshDir, 'config'), 'x'], { stdio: 'ignore' });
    expect(made().sort()).toEqual(['a-star', 'home', 'incx', 'space']);
    for (const m of made()) rmSync(path.join(markers, m));
  });

  it('second guard: ssh -G as the program runs it runs no Match exec even on the raw config', async () => {
    const raw = path.join(root, 'raw.conf');
    writeFileSync(raw, `Match exec "touch ${path.join(markers, 'raw')}"\n  User attacker\nHost *\n  User fine\n`, { mode: 0o600 });
    const r = await runSshGuarded(['-G', '-F', raw, 'x']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^user fine$/m);
    expect(made()).toEqual([]);
  });

  it('config plan and apply (engine)', async () => {
    // The key the block names has no public half: compute stops after its ssh -G, before any login.
    const p = await planConfig(ctx, { user: 'alice', identity: 'no-such-key' }, { controlDir: null });
    expect(made()).toEqual([]);
    expect(p.verification.ran).toBe(true);
    await applyConfig(ctx, { user: 'alice', identity: 'no-such-key', expectedHash: p.hash }, { controlDir: null });
    expect(made()).toEqual([]);
  }, 60_000);

  it('doctor (engine): checked on a copy, and it says so', async () => {
    const r = await doctor(ctx, { reachTimeoutMs: 1000 });
    expect(made()).toEqual([]);
    const c = r.checks.find((x) => x.id === 'config')!;
    expect(c.message).toMatch(/left out of the check|Match exec/);
  }, 60_000);

  it('compute check and fix (engine)', async () => {
    const ask = async (): Promise<string> => '';
    await expect(checkComputeAccess(ctx, { ask })).rejects.toThrow(/no readable public half/);
    await expect(fixComputeAccess(ctx, { ask })).rejects.toThrow(/no readable public half/);
    expect(made()).toEqual([]);
  }, 60_000);

  it('a login and the key check (engine): OpenSSH reads a copy, tries to connect, runs nothing', async () => {
    writeConfig();
    const ask = async (): Promise<string> => '';
    // "mila" is not defined in this config: OpenSSH reads all of it (every Include), then fails
    // to find the host; nothing else happens.
    const login = await connect(ctx, { ask });
    expect(login.ok).toBe(false);
    expect(!login.ok && login.diagnosis.code).toBe('dns');
    const check = await checkKey(ctx);
    expect(check.verdict).toBe('failed');
    expect(made()).toEqual([]);
    // No private copy is left behind in the temporary folder.
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith('mila-onboard-safe-config-'))).toEqual([]);
  }, 60_000);

  it('the CLI: config plan, config apply, doctor, compute check, compute fix', async () => {
    writeConfig();
    const common = ['--ssh-dir', sshDir, '--profile', profileFile];
    const runs = [
      ['config', 'plan', '--user', 'alice', '--identity', 'no-such-key', ...common],
      ['config', 'apply', '--user', 'alice', '--identity', 'no-such-key', '--yes', ...common],
      ['doctor', ...common],
      ['compute', 'check', ...common],
      ['compute', 'fix', '--yes', ...common],
    ];
    for (const args of runs) {
      const r = await cli.run(args, { timeoutMs: 60_000 });
      expect(made(), `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toEqual([]);
      expect(r.stderr + r.stdout).not.toMatch(/Shell .* is not executable/);
    }
    expect(readFileSync(path.join(sshDir, 'config'), 'utf8')).toContain('Host mila');
  }, 180_000);
});
