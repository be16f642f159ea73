import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors.js';
import { resolveIdentity, validateUser } from '../../src/engine/config/validate.js';

function rejects(fn: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('invalid-input');
  expect((err as EngineError).message).toMatch(re);
}

describe('user names', () => {
  it('accepts account names', () => {
    for (const u of ['alice', 'john.doe', 'a_b-c', 'x1', 'a'.repeat(32)]) expect(validateUser(u)).toBe(u);
  });
  it('rejects what OpenSSH or the cluster would not take, with a clear reason', () => {
    rejects(() => validateUser(''), /Enter your cluster user name/);
    rejects(() => validateUser('   '), /only spaces/);
    rejects(() => validateUser('al ice'), /a space/);
    rejects(() => validateUser('alice\n'), /line break/);
    rejects(() => validateUser('al%ice'), /"%"/);
    rejects(() => validateUser('al;rm -rf'), /";"/);
    rejects(() => validateUser('$(id)'), /"\$"/);
    rejects(() => validateUser('`id`'), /"`"/);
    rejects(() => validateUser('"bob"'), /"""/);
    rejects(() => validateUser("bob'"), /"'"/);
    rejects(() => validateUser('-oProxyCommand=x'), /cannot start with "-"/);
    rejects(() => validateUser('.hidden'), /cannot start with "."/);
    rejects(() => validateUser('a'.repeat(33)), /33 characters/);
    rejects(() => validateUser('bob@mila.quebec'), /without "@"/);
    rejects(() => validateUser('bob\t'), /a tab/);
    rejects(() => validateUser('josé'), /"é"/);
    rejects(() => validateUser('JDoe'), /capital letters; cluster user names are all lowercase/);
    rejects(() => validateUser('A'.repeat(32)), /capital letters/);
  });
  it('says the same reason as a code and values, for the wizard in French', () => {
    const reason = (u: string) => {
      try {
        validateUser(u);
      } catch (e) {
        return (e as EngineError).reason;
      }
      return 'accepted';
    };
    expect(reason('')).toEqual({ code: 'user-empty', params: {} });
    expect(reason('   ')).toEqual({ code: 'user-blank', params: {} });
    expect(reason('Jean Dupont')).toEqual({ code: 'user-space', params: {} });
    expect(reason('bob\t')).toEqual({ code: 'user-space', params: {} });
    expect(reason('bob@mila.quebec')).toEqual({ code: 'user-at', params: {} });
    expect(reason('alice\n')).toEqual({ code: 'user-control', params: {} });
    expect(reason('josé')).toEqual({ code: 'user-char', params: { char: 'é' } });
    expect(reason('-x')).toEqual({ code: 'user-leading-dash', params: {} });
    expect(reason('.x')).toEqual({ code: 'user-leading-dot', params: {} });
    expect(reason('JDoe')).toEqual({ code: 'user-uppercase', params: { user: 'JDoe', lower: 'jdoe' } });
    expect(reason('a'.repeat(33))).toEqual({ code: 'user-too-long', params: { length: '33', max: '32' } });
  });
});

describe('identity paths', () => {
  const base = { sshDir: '/home/al/.ssh', home: '/home/al', defaultName: 'id_ed25519_mila', platform: 'linux' as const };
  it('defaults to the profile key in the SSH folder, written with ~/', () => {
    expect(resolveIdentity(undefined, base)).toEqual({ path: '/home/al/.ssh/id_ed25519_mila', configValue: '~/.ssh/id_ed25519_mila', sshValue: '~/.ssh/id_ed25519_mila' });
  });
  it('resolves bare names in the SSH folder and ~ in the home', () => {
    expect(resolveIdentity('id_rsa', base).path).toBe('/home/al/.ssh/id_rsa');
    expect(resolveIdentity('~/keys/k', base).configValue).toBe('~/keys/k');
    expect(resolveIdentity('/opt/keys/k', base).configValue).toBe('/opt/keys/k');
  });
  it('quotes spaces, doubles %, escapes backslashes', () => {
    expect(resolveIdentity('/opt/my keys/k', base)).toMatchObject({ configValue: '"/opt/my keys/k"', sshValue: '/opt/my keys/k' });
    expect(resolveIdentity('/opt/100%/k', base)).toMatchObject({ configValue: '/opt/100%%/k', sshValue: '/opt/100%%/k' });
    expect(resolveIdentity('/opt/a\\b/k', base)).toMatchObject({ configValue: '"/opt/a\\\\b/k"', sshValue: '/opt/a\\b/k' });
  });
  it('writes forward slashes for Windows', () => {
    expect(resolveIdentity('~/.ssh/k', { ...base, platform: 'win32' }).configValue).toBe('~/.ssh/k');
  });
  it('rejects paths the config cannot hold', () => {
    rejects(() => resolveIdentity('/a\nb', base), /line break/);
    rejects(() => resolveIdentity('/a"b', base), /quote/);
    rejects(() => resolveIdentity("/a'b", base), /quote/);
    rejects(() => resolveIdentity('/a/$HOME/k', base), /"\$"/);
    rejects(() => resolveIdentity('  ', base), /empty/);
    rejects(() => resolveIdentity('/a/k.pub', base), /public key/);
    rejects(() => resolveIdentity('~bob/k', base), /~name/);
    rejects(() => resolveIdentity('/a\x07b', base), /control character/);
  });
});
