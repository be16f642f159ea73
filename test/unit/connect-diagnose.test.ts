import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisCode } from '../../src/engine/connect/diagnose.js';

const ctx = { answeredCode: false, supportUrl: 'https://it-support.mila.quebec/', accessDelayHours: 48 };

/** Texts as OpenSSH 9.2 prints them (seen on Debian), one per diagnosis. */
const CASES: [string, DiagnosisCode, Partial<typeof ctx>?][] = [
  [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\nHost key verification failed.',
    'host-key-changed',
  ],
  ['No ED25519 host key is known for [127.0.0.1]:4022 and you have requested strict checking.\r\nHost key verification failed.', 'host-key-unknown'],
  [
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\nPermissions 0644 for '/home/a/.ssh/id_ed25519' are too open.\nThis private key will be ignored.\nroot@127.0.0.1: Permission denied (publickey).",
    'key-permissions',
  ],
  ['Bad owner or permissions on /home/a/.ssh/config', 'config-permissions'],
  ['root@127.0.0.1: Permission denied (publickey).', 'key-refused'],
  ['alice@login.server.mila.quebec: Permission denied (publickey,keyboard-interactive).', 'key-refused'],
  ['root@127.0.0.1: Permission denied (keyboard-interactive).', 'mfa-rejected', { answeredCode: true }],
  ['Received disconnect from 127.0.0.1 port 2222:2: Too many authentication failures', 'too-many-keys'],
  ['ssh: connect to host 127.0.0.1 port 1: Connection refused', 'connection-refused'],
  ['kex_exchange_identification: Connection closed by remote host\r\nConnection closed by 1.2.3.4 port 2222', 'connection-closed'],
  ['ssh: connect to host login.server.mila.quebec port 2222: Connection timed out', 'timeout'],
  ['ssh: Could not resolve hostname login.server.mila.quebec: Name or service not known', 'dns'],
  ['ssh: connect to host 10.0.0.1 port 2222: Network is unreachable', 'network'],
  ['/home/a/.ssh/config: line 3: Bad configuration option: hostnme\r\n/home/a/.ssh/config: terminating, 1 bad configuration options', 'config-error'],
  ['something nobody has seen before', 'unknown'],
];

describe('diagnosing what OpenSSH says', () => {
  for (const [text, code, extra] of CASES) {
    it(code, () => {
      const d = diagnose(text, { ...ctx, ...extra });
      expect(d.code).toBe(code);
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.next.length).toBeGreaterThan(10);
      expect(d.next).not.toContain('{{');
    });
  }

  it('raises the alarm only for a changed host identity', () => {
    expect(diagnose(CASES[0]![0], ctx).alarming).toBe(true);
    expect(CASES.slice(1).some(([t, , e]) => diagnose(t, { ...ctx, ...e }).alarming)).toBe(false);
  });

  it('says how long registration can take, from the profile', () => {
    expect(diagnose('Permission denied (publickey).', { ...ctx, accessDelayHours: 24 }).next).toContain('24 hours');
  });
});
