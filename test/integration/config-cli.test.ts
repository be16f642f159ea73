import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerConfig } from '../../src/cli/commands/config.js';
import { ClusterProfileSchema } from '../../src/engine/profile/schema.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { buildCliWith, type CliHarness } from '../fixtures/cli-harness.js';
import { testSandbox } from '../fixtures/configs/helpers.js';

// The config and profile commands, with the connection-sharing folder injected so tests
// never create ~/.cache/ssh. Built with the shared harness (test/fixtures/cli-harness.ts).
let harness: CliHarness | null = null;
let cli = '';
beforeAll(async () => {
  harness = await buildCliWith({ config: '{ engine: { controlDir: process.env.TEST_CONTROL_DIR || null } }', profile: '' });
  cli = harness.path;
});
afterAll(() => harness?.dispose());

function mila(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('mila-onboard profile', () => {
  it('profile show mila --json prints the schema --profile accepts, and it round-trips', () => {
    const r = mila(['profile', 'show', 'mila', '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as unknown;
    expect(ClusterProfileSchema.parse(data)).toEqual(builtInProfile());
    const sb = testSandbox();
    const file = path.join(sb.root, 'profile.json');
    writeFileSync(file, r.stdout);
    const plan = mila(['config', 'plan', '--ssh-dir', sb.sshDir, '--profile', file, '--user', 'alice', '--json']);
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as { blockText: string }).blockText).toContain('Host mila\n');
  });

  it('profile show without --json is readable; a bad file is an error', () => {
    expect(mila(['profile', 'show']).stdout).toMatch(/login\s+login\.server\.mila\.quebec port 2222/);
    const sb = testSandbox();
    const bad = path.join(sb.root, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1}');
    const r = mila(['profile', 'show', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid/);
    expect(mila(['profile', 'list']).stdout.trim().split('\n')).toEqual(['mila', 'narval', 'rorqual', 'fir', 'nibi', 'trillium', 'trillium-gpu', 'tamia', 'killarney', 'vulcan']);
  });
});

describe('mila-onboard config', () => {
  it('plan shows a unified diff and writes nothing', () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    const r = mila(['config', 'plan', '--ssh-dir', sb.sshDir, '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- ${sb.config}\tbefore`);
    expect(r.stdout).toContain('+Host mila');
    expect(r.stdout).toContain(' Host foo');
    expect(r.stdout).toMatch(/Checked with ssh -G: "ssh mila" would use the cluster's/);
    expect(readFileSync(sb.config, 'utf8')).toBe('Host foo\n  User bob\n');
  });

  it('apply without --yes and without a terminal refuses (exit 1); with --yes it writes; again it is a no-op', () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    const env = { TEST_CONTROL_DIR: sb.controlDir };
    const refused = mila(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'alice'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no terminal to ask.*\n.*--yes/);
    expect(refused.stderr).toMatch(/Nothing was changed/);
    expect(readFileSync(sb.config, 'utf8')).toBe('Host foo\n  User bob\n');

    const ok = mila(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'alice', '--yes'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/now has the Mila entries/);
    expect(ok.stdout).toContain(`Created ${sb.controlDir}`);
    const written = readFileSync(sb.config, 'utf8');
    expect(written).toMatch(/^# >>> mila-onboard \(mila\)/);

    // The user name and variant come from the block now.
    const again = mila(['config', 'apply', '--ssh-dir', sb.sshDir, '--yes'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to change/);
    expect(readFileSync(sb.config, 'utf8')).toBe(written);

    const status = JSON.parse(mila(['config', 'status', '--ssh-dir', sb.sshDir, '--json']).stdout) as { block: { user: string; variant: string }; canRevert: boolean };
    expect(status.block).toMatchObject({ user: 'alice', variant: 'simple' });
    expect(status.canRevert).toBe(true);

    expect(mila(['config', 'revert', '--ssh-dir', sb.sshDir]).code).toBe(1);
    const rev = mila(['config', 'revert', '--ssh-dir', sb.sshDir, '--yes']);
    expect(rev.code).toBe(0);
    expect(readFileSync(sb.config, 'utf8')).toBe('Host foo\n  User bob\n');
    expect(mila(['config', 'revert', '--ssh-dir', sb.sshDir, '--yes']).code).toBe(1);
  });

  it('usage errors exit 2: bad user name, unknown variant, missing --user', () => {
    const sb = testSandbox();
    const bad = mila(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'al ice', '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/user name contains a space/);
    expect(mila(['config', 'plan', '--ssh-dir', sb.sshDir, '--user', 'alice', '--variant', 'fancy']).code).toBe(2);
    const missing = mila(['config', 'plan', '--ssh-dir', sb.sshDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--user NAME/);
    expect(existsSync(sb.config)).toBe(false);
  });

  it('a conflict refuses (exit 1) until the user chooses', () => {
    const sb = testSandbox();
    const mine = 'Host mila\n  HostName old.example.com\n  User olduser\n';
    writeFileSync(sb.config, mine);
    const plan = mila(['config', 'plan', '--ssh-dir', sb.sshDir, '--user', 'alice']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/already has an entry for "mila"/);
    expect(plan.stdout).toContain('    | Host mila');
    const refused = mila(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'alice', '--yes']);
    expect(refused.code).toBe(1);
    expect(readFileSync(sb.config, 'utf8')).toBe(mine);
    const ours = mila(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'alice', '--yes', '--on-conflict', 'use-ours', '--json']);
    expect(ours.code).toBe(0);
    expect((JSON.parse(ours.stdout) as { changed: boolean }).changed).toBe(true);
    expect(readFileSync(sb.config, 'utf8').endsWith(mine)).toBe(true);
  });
});

describe('mila-onboard config apply at a terminal', () => {
  async function runInProcess(args: string[], answer: boolean): Promise<{ code: number; out: string; asked: string[] }> {
    const asked: string[] = [];
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      chunks.push(String(c));
      return true;
    });
    const program = new Command('mila-onboard').exitOverride();
    registerConfig(program, {
      engine: { controlDir: null },
      interactive: () => true,
      confirm: async (q) => {
        asked.push(q);
        return answer;
      },
    });
    const saved = process.exitCode;
    try {
      await program.parseAsync(['node', 'mila-onboard', ...args]);
      return { code: Number(process.exitCode ?? 0), out: chunks.join(''), asked };
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
    }
  }

  it('shows the diff and asks; "no" writes nothing, "yes" writes', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n');
    const no = await runInProcess(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'alice'], false);
    expect(no.asked).toEqual([`Write these changes to ${sb.config}?`]);
    expect(no.out).toContain('+Host mila');
    expect(no.code).toBe(1);
    expect(readFileSync(sb.config, 'utf8')).toBe('Host foo\n');
    const yes = await runInProcess(['config', 'apply', '--ssh-dir', sb.sshDir, '--user', 'alice'], true);
    expect(yes.code).toBe(0);
    expect(readFileSync(sb.config, 'utf8')).toContain('Host mila\n');
  });
});
