/**
 * Attack: ~/.ssh/config is a link to the user's private key (or holds key text, or NUL bytes).
 * Nothing of it may reach a plan (before/after/diff), a status, OpenSSH's error text or an
 * error message; nothing is written.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planConfig } from '../../src/engine/config/plan.js';
import { applyConfig } from '../../src/engine/config/apply.js';
import { configStatus } from '../../src/engine/config/status.js';
import { sshGOnConfig } from '../../src/engine/openssh/ssh-g.js';
import { planTrust } from '../../src/engine/trust/plan.js';
import { ctxFor, testSandbox } from '../fixtures/configs/helpers.js';
import { engineErrorOf } from '../fixtures/engine-error.js';

function makeKey(dir: string): { file: string; body: string } {
  const file = path.join(dir, 'id_test');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'k', '-f', file]);
  const text = readFileSync(file, 'utf8');
  // A line from the middle of the key: the secret part, not the armour.
  const body = text.split('\n')[2]!;
  expect(body.length).toBeGreaterThan(40);
  return { file, body };
}

describe('a config or known_hosts holding private-key text or NUL bytes', () => {
  it('config linked to a private key: plan, status, apply and ssh -G refuse, no key bytes anywhere', async () => {
    const sb = testSandbox();
    const key = makeKey(sb.root);
    symlinkSync(key.file, sb.config);
    const before = readFileSync(key.file);
    const ctx = ctxFor(sb.sshDir);
    const box = sb;
    // One at a time: a promise started before the loop awaits it would reject unhandled.
    for (const start of [
      () => planConfig(ctx, { user: 'alice' }, { controlDir: null }),
      () => configStatus(ctx),
      () => applyConfig(ctx, { user: 'alice', expectedHash: 'x'.repeat(64) }, { controlDir: null }),
      () => sshGOnConfig({ sshDir: box.sshDir, alias: 'mila', home: box.root }),
    ]) {
      const e = await engineErrorOf(start());
      expect(e.code).toBe('unsafe-content');
      const all = JSON.stringify({ m: e.message, h: e.hint });
      expect(all).not.toContain(key.body);
      expect(all).not.toContain('BEGIN');
      expect(e.message).toContain(sb.config);
    }
    expect(readFileSync(key.file).equals(before)).toBe(true);
  });

  it('key text pasted into a config, and a config with NUL bytes', async () => {
    const sb = testSandbox();
    const key = makeKey(sb.root);
    const ctx = ctxFor(sb.sshDir);
    for (const bytes of [Buffer.concat([Buffer.from('Host foo\n  User bob\n'), readFileSync(key.file)]), Buffer.from('Host foo\n\0  User bob\n')]) {
      writeFileSync(sb.config, bytes);
      const e = await engineErrorOf(planConfig(ctx, { user: 'alice' }, { controlDir: null }));
      expect(e.code).toBe('unsafe-content');
      expect(e.message).not.toContain(key.body);
      expect(readFileSync(sb.config).equals(bytes)).toBe(true);
    }
  });

  it('an Include of a private key is left out of the check, so OpenSSH never quotes it', async () => {
    const sb = testSandbox();
    const key = makeKey(sb.root);
    writeFileSync(sb.config, `Include ${key.file}\nHost foo\n  User bob\n`);
    const p = await planConfig(ctxFor(sb.sshDir), { user: 'alice' }, { controlDir: null });
    const text = JSON.stringify(p);
    expect(text).not.toContain(key.body);
    expect(text).not.toMatch(/BEGIN OPENSSH/i);
    expect(p.verification.notes.join(' ')).toMatch(/private-key text/);
  });

  it('known_hosts linked to a private key: trust plan refuses without showing it', async () => {
    const sb = testSandbox();
    const key = makeKey(sb.root);
    symlinkSync(key.file, path.join(sb.sshDir, 'known_hosts'));
    const e = await engineErrorOf(planTrust(ctxFor(sb.sshDir), { scan: async () => [] }));
    expect(e.code).toBe('unsafe-content');
    expect(e.message).not.toContain(key.body);
  });
});
