import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editKnownHosts, planEntries, type VerifiedKey } from '../../src/engine/trust/edit.js';
import { recordedKeys } from '../../src/engine/trust/status.js';
import { hostFieldMatches } from '../../src/engine/trust/known-hosts.js';
import { createHash, createHmac, randomBytes } from 'node:crypto';

const A: VerifiedKey = { type: 'ED25519', algorithm: 'ssh-ed25519', blob: 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' };
const B = 'AAAAC3NzaC1lZDI1NTE5AAAAIC2UegQ+mNUlDe93eTxseTiGLGj1GklV8J6O36bSV8M7';
const NAME = '[login.example]:2222';
const NAMES = [NAME, '[login-1.example]:2222'];
const dir = mkdtempSync(path.join(os.tmpdir(), 'trust-edit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/** ssh-keygen -F: does OpenSSH find a line for this name? */
function opensshFinds(bytes: Buffer, name: string): string {
  const f = path.join(dir, `kh-${Math.random()}`);
  writeFileSync(f, bytes);
  return spawnSync('ssh-keygen', ['-F', name, '-f', f], { encoding: 'utf8' }).stdout;
}

describe('planEntries / editKnownHosts', () => {
  it('adds one line per missing key for all names, appended with the file\'s own line ending', () => {
    const before = Buffer.from('# mine\r\nx.example ssh-ed25519 ' + B, 'latin1'); // CRLF, no final newline
    const plan = planEntries(before, NAMES, [A], 'c');
    expect(plan.toAdd).toEqual([`${NAMES.join(',')} ssh-ed25519 ${A.blob} c`]);
    const after = editKnownHosts(before, { add: plan.toAdd, remove: [] });
    expect(after.toString('latin1')).toBe(`# mine\r\nx.example ssh-ed25519 ${B}\r\n${plan.toAdd[0]}\r\n`);
    for (const n of NAMES) expect(opensshFinds(after, n)).toContain(A.blob);
    expect(planEntries(after, NAMES, [A], 'c')).toMatchObject({ toAdd: [], stale: [], allRecorded: true });
  });

  it('an empty or absent file gets LF lines', () => {
    expect(editKnownHosts(null, { add: ['a b c'], remove: [] }).toString()).toBe('a b c\n');
    expect(editKnownHosts(Buffer.from(''), { add: ['a b c'], remove: [] }).toString()).toBe('a b c\n');
  });

  it('stale: literal names are removable (only ours leave a shared line), hashed lines go whole, wildcards stay', () => {
    const lines = [
      `${NAME} ssh-ed25519 ${B} old`,
      `keep.example,${NAME},[login-1.example]:2222 ssh-ed25519 ${B}`,
      `${hashed(NAME)} ssh-ed25519 ${B}`,
      `[login.*]:2222 ssh-ed25519 ${B}`,
      `@revoked ${NAME} ssh-ed25519 ${B}`,
      `${NAME} ssh-ed25519 ${A.blob}`,
      `\xff\xfe not utf-8 ${B}`,
    ];
    const before = Buffer.from(lines.join('\n') + '\n', 'latin1');
    const plan = planEntries(before, NAMES, [A], 'c');
    expect(plan.stale.map((s) => [s.line, s.removable, s.ours.length])).toEqual([
      [1, true, 1],
      [2, true, 2],
      [3, true, 1],
      [4, false, 0],
    ]);
    const after = editKnownHosts(before, { add: [], remove: plan.stale });
    expect(after.toString('latin1').split('\n')).toEqual([`keep.example ssh-ed25519 ${B}`, `[login.*]:2222 ssh-ed25519 ${B}`, `@revoked ${NAME} ssh-ed25519 ${B}`, `${NAME} ssh-ed25519 ${A.blob}`, `\xff\xfe not utf-8 ${B}`, '']);
  });

  it('recordedKeys judges against published fingerprints only', () => {
    const fp = 'SHA256:' + createHash('sha256').update(Buffer.from(A.blob, 'base64')).digest('base64').replace(/=+$/, '');
    const bytes = Buffer.from(`${NAMES.join(',')} ssh-ed25519 ${A.blob}\n${NAME} ssh-ed25519 ${B}\n`);
    const r = recordedKeys(bytes, NAMES, { ED25519: fp });
    expect(r.verifiedTypes).toEqual(['ED25519']);
    expect(r.stale.map((s) => s.line)).toEqual([2]);
    expect(recordedKeys(bytes, NAMES, { ED25519: 'SHA256:' + 'x'.repeat(43) }).verifiedTypes).toEqual([]);
    expect(hostFieldMatches(NAMES.join(','), NAMES[1]!)).toBe(true);
  });
});
