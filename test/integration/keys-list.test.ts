import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from '../../src/engine/keys/list.js';

/** What the real ssh-keygen says about a key file: bits, fingerprint, comment, type. */
function sshKeygenFacts(file: string) {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }).trim();
  const m = /^(\d+) (SHA256:\S+) (.*) \(([^)]+)\)$/.exec(out)!;
  return { bits: Number(m[1]), fingerprint: m[2], comment: m[3], type: m[4] };
}

let dir: string;
const keygen = (...args: string[]) => execFileSync('ssh-keygen', ['-q', ...args]);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mila-keys-'));
  chmodSync(dir, 0o700);
  keygen('-t', 'ed25519', '-N', '', '-C', 'plain ed', '-f', path.join(dir, 'id_ed25519'));
  keygen('-t', 'ed25519', '-N', 'pass phrase', '-C', 'locked ed', '-f', path.join(dir, 'locked_ed'));
  keygen('-t', 'rsa', '-b', '3072', '-N', '', '-C', 'rsa key', '-f', path.join(dir, 'my-rsa'));
  keygen('-t', 'ecdsa', '-b', '384', '-N', 'x y z', '-C', 'ec key', '-f', path.join(dir, 'ec384'));
  keygen('-t', 'rsa', '-b', '2048', '-N', '', '-m', 'PEM', '-C', 'pem', '-f', path.join(dir, 'legacy_pem'));
  unlinkSync(path.join(dir, 'legacy_pem.pub'));
  keygen('-t', 'ed25519', '-N', 'secret', '-C', 'no pub', '-f', path.join(dir, 'nopub'));
  unlinkSync(path.join(dir, 'nopub.pub'));
  writeFileSync(path.join(dir, 'id_garbage'), 'hello\n', { mode: 0o600 });
  writeFileSync(path.join(dir, 'notes.txt'), 'not a key, not named like one\n');
  writeFileSync(path.join(dir, 'bad.pub'), 'ssh-ed25519 !!!notbase64\n');
  copyFileSync(path.join(dir, 'id_ed25519.pub'), path.join(dir, 'orphan.pub'));
  copyFileSync(path.join(dir, 'my-rsa.pub'), path.join(dir, 'mixed.pub'));
  copyFileSync(path.join(dir, 'id_ed25519'), path.join(dir, 'mixed'));
  chmodSync(path.join(dir, 'mixed'), 0o644);
  writeFileSync(path.join(dir, 'unreadable_key'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
  copyFileSync(path.join(dir, 'id_ed25519.pub'), path.join(dir, 'unreadable_key.pub'));
  chmodSync(path.join(dir, 'unreadable_key'), 0o000);
  mkdirSync(path.join(dir, 'id_folder'));
  writeFileSync(path.join(dir, 'config'), 'Host x\n');
  writeFileSync(path.join(dir, 'known_hosts'), '');
  writeFileSync(path.join(dir, 'putty.ppk'), 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: putty\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listKeys on a folder made by the real ssh-keygen', () => {
  it('reports the same type, bits, fingerprint and comment as ssh-keygen -l', async () => {
    const list = await listKeys(dir);
    for (const [file, pub] of [['id_ed25519', 'id_ed25519.pub'], ['locked_ed', 'locked_ed.pub'], ['my-rsa', 'my-rsa.pub'], ['ec384', 'ec384.pub'], ['legacy_pem', 'legacy_pem']] as const) {
      const entry = list.keys.find((k) => k.file === file)!;
      const truth = sshKeygenFacts(path.join(dir, pub));
      expect({ file, type: entry.type, bits: entry.bits, fingerprint: entry.fingerprint }).toEqual({ file, type: truth.type, bits: truth.bits, fingerprint: truth.fingerprint });
      if (file !== 'legacy_pem') expect(entry.comment).toBe(truth.comment);
    }
  });

  it('tells protected keys from unprotected ones', async () => {
    const byFile = Object.fromEntries((await listKeys(dir)).keys.map((k) => [k.file, k]));
    expect(byFile.id_ed25519!.encrypted).toBe(false);
    expect(byFile.locked_ed!.encrypted).toBe(true);
    expect(byFile.ec384!.encrypted).toBe(true);
    expect(byFile['my-rsa']!.encrypted).toBe(false);
    expect(byFile.legacy_pem!.encrypted).toBe(false);
  });

  it('reads the fingerprint of a protected key without its .pub and without a passphrase', async () => {
    const nopub = (await listKeys(dir)).keys.find((k) => k.file === 'nopub')!;
    const truth = execFileSync('ssh-keygen', ['-y', '-P', 'secret', '-f', path.join(dir, 'nopub')], { encoding: 'utf8' });
    writeFileSync(path.join(dir, '..', 'nopub-check.pub'), truth);
    expect(nopub.fingerprint).toBe(sshKeygenFacts(path.join(dir, '..', 'nopub-check.pub')).fingerprint);
    rmSync(path.join(dir, '..', 'nopub-check.pub'));
    expect(nopub.hasPublic).toBe(false);
    expect(nopub.problems.map((p) => p.code)).toEqual(['public-missing']);
  });

  it('lists odd files with a plain reason instead of failing', async () => {
    const byFile = Object.fromEntries((await listKeys(dir)).keys.map((k) => [k.file, k]));
    expect(byFile.id_garbage!.kind).toBe('unusable');
    expect(byFile.id_garbage!.problems[0]!.code).toBe('not-a-key');
    expect(byFile['orphan.pub']!.kind).toBe('public-only');
    expect(byFile['orphan.pub']!.fingerprint).toBe(byFile.id_ed25519!.fingerprint);
    expect(byFile['bad.pub']!.kind).toBe('unusable');
    expect(byFile.mixed!.problems.map((p) => p.code)).toEqual(['public-mismatch', 'permissions-too-open']);
    expect(byFile['putty.ppk']!.problems.map((p) => p.code)).toContain('unsupported');
    expect(byFile.id_folder).toBeUndefined();
    expect(byFile.config).toBeUndefined();
    expect(byFile.known_hosts).toBeUndefined();
    expect(byFile['notes.txt']).toBeUndefined();
  });

  it('reports an unreadable key instead of crashing', async () => {
    // root reads anything; the check only means something for ordinary users.
    const entry = (await listKeys(dir)).keys.find((k) => k.file === 'unreadable_key')!;
    if (process.getuid?.() === 0) expect(entry.kind).toBe('unusable');
    else expect(entry.problems.map((p) => p.code)).toContain('unreadable');
  });

  it('flags permissions OpenSSH refuses', async () => {
    const byFile = Object.fromEntries((await listKeys(dir)).keys.map((k) => [k.file, k]));
    expect(byFile.mixed!.permissions).toEqual({ mode: '644', tooOpen: true });
    expect(byFile.id_ed25519!.permissions).toEqual({ mode: '600', tooOpen: false });
  });

  it('says a missing folder has no keys rather than failing', async () => {
    const list = await listKeys(path.join(dir, 'does-not-exist'));
    expect(list).toEqual({ folder: { path: path.join(dir, 'does-not-exist'), exists: false, permissions: { mode: null, tooOpen: false } }, keys: [] });
  });

  it('flags a folder others can open', async () => {
    chmodSync(dir, 0o755);
    expect((await listKeys(dir)).folder.permissions).toEqual({ mode: '755', tooOpen: true });
    chmodSync(dir, 0o700);
  });
});
