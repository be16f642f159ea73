/**
 * The core path through the pseudo-terminal, written to run on macOS, Windows and Linux
 * (.github/workflows/installers.yml runs it on each): node-pty loaded the way the engine
 * loads it, ssh-keygen creating a key with a passphrase typed at its prompt, and the doctor's
 * terminal check (`ssh -V`). Nothing here needs root or a particular OS; the login through a
 * throwaway sshd is in pty-login-every-os.test.ts (macOS and Linux runners).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPty } from '../../src/engine/doctor/pty-check.js';
import { createKey } from '../../src/engine/keys/create.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const PASSPHRASE = 'purple tulips under snow';

describe(`the pty path on this OS (${process.platform})`, () => {
  it('the doctor says this computer can start OpenSSH in a terminal', async () => {
    const c = await checkPty(60_000);
    expect(c.message).toMatch(/^This computer can start OpenSSH in a terminal \(OpenSSH_/);
    expect(c).toMatchObject({ id: 'pty', status: 'ok', next: '' });
  }, 90_000);

  it('creates an ed25519 key protected by exactly the passphrase typed at the prompt', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-every-os-'));
    dirs.push(dir);
    const created = await createKey({ sshDir: path.join(dir, 'ssh'), passphrase: PASSPHRASE, comment: 'every-os@test' });
    expect(created.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ every-os@test$/);
    expect(created.fingerprint).toMatch(/^SHA256:/);
    const unlock = (p: string) => spawnSync('ssh-keygen', ['-y', '-P', p, '-f', created.path], { encoding: 'utf8' });
    const blob = (line: string) => line.trim().split(' ').slice(0, 2).join(' ');
    expect(blob(unlock(PASSPHRASE).stdout)).toBe(blob(created.publicKey));
    expect(unlock('wrong').status).not.toBe(0);
  }, 120_000);
});
