import { appendFileSync, chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { nodeFs, type FsLayer } from '../../src/engine/config/fs-layer.js';
import { configPaths } from '../../src/engine/config/paths.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { revertConfig } from '../../src/engine/config/revert.js';
import { configStatus } from '../../src/engine/config/status.js';
import { defaultSshRunner, type SshRunner } from '../../src/engine/config/verify.js';
import { EngineError } from '../../src/engine/errors.js';
import { ctxFor, modeOf, sandbox, testSandbox, type Sandbox } from '../fixtures/configs/helpers.js';
import { engineErrorOf } from '../fixtures/engine-error.js';
import { errnoError, faultyFs, type FaultyStep } from '../fixtures/faulty-fs.js';

const ORIGINAL = Buffer.from('# mine\r\nHost foo\r\n  User bob  # keep\r\n\tPort=2200', 'latin1');

function setup(bytes: Buffer | null = ORIGINAL, mode = 0o640): Sandbox {
  const sb = testSandbox();
  if (bytes) {
    writeFileSync(sb.config, bytes);
    chmodSync(sb.config, mode);
  }
  return sb;
}

const isConfigTemp = (p: string): boolean => /\.config\.mila-onboard-[0-9a-f]+\.tmp$/.test(p);

function tempLeftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

describe('config writer: fault injection, the original always survives', () => {
  const cases: Array<{ step: FaultyStep; errno: string; code: string; when?: (p: string) => boolean }> = [
    { step: 'createExclusive', errno: 'ENOSPC', code: 'disk-full' },
    { step: 'createExclusive', errno: 'EACCES', code: 'permission-denied' },
    { step: 'createExclusive', errno: 'EROFS', code: 'read-only' },
    { step: 'write', errno: 'ENOSPC', code: 'disk-full' },
    { step: 'write', errno: 'EIO', code: 'internal' },
    { step: 'chmod', errno: 'EPERM', code: 'permission-denied' },
    { step: 'sync', errno: 'ENOSPC', code: 'disk-full' },
    { step: 'sync', errno: 'EIO', code: 'internal' },
    { step: 'close', errno: 'EIO', code: 'internal' },
    { step: 'rename', errno: 'EACCES', code: 'permission-denied' },
    { step: 'rename', errno: 'EROFS', code: 'read-only' },
    { step: 'rename', errno: 'EXDEV', code: 'internal' },
    // The backup fails: nothing is written at all.
    { step: 'createExclusive', errno: 'ENOSPC', code: 'disk-full', when: (p) => /mila-onboard-backups\/config\.\d/.test(p) },
    { step: 'write', errno: 'ENOSPC', code: 'disk-full', when: (p) => /mila-onboard-backups\/config\.\d/.test(p) },
    // The backups folder cannot be created (read-only ssh folder).
    { step: 'mkdir', errno: 'EROFS', code: 'read-only', when: (p) => p.endsWith('mila-onboard-backups') },
    // The lock cannot be taken.
    { step: 'createExclusive', errno: 'EACCES', code: 'permission-denied', when: (p) => p.endsWith('config.lock') },
  ];
  for (const c of cases) {
    it(`${c.step} fails with ${c.errno}${c.when ? ' (backup/lock side)' : ''}: ${c.code}, file intact`, async () => {
      const s = setup();
      const ctx = ctxFor(s.sshDir);
      const fs = faultyFs(c.step, c.errno, c.when ?? isConfigTemp);
      const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null, controlDir: null });
      const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { fs, runSsh: null, controlDir: null }));
      expect(err.code).toBe(c.code);
      expect(err.nothingChanged).toBe(true);
      expect(readFileSync(s.config).equals(ORIGINAL)).toBe(true);
      expect(modeOf(s.config)).toBe(0o640);
      expect(tempLeftovers(s.sshDir)).toEqual([]);
      expect(existsSync(configPaths(s.sshDir).lock)).toBe(false);
      // And it works once the disk is fine again.
      const ok = await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { runSsh: null, controlDir: null });
      expect(ok.changed).toBe(true);
    });
  }

  it('journal cannot be written: the change is rolled back', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const fs = faultyFs('rename', 'ENOSPC', (p) => p.endsWith('journal.json'));
    const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null, controlDir: null });
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { fs, runSsh: null, controlDir: null }));
    expect(err.message).toMatch(/record the change.*original config was put back/);
    expect(err.nothingChanged).toBe(true);
    expect(readFileSync(s.config).equals(ORIGINAL)).toBe(true);
    expect(modeOf(s.config)).toBe(0o640);
  });

  it('ssh -G disagrees after writing: rolled back, and says why', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const lying: SshRunner = async (args) => {
      const r = await defaultSshRunner(args);
      return args[2] === s.config ? { ...r, stdout: r.stdout.replace(/^user alice$/m, 'user mallory') } : r;
    };
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { runSsh: lying, controlDir: null }));
    expect(err.code).toBe('verification-failed');
    expect(err.message).toMatch(/User is mallory, expected alice.*put back/);
    expect(err.nothingChanged).toBe(true);
    expect(readFileSync(s.config).equals(ORIGINAL)).toBe(true);
    expect(modeOf(s.config)).toBe(0o640);
    expect((await configStatus(ctx)).canRevert).toBe(false);
  });

  it('when even the rollback fails, the error says so and names the backup', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    let renames = 0;
    const fs: FsLayer = {
      ...nodeFs,
      rename: async (a, b) => {
        if (b === s.config && ++renames === 2) throw errnoError('EIO');
        return nodeFs.rename(a, b);
      },
    };
    const lying: SshRunner = async (args) => {
      const r = await defaultSshRunner(args);
      return args[2] === s.config ? { ...r, stdout: r.stdout.replace(/^port 2222$/m, 'port 22') } : r;
    };
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { fs, runSsh: lying, controlDir: null }));
    expect(err.nothingChanged).toBe(false);
    expect(err.hint).toMatch(/mila-onboard-backups\/config\./);
    const backup = err.hint!.match(/saved at (\S+);/)![1]!;
    expect(readFileSync(backup).equals(ORIGINAL)).toBe(true);
    expect(modeOf(backup)).toBe(0o600);
  });
});

describe('config writer: links, modes, changes underneath, locks', () => {
  it('writes through a symlink: the link stays, the target changes and keeps its mode', async () => {
    const s = setup(null);
    const target = path.join(s.root, 'dotfiles', 'ssh_config');
    mkdirSync(path.dirname(target));
    writeFileSync(target, ORIGINAL);
    chmodSync(target, 0o604);
    symlinkSync('../dotfiles/ssh_config', s.config);
    const ctx = ctxFor(s.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    expect(plan.symlink).toBe(true);
    expect(plan.targetPath).toBe(target);
    expect(plan.warnings.join(' ')).toMatch(/is a link to/);
    await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null });
    expect(lstatSync(s.config).isSymbolicLink()).toBe(true);
    expect(readlinkSync(s.config)).toBe('../dotfiles/ssh_config');
    expect(readFileSync(target, 'utf8')).toContain('Host mila\r\n');
    expect(modeOf(target)).toBe(0o604);
    expect(readdirSync(path.dirname(target)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await revertConfig(ctx);
    expect(lstatSync(s.config).isSymbolicLink()).toBe(true);
    expect(readFileSync(target).equals(ORIGINAL)).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)('run as root on a user\'s file: the file keeps its owner', async () => {
    const s = setup();
    const { chownSync, statSync } = await import('node:fs');
    chownSync(s.config, 4321, 4322);
    const ctx = ctxFor(s.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { runSsh: null, controlDir: null });
    expect([statSync(s.config).uid, statSync(s.config).gid]).toEqual([4321, 4322]);
    await revertConfig(ctx);
    expect([statSync(s.config).uid, statSync(s.config).gid]).toEqual([4321, 4322]);
  });

  it('refuses a dangling symlink and a config that is a folder', async () => {
    const s = setup(null);
    symlinkSync(path.join(s.root, 'nowhere'), s.config);
    const ctx = ctxFor(s.sshDir);
    expect((await engineErrorOf(planConfig(ctx, { user: 'alice' }))).code).toBe('unsafe-path');
    const s2 = sandbox();
    try {
      mkdirSync(s2.config);
      expect((await engineErrorOf(planConfig(ctxFor(s2.sshDir), { user: 'alice' }))).code).toBe('unsafe-path');
    } finally {
      s2.cleanup();
    }
  });

  it('refuses when the file changed after the plan', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    appendFileSync(s.config, '\nHost new\n');
    const edited = readFileSync(s.config);
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { runSsh: null, controlDir: null }));
    expect(err.code).toBe('changed-underneath');
    expect(readFileSync(s.config).equals(edited)).toBe(true);
  });

  it('refuses when an editor writes the file while apply is writing', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const fs: FsLayer = {
      ...nodeFs,
      createExclusive: async (p, mode) => {
        if (isConfigTemp(p)) appendFileSync(s.config, '\nHost sneaky\n');
        return nodeFs.createExclusive(p, mode);
      },
    };
    const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { fs, runSsh: null, controlDir: null }));
    expect(err.code).toBe('changed-underneath');
    expect(readFileSync(s.config, 'latin1')).toBe(ORIGINAL.toString('latin1') + '\nHost sneaky\n');
    expect(tempLeftovers(s.sshDir)).toEqual([]);
  });

  it('refuses while another writer holds the lock, and leaves its lock alone', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const { lock, backups } = configPaths(s.sshDir);
    mkdirSync(backups, { mode: 0o700 });
    const held = JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now(), token: 'someone-else' });
    writeFileSync(lock, held);
    const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { runSsh: null, controlDir: null }));
    expect(err.code).toBe('busy');
    expect(err.hint).toContain(lock);
    expect(readFileSync(lock, 'utf8')).toBe(held);
    expect(readFileSync(s.config).equals(ORIGINAL)).toBe(true);
    expect((await engineErrorOf(revertConfig(ctx))).code).toBe('busy');
  });

  it('takes over a lock left by a dead process or an old one', async () => {
    for (const info of [
      { pid: 2 ** 22 + 7, host: os.hostname(), time: Date.now(), token: 'dead' },
      { pid: 1, host: 'another-machine', time: Date.now() - 3_600_000, token: 'old' },
    ]) {
      const s = setup();
      const ctx = ctxFor(s.sshDir);
      const { lock, backups } = configPaths(s.sshDir);
      mkdirSync(backups, { mode: 0o700 });
      writeFileSync(lock, JSON.stringify(info));
      const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
      expect((await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { runSsh: null, controlDir: null })).changed).toBe(true);
      expect(existsSync(lock)).toBe(false);
      s.cleanup();
    }
  });

  it('two applies at once: one writes, the other refuses; the file is whole', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    const results = await Promise.allSettled([
      applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null }),
      applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled' && r.value.changed);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok.length).toBe(1);
    expect(refused.length).toBe(1);
    expect(['busy', 'changed-underneath']).toContain(((refused[0] as PromiseRejectedResult).reason as EngineError).code);
    expect(readFileSync(s.config, 'utf8')).toBe(plan.after);
  });

  it('rejects bad input before touching anything', async () => {
    const s = setup(null);
    const fresh = path.join(s.root, 'fresh-ssh');
    const ctx = ctxFor(fresh);
    for (const user of ['a b', 'x%y', '', '-l', 'a"b', 'a\nb', 'a'.repeat(40)]) {
      const err = await engineErrorOf(applyConfig(ctx, { user, expectedHash: 'absent' }, { runSsh: null, controlDir: null }));
      expect(err.code).toBe('invalid-input');
    }
    const err = await engineErrorOf(applyConfig(ctx, { user: 'alice', identity: '/tmp/a\nb', expectedHash: 'absent' }, { runSsh: null, controlDir: null }));
    expect(err.code).toBe('invalid-input');
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('config revert and status', () => {
  it('undoes changes one at a time, to the exact bytes', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const deps = { runSsh: null, controlDir: null };
    const p1 = await planConfig(ctx, { user: 'alice' }, deps);
    await applyConfig(ctx, { user: 'alice', expectedHash: p1.hash }, deps);
    const afterAlice = readFileSync(s.config);
    const p2 = await planConfig(ctx, { user: 'bob', variant: 'advanced' }, deps);
    expect(p2.blockAction).toBe('replace');
    await applyConfig(ctx, { user: 'bob', variant: 'advanced', expectedHash: p2.hash }, deps);
    const st = await configStatus(ctx);
    expect(st.block).toMatchObject({ user: 'bob', variant: 'advanced', identity: `${s.sshDir}/id_ed25519_mila`, startLine: 1 });
    expect(st.canRevert).toBe(true);
    await revertConfig(ctx);
    expect(readFileSync(s.config).equals(afterAlice)).toBe(true);
    expect((await configStatus(ctx)).block?.user).toBe('alice');
    await revertConfig(ctx);
    expect(readFileSync(s.config).equals(ORIGINAL)).toBe(true);
    expect(modeOf(s.config)).toBe(0o640);
    expect((await engineErrorOf(revertConfig(ctx))).code).toBe('not-found');
    expect((await configStatus(ctx)).canRevert).toBe(false);
  });

  it('will not undo over the user\'s later edits', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const p = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    await applyConfig(ctx, { user: 'alice', expectedHash: p.hash }, { runSsh: null, controlDir: null });
    appendFileSync(s.config, 'Host later\n');
    const edited = readFileSync(s.config);
    const err = await engineErrorOf(revertConfig(ctx));
    expect(err.code).toBe('changed-underneath');
    expect(err.message).toMatch(/saved at .*mila-onboard-backups\/config\./);
    expect(readFileSync(s.config).equals(edited)).toBe(true);
    expect((await configStatus(ctx)).revertBlocked).toMatch(/edited after/);
  });

  it('will not restore from a damaged backup', async () => {
    const s = setup();
    const ctx = ctxFor(s.sshDir);
    const p = await planConfig(ctx, { user: 'alice' }, { runSsh: null });
    const r = await applyConfig(ctx, { user: 'alice', expectedHash: p.hash }, { runSsh: null, controlDir: null });
    expect(modeOf(r.backupPath!)).toBe(0o600);
    writeFileSync(r.backupPath!, 'garbage');
    const written = readFileSync(s.config);
    expect((await engineErrorOf(revertConfig(ctx))).code).toBe('verification-failed');
    expect(readFileSync(s.config).equals(written)).toBe(true);
  });

  it('nothing to undo on a fresh folder', async () => {
    const s = setup(null);
    expect((await engineErrorOf(revertConfig(ctxFor(s.sshDir)))).code).toBe('not-found');
    const st = await configStatus(ctxFor(s.sshDir));
    expect(st).toMatchObject({ exists: false, block: null, canRevert: false });
  });
});
