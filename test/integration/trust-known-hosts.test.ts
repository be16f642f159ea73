import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareHostKeys } from '../../src/engine/trust/compare.js';
import { hostFieldMatches, knownHostName, parseKnownHosts } from '../../src/engine/trust/known-hosts.js';
import { parseKeyscan } from '../../src/engine/trust/scan.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

/** ssh-keygen -F is OpenSSH's own answer to "does this known_hosts file have a line for NAME?". */
function opensshFinds(file: string, name: string): boolean {
  return spawnSync('ssh-keygen', ['-F', name, '-f', file]).status === 0;
}

describe('known_hosts host matching agrees with ssh-keygen -F', () => {
  const fields = [
    'login.server.mila.quebec',
    '[login.server.mila.quebec]:2222',
    '[login.server.mila.quebec]:2222,[login-1.login.server.mila.quebec]:2222',
    'cn-????',
    'cn-????.server.mila.quebec',
    '*.server.mila.quebec,!*login.server.mila.quebec',
    '*',
    'LOGIN.SERVER.MILA.QUEBEC',
    '[127.0.0.1]:4022',
  ];
  const names = [
    'login.server.mila.quebec',
    '[login.server.mila.quebec]:2222',
    '[login-1.login.server.mila.quebec]:2222',
    'cn-a001',
    'cn-a0011',
    'cn-a001.server.mila.quebec',
    'login-2.login.server.mila.quebec',
    '[127.0.0.1]:4022',
    '127.0.0.1',
  ];
  for (const field of fields) {
    it(`field ${field}`, () => {
      const file = path.join(dir, 'kh');
      writeFileSync(file, `${field} ${KEY}\n`);
      for (const name of names) expect({ name, ours: hostFieldMatches(field, name) }).toEqual({ name, ours: opensshFinds(file, name) });
    });
  }

  it('matches hashed lines written by ssh-keygen -H', () => {
    const file = path.join(dir, 'hashed');
    writeFileSync(file, `[login.server.mila.quebec]:2222 ${KEY}\nother.example ${KEY}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const lines = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.hosts.startsWith('|1|'))).toBe(true);
    expect(lines.filter((l) => hostFieldMatches(l.hosts, '[login.server.mila.quebec]:2222'))).toHaveLength(1);
    expect(lines.filter((l) => hostFieldMatches(l.hosts, 'login.server.mila.quebec'))).toHaveLength(0);
  });

  it('names a host the way OpenSSH looks it up', () => {
    expect(knownHostName('login.server.mila.quebec', 2222)).toBe('[login.server.mila.quebec]:2222');
    expect(knownHostName('cn-a001', 22)).toBe('cn-a001');
  });
});

describe('comparing presented host keys with published fingerprints', () => {
  const scanned = parseKeyscan(
    [
      '# 127.0.0.1:22 SSH-2.0-OpenSSH_9.2',
      `[127.0.0.1]:4022 ${KEY}`,
      '[127.0.0.1]:4022 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=',
      'garbage line',
    ].join('\n'),
  );
  const fp = Object.fromEntries(scanned.map((k) => [k.type, k.fingerprint]));

  it('parses ssh-keyscan output into typed keys', () => {
    expect(scanned.map((k) => [k.type, k.algorithm])).toEqual([
      ['ED25519', 'ssh-ed25519'],
      ['ECDSA', 'ecdsa-sha2-nistp256'],
    ]);
  });

  it('trusts when all presented published types match', () => {
    const c = compareHostKeys(scanned, { ED25519: fp.ED25519, ECDSA: fp.ECDSA, RSA: 'SHA256:Xr0/JqV/+5DNguPfiN5hb8rSG+nBAcfVCJoSyrR0W0o' });
    expect(c).toMatchObject({ trusted: true, mismatch: false });
  });

  it('refuses everything when one key contradicts the published list', () => {
    const c = compareHostKeys(scanned, { ED25519: fp.ED25519, ECDSA: 'SHA256:baEGIa311fhnxBWsIZJ/zYhq2WfCttwyHRKzAb8zlp8' });
    expect(c).toMatchObject({ trusted: false, mismatch: true });
    expect(c.verdicts.map((v) => v.status)).toEqual(['match', 'mismatch']);
  });

  it('does not trust a server none of whose keys is published', () => {
    expect(compareHostKeys(scanned, { RSA: 'SHA256:Xr0/JqV/+5DNguPfiN5hb8rSG+nBAcfVCJoSyrR0W0o' })).toMatchObject({ trusted: false, mismatch: false });
  });
});
