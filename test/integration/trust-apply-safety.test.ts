/**
 * known_hosts goes through the same safe-write mechanism as the SSH config
 * (src/engine/files/): every failing step leaves the user's bytes intact, no temp file, no
 * lock; a journal that cannot be written rolls the change back; a held lock refuses.
 * The scan is replaced by fixed keys here (no server needed); trust-apply.test.ts uses a real one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { EngineError } from '../../src/engine/errors.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { applyTrust } from '../../src/engine/trust/apply.js';
import type { ScannedKey } from '../../src/engine/trust/scan.js';
import { faultyFs, type FaultyStep } from '../fixtures/faulty-fs.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'trust-safety-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BLOB = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const FP = 'SHA256:' + createHash('sha256').update(Buffer.from(BLOB, 'base64')).digest('base64').replace(/=+$/, '');
const scan = async (): Promise<ScannedKey[]> => [{ type: 'ED25519', algorithm: 'ssh-ed25519', blob: BLOB, fingerprint: FP }];
const ORIGINAL = Buffer.from('# the user\'s own\nother.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC2UegQ+mNUlDe93eTxseTiGLGj1GklV8J6O36bSV8M7\n');

function setup() {
  const sshDir = mkdtempSync(path.join(root, 's-'));
  writeFileSync(path.join(sshDir, 'known_hosts'), ORIGINAL, { mode: 0o644 });
  const profile = builtInProfile('mila');
  const ctx = createContext({ sshDir, profile: { ...profile, login: { ...profile.login, fingerprints: { ED25519: FP } } } });
  return { sshDir, ctx, kh: path.join(sshDir, 'known_hosts') };
}

const isTemp = (p: string) => /\.known_hosts\.mila-onboard-[0-9a-f]+\.tmp$/.test(p);
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('known_hosts through the shared safe-write mechanism', () => {
  const cases: Array<{ step: FaultyStep; code: string; expected: string; when?: (p: string) => boolean }> = [
    { step: 'createExclusive', code: 'ENOSPC', expected: 'disk-full' },
    { step: 'write', code: 'ENOSPC', expected: 'disk-full' },
    { step: 'sync', code: 'EIO', expected: 'internal' },
    { step: 'rename', code: 'EROFS', expected: 'read-only' },
    { step: 'write', code: 'ENOSPC', expected: 'disk-full', when: (p) => /mila-onboard-backups\/known_hosts\.\d/.test(p) },
    { step: 'createExclusive', code: 'EACCES', expected: 'permission-denied', when: (p) => p.endsWith('known_hosts.lock') },
  ];
  for (const c of cases) {
    it(`${c.step} fails with ${c.code}${c.when ? ' (backup/lock side)' : ''}: ${c.expected}, bytes intact`, async () => {
      const s = setup();
      const err = await applyTrust(s.ctx, { removeStale: false }, { scan, fs: faultyFs(c.step, c.code, c.when ?? isTemp) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe(c.expected);
      expect(readFileSync(s.kh).equals(ORIGINAL)).toBe(true);
      expect(leftovers(s.sshDir)).toEqual([]);
      expect(existsSync(path.join(s.sshDir, 'mila-onboard-backups', 'known_hosts.lock'))).toBe(false);
      expect((await applyTrust(s.ctx, { removeStale: false }, { scan })).changed).toBe(true);
    });
  }

  it('a journal that cannot be written: the change is rolled back', async () => {
    const s = setup();
    const fs = faultyFs('rename', 'ENOSPC', (p) => /known_hosts\.journal\.json\.mila-onboard-/.test(p));
    const err = (await applyTrust(s.ctx, { removeStale: false }, { scan, fs }).catch((e: unknown) => e)) as EngineError;
    expect(err.message).toMatch(/Could not record the change for undo.*The original was put back/);
    expect(readFileSync(s.kh).equals(ORIGINAL)).toBe(true);
  });

  it('another writer holds the lock: busy, nothing written', async () => {
    const s = setup();
    mkdirSync(path.join(s.sshDir, 'mila-onboard-backups'), { mode: 0o700 });
    writeFileSync(path.join(s.sshDir, 'mila-onboard-backups', 'known_hosts.lock'), JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now(), token: 'x' }));
    const err = (await applyTrust(s.ctx, { removeStale: false }, { scan }).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('busy');
    expect(err.message).toContain('is changing your known_hosts file right now');
    expect(readFileSync(s.kh).equals(ORIGINAL)).toBe(true);
  });

  it('shares the backups folder with the config, each with its own journal and lock', async () => {
    const s = setup();
    const r = await applyTrust(s.ctx, { removeStale: false }, { scan });
    expect(path.dirname(r.backupPath!)).toBe(path.join(s.sshDir, 'mila-onboard-backups'));
    expect(readdirSync(path.join(s.sshDir, 'mila-onboard-backups')).sort()).toEqual([path.basename(r.backupPath!), 'known_hosts.journal.json'].sort());
    expect(path.basename(r.backupPath!)).toMatch(/^known_hosts\.\d{8}-\d{6}-\d{3}$/);
  });
});
