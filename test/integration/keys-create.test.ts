import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engine/errors.js';
import { createKey, type CreatePhase } from '../../src/engine/keys/create.js';
import { listKeys } from '../../src/engine/keys/list.js';
import { runInPty } from '../../src/engine/openssh/pty-session.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'keys-create-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, `ssh-${++n}`);

/** The test checks the passphrase with ssh-keygen's own -P: fine in a test, never in the app. */
function unlocks(file: string, passphrase: string): boolean {
  return spawnSync('ssh-keygen', ['-y', '-P', passphrase, '-f', file], { encoding: 'utf8' }).status === 0;
}

function sshKeygenFingerprint(file: string): { bits: number; fingerprint: string; type: string } {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' });
  const m = /^(\d+) (SHA256:\S+) .* \((\S+)\)$/.exec(out.trim())!;
  return { bits: Number(m[1]), fingerprint: m[2]!, type: m[3]! };
}

describe('createKey with the real ssh-keygen', () => {
  it('creates an ed25519 key protected by the passphrase, in a new 700 folder', async () => {
    const dir = freshDir();
    const phases: CreatePhase[] = [];
    const created = await createKey({ sshDir: dir, passphrase: 'correct horse battery', comment: 'alice@laptop', onProgress: (p) => phases.push(p) });
    console.log(`ed25519 creation took ${created.elapsedMs} ms`);
    expect(created.file).toBe('id_ed25519_mila');
    expect(phases).toEqual(['starting', 'generating', 'writing', 'done']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(created.path).mode & 0o777).toBe(0o600);
    expect(statSync(`${created.path}.pub`).mode & 0o777).toBe(0o644);
    expect(unlocks(created.path, 'correct horse battery')).toBe(true);
    expect(unlocks(created.path, 'correct horse batterx')).toBe(false);
    expect(created.key).toMatchObject({ kind: 'private', type: 'ED25519', bits: 256, encrypted: true, hasPublic: true, comment: 'alice@laptop', problems: [] });
    const real = sshKeygenFingerprint(created.path);
    expect(created.fingerprint).toBe(real.fingerprint);
    expect(created.publicKey).toBe(readFileSync(`${created.path}.pub`, 'utf8').trim());
    expect(created.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ alice@laptop$/);
    expect(created.randomart).toHaveLength(11);
    expect(created.randomart[0]).toBe('+--[ED25519 256]--+');
    // listKeys agrees.
    const listed = (await listKeys(dir)).keys.find((k) => k.file === 'id_ed25519_mila');
    expect(listed).toMatchObject({ encrypted: true, fingerprint: real.fingerprint });
  });

  it('creates an RSA 3072 key with the next free default name', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, 'id_rsa_mila'), 'not mine');
    const created = await createKey({ sshDir: dir, type: 'rsa', passphrase: 'pässwörd with ünïcode', defaultName: 'id_ed25519_mila' });
    console.log(`RSA 3072 creation took ${created.elapsedMs} ms`);
    expect(created.file).toBe('id_rsa_mila_2');
    expect(created.key).toMatchObject({ type: 'RSA', bits: 3072, encrypted: true });
    expect(unlocks(created.path, 'pässwörd with ünïcode')).toBe(true);
    expect(unlocks(created.path, 'wrong')).toBe(false);
    expect(created.fingerprint).toBe(sshKeygenFingerprint(created.path).fingerprint);
    expect(readFileSync(path.join(dir, 'id_rsa_mila'), 'utf8')).toBe('not mine');
  });

  it('creates a key without a passphrase only when that is explicitly allowed', async () => {
    const dir = freshDir();
    await expect(createKey({ sshDir: dir, passphrase: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(existsSync(dir)).toBe(false);
    const created = await createKey({ sshDir: dir, passphrase: '', allowEmptyPassphrase: true, name: 'plain' });
    expect(created.key.encrypted).toBe(false);
    expect(unlocks(created.path, '')).toBe(true);
  });

  it('never overwrites: an existing key or .pub is refused before ssh-keygen runs', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, 'id_ed25519_mila'), 'PRIVATE BYTES');
    writeFileSync(path.join(dir, 'lonely.pub'), 'PUBLIC BYTES');
    const err = await createKey({ sshDir: dir, name: 'id_ed25519_mila', passphrase: 'secret pass' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'already-exists', nothingChanged: true });
    expect((err as EngineError).hint).toMatch(/id_ed25519_mila_2/);
    await expect(createKey({ sshDir: dir, name: 'lonely', passphrase: 'secret pass' })).rejects.toMatchObject({ code: 'already-exists' });
    expect(readFileSync(path.join(dir, 'id_ed25519_mila'), 'utf8')).toBe('PRIVATE BYTES');
    expect(readFileSync(path.join(dir, 'lonely.pub'), 'utf8')).toBe('PUBLIC BYTES');
    expect(readdirSync(dir).sort()).toEqual(['id_ed25519_mila', 'lonely.pub']);
  });

  it('answers "n" if ssh-keygen still asks to overwrite (a file that appeared after the check)', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'racy');
    const err = await createKey({
      sshDir: dir,
      name: 'racy',
      passphrase: 'secret pass',
      // Runs right after the fork, before ssh-keygen has even started checking.
      hooks: { onSpawn: () => writeFileSync(file, 'SOMEONE ELSE') },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'already-exists' });
    expect(readFileSync(file, 'utf8')).toBe('SOMEONE ELSE');
    expect(existsSync(`${file}.pub`)).toBe(false);
  });

  it.each([
    ['../x', 'unsafe-path'],
    ['/etc/passwd', 'unsafe-path'],
    [path.join(root, 'outside-key'), 'unsafe-path'],
    ['', 'invalid-input'],
    ['a\nb', 'invalid-input'],
    ['-rf', 'invalid-input'],
  ])('refuses the name %j (%s) and creates nothing', async (name, code) => {
    const dir = freshDir();
    const before = readdirSync(root).sort();
    const err = await createKey({ sshDir: dir, name, passphrase: 'secret pass' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code, nothingChanged: true });
    expect((err as Error).message.length).toBeGreaterThan(20);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('cancelling during RSA 4096 generation kills ssh-keygen and leaves no files', async () => {
    const dir = freshDir();
    const controller = new AbortController();
    let pid = 0;
    const started = Date.now();
    const err = await createKey({
      sshDir: dir,
      type: 'rsa',
      bits: 4096,
      passphrase: 'secret pass',
      signal: controller.signal,
      hooks: { onSpawn: (p) => (pid = p) },
      onProgress: (phase) => {
        if (phase === 'generating') setTimeout(() => controller.abort(), 20);
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(dir)).toBe(false); // the folder this run created is gone too
    expect(pid).toBeGreaterThan(0);
    expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')).toBe(false);
  });

  it('cancelling while ssh-keygen waits at a prompt removes what this run made, nothing else', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, 'other'), 'keep');
    const controller = new AbortController();
    const err = await createKey({
      sshDir: dir,
      name: 'half',
      passphrase: 'secret pass',
      signal: controller.signal,
      hooks: {
        beforeAnswer: (prompt) => {
          if (prompt.kind === 'confirm-passphrase') controller.abort();
        },
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(readdirSync(dir)).toEqual(['other']);
  });

  it('never puts the passphrase in the argv or environment of ssh-keygen (read from /proc while it waits)', async () => {
    if (process.platform !== 'linux') return;
    const dir = freshDir();
    const passphrase = 'Zq7-unique-passphrase-4711';
    let pid = 0;
    const seen: string[] = [];
    await createKey({
      sshDir: dir,
      passphrase,
      comment: 'proc@test',
      hooks: {
        onSpawn: (p) => (pid = p),
        beforeAnswer: (prompt) => {
          // At "Enter same passphrase again" the passphrase has been typed once already.
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
          const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
          seen.push(`${prompt.kind}:${comm}`);
          expect(cmdline.split('\0')[0]).toMatch(/ssh-keygen$/);
          expect(cmdline).toContain('proc@test');
          expect(cmdline).not.toContain(passphrase);
          expect(environ).not.toContain(passphrase);
          expect(environ).toContain('LC_ALL=C');
        },
      },
    });
    expect(seen).toEqual(['new-passphrase:ssh-keygen', 'confirm-passphrase:ssh-keygen']);
  });

  it('reports a missing ssh-keygen plainly and creates nothing', async () => {
    const dir = freshDir();
    const emptyBin = mkdtempSync(path.join(root, 'bin-'));
    const savedPath = process.env.PATH;
    process.env.PATH = emptyBin;
    try {
      await expect(createKey({ sshDir: dir, passphrase: 'secret pass' })).rejects.toMatchObject({ code: 'openssh-missing', hint: expect.stringMatching(/apt install openssh-client/) });
    } finally {
      process.env.PATH = savedPath;
    }
    expect(existsSync(path.join(dir, 'id_ed25519_mila'))).toBe(false);
  });
});

describe('runInPty', () => {
  it('types answers without echoing them into the output, and reports unknown questions verbatim', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const res = await runInPty({
      program: 'ssh-keygen',
      args: ['-t', 'ed25519', '-f', path.join(dir, 'k'), '-C', 'c'],
      onPrompt: () => 'Secret-Answer-99',
    });
    expect(res.exitCode).toBe(0);
    expect(res.output).not.toContain('Secret-Answer-99');
    expect(res.prompts.map((p) => p.kind)).toEqual(['new-passphrase', 'confirm-passphrase']);
  });

  it('maps a program that cannot be started to openssh-missing', async () => {
    await expect(runInPty({ program: 'ssh-keygen', executable: path.join(root, 'no-such-ssh-keygen'), args: ['-l'], onPrompt: () => '' })).rejects.toMatchObject({
      code: 'openssh-missing',
    });
    await expect(runInPty({ program: 'ssh-add', args: ['-l'], env: { PATH: root }, onPrompt: () => '' })).rejects.toMatchObject({ code: 'openssh-missing' });
  });

  it('times out a program that runs too long, and kills it', async () => {
    const started = Date.now();
    // RSA 16384 takes minutes to generate, printing nothing to answer.
    const err = await runInPty({
      program: 'ssh-keygen',
      args: ['-t', 'rsa', '-b', '16384', '-f', path.join(root, 'slow')],
      timeoutMs: 300,
      onPrompt: () => 'x',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(existsSync(path.join(root, 'slow'))).toBe(false);
  });

  it('cancels while waiting for an answer that never comes (the clock is paused, the signal is not)', async () => {
    const started = Date.now();
    const err = await runInPty({
      program: 'ssh-keygen',
      args: ['-t', 'ed25519', '-f', path.join(root, 'never')],
      timeoutMs: 100,
      onPrompt: () => new Promise<string>(() => undefined),
      signal: AbortSignal.timeout(600),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  });
});
