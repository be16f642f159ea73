/**
 * The evidence read from OpenSSH's debug log (lines as OpenSSH 9.2 writes them with -vv,
 * seen against the throwaway cluster), the diagnoses it makes possible, the attempt history's
 * arithmetic, and the wizard's mapping of every diagnosis code to English and French.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnoseContext } from '../../src/engine/connect/diagnose.js';
import { openSshWords, parseEvidence } from '../../src/engine/connect/evidence.js';
import { BAN_WINDOW_MS, recentFailures, usersKeyWorkedWith, type Attempt } from '../../src/engine/connect/history.js';
import { verdictOf } from '../../src/engine/connect/check.js';
import { diagnosisTexts } from '../../src/renderer/components/diagnosis-text.js';
import { DiagnosisSchema } from '../../src/shared/contract/connect.js';
import { wizardTranslator } from '../fixtures/translator.js';

const FP = 'SHA256:EZLMcPWn3LnZPr9p4cjwOirkrMYZuD2T6jbWLBbxiZg';
const head = [
  'OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026',
  'debug1: /tmp/c/config line 1: Applying options for mila',
  'debug1: Connecting to 127.0.0.1 [127.0.0.1] port 46667.',
  'debug2: first_kex_follows 0 ',
  "debug1: Authenticating to 127.0.0.1:46667 as 'alice'",
  'debug1: Authentications that can continue: publickey',
  'debug1: Next authentication method: publickey',
];
const offer = `debug1: Offering public key: /home/a/.ssh/id_ed25519_mila ED25519 ${FP} explicit`;
const accept = `debug1: Server accepts key: /home/a/.ssh/id_ed25519_mila ED25519 ${FP} explicit`;

const LOGS = {
  wrongPassphrase: [...head, offer, accept, 'debug2: bad passphrase given, try again...', 'debug2: bad passphrase given, try again...', 'debug2: bad passphrase given, try again...', 'debug2: we did not send a packet, disable method', 'debug1: No more authentication methods to try.', 'alice@127.0.0.1: Permission denied (publickey).'],
  refused: [...head, offer, 'debug1: Authentications that can continue: publickey', 'debug1: No more authentication methods to try.', 'alice@127.0.0.1: Permission denied (publickey).'],
  noKey: [...head, 'no such identity: /home/a/.ssh/id_gone: No such file or directory', 'debug1: No more authentication methods to try.', 'alice@127.0.0.1: Permission denied (publickey).'],
  partial: [...head, offer, accept, 'Authenticated using "publickey" with partial success.', 'debug1: Authentications that can continue: keyboard-interactive', 'debug1: No more authentication methods to try.', 'alice@127.0.0.1: Permission denied (keyboard-interactive).'],
  loggedIn: [...head, offer, accept, 'Authenticated to 127.0.0.1 ([127.0.0.1]:46667) using "publickey".', 'debug2: exec request accepted on channel 0', 'Transferred: sent 3452, received 3968 bytes, in 1.6 seconds'],
  locked: [...head, offer, accept, "debug1: read_passphrase: can't open /dev/tty: No such device or address", 'debug1: No more authentication methods to try.', 'alice@127.0.0.1: Permission denied (publickey).'],
  agent: [...head, `debug1: Offering public key: alice@laptop ED25519 ${FP} agent`, `debug1: Server accepts key: alice@laptop ED25519 ${FP} agent`, 'Authenticated using "publickey" with partial success.'],
};
const log = (k: keyof typeof LOGS) => LOGS[k].join('\n') + '\n';

const base: DiagnoseContext = { answeredCode: false, supportUrl: 'https://it-support.mila.quebec/', accessDelayHours: 48 };

describe('parseEvidence', () => {
  it('reads where, as whom, which key, and what the server answered', () => {
    const ev = parseEvidence(log('wrongPassphrase'));
    expect(ev).toMatchObject({ host: '127.0.0.1', port: 46667, user: 'alice', badPassphrases: 3, partialSuccess: false, authenticated: false });
    expect(ev.offered).toEqual([{ file: '/home/a/.ssh/id_ed25519_mila', type: 'ED25519', fingerprint: FP, agent: false, accepted: true }]);
    expect(parseEvidence(log('refused')).offered[0]!.accepted).toBe(false);
    expect(parseEvidence(log('noKey'))).toMatchObject({ offered: [], missingIdentities: ['/home/a/.ssh/id_gone'] });
    expect(parseEvidence(log('partial'))).toMatchObject({ partialSuccess: true, methodsLeft: ['keyboard-interactive'] });
    expect(parseEvidence(log('loggedIn')).authenticated).toBe(true);
    expect(parseEvidence(log('agent')).offered[0]).toMatchObject({ file: 'alice@laptop', agent: true, accepted: true });
  });

  it('keeps OpenSSH’s own words and the key lines, not the debug chatter', () => {
    const words = openSshWords(log('wrongPassphrase'));
    expect(words).toContain('Permission denied (publickey)');
    expect(words).toContain('Server accepts key');
    expect(words).not.toMatch(/debug2|Applying options|OpenSSH_9/);
  });
});

describe('diagnose with the evidence', () => {
  const d = (k: keyof typeof LOGS, extra: Partial<DiagnoseContext> = {}) => diagnose(log(k), { ...base, evidence: parseEvidence(log(k)), ...extra });

  it('three refused passphrases → wrong-passphrase, not key-refused; the key was registered', () => {
    const r = d('wrongPassphrase', { passphraseAnswers: 3 });
    expect(r.code).toBe('wrong-passphrase');
    expect(r.values).toMatchObject({ key: '/home/a/.ssh/id_ed25519_mila', keyAccepted: 'yes', user: 'alice' });
    expect(r.next).not.toContain('48');
  });

  it('the same log without passphrases typed is not called a wrong passphrase', () => {
    expect(d('wrongPassphrase', { passphraseAnswers: 0 }).code).not.toBe('wrong-passphrase');
  });

  it('a refused key → key-refused with user and key; with a history of another username → wrong-username', () => {
    const r = d('refused');
    expect(r.code).toBe('key-refused');
    expect(r.message).toContain('“alice”');
    expect(r.message).toContain('/home/a/.ssh/id_ed25519_mila');
    expect(r.next).toContain('48 hours');
    const w = d('refused', { usersKeyWorkedWith: ['alice2'] });
    expect(w).toMatchObject({ code: 'wrong-username', values: { user: 'alice', previousUser: 'alice2' } });
    // The same username worked before: not a username problem.
    expect(d('refused', { usersKeyWorkedWith: ['alice'] }).code).toBe('key-refused');
  });

  it('no key offered → key-not-offered', () => {
    expect(d('noKey').code).toBe('key-not-offered');
  });

  it('key accepted, code refused → mfa-rejected even when no code was typed by us', () => {
    expect(d('partial').code).toBe('mfa-rejected');
  });

  it('refused: a ban only with failures in the history; the port is named', () => {
    const text = 'ssh: connect to host login.server.mila.quebec port 2222: Connection refused';
    const plain = diagnose(text, base);
    expect(plain).toMatchObject({ code: 'connection-refused', values: { host: 'login.server.mila.quebec', port: '2222' } });
    expect(plain.next).toContain('port 2222');
    expect(plain.message + plain.next).not.toMatch(/hour/);
    const banned = diagnose(text, { ...base, recentFailures: 3 });
    expect(banned).toMatchObject({ code: 'refused-after-failures', values: { failures: '3' } });
    expect(banned.next).toMatch(/^Wait an hour/);
  });

  it('refused vs timed out vs no route vs DNS', () => {
    expect(diagnose('ssh: connect to host h port 2222: Connection timed out', base).code).toBe('timeout');
    expect(diagnose('Connection timed out during banner exchange\nConnection to 127.0.0.1 port 5 timed out', base).code).toBe('timeout');
    expect(diagnose('ssh: connect to host 10.0.0.1 port 2222: No route to host', base).code).toBe('network');
    expect(diagnose('ssh: Could not resolve hostname login.server.mila.quebec: Name or service not known', base).code).toBe('dns');
    expect(diagnose('ssh: Could not resolve hostname x: nodename nor servname provided, or not known', base).code).toBe('dns');
  });
});

describe('the key check’s verdict', () => {
  it('from the exit code and the log', () => {
    expect(verdictOf(0, parseEvidence(log('loggedIn')), log('loggedIn'))).toBe('logged-in');
    expect(verdictOf(255, parseEvidence(log('partial')), log('partial'))).toBe('code-needed');
    expect(verdictOf(255, parseEvidence(log('locked')), log('locked'))).toBe('accepted-locked');
    expect(verdictOf(255, parseEvidence(log('refused')), log('refused'))).toBe('refused');
    expect(verdictOf(255, parseEvidence(log('noKey')), log('noKey'))).toBe('not-offered');
    expect(verdictOf(255, parseEvidence(''), 'ssh: connect to host h port 1: Connection refused')).toBe('failed');
  });
});

describe('the attempt history', () => {
  const now = 1_800_000_000_000;
  const a = (over: Partial<Attempt>): Attempt => ({ at: now - 60_000, host: 'h', port: 2222, outcome: 'auth-failed', user: 'alice', acceptedKey: null, ...over });
  it('counts failed logins against that host and port, in the ban window only', () => {
    const list = [a({}), a({ port: 22 }), a({ host: 'other' }), a({ outcome: 'refused' }), a({ at: now - BAN_WINDOW_MS - 1 }), a({ outcome: 'logged-in' })];
    expect(recentFailures(list, 'h', 2222, now)).toBe(1);
  });
  it('remembers the usernames a key was accepted with', () => {
    const list = [a({ acceptedKey: FP, user: 'alice', outcome: 'logged-in' }), a({ acceptedKey: FP, user: 'alice', outcome: 'key-accepted' }), a({ acceptedKey: 'SHA256:other', user: 'bob' })];
    expect(usersKeyWorkedWith(list, 'h', 2222, FP)).toEqual(['alice']);
  });
});

describe('the wizard’s words for every diagnosis code', () => {
  const tr = wizardTranslator();
  const values = { user: 'alice', key: '/home/a/.ssh/id_ed25519_mila', fingerprint: FP, host: 'login.server.mila.quebec', port: '2222', hours: '48', failures: '2', previousUser: 'alice2', keyAccepted: 'yes' };

  for (const code of DiagnosisSchema.shape.code.options) {
    it(`${code}: English and French, every value filled, French not English`, () => {
      const dto = { code, message: 'engine text', next: 'engine next', alarming: false, values };
      tr.use('en');
      const e = diagnosisTexts(tr.t, dto);
      tr.use('fr');
      const f = diagnosisTexts(tr.t, dto);
      for (const s of [e.message, e.next, f.message, f.next]) {
        expect(s).not.toContain('{{');
        expect(s).not.toBe('engine text');
        expect(s).not.toBe('engine next');
      }
      expect(f.message).not.toBe(e.message);
      expect(f.next).not.toBe(e.next);
    });
  }

  it('names the facts: username and key for key-refused; the port for a refused connection', () => {
    tr.use('fr');
    const kr = diagnosisTexts(tr.t, { code: 'key-refused', message: '', next: '', alarming: false, values });
    expect(kr.message).toContain('«\u00a0alice\u00a0»');
    expect(kr.message).toContain('/home/a/.ssh/id_ed25519_mila');
    const cr = diagnosisTexts(tr.t, { code: 'connection-refused', message: '', next: '', alarming: false, values: { port: '2222' } });
    expect(cr.next).toContain('port 2222');
    tr.use('en');
    const unknownPort = diagnosisTexts(tr.t, { code: 'connection-refused', message: '', next: '', alarming: false, values: {} });
    expect(unknownPort.next).toContain('block the SSH port');
    const wp = diagnosisTexts(tr.t, { code: 'wrong-passphrase', message: '', next: '', alarming: false, values });
    expect(wp.note).toContain('it is registered');
    expect(diagnosisTexts(tr.t, { code: 'wrong-passphrase', message: '', next: '', alarming: false, values: { ...values, keyAccepted: 'no' } }).note).toBeNull();
  });
});
