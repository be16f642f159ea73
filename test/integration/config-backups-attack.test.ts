/**
 * Attacks on the backups folder and its journal (another local user with write access to a
 * shared or world-writable SSH folder). Each time, revert (and apply) must refuse with a plain
 * message, and ~/.ssh/config must keep its exact bytes: no ProxyCommand ever written.
 */
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { checkRevert, revertConfig } from '../../src/engine/config/revert.js';
import { undoAll } from '../../src/engine/undo.js';
import { ctxFor, testSandbox, type Sandbox } from '../fixtures/configs/helpers.js';
import { engineErrorOf } from '../fixtures/engine-error.js';

const EVIL = Buffer.from('Host *\n  ProxyCommand sh -c "touch /tmp/pwned-by-backup; nc %h %p"\n');
const sha = (b: Buffer): string => 'sha256:' + createHash('sha256').update(b).digest('hex');
const NOBODY = 65534;

async function applied(): Promise<{ sb: Sandbox; written: Buffer; backups: string; journal: string }> {
  const sb = testSandbox();
  writeFileSync(sb.config, 'Host foo\n  User bob\n', { mode: 0o600 });
  const ctx = ctxFor(sb.sshDir);
  const p = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
  await applyConfig(ctx, { user: 'alice', expectedHash: p.hash }, { controlDir: null });
  const backups = path.join(sb.sshDir, 'mila-onboard-backups');
  return { sb, written: readFileSync(sb.config), backups, journal: path.join(backups, 'journal.json') };
}

function entry(sbx: Sandbox, current: Buffer, backup: string | null): object {
  return { time: new Date().toISOString(), configPath: sbx.config, targetPath: sbx.config, existed: true, beforeHash: sha(EVIL), afterHash: sha(current), backup, profileId: 'mila', variant: 'simple', user: 'alice' };
}

async function refused(p: Promise<unknown>, code: string, why: RegExp): Promise<void> {
  const err = await engineErrorOf(p);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(why);
}

describe('the backups folder and journal are checked before use', () => {
  it('a pre-linked backups folder (link to another folder holding a forged journal and backup)', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n', { mode: 0o600 });
    const current = readFileSync(sb.config);
    const theirs = path.join(sb.root, 'attacker');
    mkdirSync(theirs, { mode: 0o700 });
    writeFileSync(path.join(theirs, 'config.20250101-000000-000'), EVIL, { mode: 0o600 });
    writeFileSync(path.join(theirs, 'journal.json'), JSON.stringify({ version: 1, entries: [entry(sb, current, 'config.20250101-000000-000')] }), { mode: 0o600 });
    symlinkSync(theirs, path.join(sb.sshDir, 'mila-onboard-backups'));
    const ctx = ctxFor(sb.sshDir);
    const before = readdirSync(theirs).sort();

    expect((await checkRevert(ctx)).blocked).toMatch(/is a link/);
    await refused(revertConfig(ctx), 'unsafe-folder', /backups folder .* is a link/);
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    await refused(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null }), 'unsafe-folder', /is a link/);
    const undo = await undoAll(ctx);
    expect(undo.undone).toBe(0);
    expect(undo.left.join(' ')).toMatch(/is a link/);

    expect(readFileSync(sb.config).equals(current)).toBe(true);
    // Nothing written into their folder either (no lock, no backup).
    expect(readdirSync(theirs).sort()).toEqual(before);
  });

  it('a journal writable by others, edited to point revert at attacker bytes', async () => {
    const a = await applied();
    writeFileSync(path.join(a.backups, 'config.20250101-000000-000'), EVIL, { mode: 0o600 });
    writeFileSync(a.journal, JSON.stringify({ version: 1, entries: [entry(a.sb, a.written, 'config.20250101-000000-000')] }));
    chmodSync(a.journal, 0o666);
    await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-journal', /change journal .* can be changed by other users/);
    expect(readFileSync(a.sb.config).equals(a.written)).toBe(true);
  });

  it('a journal entry naming a backup that belongs to another user', async () => {
    const a = await applied();
    const forged = path.join(a.backups, 'config.20250101-000000-000');
    writeFileSync(forged, EVIL, { mode: 0o600 });
    chownSync(forged, NOBODY, NOBODY);
    writeFileSync(a.journal, JSON.stringify({ version: 1, entries: [entry(a.sb, a.written, 'config.20250101-000000-000')] }), { mode: 0o600 });
    await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-journal', /backup .* belongs to another user/);
    expect(readFileSync(a.sb.config).equals(a.written)).toBe(true);
  });

  it('a journal entry whose backup name is ../../x (or a link)', async () => {
    const a = await applied();
    const outside = path.join(a.sb.root, 'x');
    writeFileSync(outside, EVIL, { mode: 0o600 });
    for (const name of ['../../x', path.join(a.sb.root, 'x'), 'config.20250101-000000-000/../../../x']) {
      writeFileSync(a.journal, JSON.stringify({ version: 1, entries: [entry(a.sb, a.written, name)] }), { mode: 0o600 });
      await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-journal', /outside the backups folder/);
      expect(readFileSync(a.sb.config).equals(a.written)).toBe(true);
    }
    symlinkSync(outside, path.join(a.backups, 'config.20250101-000000-001'));
    writeFileSync(a.journal, JSON.stringify({ version: 1, entries: [entry(a.sb, a.written, 'config.20250101-000000-001')] }), { mode: 0o600 });
    await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-journal', /is a link/);
    expect(readFileSync(a.sb.config).equals(a.written)).toBe(true);
  });

  it('a journal entry that would write another file than the config', async () => {
    const a = await applied();
    const other = path.join(a.sb.root, 'victim');
    writeFileSync(other, 'mine\n');
    const e = { ...entry(a.sb, a.written, null), existed: false, targetPath: other };
    writeFileSync(a.journal, JSON.stringify({ version: 1, entries: [e] }), { mode: 0o600 });
    await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-journal', /would write .*victim/);
    expect(readFileSync(other, 'utf8')).toBe('mine\n');
    expect(existsSync(a.sb.config)).toBe(true);
  });

  it('a backups folder, or an SSH folder, writable by others: revert and apply refuse', async () => {
    const a = await applied();
    chmodSync(a.backups, 0o777);
    await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-folder', /backups folder .* can be changed by other users \(mode 777\)/);
    chmodSync(a.backups, 0o700);
    chmodSync(a.sb.sshDir, 0o777);
    await refused(revertConfig(ctxFor(a.sb.sshDir)), 'unsafe-folder', /SSH folder .* can be changed by other users/);
    const ctx = ctxFor(a.sb.sshDir);
    const plan = await planConfig(ctx, { user: 'bob' }, { controlDir: null });
    await refused(applyConfig(ctx, { user: 'bob', expectedHash: plan.hash }, { controlDir: null }), 'unsafe-folder', /SSH folder/);
    expect(readFileSync(a.sb.config).equals(a.written)).toBe(true);
    chmodSync(a.sb.sshDir, 0o700);
    // The honest journal still works once the folders are safe again.
    const r = await revertConfig(ctx);
    expect(r.reverted).toBe(true);
    expect(readFileSync(a.sb.config, 'utf8')).toBe('Host foo\n  User bob\n');
  });
});
