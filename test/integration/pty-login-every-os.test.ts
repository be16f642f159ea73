/**
 * A login with a passphrase-protected key through the pseudo-terminal, to a throwaway sshd on
 * 127.0.0.1, written to run on macOS and Linux (the installers workflow runs it on both
 * runners, which ship sshd). Unlike test/fixtures/cluster.ts (Debian, root, PAM one-time
 * codes), this sshd needs neither root nor PAM: it runs as the current user, with its own host
 * key, config and authorized_keys in a temp folder, and accepts only that user. The client is
 * the engine's runInPty: ssh asks "Enter passphrase for key", the answer is typed at the prompt.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/engine/keys/create.js';
import { runInPty } from '../../src/engine/openssh/pty-session.js';

const SSHD = '/usr/sbin/sshd';
const PASSPHRASE = 'purple tulips under snow';
let dir: string;
let port: number;
let sshd: ChildProcess | undefined;
let sshdLog = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
}

async function listening(p: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: p }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`sshd did not listen on ${p}:\n${sshdLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install the OpenSSH server (apt-get install openssh-server); macOS ships it.`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'mila-login-every-os-'));
  chmodSync(dir, 0o700);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_ed25519')]);
  // As root (these machines), sshd wants its privilege-separation folder; as a normal user it does not.
  if (process.getuid?.() === 0 && process.platform === 'linux' && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  port = await freePort();
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `HostKey ${path.join(dir, 'host_ed25519')}`,
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'UsePAM no',
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr!.on('data', (d: Buffer) => (sshdLog += d.toString()));
  await listening(port, 20_000);
}, 60_000);

afterAll(async () => {
  if (sshd && sshd.exitCode === null) {
    const gone = new Promise((r) => sshd!.once('exit', r));
    sshd.kill('SIGTERM');
    await gone;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`login through the pty to a throwaway sshd (${process.platform})`, () => {
  it('creates a key with a passphrase, then logs in with it, typing the passphrase at ssh\'s prompt', async () => {
    const keys = path.join(dir, 'ssh');
    const created = await createKey({ sshDir: keys, passphrase: PASSPHRASE, comment: 'login@test' });
    writeFileSync(path.join(dir, 'authorized_keys'), `${created.publicKey}\n`);
    const hostKey = readFileSync(path.join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
    const config = path.join(dir, 'client_config');
    writeFileSync(
      config,
      [
        'Host throwaway',
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  User ${os.userInfo().username}`,
        `  IdentityFile ${created.path}`,
        '  IdentitiesOnly yes',
        '  PreferredAuthentications publickey',
        `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        '  ControlMaster no',
        '',
      ].join('\n'),
    );
    chmodSync(config, 0o600);
    const asked: string[] = [];
    const r = await runInPty({
      program: 'ssh',
      args: ['-F', config, 'throwaway', 'echo mila-onboard-login-ok'],
      // No agent: the key must be unlocked here, by the passphrase typed at the prompt.
      env: { SSH_AUTH_SOCK: undefined },
      timeoutMs: 60_000,
      onPrompt: (p) => {
        asked.push(p.kind);
        if (p.kind === 'passphrase') return PASSPHRASE;
        throw new Error(`unexpected prompt: ${p.text}`);
      },
    });
    expect(asked).toEqual(['passphrase']);
    expect(r.exitCode, `${r.output}\n--- sshd ---\n${sshdLog}`).toBe(0);
    expect(r.output).toContain('mila-onboard-login-ok');
    expect(r.output).not.toContain(PASSPHRASE);
    expect(sshdLog).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
  }, 120_000);
});
