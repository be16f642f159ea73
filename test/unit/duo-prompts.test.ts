import { describe, expect, it } from 'vitest';
import { recognisePrompt } from '../../src/engine/openssh/prompts.js';

// What OpenSSH 9.2 shows in a pty for pam_duo's conversation (sshd puts the info lines in
// front of the prompt; ssh prefixes the first line with "(user@host) ").
const MENU = [
  '(alice@narval.alliancecan.ca) Duo two-factor login for alice',
  '',
  'Enter a passcode or select one of the following options:',
  '',
  ' 1. Duo Push to My phone (iOS)',
  ' 2. Phone call to XXX-XXX-1234',
  ' 3. SMS passcodes to XXX-XXX-1234',
  '',
  'Passcode or option (1-3): ',
].join('\r\n');

describe('recognisePrompt: Duo', () => {
  it('is a menu, with its options, the account, and the whole menu as its text', () => {
    const p = recognisePrompt(MENU);
    expect(p).toMatchObject({ kind: 'duo-menu', awaitsAnswer: true, retry: false, account: 'alice@narval.alliancecan.ca' });
    expect(p?.options).toEqual([
      { key: '1', label: 'Duo Push to My phone (iOS)', action: 'push' },
      { key: '2', label: 'Phone call to XXX-XXX-1234', action: 'phone' },
      { key: '3', label: 'SMS passcodes to XXX-XXX-1234', action: 'sms' },
    ]);
    expect(p?.text.startsWith('(alice@narval.alliancecan.ca) Duo two-factor login for alice\n')).toBe(true);
    expect(p?.text.endsWith('Passcode or option (1-3): ')).toBe(true);
  });

  it('after a wrong passcode the menu is a retry', () => {
    const p = recognisePrompt(`Invalid passcode, please try again.\r\n${MENU.replace(/^\(\S+\) /, '')}`);
    expect(p).toMatchObject({ kind: 'duo-menu', retry: true });
  });

  it('is not taken for a one-time-code prompt, and a half-printed menu is no prompt yet', () => {
    expect(recognisePrompt(MENU)?.kind).not.toBe('otp');
    expect(recognisePrompt(MENU.slice(0, MENU.indexOf('Passcode or option')))).toBeNull();
  });

  it('Mila\'s one-time code prompt is still an otp', () => {
    expect(recognisePrompt('(alice@login.server.mila.quebec) One-time password (OATH) for `alice\': ')?.kind).toBe('otp');
  });
});
