/**
 * `--cluster NAME` (repeatable) where the CLI takes `--profile FILE`: config apply/status/
 * revert per cluster, doctor per cluster, clear refusals. The real commands, built with the
 * shared harness and run as a child process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliWith, type CliHarness } from '../fixtures/cli-harness.js';
import { sshGValues, testSandbox } from '../fixtures/configs/helpers.js';

let harness: CliHarness;
beforeAll(async () => {
  harness = await buildCliWith({ config: '{ engine: { controlDir: null } }', doctor: '', keys: '' });
}, 120_000);
afterAll(() => harness?.dispose());

const T = { timeoutMs: 120_000 };

describe('--cluster', () => {
  it('config apply --cluster narval --cluster rorqual writes one block each; revert --cluster narval takes out narval only', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    const apply = await harness.run(['config', 'apply', '--ssh-dir', sb.sshDir, '--cluster', 'narval', '--cluster', 'rorqual', '--user', 'ccdb_user', '--yes'], T);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/== Narval \(Alliance\) \(narval\) ==[\s\S]*== Rorqual \(Alliance\) \(rorqual\) ==/);
    const both = readFileSync(sb.config, 'utf8');
    expect(both).toMatch(/# >>> mila-onboard \(narval\) >>>/);
    expect(both).toMatch(/# >>> mila-onboard \(rorqual\) >>>/);
    expect(sshGValues(sb.config, 'nc10101').get('proxyjump')?.[0]).toBe('narval');

    const status = await harness.run(['config', 'status', '--ssh-dir', sb.sshDir, '--cluster', 'narval', '--cluster', 'rorqual'], T);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/The Narval \(Alliance\) block is at lines .*user ccdb_user/);
    expect(status.stdout).toMatch(/The Rorqual \(Alliance\) block is at lines .*user ccdb_user/);

    const revert = await harness.run(['config', 'revert', '--ssh-dir', sb.sshDir, '--cluster', 'narval', '--yes'], T);
    expect(revert.code, revert.stderr).toBe(0);
    const after = readFileSync(sb.config, 'utf8');
    expect(after).not.toMatch(/mila-onboard \(narval\)/);
    expect(after).toMatch(/# >>> mila-onboard \(rorqual\) >>>/);
    expect(sshGValues(sb.config, 'rc12345').get('proxyjump')?.[0]).toBe('rorqual');
  }, 300_000);

  it('doctor --cluster mila --cluster narval reports per cluster', async () => {
    const sb = testSandbox();
    const r = await harness.run(['doctor', '--ssh-dir', sb.sshDir, '--cluster', 'mila', '--cluster', 'narval', '--json'], T);
    const reports = JSON.parse(r.stdout) as Array<{ cluster: string; report: { checks: unknown[]; overall: string } }>;
    expect(reports.map((x) => x.cluster)).toEqual(['mila', 'narval']);
    for (const x of reports) expect(x.report.checks.length).toBeGreaterThan(0);
    const text = await harness.run(['doctor', '--ssh-dir', sb.sshDir, '--cluster', 'mila', '--cluster', 'narval'], T);
    expect(text.stdout).toMatch(/== mila ==[\s\S]*== narval ==/);
  }, 300_000);

  it('refuses an unknown cluster, --cluster with --profile, and several where one is meant; nothing written', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    const unknown = await harness.run(['config', 'apply', '--ssh-dir', sb.sshDir, '--cluster', 'beluga', '--user', 'x', '--yes'], T);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no built-in cluster named "beluga"[\s\S]*Known clusters: mila, narval/);
    const both = await harness.run(['config', 'plan', '--ssh-dir', sb.sshDir, '--cluster', 'narval', '--profile', 'fir', '--user', 'x'], T);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --cluster NAME or --profile FILE/);
    const several = await harness.run(['keys', 'list', '--ssh-dir', sb.sshDir, '--cluster', 'narval', '--cluster', 'fir'], T);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/one cluster at a time/);
    expect(readFileSync(sb.config, 'utf8')).toBe('Host foo\n  User bob\n');
  }, 300_000);
});
