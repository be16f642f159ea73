import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { dispatch } from '../../src/host/dispatch.js';
import type { HandlerScope } from '../../src/host/handlers/index.js';
import { tasks } from '../../src/host/tasks.js';
import { TaskEventSchema } from '../../src/shared/contract/keys.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'keys-host-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function scopeFor(sshDir: string) {
  const events: unknown[] = [];
  const scope: HandlerScope = {
    ctx: createContext({ sshDir, profile: builtInProfile('mila') }),
    front: 'web',
    emit: (event, payload) => {
      expect(event).toBe('task.event');
      events.push(payload);
    },
  };
  return { scope, events };
}

describe('keys channels through dispatch', () => {
  it('keys.create streams progress, answers facts without secrets, and frees the task', async () => {
    const dir = path.join(root, 'a');
    const { scope, events } = scopeFor(dir);
    const taskId = randomUUID();
    const passphrase = 'host pass phrase';
    const res = await dispatch('keys.create', { taskId, type: 'ed25519', passphrase, allowEmptyPassphrase: false }, scope);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.value).toMatchObject({ file: 'id_ed25519_mila', key: { encrypted: true } });
    expect(JSON.stringify(res.value)).not.toContain(passphrase);
    expect(JSON.stringify(res.value)).not.toContain('PRIVATE KEY');
    expect(events.map((e) => TaskEventSchema.parse(e).phase)).toEqual(['starting', 'generating', 'writing', 'done']);
    expect(events.every((e) => (e as { taskId: string }).taskId === taskId)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(passphrase);
    expect(tasks.isRunning(taskId)).toBe(false);
    expect(spawnSync('ssh-keygen', ['-y', '-P', passphrase, '-f', path.join(dir, 'id_ed25519_mila')]).status).toBe(0);

    const suggested = await dispatch('keys.suggestName', {}, scope);
    expect(suggested).toEqual({ ok: true, value: { name: 'id_ed25519_mila_2' } });
    const rsa = await dispatch('keys.suggestName', { type: 'rsa' }, scope);
    expect(rsa).toEqual({ ok: true, value: { name: 'id_rsa_mila' } });

    const pub = await dispatch('keys.public', { file: 'id_ed25519_mila' }, scope);
    expect(pub).toMatchObject({ ok: true, value: { file: 'id_ed25519_mila.pub', line: expect.stringMatching(/^ssh-ed25519 /) } });
    const inspect = await dispatch('keys.inspect', { file: 'id_ed25519_mila' }, scope);
    expect(inspect).toMatchObject({ ok: true, value: { fingerprint: (res.value as { fingerprint: string }).fingerprint } });
  });

  it('rejects unknown fields, long passphrases and bad names at the boundary', async () => {
    const dir = path.join(root, 'b');
    const { scope } = scopeFor(dir);
    const base = { taskId: randomUUID(), type: 'ed25519', passphrase: 'x', allowEmptyPassphrase: false };
    expect(await dispatch('keys.create', { ...base, extra: true }, scope)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch('keys.create', { ...base, passphrase: 'x'.repeat(1025) }, scope)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch('keys.create', { ...base, name: '../x' }, scope)).toMatchObject({ ok: false, error: { code: 'unsafe-path' } });
    expect(await dispatch('keys.create', { ...base, passphrase: '' }, scope)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch('keys.public', { file: '/etc/passwd' }, scope)).toMatchObject({ ok: false, error: { code: 'unsafe-path' } });
    expect(existsSync(dir)).toBe(false);
  });

  it('task.cancel stops a running RSA 4096 creation and nothing is left', async () => {
    const dir = path.join(root, 'c');
    const { scope, events } = scopeFor(dir);
    const taskId = randomUUID();
    const pending = dispatch('keys.create', { taskId, type: 'rsa', bits: 4096, passphrase: 'cancel me', allowEmptyPassphrase: false }, scope);
    for (let i = 0; i < 200 && !events.some((e) => (e as { phase: string }).phase === 'generating'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await dispatch('task.cancel', { taskId }, scope)).toEqual({ ok: true, value: { cancelled: true } });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled', nothingChanged: true } });
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    expect(await dispatch('task.cancel', { taskId }, scope)).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('recoverPublic, protect, fixPermissions and agent.status answer through the contract', async () => {
    const dir = path.join(root, 'd');
    const { scope } = scopeFor(dir);
    const created = await dispatch('keys.create', { taskId: randomUUID(), type: 'ed25519', name: 'k', passphrase: '', allowEmptyPassphrase: true }, scope);
    expect(created.ok).toBe(true);
    rmSync(path.join(dir, 'k.pub'));
    const rec = await dispatch('keys.recoverPublic', { taskId: randomUUID(), file: 'k', passphrase: '' }, scope);
    expect(rec).toMatchObject({ ok: true, value: { written: true, file: 'k.pub' } });
    const prot = await dispatch('keys.protect', { taskId: randomUUID(), file: 'k', passphrase: 'protected now' }, scope);
    expect(prot).toMatchObject({ ok: true, value: { changed: false, key: { encrypted: true } } });
    const alreadyThere = await dispatch('keys.recoverPublic', { taskId: randomUUID(), file: 'k', passphrase: 'nope', overwrite: true }, scope);
    // The .pub exists and matches, so no passphrase is needed at all.
    expect(alreadyThere).toMatchObject({ ok: true, value: { written: false } });
    rmSync(path.join(dir, 'k.pub'));
    const wrong2 = await dispatch('keys.recoverPublic', { taskId: randomUUID(), file: 'k', passphrase: 'nope' }, scope);
    expect(wrong2).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } });
    expect(await dispatch('keys.fixPermissions', {}, scope)).toMatchObject({ ok: true, value: { changed: [], skipped: [] } });
    const agent = await dispatch('agent.status', {}, scope);
    expect(agent.ok).toBe(true);
  });
});
