/**
 * Every Mila entry right, judged by OpenSSH itself:
 * - `mila-cpu` reaches a compute node through a ProxyCommand, so without HostKeyAlias
 *   OpenSSH looks its key up as `[mila-cpu]:2222`, a name the recorded compute-node keys do
 *   not cover. With the block's `HostKeyAlias mila-cpu` and the compute keys recorded (by
 *   the engine's own writer) under the profile's compute names, a strict host-key
 *   connection through a ProxyCommand stand-in succeeds.
 * - `IdentityFile ~/.ssh/NAME` is what `ssh` really opens as HOME/.ssh/NAME.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { buildBlock, renderBlock } from '../../src/engine/config/template.js';
import { resolveIdentity } from '../../src/engine/config/validate.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { writeVerifiedKeys } from '../../src/engine/trust/store.js';
import { HOST_KEY_TYPES, startCluster, type ThrowawayCluster } from '../fixtures/cluster.js';
import { generateKey, makeClientDir, removeDir, runSsh, type GeneratedKey } from '../fixtures/ssh-client.js';

const mila = builtInProfile('mila');
let cluster: ThrowawayCluster;
let dir: string;
let key: GeneratedKey;

beforeAll(async () => {
  cluster = await startCluster();
  dir = await makeClientDir();
  key = await generateKey(dir, 'id_ed25519_mila');
  await cluster.authorizeKey(key.publicKeyLine);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await removeDir(dir);
});

/** The compute node's keys as the engine records them (names from the real Mila profile). */
async function recordComputeKeys(sshDir: string, names: readonly string[] = mila.compute.knownHostsPatterns): Promise<void> {
  const ctx = createContext({ sshDir, profile: mila, stateDir: path.join(sshDir, 'state') });
  const verified = HOST_KEY_TYPES.map((t) => {
    const [algorithm, blob] = cluster.compute.hostPublicKeys[t].split(' ');
    return { type: t, algorithm: algorithm!, blob: blob! };
  });
  await writeVerifiedKeys(ctx, { names, verified, comment: 'test', removeStale: false, purpose: 'compute' });
}

/**
 * The written mila block, preceded by a stand-in for what cannot exist here: the Slurm
 * proxy becomes a real jump through the throwaway login node to its compute node (first
 * value wins in ssh_config), and no remote entrypoint. Host-key checking is strict.
 */
async function writeConfig(sshDir: string, block: string): Promise<string> {
  const knownHosts = path.join(sshDir, 'known_hosts');
  const standIn = [
    'Host mila',
    `    HostName ${cluster.login.host}`,
    `    Port ${cluster.login.port}`,
    `    IdentityFile ${key.privateKey}`,
    `    UserKnownHostsFile ${knownHosts}`,
    '    StrictHostKeyChecking no',
    `    User ${cluster.user}`,
    'Host mila-cpu',
    `    ProxyCommand ssh -F ${path.join(sshDir, 'config')} -W ${cluster.compute.host}:${cluster.compute.port} mila`,
    '    RemoteCommand none',
    '    RequestTTY no',
    '    ForwardAgent no',
    `    User ${cluster.user}`,
    'Host *',
    `    UserKnownHostsFile ${knownHosts}`,
    '    GlobalKnownHostsFile /dev/null',
    '    StrictHostKeyChecking yes',
    '    BatchMode yes',
    '    IdentitiesOnly yes',
    '    ControlMaster no',
    '    ControlPath none',
    '',
  ].join('\n');
  const file = path.join(sshDir, 'config');
  await fs.writeFile(file, standIn + block, { mode: 0o600 });
  return file;
}

function blockFor(profile = mila): string {
  const identity = resolveIdentity(key.privateKey, { sshDir: dir, home: os.homedir(), defaultName: 'x', platform: 'linux' });
  return renderBlock(buildBlock(profile, { user: cluster.user, identity, variant: 'simple', platform: 'linux' }), '\n');
}

describe('mila-cpu host key', () => {
  it('ssh -G: the key is looked up under "mila-cpu", a name the compute keys are recorded under', async () => {
    const sshDir = await fs.mkdtemp(path.join(dir, 'g-'));
    for (const variant of ['simple', 'advanced'] as const) {
      const identity = resolveIdentity(key.privateKey, { sshDir, home: os.homedir(), defaultName: 'x', platform: 'linux' });
      const file = path.join(sshDir, `config-${variant}`);
      await fs.writeFile(file, renderBlock(buildBlock(mila, { user: 'alice', identity, variant, platform: 'linux' }), '\n'));
      const g = execFileSync('ssh', ['-G', '-F', file, 'mila-cpu'], { encoding: 'utf8' });
      expect(g, variant).toMatch(/^hostkeyalias mila-cpu$/m);
      expect(g, variant).toMatch(/^proxycommand ssh mila /m);
      expect(g, variant).toMatch(/^port 2222$/m);
      expect(g, variant).toMatch(/^user alice$/m);
    }
    expect(mila.compute.knownHostsPatterns).toContain('mila-cpu');
  });

  it('a strict host-key connection through the ProxyCommand stand-in is verified by the recorded compute keys', async () => {
    const sshDir = await fs.mkdtemp(path.join(dir, 'ok-'));
    await recordComputeKeys(sshDir);
    const config = await writeConfig(sshDir, blockFor());
    const res = await runSsh(['-F', config, 'mila-cpu', 'echo', 'on-compute'], { timeoutMs: 30_000 });
    expect(res.stderr).not.toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION/);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe('on-compute');
  }, 60_000);

  it('the old block (no HostKeyAlias, compute keys under the compute names only): the same connection is refused', async () => {
    const sshDir = await fs.mkdtemp(path.join(dir, 'old-'));
    await recordComputeKeys(sshDir, ['cn-????', 'cn-????.server.mila.quebec']);
    const old = {
      ...mila,
      extraHosts: mila.extraHosts.map((e) => ({ ...e, options: e.options.filter(([k]) => k !== 'HostKeyAlias') })),
    };
    const config = await writeConfig(sshDir, blockFor(old));
    const res = await runSsh(['-F', config, 'mila-cpu', 'echo', 'on-compute'], { timeoutMs: 30_000 });
    expect(res.code, res.stderr).not.toBe(0);
    // OpenSSH 9.2: "No ED25519 host key is known for [mila-cpu]:2222 and you have requested strict checking."
    expect(res.stderr).toMatch(/host key is known for \[mila-cpu\]:2222/);
    expect(res.stderr).toMatch(/Host key verification failed/);
  }, 60_000);
});

describe('IdentityFile under the home folder', () => {
  it('is written ~/.ssh/NAME and ssh opens HOME/.ssh/NAME: the same file the app resolved', async () => {
    const home = os.homedir();
    const name = `id_ed25519_onboard_probe_${process.pid}`;
    const identity = resolveIdentity(name, { sshDir: path.join(home, '.ssh'), home, defaultName: 'x', platform: 'linux' });
    expect(identity.configValue).toBe(`~/.ssh/${name}`);
    const sshDir = await fs.mkdtemp(path.join(dir, 'id-'));
    const file = path.join(sshDir, 'config');
    const block = renderBlock(buildBlock(mila, { user: cluster.user, identity, variant: 'simple', platform: 'linux' }), '\n');
    await fs.writeFile(
      file,
      `Host mila\n    HostName ${cluster.login.host}\n    Port ${cluster.login.port}\n    UserKnownHostsFile /dev/null\n    StrictHostKeyChecking no\n    BatchMode yes\n    ControlMaster no\n    ControlPath none\n${block}`,
    );
    const g = execFileSync('ssh', ['-G', '-F', file, 'mila'], { encoding: 'utf8' });
    expect(g).toMatch(new RegExp(`^identityfile ~/\\.ssh/${name}$`, 'm'));
    // ssh -G prints the value as written; -v shows the file ssh really tries (it need not
    // exist: nothing is created in the real home folder).
    const res = await runSsh(['-v', '-F', file, 'mila', 'true'], { timeoutMs: 30_000 });
    expect(res.stderr).toContain(`identity file ${identity.path} type -1`);
    expect(identity.path).toBe(path.join(home, '.ssh', name));
  }, 60_000);
});
