import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixPermissions } from '../../src/engine/keys/fix-permissions.js';
import { compareFingerprints, inspectKey } from '../../src/engine/keys/inspect.js';
import { listKeys } from '../../src/engine/keys/list.js';
import { protectKey } from '../../src/engine/keys/protect.js';
import { readPublicKey, recoverPublicKey } from '../../src/engine/keys/public.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'keys-existing-'));
const dir = path.join(root, 'ssh');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Test fixtures are made with ssh-keygen -N (argv): fine for throwaway keys in a test, never in the app. */
function keygen(name: string, type: string, bits: string | null, passphrase: string, comment = `${name}@test`): string {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', passphrase, '-C', comment, '-f', file]);
  return file;
}

const blobOf = (line: string) => line.trim().split(/\s+/)[1];
const unlocks = (file: string, passphrase: string) => spawnSync('ssh-keygen', ['-y', '-P', passphrase, '-f', file]).status === 0;

beforeAll(() => {
  mkdirSync(dir, { mode: 0o700 });
  keygen('ed', 'ed25519', null, 'ed pass');
  keygen('rsa', 'rsa', '3072', '');
  keygen('ec256', 'ecdsa', '256', '');
  keygen('ec384', 'ecdsa', '384', 'ec pass');
  keygen('ec521', 'ecdsa', '521', '');
  keygen('plain', 'ed25519', null, '');
  keygen('plain2', 'ed25519', null, '');
});

describe('in-process fingerprints agree with ssh-keygen -l', () => {
  it.each(['ed', 'rsa', 'ec256', 'ec384', 'ec521'])('%s', async (name) => {
    const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, name)], { encoding: 'utf8' }).trim();
    const m = /^(\d+) (SHA256:\S+) (.*) \((\S+)\)$/.exec(out)!;
    const entry = (await listKeys(dir)).keys.find((k) => k.file === name)!;
    expect(entry).toMatchObject({ bits: Number(m[1]), fingerprint: m[2], comment: m[3], type: m[4] });
    // ...and with the private key alone (no .pub beside it).
    const pub = path.join(dir, `${name}.pub`);
    const saved = readFileSync(pub);
    unlinkSync(pub);
    try {
      const alone = (await listKeys(dir)).keys.find((k) => k.file === name)!;
      expect(alone.fingerprint).toBe(m[2]);
      expect(alone.hasPublic).toBe(false);
    } finally {
      writeFileSync(pub, saved);
    }
  });
});

describe('recoverPublicKey', () => {
  it('makes the missing .pub again from a protected key (the passphrase typed in the pty)', async () => {
    const pub = path.join(dir, 'ed.pub');
    const original = readFileSync(pub, 'utf8');
    unlinkSync(pub);
    const res = await recoverPublicKey({ sshDir: dir, file: 'ed', passphrase: 'ed pass' });
    expect(res).toMatchObject({ file: 'ed.pub', written: true, replaced: false, comment: 'ed@test', type: 'ED25519' });
    const now = readFileSync(pub, 'utf8');
    expect(blobOf(now)).toBe(blobOf(original));
    expect(now.trim()).toBe(original.trim());
    expect(statSync(pub).mode & 0o777).toBe(0o644);
  });

  it('asks through the callback when no passphrase was given', async () => {
    const pub = path.join(dir, 'ec384.pub');
    const original = readFileSync(pub, 'utf8');
    unlinkSync(pub);
    const asked: string[] = [];
    const res = await recoverPublicKey({
      sshDir: dir,
      file: 'ec384',
      ask: async (p) => {
        asked.push(p.text);
        return 'ec pass';
      },
    });
    expect(asked).toEqual(['Enter passphrase: ']);
    expect(blobOf(res.line)).toBe(blobOf(original));
  });

  it('a wrong passphrase fails with wrong-passphrase and writes nothing', async () => {
    const pub = path.join(dir, 'ed.pub');
    const saved = readFileSync(pub);
    unlinkSync(pub);
    try {
      const err = await recoverPublicKey({ sshDir: dir, file: 'ed', passphrase: 'not it' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'wrong-passphrase', nothingChanged: true });
      expect((err as { hint: string }).hint).toMatch(/try again/i);
      expect(existsSync(pub)).toBe(false);
    } finally {
      writeFileSync(pub, saved);
    }
  });

  it('leaves a matching .pub alone and refuses to replace a different one without the flag', async () => {
    await expect(recoverPublicKey({ sshDir: dir, file: 'ed', passphrase: 'ed pass' })).resolves.toMatchObject({ written: false });
    const pub = path.join(dir, 'plain.pub');
    const other = readFileSync(path.join(dir, 'plain2.pub'), 'utf8');
    const own = readFileSync(pub, 'utf8');
    writeFileSync(pub, other);
    await expect(recoverPublicKey({ sshDir: dir, file: 'plain' })).rejects.toMatchObject({ code: 'already-exists' });
    expect(readFileSync(pub, 'utf8')).toBe(other);
    const res = await recoverPublicKey({ sshDir: dir, file: 'plain', overwrite: true });
    expect(res).toMatchObject({ written: true, replaced: true });
    expect(blobOf(readFileSync(pub, 'utf8'))).toBe(blobOf(own));
  });
});

describe('readPublicKey and inspectKey', () => {
  it('returns the one-line public key, never the private file', async () => {
    const pub = await readPublicKey(dir, 'rsa');
    expect(pub.line).toBe(readFileSync(path.join(dir, 'rsa.pub'), 'utf8').trim());
    expect(pub).toMatchObject({ file: 'rsa.pub', type: 'RSA', bits: 3072 });
    await expect(readPublicKey(dir, '../ssh/rsa')).rejects.toMatchObject({ code: 'unsafe-path' });
    writeFileSync(path.join(dir, 'nopub'), readFileSync(path.join(dir, 'plain2')));
    chmodSync(path.join(dir, 'nopub'), 0o600);
    await expect(readPublicKey(dir, 'nopub')).rejects.toMatchObject({ code: 'not-found' });
  });

  it("gives ssh-keygen's fingerprint and randomart, from the .pub or the private key alone", async () => {
    const info = await inspectKey(dir, 'ed');
    const out = execFileSync('ssh-keygen', ['-lv', '-E', 'sha256', '-f', path.join(dir, 'ed.pub')], { encoding: 'utf8' }).trim().split('\n');
    expect(info.fingerprint).toBe(out[0]!.split(' ')[1]);
    expect(info.randomart).toEqual(out.slice(1));
    expect(info.source).toBe('ed.pub');
    const alone = await inspectKey(dir, 'nopub');
    expect(alone.source).toBe('nopub');
    expect(alone.fingerprint).toBe((await inspectKey(dir, 'plain2')).fingerprint);
    expect(compareFingerprints(info.fingerprint, alone.fingerprint).equal).toBe(false);
  });
});

describe('protectKey', () => {
  it('adds a passphrase to an unprotected key; the key stays the same', async () => {
    const file = path.join(dir, 'plain2');
    const before = (await listKeys(dir)).keys.find((k) => k.file === 'plain2')!;
    expect(before.encrypted).toBe(false);
    const res = await protectKey({ sshDir: dir, file: 'plain2', passphrase: 'now protected' });
    expect(res.changed).toBe(false);
    expect(res.key).toMatchObject({ encrypted: true, fingerprint: before.fingerprint });
    expect(unlocks(file, 'now protected')).toBe(true);
    expect(unlocks(file, '')).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(execFileSync('ls', ['-a', dir], { encoding: 'utf8' })).not.toMatch(/\.tmp/);
  });

  it('changes a passphrase only with the current one; a wrong one changes nothing', async () => {
    const file = path.join(dir, 'plain2');
    const bytes = readFileSync(file);
    await expect(protectKey({ sshDir: dir, file: 'plain2', passphrase: 'third' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(protectKey({ sshDir: dir, file: 'plain2', passphrase: 'third', oldPassphrase: 'wrong' })).rejects.toMatchObject({ code: 'wrong-passphrase' });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const res = await protectKey({ sshDir: dir, file: 'plain2', passphrase: 'third', oldPassphrase: 'now protected' });
    expect(res.changed).toBe(true);
    expect(unlocks(file, 'third')).toBe(true);
    expect(execFileSync('ls', ['-a', dir], { encoding: 'utf8' })).not.toMatch(/\.tmp/);
  });

  it('refuses an empty new passphrase', async () => {
    await expect(protectKey({ sshDir: dir, file: 'rsa', passphrase: '' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('fixPermissions', () => {
  it('makes the folder 700, private keys 600, public keys 644; skips links', async () => {
    const d = path.join(root, 'perm');
    mkdirSync(d, { mode: 0o755 });
    chmodSync(d, 0o755);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(d, 'k')]);
    chmodSync(path.join(d, 'k'), 0o644);
    chmodSync(path.join(d, 'k.pub'), 0o666);
    const target = path.join(root, 'elsewhere-key');
    writeFileSync(target, readFileSync(path.join(d, 'k')), { mode: 0o644 });
    chmodSync(target, 0o644);
    symlinkSync(target, path.join(d, 'id_link'));
    const listed = await listKeys(d);
    expect(listed.folder.permissions.tooOpen).toBe(true);
    const res = await fixPermissions(d);
    expect(res.changed).toEqual(
      expect.arrayContaining([
        { file: '.', from: '755', to: '700' },
        { file: 'k', from: '644', to: '600' },
        { file: 'k.pub', from: '666', to: '644' },
      ]),
    );
    expect(res.skipped).toEqual([{ file: 'id_link', reason: expect.stringMatching(/link/) }]);
    expect(statSync(target).mode & 0o777).toBe(0o644); // not ours to change
    const after = await listKeys(d);
    expect(after.folder.permissions.tooOpen).toBe(false);
    expect(after.keys.find((k) => k.file === 'k')!.permissions).toEqual({ mode: '600', tooOpen: false });
    expect(await fixPermissions(d, ['k'])).toEqual({ changed: [], skipped: [] });
  });

  it('explains ACLs instead of chmod on Windows', async () => {
    const res = await fixPermissions(dir, undefined, 'win32');
    expect(res.changed).toEqual([]);
    expect(res.windows?.commands.some((c) => c.includes('/inheritance:r /grant:r "%USERNAME%":F'))).toBe(true);
  });
});
