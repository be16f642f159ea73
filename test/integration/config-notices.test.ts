import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planConfig } from '../../src/engine/config/index.js';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-notices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plan warnings come with codes the wizard translates', () => {
  it('gives each warning its code and values, in the same order as the English sentences', async () => {
    const ctx = createContext({ sshDir: path.join(dir, 'ssh'), profile: builtInProfile(), platform: 'linux' });
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: path.join(dir, 'no-such-control-dir') });
    expect(plan.notices.map((n) => n.text)).toEqual(plan.warnings);
    expect(plan.notices.map((n) => n.code)).toEqual(['key-missing', 'folder-created', 'control-dir-created']);
    expect(plan.notices[2]!.params).toEqual({ dir: path.join(dir, 'no-such-control-dir') });
  });
});

describe('plan problems come with codes, and OpenSSH’s own words apart', () => {
  it('a config OpenSSH cannot read: code broken-before, with ssh -G’s error as its own', async () => {
    const sshDir = path.join(dir, 'broken');
    mkdirSync(sshDir, { mode: 0o700 });
    writeFileSync(path.join(sshDir, 'config'), 'Host work\n  HostNme example.org\n', { mode: 0o600 });
    const ctx = createContext({ sshDir, profile: builtInProfile(), platform: 'linux' });
    const plan = await planConfig(ctx, { user: 'alice' });
    expect(plan.canApply).toBe(false);
    expect(plan.problemReasons.map((p) => p.text)).toEqual(plan.problems);
    const broken = plan.problemReasons.find((p) => p.code === 'broken-before');
    expect(broken, JSON.stringify(plan.problemReasons)).toBeDefined();
    // What the real ssh -G printed, not a sentence of ours.
    expect(broken!.openssh).toMatch(/Bad configuration option: hostnme/i);
  });

  it('duplicate start markers: a code with the line numbers as values', async () => {
    const sshDir = path.join(dir, 'markers');
    mkdirSync(sshDir, { mode: 0o700 });
    const begin = '# >>> mila-onboard (mila) >>>';
    writeFileSync(path.join(sshDir, 'config'), `${begin}\n${begin}\n`, { mode: 0o600 });
    const ctx = createContext({ sshDir, profile: builtInProfile(), platform: 'linux' });
    const plan = await planConfig(ctx, { user: 'alice' }).catch((e: unknown) => e);
    if (plan instanceof Error) throw plan;
    expect((plan as Awaited<ReturnType<typeof planConfig>>).problemReasons[0]).toMatchObject({ code: 'markers-start-repeated', params: { count: '2', lines: '1, 2' } });
  });
});
