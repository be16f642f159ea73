/**
 * Proves the throwaway cluster fixture with the real OpenSSH client: key login, ProxyJump to
 * the compute node, host keys checked strictly, and a Mila-like one-time code in a pty.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type ThrowawayCluster, waitForLog } from '../fixtures/cluster.js';
import { pidAlive } from '../fixtures/processes.js';
import {
  generateKey,
  knownHostsLine,
  makeClientDir,
  removeDir,
  runInPty,
  runSsh,
  writeClientConfig,
  type GeneratedKey,
} from '../fixtures/ssh-client.js';

const execFileP = promisify(execFile);

describe('throwaway cluster without MFA', () => {
  let cluster: ThrowawayCluster | undefined;
  let clientDir: string | undefined;
  let key: GeneratedKey;
  let config: string;

  beforeAll(async () => {
    clientDir = await makeClientDir();
    [cluster, key] = await Promise.all([startCluster(), generateKey(clientDir, 'id_ed25519_mila')]);
    await cluster.authorizeKey(key.publicKeyLine);
    config = await writeClientConfig(clientDir, cluster, { identityFile: key.privateKey });
  });

  afterAll(async () => {
    await cluster?.stop();
    await removeDir(clientDir);
  });

  it('starts two sshd nodes with distinct, real host keys', async () => {
    const c = cluster!;
    expect(c.login.port).not.toBe(c.compute.port);
    expect(c.login.alive() && c.compute.alive()).toBe(true);
    expect((await fs.stat(clientDir!)).mode & 0o777).toBe(0o700);
    for (const t of ['ED25519', 'ECDSA', 'RSA'] as const) {
      expect(c.login.fingerprints[t]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(c.login.fingerprints[t]).not.toBe(c.compute.fingerprints[t]);
    }
    expect(c.login.hostPublicKeys.ED25519).toMatch(/^ssh-ed25519 AAAA/);
    expect(c.login.hostPublicKeys.RSA).toMatch(/^ssh-rsa AAAA/);
    expect(c.login.hostPublicKeys.ECDSA).toMatch(/^ecdsa-sha2-nistp256 AAAA/);
  });

  it('logs in to the login node, and to the compute node through ProxyJump', async () => {
    const login = await runSsh(['-F', config, '-o', 'BatchMode=yes', 'login', 'echo', 'login-ok']);
    expect(login.stderr).not.toMatch(/denied/i);
    expect(login.code).toBe(0);
    expect(login.stdout.trim()).toBe('login-ok');

    const compute = await runSsh(['-F', config, '-o', 'BatchMode=yes', 'compute', 'echo', 'compute-ok']);
    expect(compute.code).toBe(0);
    expect(compute.stdout.trim()).toBe('compute-ok');

    // The compute node saw a connection forwarded by the login node, with our key.
    expect(await waitForLog(cluster!.compute, `Accepted publickey for ${cluster!.user} from 127.0.0.1`)).toContain(`Accepted publickey for ${cluster!.user} from 127.0.0.1`);
    expect(await waitForLog(cluster!.compute, key.fingerprint)).toContain(key.fingerprint);
    // accept-new recorded both nodes' keys; what the client saw is what the fixture reports.
    for (const node of [cluster!.login, cluster!.compute]) {
      const { stdout } = await execFileP('ssh-keygen', [
        '-l',
        '-E',
        'sha256',
        '-F',
        `[127.0.0.1]:${node.port}`,
        '-f',
        path.join(clientDir!, 'known_hosts'),
      ]);
      expect(stdout).toContain(node.fingerprints.ED25519);
    }
  });

  it('checks host keys strictly: the right key passes, none or a wrong one fails', async () => {
    const c = cluster!;
    const dir = clientDir!;
    const strict = async (name: string, knownHosts: string) => {
      const kh = path.join(dir, `known_hosts_${name}`);
      await fs.writeFile(kh, knownHosts, { mode: 0o600 });
      const cfg = await writeClientConfig(dir, c, {
        identityFile: key.privateKey,
        knownHostsFile: kh,
        strictHostKeyChecking: 'yes',
        fileName: `config_${name}`,
      });
      return runSsh(['-F', cfg, '-o', 'BatchMode=yes', 'login', 'echo', 'strict-ok']);
    };

    const good = await strict('good', knownHostsLine(c.login, 'ED25519') + '\n');
    expect(good.code).toBe(0);
    expect(good.stdout.trim()).toBe('strict-ok');

    const empty = await strict('empty', '');
    expect(empty.code).toBe(255);
    expect(empty.stderr).toContain('Host key verification failed.');
    expect(empty.stdout).toBe('');

    // The compute node's key under the login node's name: a "changed" host key.
    const wrong = await strict('wrong', `[127.0.0.1]:${c.login.port} ${c.compute.hostPublicKeys.ED25519}\n`);
    expect(wrong.code).toBe(255);
    expect(wrong.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(wrong.stdout).toBe('');
  });

  it('stop() ends sshd and is idempotent', async () => {
    const c = cluster!;
    const pids = [c.login.pid, c.compute.pid];
    await c.stop();
    await c.stop();
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    expect(existsSync(c.dir)).toBe(process.env.ONBOARD_KEEP_CLUSTER === '1');
  });
});

describe('throwaway cluster with a one-time code (MFA)', () => {
  let cluster: ThrowawayCluster | undefined;
  let clientDir: string | undefined;
  let plainKey: GeneratedKey;
  let lockedKey: GeneratedKey;
  const passphrase = 'correct horse battery staple';

  beforeAll(async () => {
    clientDir = await makeClientDir();
    [cluster, plainKey, lockedKey] = await Promise.all([
      startCluster({ mfa: true }),
      generateKey(clientDir, 'id_plain'),
      generateKey(clientDir, 'id_ed25519_mila', { passphrase }),
    ]);
    await cluster.authorizeKey(plainKey.publicKeyLine);
    await cluster.authorizeKey(lockedKey.publicKeyLine);
  });

  afterAll(async () => {
    await cluster?.stop();
    await removeDir(clientDir);
  });

  it('installs a PAM service named after the sshd copy', async () => {
    const c = cluster!;
    expect(c.pamFile).toMatch(/^\/etc\/pam\.d\/sshd-onboard-test-\d+-[0-9a-f]+$/);
    const pam = await fs.readFile(c.pamFile!, 'utf8');
    expect(pam).toContain('pam_oath.so');
    expect(c.totpSecret).toMatch(/^[0-9a-f]{40}$/);
    const a = c.otp();
    const b = c.otp();
    expect(a).toMatch(/^\d{6}$/);
    expect(b).toMatch(/^\d{6}$/);
  });

  it('refuses a key-only login (BatchMode cannot answer the code)', async () => {
    const cfg = await writeClientConfig(clientDir!, cluster!, { identityFile: plainKey.privateKey, fileName: 'config_plain' });
    const r = await runSsh(['-F', cfg, '-o', 'BatchMode=yes', 'login', 'echo', 'should-not-run']);
    expect(r.code).toBe(255);
    expect(r.stdout).toBe('');
    // The key was accepted (partial success); keyboard-interactive is what is left.
    expect(r.stderr).toContain('Permission denied (keyboard-interactive)');
    expect(await waitForLog(cluster!.login, `Partial publickey for ${cluster!.user}`)).toContain(`Partial publickey for ${cluster!.user}`);
  });

  it('logs in in a pty: key passphrase, then the one-time code', async () => {
    const c = cluster!;
    const cfg = await writeClientConfig(clientDir!, c, { identityFile: lockedKey.privateKey, fileName: 'config_locked' });
    const r = await runInPty('ssh', ['-F', cfg, 'login', 'echo', 'mfa-ok'], [
      { prompt: /Enter passphrase for key '[^']+': $/, answer: passphrase },
      { prompt: /One-time password \(OATH\) for `[^']+': $/i, answer: () => c.otp() },
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('mfa-ok');
    expect(r.prompts).toEqual([
      `Enter passphrase for key '${lockedKey.privateKey}': `,
      `(${c.user}@127.0.0.1) One-time password (OATH) for \`${c.user}': `,
    ]);
    expect(await waitForLog(c.login, `Accepted keyboard-interactive/pam for ${c.user}`)).toContain(`Accepted keyboard-interactive/pam for ${c.user}`);
  });

  it('reaches the compute node through the MFA login node with one code', async () => {
    const c = cluster!;
    const cfg = await writeClientConfig(clientDir!, c, { identityFile: plainKey.privateKey, fileName: 'config_plain' });
    const r = await runInPty('ssh', ['-F', cfg, 'compute', 'echo', 'compute-mfa-ok'], [
      { prompt: /One-time password \(OATH\) for `[^']+': $/i, answer: () => c.otp() },
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('compute-mfa-ok');
    expect(r.prompts).toHaveLength(1);
  });

  it('a wrong code is refused', async () => {
    const c = cluster!;
    // Every code pam_oath would accept now (window=10: 10 steps either side)...
    const now = Math.floor(Date.now() / 1000);
    const { stdout } = await execFileP('oathtool', ['--totp', '-w', '22', '--now', `@${now - 330}`, c.totpSecret!]);
    const valid = new Set(stdout.split(/\s+/).filter(Boolean));
    // ...and one that is none of them.
    let wrong = 0;
    while (valid.has(String(wrong).padStart(6, '0'))) wrong++;
    const cfg = await writeClientConfig(clientDir!, c, { identityFile: plainKey.privateKey, fileName: 'config_plain' });
    const r = await runInPty('ssh', ['-F', cfg, '-o', 'NumberOfPasswordPrompts=1', 'login', 'echo', 'nope'], [
      { prompt: /One-time password/i, answer: String(wrong).padStart(6, '0') },
    ]);
    expect(r.exitCode).toBe(255);
    expect(r.output).not.toContain('nope');
    expect(r.output).toContain('Permission denied');
    expect(await waitForLog(c.login, 'Failed keyboard-interactive/pam')).toContain('Failed keyboard-interactive/pam');
  });

  it('stop() removes the PAM file and ends sshd', async () => {
    const c = cluster!;
    const pamFile = c.pamFile!;
    const pids = [c.login.pid, c.compute.pid];
    expect(existsSync(pamFile)).toBe(true);
    await c.stop();
    expect(existsSync(pamFile)).toBe(false);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    await c.stop(); // idempotent
  });
});
