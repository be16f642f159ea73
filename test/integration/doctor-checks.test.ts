/**
 * doctor against a folder set up with the product's own steps (key with a passphrase, in an
 * agent; config; login and compute host keys), then broken one way at a time. Exit code: 0
 * when nothing fails (warnings allowed), 1 otherwise.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnComputeHostKeys } from '../../src/engine/compute/host-keys.js';
import { createContext } from '../../src/engine/context.js';
import { doctor, type DoctorReport } from '../../src/engine/doctor/doctor.js';
import { addKeyToAgent } from '../../src/engine/keys/agent.js';
import { connectHandlers } from '../../src/host/handlers/connect.js';
import { connectChannels } from '../../src/shared/contract/connect.js';
import { buildCli, type CliHarness } from '../fixtures/cli-harness.js';
import { startCluster, type ThrowawayCluster } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { removeDir } from '../fixtures/ssh-client.js';

const execFileP = promisify(execFile);
const PASSPHRASE = 'doctor pass phrase';

let cluster: ThrowawayCluster;
let cli: CliHarness;
let f: PreparedFolder;
let agent: { sock: string; pid: number } | undefined;
let profileFile: string;

const byId = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

beforeAll(async () => {
  [cluster, cli] = await Promise.all([startCluster(), buildCli()]);
  f = await prepareFolder(cluster, { passphrase: PASSPHRASE });
  // The compute-node keys, over a login (the passphrase is asked).
  const learned = await learnComputeHostKeys(f.ctx, { ask: async () => PASSPHRASE });
  expect(learned.ok).toBe(true);
  // A private agent holding the key.
  const sock = path.join(f.dir, 'agent.sock');
  const { stdout } = await execFileP('ssh-agent', ['-a', sock, '-s']);
  agent = { sock, pid: Number(/SSH_AGENT_PID=(\d+)/.exec(stdout)![1]) };
  await addKeyToAgent({ sshDir: f.dir, file: path.basename(f.key.privateKey), passphrase: PASSPHRASE, env: { SSH_AUTH_SOCK: sock } });
  profileFile = path.join(f.dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(f.ctx.profile));
});
afterAll(async () => {
  if (agent) process.kill(agent.pid, 'SIGTERM');
  await cluster?.stop();
  cli?.dispose();
  await removeDir(f?.dir);
});

describe('doctor', () => {
  it('all ok on a fully set-up folder, checks run in parallel; the CLI exits 0', async () => {
    const r = await doctor(f.ctx, { agentEnv: { SSH_AUTH_SOCK: agent!.sock } });
    expect(r.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(r.overall).toBe('ok');
    expect(r.checks.map((c) => c.id)).toEqual(['pty', 'keys', 'config', 'permissions', 'known-hosts', 'compute-known-hosts', 'agent', 'reachability']);
    // ssh -V, run through the pty path that creates keys and logs in
    expect(r.checks.find((c) => c.id === 'pty')!.message).toMatch(/^This computer can start OpenSSH in a terminal \(OpenSSH_\d/);
    expect(r.checks.find((c) => c.id === 'reachability')!.message).toMatch(/answers \(SSH-2\.0-OpenSSH_/);
    expect(r.elapsedMs).toBeLessThan(5000);

    const c = await cli.run(['doctor', '--ssh-dir', f.dir, '--profile', profileFile], { env: { SSH_AUTH_SOCK: agent!.sock } });
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('[ok  ] config: "ssh mila" reaches 127.0.0.1');
    expect(c.stdout).toContain('All is well.');
  });

  it('without an agent: a warning, still exit 0', async () => {
    const r = await doctor(f.ctx, { agentEnv: { SSH_AUTH_SOCK: undefined } });
    expect(r.overall).toBe('warn');
    expect(byId(r).agent).toBe('warn');
    const c = await cli.run(['doctor', '--json', '--ssh-dir', f.dir, '--profile', profileFile], { env: { SSH_AUTH_SOCK: '' } });
    expect(c.code).toBe(0);
    expect(connectChannels['doctor.run'].output.parse(JSON.parse(c.stdout))).toMatchObject({ overall: 'warn' });
  });

  it('a broken config → config fails, exit 1', async () => {
    const cfg = path.join(f.dir, 'config');
    const backup = `${cfg}.saved`;
    copyFileSync(cfg, backup);
    try {
      appendFileSync(cfg, '\nHostnme typo.example\n');
      const r = await doctor(f.ctx, { agentEnv: { SSH_AUTH_SOCK: agent!.sock } });
      expect(byId(r).config).toBe('fail');
      expect(r.checks.find((c) => c.id === 'config')!.message).toMatch(/Bad configuration option: hostnme/i);
      const c = await cli.run(['doctor', '--ssh-dir', f.dir, '--profile', profileFile], { env: { SSH_AUTH_SOCK: agent!.sock } });
      expect(c.code).toBe(1);
      expect(c.stdout).toContain('[FAIL] config');
    } finally {
      renameSync(backup, cfg);
    }
  });

  it('a missing key → keys fails, exit 1', async () => {
    const moved = `${f.key.privateKey}.moved`;
    renameSync(f.key.privateKey, moved);
    try {
      const r = await doctor(f.ctx, { agentEnv: { SSH_AUTH_SOCK: agent!.sock } });
      expect(byId(r).keys).toBe('fail');
      expect(r.checks.find((c) => c.id === 'keys')!.message).toContain('does not exist');
      expect((await cli.run(['doctor', '--ssh-dir', f.dir, '--profile', profileFile], { env: { SSH_AUTH_SOCK: agent!.sock } })).code).toBe(1);
    } finally {
      renameSync(moved, f.key.privateKey);
    }
  });

  it('an untrusted host (no known_hosts) → known-hosts fails, exit 1', async () => {
    const kh = path.join(f.dir, 'known_hosts');
    const saved = `${kh}.saved`;
    renameSync(kh, saved);
    try {
      const r = await doctor(f.ctx, { agentEnv: { SSH_AUTH_SOCK: agent!.sock } });
      expect(byId(r)['known-hosts']).toBe('fail');
      expect(byId(r)['compute-known-hosts']).toBe('warn');
      expect((await cli.run(['doctor', '--ssh-dir', f.dir, '--profile', profileFile], { env: { SSH_AUTH_SOCK: agent!.sock } })).code).toBe(1);
    } finally {
      rmSync(kh, { force: true });
      renameSync(saved, kh);
    }
  });

  it('an unreachable login node → reachability fails', async () => {
    const profile = structuredClone(f.ctx.profile);
    profile.login.port = 1;
    const r = await doctor(createContext({ sshDir: f.dir, profile }), { agentEnv: { SSH_AUTH_SOCK: agent!.sock }, reachTimeoutMs: 2000 });
    expect(byId(r).reachability).toBe('fail');
    expect(r.checks.find((c) => c.id === 'reachability')!.message).toContain('refused the connection');
    expect(r.overall).toBe('fail');
  });

  it('doctor.run through the handler, validated by the contract', async () => {
    const value = connectChannels['doctor.run'].output.parse(await connectHandlers['doctor.run']({}, { ctx: f.ctx, front: 'web', emit: () => undefined }));
    expect(value.checks).toHaveLength(8);
  });
});
