import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors.js';
import { parseAgentList, parseScQc, parseScQuery } from '../../src/engine/keys/agent.js';
import { windowsPermissionAdvice } from '../../src/engine/keys/fix-permissions.js';
import { compareFingerprints, parseFingerprintOutput } from '../../src/engine/keys/inspect.js';
import { defaultKeyName, resolveExistingKeyFile, suggestKeyName, validateNewKeyName } from '../../src/engine/keys/names.js';
import { checkPassphrase } from '../../src/engine/keys/passphrase.js';
import { parseRfc4716, publicKeyLineFromText } from '../../src/engine/keys/public.js';
import { findProgram, ptyEnvironment } from '../../src/engine/openssh/pty-session.js';
import { TaskRegistry } from '../../src/host/tasks.js';
import { CreateKeyInputSchema, ProtectInputSchema } from '../../src/shared/contract/keys.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'keys-pure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return (err as EngineError).code;
  }
  return undefined;
}

describe('validateNewKeyName', () => {
  it('accepts plain names, and an absolute path directly inside the SSH folder', () => {
    expect(validateNewKeyName(dir, 'id_ed25519_mila')).toBe('id_ed25519_mila');
    expect(validateNewKeyName(dir, 'work.key-2@laptop')).toBe('work.key-2@laptop');
    expect(validateNewKeyName(dir, path.join(dir, 'id_x'))).toBe('id_x');
  });

  it.each([
    ['../x', 'unsafe-path'],
    ['/etc/passwd', 'unsafe-path'],
    [path.join(os.tmpdir(), 'elsewhere', 'id_x'), 'unsafe-path'],
    ['sub/id_x', 'unsafe-path'],
    ['sub\\id_x', 'unsafe-path'],
    ['..', 'unsafe-path'],
    ['', 'invalid-input'],
    ['   ', 'invalid-input'],
    ['a\nb', 'invalid-input'],
    ['a\rb', 'invalid-input'],
    ['-rf', 'invalid-input'],
    ['id_ed25519.pub', 'invalid-input'],
    ['my key', 'invalid-input'],
    ['config', 'invalid-input'],
    ['known_hosts', 'invalid-input'],
    ['NUL', 'invalid-input'],
    ['x'.repeat(101), 'invalid-input'],
  ])('rejects %j with %s', (name, code) => {
    expect(codeOf(() => validateNewKeyName(dir, name))).toBe(code);
  });

  it('gives each refusal as a reason code the wizard says in French', () => {
    const reason = (name: string) => {
      try {
        validateNewKeyName(dir, name);
      } catch (e) {
        return (e as EngineError).reason?.code;
      }
      return 'accepted';
    };
    const cases: Array<[string, string]> = [
      ['', 'key-name-empty'],
      ['a\nb', 'key-name-control'],
      ['/etc/passwd', 'key-name-path'],
      ['sub/id_x', 'key-name-path'],
      ['..', 'key-name-path'],
      ['-rf', 'key-name-dash'],
      ['x'.repeat(101), 'key-name-too-long'],
      ['config', 'key-name-reserved'],
      ['NUL', 'key-name-reserved'],
      ['id_ed25519.pub', 'key-name-pub'],
      ['my key', 'key-name-chars'],
    ];
    for (const [name, code] of cases) expect(reason(name), JSON.stringify(name)).toBe(code);
  });

  it('explains itself plainly', () => {
    expect(() => validateNewKeyName(dir, '../x')).toThrow(/not a file name|path/);
    expect(() => validateNewKeyName(dir, '/etc/passwd')).toThrow(/outside the SSH folder/);
    expect(() => validateNewKeyName(dir, '-rf')).toThrow(/starts with "-"/);
    expect(() => validateNewKeyName(dir, 'a\nb')).toThrow(/line break/);
    expect(() => validateNewKeyName(dir, '')).toThrow(/empty/);
  });
});

describe('resolveExistingKeyFile', () => {
  it('finds an existing file and refuses paths and missing files', async () => {
    writeFileSync(path.join(dir, 'some key'), 'x');
    await expect(resolveExistingKeyFile(dir, 'some key')).resolves.toEqual({ name: 'some key', path: path.join(dir, 'some key') });
    await expect(resolveExistingKeyFile(dir, '../some key')).rejects.toMatchObject({ code: 'unsafe-path' });
    await expect(resolveExistingKeyFile(dir, 'absent')).rejects.toMatchObject({ code: 'not-found' });
    await expect(resolveExistingKeyFile(dir, 'some key.pub')).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('key names', () => {
  it('adapts the profile default to the type', () => {
    expect(defaultKeyName('ed25519', 'id_ed25519_mila')).toBe('id_ed25519_mila');
    expect(defaultKeyName('rsa', 'id_ed25519_mila')).toBe('id_rsa_mila');
    expect(defaultKeyName('rsa', 'cluster')).toBe('cluster_rsa');
  });

  it('suggests a free name with a suffix', async () => {
    const d = mkdtempSync(path.join(dir, 'suggest-'));
    expect(await suggestKeyName(d, 'ed25519')).toBe('id_ed25519_mila');
    writeFileSync(path.join(d, 'id_ed25519_mila'), '');
    expect(await suggestKeyName(d, 'ed25519')).toBe('id_ed25519_mila_2');
    writeFileSync(path.join(d, 'id_ed25519_mila_2.pub'), ''); // a lone .pub also takes the name
    expect(await suggestKeyName(d, 'ed25519')).toBe('id_ed25519_mila_3');
    expect(await suggestKeyName(d, 'rsa')).toBe('id_rsa_mila');
  });
});

describe('checkPassphrase', () => {
  it('refuses empty unless allowed, control characters, and more than ssh-keygen reads', () => {
    expect(codeOf(() => checkPassphrase(''))).toBe('invalid-input');
    expect(checkPassphrase('', { allowEmpty: true })).toBe('');
    expect(codeOf(() => checkPassphrase('a\nb'))).toBe('invalid-input');
    expect(codeOf(() => checkPassphrase('a\u0003b'))).toBe('invalid-input');
    expect(codeOf(() => checkPassphrase('é'.repeat(512)))).toBe('invalid-input'); // 1024 bytes
    expect(checkPassphrase('correct horse battery staple')).toBe('correct horse battery staple');
  });
});

describe('contract schemas', () => {
  const base = { taskId: '123e4567-e89b-42d3-a456-426614174000', type: 'ed25519', passphrase: 'pw', allowEmptyPassphrase: false };
  it('are strict and bounded', () => {
    expect(CreateKeyInputSchema.safeParse(base).success).toBe(true);
    expect(CreateKeyInputSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(CreateKeyInputSchema.safeParse({ ...base, passphrase: 'x'.repeat(1025) }).success).toBe(false);
    expect(CreateKeyInputSchema.safeParse({ ...base, name: 'x'.repeat(101) }).success).toBe(false);
    expect(CreateKeyInputSchema.safeParse({ ...base, taskId: 'nope' }).success).toBe(false);
    expect(CreateKeyInputSchema.safeParse({ ...base, type: 'rsa', bits: 2048 }).success).toBe(false);
    expect(ProtectInputSchema.safeParse({ taskId: base.taskId, file: 'k', passphrase: '' }).success).toBe(false);
  });
});

describe('ptyEnvironment', () => {
  it('drops secret-looking variables and askpass, keeps the agent socket, forces the C locale', () => {
    const env = ptyEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/u',
      SSH_AUTH_SOCK: '/tmp/agent.sock',
      GITHUB_TOKEN: 't',
      AWS_SECRET_ACCESS_KEY: 's',
      MY_PASSWORD: 'p',
      PASSPHRASE: 'p',
      SSH_ASKPASS: '/usr/bin/askpass',
      SSH_ASKPASS_REQUIRE: 'force',
      LANG: 'fr_CA.UTF-8',
      npm_config_api_key: 'k',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', SSH_AUTH_SOCK: '/tmp/agent.sock', LC_ALL: 'C', TERM: 'xterm' });
  });

  it('finds programs on PATH and not elsewhere', () => {
    expect(findProgram('ssh-keygen')).toMatch(/ssh-keygen$/);
    expect(findProgram('ssh-keygen', { PATH: dir })).toBeNull();
  });
});

describe('parseFingerprintOutput and compareFingerprints', () => {
  const out =
    '256 SHA256:k5do5Tefdg/5htBppiwIYxt36bMvmdCyMD5nvcYUG6Y root@vm (ED25519)\n+--[ED25519 256]--+\n|                 |\n|                 |\n|          .      |\n|         =+.     |\n|        S++=o. . |\n|      B.Eo*..o=o |\n|     o O @ + =*..|\n|      + = @ o..+o|\n|       + .oB.  .o|\n+----[SHA256]-----+\n';
  it('reads the fingerprint line and the 11-line box', () => {
    const f = parseFingerprintOutput(out)!;
    expect(f).toMatchObject({ bits: 256, fingerprint: 'SHA256:k5do5Tefdg/5htBppiwIYxt36bMvmdCyMD5nvcYUG6Y', comment: 'root@vm', type: 'ED25519' });
    expect(f.randomart).toHaveLength(11);
    expect(f.randomart[0]).toBe('+--[ED25519 256]--+');
    expect(f.randomart[10]).toBe('+----[SHA256]-----+');
    expect(parseFingerprintOutput('3072 SHA256:abc no comment (RSA)\n')).toMatchObject({ comment: null, randomart: [] });
  });

  it('highlights differing characters', () => {
    const a = 'SHA256:gfXZzaPiaYHcrPqzHvBi6v+BWRS/lXOS/zAjOKeoBJg';
    expect(compareFingerprints(a, a)).toEqual({ equal: true, segments: [{ text: a, same: true }], other: [{ text: a, same: true }] });
    expect(compareFingerprints(a, a.slice(7)).equal).toBe(true);
    const b = a.replace('HvBi', 'HwBi');
    const c = compareFingerprints(a, b);
    expect(c.equal).toBe(false);
    expect(c.segments).toEqual([
      { text: 'SHA256:gfXZzaPiaYHcrPqzH', same: true },
      { text: 'v', same: false },
      { text: 'Bi6v+BWRS/lXOS/zAjOKeoBJg', same: true },
    ]);
    expect(c.other[1]).toEqual({ text: 'w', same: false });
    const short = compareFingerprints(a, 'SHA256:gf');
    expect(short.segments.at(-1)).toEqual({ text: a.slice(9), same: false });
  });
});

describe('public key text', () => {
  const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDTSAyJlQ0TTpqI2wIZMJEIsOc9XBwdJHyO0o179phWX test';
  it('normalises one line', () => {
    expect(publicKeyLineFromText(`\uFEFF${line}\r\n`)).toMatchObject({ line, type: 'ED25519', bits: 256, comment: 'test' });
    expect(publicKeyLineFromText('ssh-ed25519   AAAAC3NzaC1lZDI1NTE5AAAAIDTSAyJlQ0TTpqI2wIZMJEIsOc9XBwdJHyO0o179phWX')?.line).toBe(line.replace(' test', ''));
  });

  it('unwraps an RFC 4716 key', () => {
    const blob = line.split(' ')[1]!;
    const rfc = `---- BEGIN SSH2 PUBLIC KEY ----\nComment: "my laptop"\n${blob.slice(0, 40)}\n${blob.slice(40)}\n---- END SSH2 PUBLIC KEY ----\n`;
    expect(parseRfc4716(rfc)).toEqual({ algo: 'ssh-ed25519', base64: blob, comment: 'my laptop' });
    expect(publicKeyLineFromText(rfc)?.line).toBe(`ssh-ed25519 ${blob} my laptop`);
  });

  it('never passes private key text', () => {
    expect(publicKeyLineFromText(`-----BEGIN OPENSSH PRIVATE KEY-----\n${line}\n-----END OPENSSH PRIVATE KEY-----`)).toBeNull();
  });
});

describe('agent output parsing', () => {
  it('reads sc query / sc qc and ssh-add -l', () => {
    expect(parseScQuery('SERVICE_NAME: ssh-agent\n        TYPE               : 10  WIN32_OWN_PROCESS\n        STATE              : 4  RUNNING\n')).toBe('running');
    expect(parseScQuery('        STATE              : 1  STOPPED \n')).toBe('stopped');
    expect(parseScQuery('[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\n\nThe specified service does not exist as an installed service.\n')).toBe('missing');
    expect(parseScQc('        START_TYPE         : 4   DISABLED\n')).toBe('disabled');
    expect(parseScQc('        START_TYPE         : 2   AUTO_START\n')).toBe('automatic');
    expect(parseAgentList('256 SHA256:4771ODoE2Bkf7EghI40e9gC2gAOsu+5Jg5rqctio1kc test (ED25519)\n3072 SHA256:abc no comment (RSA)\n')).toEqual([
      { bits: 256, fingerprint: 'SHA256:4771ODoE2Bkf7EghI40e9gC2gAOsu+5Jg5rqctio1kc', comment: 'test', type: 'ED25519' },
      { bits: 3072, fingerprint: 'SHA256:abc', comment: null, type: 'RSA' },
    ]);
  });

  it('reads a state or start type sc.exe gives that has no name here as unknown', () => {
    expect(parseScQuery('        STATE              : 9  SOMETHING\n')).toBe('unknown');
    expect(parseScQuery('no state at all')).toBe('unknown');
    expect(parseScQc('        START_TYPE         : 0   BOOT_START\n')).toBe('unknown');
    expect(parseScQc('        START_TYPE         : 3   DEMAND_START\n')).toBe('manual');
  });

  it('gives Windows users icacls commands instead of modes', () => {
    const advice = windowsPermissionAdvice(['C:\\Users\\a\\.ssh\\id_ed25519_mila']);
    expect(advice.commands).toEqual(['icacls "C:\\Users\\a\\.ssh\\id_ed25519_mila" /inheritance:r /grant:r "%USERNAME%":F']);
    expect(advice.explanation).toMatch(/owned by your user account/);
  });
});

describe('TaskRegistry', () => {
  it('cancels running tasks and forgets finished ones', async () => {
    const reg = new TaskRegistry();
    let seen: AbortSignal | undefined;
    const running = reg.run('a', (signal) => {
      seen = signal;
      return new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('aborted')));
    });
    expect(reg.isRunning('a')).toBe(true);
    expect(() => reg.start('a')).toThrow(/already running/);
    expect(reg.cancel('a')).toBe(true);
    expect(await running).toBe('aborted');
    expect(seen?.aborted).toBe(true);
    expect(reg.cancel('a')).toBe(false);
    await reg.run('b', async () => 1);
    expect(reg.size).toBe(0);
  });
});
