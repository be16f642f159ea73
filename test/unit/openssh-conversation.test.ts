/**
 * The one policy for OpenSSH's questions (src/engine/openssh/conversation.ts), job by job, on
 * prompts recognised from the texts OpenSSH 9.2 prints (the same texts keys-prompts.test.ts
 * holds). The integration tests run the same jobs against the real programs.
 */
import { describe, expect, it, vi } from 'vitest';
import { answerPrompts, POLICY, ruleFor, saidWrongPassphrase, type KeyUnlock, type PtyJob } from '../../src/engine/openssh/conversation.js';
import { recognisePrompt, type Prompt, type PromptKind } from '../../src/engine/openssh/prompts.js';

function prompt(text: string): Prompt {
  const p = recognisePrompt(text, { quiet: true });
  if (!p) throw new Error(`not a prompt: ${text}`);
  return p;
}

const P = {
  keyPassphrase: () => prompt("Enter passphrase for key '/home/u/.ssh/id_ed25519': "),
  keygenPassphrase: () => prompt('Enter passphrase: '),
  oldPassphrase: () => prompt('Enter old passphrase: '),
  sshAddAgain: () => prompt('Bad passphrase, try again for /home/u/.ssh/id_ed25519: '),
  newPassphrase: () => prompt('Generating public/private ed25519 key pair.\r\nEnter passphrase (empty for no passphrase): '),
  newAgain: () => prompt('\r\nPassphrases do not match.  Try again.\r\nEnter passphrase (empty for no passphrase): '),
  confirm: () => prompt('\r\nEnter same passphrase again: '),
  overwrite: () => prompt('/tmp/k already exists.\r\nOverwrite (y/n)? '),
  hostKey: () =>
    prompt(
      "The authenticity of host '[127.0.0.1]:2222 ([127.0.0.1]:2222)' can't be established.\r\nED25519 key fingerprint is SHA256:4771ODoE2Bkf7EghI40e9gC2gAOsu+5Jg5rqctio1kc.\r\nAre you sure you want to continue connecting (yes/no/[fingerprint])? ",
    ),
  password: () => prompt("root@127.0.0.1's password: "),
  otp: () => prompt('(root@127.0.0.1) One-time password (OATH) for `root\': '),
  unknown: () => prompt('Type the name of your first pet: '),
};

class Wrong extends Error {}
class Missing extends Error {}
class Refused extends Error {}

function unlock(over: Partial<KeyUnlock> = {}): KeyUnlock {
  return { check: (a) => a, wrong: () => new Wrong(), missing: () => new Missing(), ...over };
}

const first = { attempt: 1 };

describe('the policy table', () => {
  it('names what each job answers; every other prompt stops the program (a login asks the person)', () => {
    const kinds: PromptKind[] = ['new-passphrase', 'confirm-passphrase', 'passphrase', 'overwrite', 'host-key', 'otp', 'duo-menu', 'password', 'unknown'];
    const table = Object.fromEntries(Object.keys(POLICY).map((job) => [job, kinds.map((k) => ruleFor(job as PtyJob['job'], k))]));
    expect(table).toEqual({
      'unlock-key': ['unexpected', 'unexpected', 'unlock', 'unexpected', 'unexpected', 'unexpected', 'unexpected', 'unexpected', 'unexpected'],
      'change-passphrase': ['new-passphrase', 'confirm-passphrase', 'unlock', 'unexpected', 'unexpected', 'unexpected', 'unexpected', 'unexpected', 'unexpected'],
      'create-key': ['new-passphrase', 'confirm-passphrase', 'unexpected', 'refuse-overwrite', 'unexpected', 'unexpected', 'unexpected', 'unexpected', 'unexpected'],
      login: ['ask-person', 'ask-person', 'ask-person', 'ask-person', 'refuse-host-key', 'ask-person', 'ask-person', 'refuse-password', 'ask-person'],
      'no-questions': kinds.map(() => 'unexpected'),
    });
  });
});

describe("an existing key's passphrase", () => {
  it('a given passphrase is typed once; being asked again means it was wrong', async () => {
    const answer = answerPrompts('ssh-keygen', { job: 'unlock-key', unlock: unlock({ passphrase: 'given' }) });
    await expect(answer(P.keygenPassphrase(), first)).resolves.toBe('given');
    await expect(answer(P.keygenPassphrase(), { attempt: 2 })).rejects.toBeInstanceOf(Wrong);
  });

  it('a prompt that says the answer was refused is wrong at once when only one answer is allowed', async () => {
    const answer = answerPrompts('ssh-add', { job: 'unlock-key', unlock: unlock({ passphrase: 'given' }) });
    await expect(answer(P.sshAddAgain(), first)).rejects.toBeInstanceOf(Wrong);
  });

  it('without a passphrase, the person is asked, and what they type is checked before it is typed', async () => {
    const ask = vi.fn(async () => 'typed by the person');
    const check = vi.fn((a: string) => `${a} (checked)`);
    const answer = answerPrompts('ssh-keygen', { job: 'unlock-key', unlock: unlock({ ask, check }) });
    await expect(answer(P.keygenPassphrase(), first)).resolves.toBe('typed by the person (checked)');
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ kind: 'passphrase', text: 'Enter passphrase: ' }));
    await expect(answer(P.keygenPassphrase(), { attempt: 2 })).rejects.toBeInstanceOf(Wrong);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('a check that refuses what was typed stops the program with its refusal', async () => {
    const answer = answerPrompts('ssh-keygen', {
      job: 'unlock-key',
      unlock: unlock({
        ask: async () => 'line\nbreak',
        check: () => {
          throw new Refused();
        },
      }),
    });
    await expect(answer(P.keygenPassphrase(), first)).rejects.toBeInstanceOf(Refused);
  });

  it('ssh-add lets the person try three times, then it is a wrong passphrase', async () => {
    const ask = vi.fn(async () => 'try');
    const answer = answerPrompts('ssh-add', { job: 'unlock-key', unlock: unlock({ ask, tries: 3 }) });
    await expect(answer(P.keyPassphrase(), first)).resolves.toBe('try');
    await expect(answer(P.sshAddAgain(), first)).resolves.toBe('try');
    await expect(answer(P.sshAddAgain(), first)).resolves.toBe('try');
    await expect(answer(P.sshAddAgain(), first)).rejects.toBeInstanceOf(Wrong);
    expect(ask).toHaveBeenCalledTimes(3);
  });

  it('a given passphrase is typed once even where a person could try three times', async () => {
    const answer = answerPrompts('ssh-add', { job: 'unlock-key', unlock: unlock({ passphrase: 'given', tries: 3 }) });
    await expect(answer(P.keyPassphrase(), first)).resolves.toBe('given');
    await expect(answer(P.sshAddAgain(), first)).rejects.toBeInstanceOf(Wrong);
  });

  it('nothing given and nobody to ask: the caller says what is missing', async () => {
    const answer = answerPrompts('ssh-keygen', { job: 'unlock-key', unlock: unlock() });
    await expect(answer(P.keygenPassphrase(), first)).rejects.toBeInstanceOf(Missing);
  });

  it('each run counts its own prompts', async () => {
    const job: PtyJob = { job: 'unlock-key', unlock: unlock({ passphrase: 'given' }) };
    await expect(answerPrompts('ssh-keygen', job)(P.keygenPassphrase(), first)).resolves.toBe('given');
    await expect(answerPrompts('ssh-keygen', job)(P.keygenPassphrase(), first)).resolves.toBe('given');
  });
});

describe('new passphrases, overwrite, host keys, passwords and anything else', () => {
  const next = { passphrase: 'new one', refused: () => new Refused() };

  it('ssh-keygen -t: the new passphrase and its confirmation; a repeated ask is refused; nothing is overwritten', async () => {
    const answer = answerPrompts('ssh-keygen', { job: 'create-key', next });
    await expect(answer(P.newPassphrase(), first)).resolves.toBe('new one');
    await expect(answer(P.confirm(), first)).resolves.toBe('new one');
    await expect(answer(P.overwrite(), first)).resolves.toBe('n');
    await expect(answer(P.newAgain(), first)).rejects.toBeInstanceOf(Refused);
    await expect(answer(P.keygenPassphrase(), first)).rejects.toThrow(/ssh-keygen asked something unexpected: "Enter passphrase:"\. Nothing was answered\./);
  });

  it('ssh-keygen -p: the current passphrase, then the new one twice', async () => {
    const answer = answerPrompts('ssh-keygen', { job: 'change-passphrase', unlock: unlock({ passphrase: 'old one' }), next });
    await expect(answer(P.oldPassphrase(), first)).resolves.toBe('old one');
    await expect(answer(P.newPassphrase(), first)).resolves.toBe('new one');
    await expect(answer(P.confirm(), first)).resolves.toBe('new one');
    await expect(answer(P.overwrite(), first)).rejects.toThrow(/asked something unexpected/);
  });

  it('ssh: the host-key question is answered no, a password stops the login, everything else goes to the person', async () => {
    const ask = vi.fn(async (p: Prompt, info: { attempt: number }) => `${p.kind}#${info.attempt}`);
    const answer = answerPrompts('ssh', { job: 'login', ask, password: () => new Refused() });
    await expect(answer(P.hostKey(), first)).resolves.toBe('no');
    await expect(answer(P.password(), first)).rejects.toBeInstanceOf(Refused);
    await expect(answer(P.keyPassphrase(), { attempt: 2 })).resolves.toBe('passphrase#2');
    await expect(answer(P.otp(), first)).resolves.toBe('otp#1');
    await expect(answer(P.unknown(), first)).resolves.toBe('unknown#1');
    expect(ask.mock.calls.map(([p]) => p.kind)).toEqual(['passphrase', 'otp', 'unknown']);
  });

  it('ssh -V: any question stops it, shown verbatim', async () => {
    const answer = answerPrompts('ssh', { job: 'no-questions' });
    await expect(answer(P.unknown(), first)).rejects.toThrow('ssh asked something unexpected: "Type the name of your first pet:". Nothing was answered.');
  });
});

describe('after the run', () => {
  it('tells a wrong passphrase from what ssh-keygen printed', () => {
    expect(saidWrongPassphrase({ prompts: [], output: 'Load key "k": incorrect passphrase supplied to decrypt private key\n' })).toBe(true);
    expect(saidWrongPassphrase({ prompts: [recognisePrompt('Bad passphrase.\r\n')!], output: '' })).toBe(true);
    expect(saidWrongPassphrase({ prompts: [P.keygenPassphrase()], output: 'ssh-ed25519 AAAA k\n' })).toBe(false);
  });
});
