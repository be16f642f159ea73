/**
 * Each diagnosed connection failure, produced for real against the throwaway cluster and
 * recognised from what OpenSSH printed: unregistered key, changed host key, unknown host,
 * bad key permissions, an unexpected host-key question (answered "no"), no settings, a
 * stopped server. Plus the CLI: `mila-onboard connect` exit codes and texts.
 */
import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect/connect.js';
import type { AskPrompt } from '../../src/engine/connect/session.js';
import { buildCli, type CliHarness } from '../fixtures/cli-harness.js';
import { startCluster, type ThrowawayCluster } from '../fixtures/cluster.js';
import { noPrompt, preparedFolders, type PreparedFolder } from '../fixtures/onboard.js';

let cluster: ThrowawayCluster;
let cli: CliHarness;
const folders = preparedFolders(() => cluster);
const folder = folders.make;

beforeAll(async () => {
  [cluster, cli] = await Promise.all([startCluster(), buildCli()]);
});
afterAll(async () => {
  await cluster?.stop();
  cli?.dispose();
  await folders.removeAll();
});

const kh = (f: PreparedFolder) => path.join(f.dir, 'known_hosts');
const loginName = () => `[127.0.0.1]:${cluster.login.port}`;

describe('connect: success and each diagnosed failure, for real', () => {
  it('a set-up folder logs in without any prompt', async () => {
    const f = await folder();
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r).toMatchObject({ ok: true, hostname: expect.any(String) });
  });

  it('unregistered key → key-refused', async () => {
    const f = await folder({ authorize: false });
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('key-refused');
    expect(r.diagnosis.next).toContain('48 hours');
    expect(r.details).toContain('Permission denied (publickey');
  });

  it('a wrong key recorded for the host → host-key-changed (alarming)', async () => {
    const f = await folder({ trust: false });
    writeFileSync(kh(f), `${loginName()} ${cluster.compute.hostPublicKeys.ED25519}\n`);
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis).toMatchObject({ code: 'host-key-changed', alarming: true });
    expect(r.details).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
  });

  it('nothing recorded for the host → host-key-unknown (strict checking, no question)', async () => {
    const f = await folder({ trust: false });
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('host-key-unknown');
    expect(r.details).toMatch(/No \S+ host key is known for \[127\.0\.0\.1\]:\d+/);
  });

  it('a private key others can read (chmod 644) → key-permissions, even as root', async () => {
    const f = await folder();
    chmodSync(f.key.privateKey, 0o644);
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('key-permissions');
    expect(r.details).toContain("Permissions 0644 for '");
    expect(r.details).toContain('UNPROTECTED PRIVATE KEY FILE');
  });

  it('an unexpected host-key question (from a ProxyJump hop) is answered "no", never yes → host-key-unknown', async () => {
    const f = await folder();
    // The hop's own ssh reads only the config: give it an empty known_hosts and OpenSSH's default (ask).
    appendFileSync(
      path.join(f.dir, 'config'),
      `\nHost hop-test\n    HostName 127.0.0.1\n    Port ${cluster.compute.port}\n    ProxyJump mila\nHost *\n    UserKnownHostsFile "${path.join(f.dir, 'known_hosts_hop')}"\n    StrictHostKeyChecking ask\n`,
    );
    writeFileSync(path.join(f.dir, 'known_hosts_hop'), '');
    const asked: AskPrompt[] = [];
    const r = await connect(f.ctx, { alias: 'hop-test', ask: async (p) => (asked.push(p), '') });
    expect(asked).toEqual([]); // the host-key question never reaches the user
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('host-key-unknown');
    expect(r.details).toContain('Are you sure you want to continue connecting');
    expect(readFileSync(path.join(f.dir, 'known_hosts_hop'), 'utf8')).toBe('');
  });

  it('no SSH config yet → config-error, without running ssh', async () => {
    const f = await folder({ config: false });
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r).toMatchObject({ ok: false, diagnosis: { code: 'config-error' } });
  });
});

describe('mila-onboard connect (CLI)', () => {
  it('exit 0 and the hostname on success; exit 1 with the diagnosis and OpenSSH\'s words on failure', async () => {
    const good = await folder();
    const profileFile = path.join(good.dir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(good.ctx.profile));
    const ok = await cli.run(['connect', '--ssh-dir', good.dir, '--profile', profileFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Logged in to Test cluster \(\S+\) in \d+\.\d s\./);
    expect(ok.stderr).toContain('Connecting…');

    const bad = await folder({ authorize: false });
    writeFileSync(path.join(bad.dir, 'profile.json'), JSON.stringify(bad.ctx.profile));
    const r = await cli.run(['connect', '--ssh-dir', bad.dir, '--profile', path.join(bad.dir, 'profile.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The cluster did not accept the key ${bad.key.privateKey} for the username “${cluster.user}”.`);
    expect(r.stderr).toContain('What to do: ');
    expect(r.stderr).toContain('What OpenSSH said:');
    const json = await cli.run(['connect', '--json', '--ssh-dir', bad.dir, '--profile', path.join(bad.dir, 'profile.json')]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, diagnosis: { code: 'key-refused' } });
  });

  it('a passphrase read from a pipe (no terminal) is typed at the prompt, never printed', async () => {
    const f = await folder({ passphrase: 'piped connect passphrase', keyName: 'id_locked' });
    writeFileSync(path.join(f.dir, 'profile.json'), JSON.stringify(f.ctx.profile));
    const r = await cli.run(['connect', '--ssh-dir', f.dir, '--profile', path.join(f.dir, 'profile.json')], { input: 'piped connect passphrase\n' });
    expect(r.stderr).toContain(`Enter passphrase for key '${f.key.privateKey}': `);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('piped connect passphrase');
  });
});

describe('a stopped server', () => {
  it('→ connection-refused', async () => {
    const f = await folder();
    await cluster.login.stop();
    const r = await connect(f.ctx, { ask: noPrompt });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('connection-refused');
    expect(r.details).toMatch(/connect to host 127\.0\.0\.1 port \d+: Connection refused/);
  });
});
