import { describe, expect, it } from 'vitest';
import { normaliseOutput, recognisePrompt } from '../../src/engine/openssh/prompts.js';

// Texts exactly as OpenSSH 9.2 prints them in a pty (CR LF line ends, prompts without a newline).
describe('recognisePrompt: ssh-keygen creating a key', () => {
  it('asks for a new passphrase after "Generating"', () => {
    const p = recognisePrompt('Generating public/private ed25519 key pair.\r\nEnter passphrase (empty for no passphrase): ');
    expect(p).toMatchObject({ kind: 'new-passphrase', awaitsAnswer: true, secret: true, retry: false, text: 'Enter passphrase (empty for no passphrase): ' });
  });

  it('asks to confirm', () => {
    expect(recognisePrompt('\r\nEnter same passphrase again: ')).toMatchObject({ kind: 'confirm-passphrase', secret: true, retry: false });
  });

  it('marks the repeated prompt after a mismatch as a retry', () => {
    const p = recognisePrompt('\r\nPassphrases do not match.  Try again.\r\nEnter passphrase (empty for no passphrase): ');
    expect(p).toMatchObject({ kind: 'new-passphrase', retry: true });
  });

  it('does not recognise a prompt whose text is still arriving', () => {
    expect(recognisePrompt('Generating public/private rsa key pair.\r\nEnter passphrase (empty for no')).toBeNull();
    expect(recognisePrompt('Generating public/private rsa key pair.\r\n')).toBeNull();
    // ...not even once quiet: it does not end like a question.
    expect(recognisePrompt('Enter passphrase (empty for no', { quiet: true })).toBeNull();
  });

  it('asks before overwriting, naming the file', () => {
    const p = recognisePrompt('Generating public/private ed25519 key pair.\r\n/home/u/.ssh/id_ed25519 already exists.\r\nOverwrite (y/n)? ');
    expect(p).toMatchObject({ kind: 'overwrite', secret: false, awaitsAnswer: true, keyFile: '/home/u/.ssh/id_ed25519' });
  });

  it('reads the key and randomart lines as no prompt', () => {
    const out =
      "\r\nYour identification has been saved in /tmp/k\r\nYour public key has been saved in /tmp/k.pub\r\nThe key fingerprint is:\r\nSHA256:4771ODoE2Bkf7EghI40e9gC2gAOsu+5Jg5rqctio1kc test\r\nThe key's randomart image is:\r\n+--[ED25519 256]--+\r\n|Bo.oo .o         |\r\n+----[SHA256]-----+\r\n";
    expect(recognisePrompt(out)).toBeNull();
    expect(recognisePrompt(out, { quiet: true })).toBeNull();
  });
});

describe('recognisePrompt: existing keys', () => {
  it('ssh-keygen -y: "Enter passphrase: "', () => {
    expect(recognisePrompt('Enter passphrase: ')).toMatchObject({ kind: 'passphrase', secret: true, retry: false });
  });

  it('ssh-keygen -p: old, then new passphrase after the comment line', () => {
    expect(recognisePrompt('Enter old passphrase: ')).toMatchObject({ kind: 'passphrase' });
    expect(recognisePrompt("\r\nKey has comment 'test'\r\nEnter new passphrase (empty for no passphrase): ")).toMatchObject({ kind: 'new-passphrase', retry: false });
  });

  it('ssh: "Enter passphrase for key \'F\': " names the key', () => {
    expect(recognisePrompt("Enter passphrase for key '/home/u/.ssh/id_ed25519_mila': ")).toMatchObject({
      kind: 'passphrase',
      keyFile: '/home/u/.ssh/id_ed25519_mila',
    });
  });

  it('ssh-add: "Enter passphrase for F: " then "Bad passphrase, try again for F: "', () => {
    expect(recognisePrompt('Enter passphrase for k: ')).toMatchObject({ kind: 'passphrase', keyFile: 'k', retry: false });
    expect(recognisePrompt('\r\nBad passphrase, try again for /h/.ssh/k: ')).toMatchObject({ kind: 'passphrase', keyFile: '/h/.ssh/k', retry: true });
    expect(recognisePrompt('Enter passphrase for k (will confirm each use): ')).toMatchObject({ kind: 'passphrase', keyFile: 'k' });
  });

  it('a wrong passphrase is a notice, not a prompt', () => {
    const p = recognisePrompt('\r\nLoad key "k": incorrect passphrase supplied to decrypt private key\r\r\n');
    expect(p).toMatchObject({ kind: 'wrong-passphrase', awaitsAnswer: false, text: 'Load key "k": incorrect passphrase supplied to decrypt private key' });
    expect(recognisePrompt('\r\nFailed to load key k: incorrect passphrase supplied to decrypt private key\r\r\n')).toMatchObject({ kind: 'wrong-passphrase' });
    expect(recognisePrompt('\r\nBad passphrase.\r\n')).toMatchObject({ kind: 'wrong-passphrase', awaitsAnswer: false });
  });

  it('ssh asking again after a wrong passphrase is a retry', () => {
    const p = recognisePrompt("\r\nLoad key \"k\": incorrect passphrase supplied to decrypt private key\r\nEnter passphrase for key 'k': ");
    expect(p).toMatchObject({ kind: 'passphrase', retry: true });
  });
});

describe('recognisePrompt: ssh connecting', () => {
  it('unknown host key, with the fingerprint shown above', () => {
    const out =
      "The authenticity of host '[login.server.mila.quebec]:2222 ([1.2.3.4]:2222)' can't be established.\r\n" +
      'ED25519 key fingerprint is SHA256:gfXZzaPiaYHcrPqzHvBi6v+BWRS/lXOS/zAjOKeoBJg.\r\n' +
      'This key is not known by any other names.\r\n' +
      'Are you sure you want to continue connecting (yes/no/[fingerprint])? ';
    expect(recognisePrompt(out)).toMatchObject({
      kind: 'host-key',
      secret: false,
      fingerprint: 'SHA256:gfXZzaPiaYHcrPqzHvBi6v+BWRS/lXOS/zAjOKeoBJg',
      keyType: 'ED25519',
      host: '[login.server.mila.quebec]:2222 ([1.2.3.4]:2222)',
    });
    expect(recognisePrompt("Please type 'yes', 'no' or the fingerprint: ")).toMatchObject({ kind: 'host-key', retry: true });
  });

  it('a changed host key is a notice', () => {
    const out = '@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@@@@@@\r\n';
    expect(recognisePrompt(out)).toMatchObject({ kind: 'host-key-changed', awaitsAnswer: false });
  });

  it("Mila's one-time code prompt", () => {
    expect(recognisePrompt('(alice@login.server.mila.quebec) please enter otp:')).toMatchObject({
      kind: 'otp',
      account: 'alice@login.server.mila.quebec',
      secret: false,
      awaitsAnswer: true,
    });
    expect(recognisePrompt('(alice@login.server.mila.quebec) please enter otp: ')).toMatchObject({ kind: 'otp' });
  });

  it("pam_oath's prompt (the throwaway test login node)", () => {
    expect(recognisePrompt("(root@127.0.0.1) One-time password (OATH) for `root': ")).toMatchObject({ kind: 'otp', account: 'root@127.0.0.1' });
  });

  it('password prompts are recognised (Mila no longer accepts them)', () => {
    expect(recognisePrompt("alice@login.server.mila.quebec's password: ")).toMatchObject({ kind: 'password', secret: true });
    expect(recognisePrompt('(alice@host) Password: ')).toMatchObject({ kind: 'password', secret: true });
  });
});

describe('recognisePrompt: unknown questions', () => {
  it('are prompts only once the program is quiet, shown verbatim', () => {
    const tail = 'Some banner\r\nDo you like trains? ';
    expect(recognisePrompt(tail)).toBeNull();
    expect(recognisePrompt(tail, { quiet: true })).toEqual({ kind: 'unknown', text: 'Do you like trains? ', awaitsAnswer: true, secret: false, retry: false });
    expect(recognisePrompt('(u@h) Favourite colour: ', { quiet: true })).toMatchObject({ kind: 'unknown', account: 'u@h', text: '(u@h) Favourite colour: ' });
  });

  it('a finished line is no question, even when quiet', () => {
    expect(recognisePrompt('Question: \r\n', { quiet: true })).toBeNull();
    expect(recognisePrompt('Working...', { quiet: true })).toBeNull();
  });

  it('ignores terminal escape sequences around a prompt', () => {
    expect(recognisePrompt('\x1b[?2004h\x1b]0;title\x07Enter passphrase: ')).toMatchObject({ kind: 'passphrase' });
  });
});

describe('normaliseOutput', () => {
  it('makes CR LF and CR CR LF plain line ends and honours a bare CR', () => {
    expect(normaliseOutput('a\r\nb\r\r\nc')).toBe('a\nb\nc');
    expect(normaliseOutput('50%\r100%\r\n')).toBe('100%\n');
  });
});
