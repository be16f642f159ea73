/**
 * Compute-node access against the throwaway cluster. The compute node's sshd reads the
 * user's keys from <remote home>/.ssh/authorized_keys (cluster option
 * computeAuthorizedKeysFile), the very file the remote script checks and fixes over the
 * login node: as on Mila, where compute nodes share the login nodes' home. The remote home
 * is a temp folder (the cluster runs here, as root): the real /root/.ssh is never touched.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkComputeAccess, fixComputeAccess } from '../../src/engine/compute/access.js';
import { learnComputeHostKeys } from '../../src/engine/compute/host-keys.js';
import { createContext } from '../../src/engine/context.js';
import type { EngineError } from '../../src/engine/errors.js';
import { startCluster, type ThrowawayCluster, waitForLog } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { profileFor } from '../fixtures/profile.js';
import { removeDir, runSsh } from '../fixtures/ssh-client.js';

const execFileP = promisify(execFile);

let cluster: ThrowawayCluster;
let remoteHome: string;
let remoteSsh: string;
let f: PreparedFolder;
let config: string;
/** The machine's real ~/.ssh/authorized_keys (the remote side runs here): never touched. */
const realAk = path.join(os.homedir(), '.ssh', 'authorized_keys');
const realAkState = (): string => {
  try {
    const st = statSync(realAk);
    return `${st.mtimeMs}:${readFileSync(realAk, 'utf8').length}`;
  } catch {
    return 'absent';
  }
};
const realBefore = realAkState();
const noPrompt = async (): Promise<string> => {
  throw new Error('no prompt expected');
};
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

beforeAll(async () => {
  remoteHome = mkdtempSync(path.join(os.tmpdir(), 'onboard-remote-home-'));
  chmodSync(remoteHome, 0o775); // group-writable: compute nodes would ignore the keys
  remoteSsh = path.join(remoteHome, '.ssh');
  cluster = await startCluster({ computeAuthorizedKeysFile: path.join(remoteSsh, 'authorized_keys') });
  const base = profileFor(cluster);
  const profile = { ...base, compute: { ...base.compute, hostPatterns: ['compute-test'], domain: undefined, remoteSshDir: remoteSsh } };
  f = await prepareFolder(cluster, { profile });
  config = path.join(f.dir, 'config');
  // Where "compute-test" is, and (for the jump's own ssh, which does not get our -o options) which known_hosts to use.
  appendFileSync(
    config,
    `\nHost compute-test\n    HostName 127.0.0.1\n    Port ${cluster.compute.port}\nHost *\n    UserKnownHostsFile "${path.join(f.dir, 'known_hosts')}"\n    GlobalKnownHostsFile /dev/null\n    StrictHostKeyChecking yes\n`,
  );
});

afterAll(async () => {
  // The ProxyJump's ssh shares its connection (ControlPersist): end that master first.
  if (config) await runSsh(['-F', config, '-O', 'exit', f.ctx.profile.alias]);
  await cluster?.stop();
  await removeDir(f?.dir);
  rmSync(remoteHome, { recursive: true, force: true });
});

describe('compute nodes: host keys, authorized_keys, then ProxyJump', () => {
  it('learns the compute-node keys through the login node, verified, under the profile patterns', async () => {
    const phases: string[] = [];
    const r = await learnComputeHostKeys(f.ctx, { ask: noPrompt, onProgress: (p) => phases.push(p) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.verdicts.map((v) => v.status)).toEqual(['match', 'match', 'match']);
    expect(r.changed).toBe(true);
    const kh = readFileSync(path.join(f.dir, 'known_hosts'), 'utf8');
    for (const t of ['ED25519', 'ECDSA', 'RSA'] as const) expect(kh).toContain(`[127.0.0.1]:${cluster.compute.port} ${cluster.compute.hostPublicKeys[t]}`);
    expect(phases).toEqual(['connecting', 'scanning', 'done']);
    const again = await learnComputeHostKeys(f.ctx, { ask: noPrompt });
    expect(again.ok && again.changed).toBe(false);
  });

  it('a login node that lies about the compute keys cannot inject one: nothing is written', async () => {
    const before = readFileSync(path.join(f.dir, 'known_hosts'));
    const profile = structuredClone(f.ctx.profile);
    // The "compute node" the login node reports on is really the login node: its keys are not the published compute keys.
    profile.compute.port = cluster.login.port;
    const err = (await learnComputeHostKeys(createContext({ sshDir: f.dir, profile }), { ask: noPrompt }).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('host-key-mismatch');
    expect(err.message).toMatch(/may be an attack/);
    expect(err.hint).toContain(profile.links.support);
    expect(readFileSync(path.join(f.dir, 'known_hosts')).equals(before)).toBe(true);
  });

  it('without a probe node the profile says so', async () => {
    const profile = structuredClone(f.ctx.profile);
    delete profile.compute.probeHost;
    await expect(learnComputeHostKeys(createContext({ sshDir: f.dir, profile }), { ask: noPrompt })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('before the fix the compute node refuses the key', async () => {
    const r = await runSsh(['-F', config, '-o', 'BatchMode=yes', 'compute-test', 'echo', 'compute-ok']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Permission denied');
  });

  it('check reports what is missing and the exact commands, changing nothing', async () => {
    const r = await checkComputeAccess(f.ctx, { ask: noPrompt });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report).toMatchObject({
      ok: false,
      home: { path: remoteHome, mode: '775', writableByOthers: true },
      sshDir: { path: remoteSsh, exists: false, ok: false },
      authorizedKeys: { exists: false, hasKey: false, ok: false },
      key: { fingerprint: f.key.fingerprint },
    });
    expect(r.report.commands).toEqual([
      `chmod go-w ${remoteHome}`,
      `mkdir -p -m 700 ${remoteSsh}`,
      `(umask 077 && : > ${remoteSsh}/authorized_keys)`,
      `printf '%s\\n' '${f.key.publicKeyLine}' >> ${remoteSsh}/authorized_keys`,
    ]);
    expect(mode(remoteHome)).toBe('775');
    expect(() => statSync(remoteSsh)).toThrow();
  });

  it('fix, twice: the second run changes nothing', async () => {
    const phases: string[] = [];
    const first = await fixComputeAccess(f.ctx, { ask: noPrompt, onProgress: (p) => phases.push(p) });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.changed).toBe(true);
    expect(first.actions).toHaveLength(4);
    expect(first.report.ok).toBe(true);
    expect(phases).toEqual(['connecting', 'fixing', 'done']);
    const ak = path.join(remoteSsh, 'authorized_keys');
    expect([mode(remoteHome), mode(remoteSsh), mode(ak)]).toEqual(['755', '700', '600']);
    expect(readFileSync(ak, 'utf8')).toBe(`${f.key.publicKeyLine}\n`);

    const snapshot = { bytes: readFileSync(ak), mtime: statSync(ak).mtimeMs, dir: statSync(remoteSsh).mtimeMs };
    const second = await fixComputeAccess(f.ctx, { ask: noPrompt });
    expect(second).toMatchObject({ ok: true, changed: false, actions: [], report: { ok: true, commands: [] } });
    expect(readFileSync(ak).equals(snapshot.bytes)).toBe(true);
    expect(statSync(ak).mtimeMs).toBe(snapshot.mtime);
    expect(statSync(remoteSsh).mtimeMs).toBe(snapshot.dir);

    const check = await checkComputeAccess(f.ctx, { ask: noPrompt });
    expect(check).toMatchObject({ ok: true, report: { ok: true, problems: [], commands: [] } });
  });

  it('then ssh to the compute node through ProxyJump works, with strict host key checking and no prompt', async () => {
    const r = await runSsh(['-F', config, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', 'compute-test', 'echo', 'compute-ok']);
    expect(r.stderr).not.toMatch(/denied|verification failed/i);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('compute-ok');
    expect(await waitForLog(cluster.compute, `Accepted publickey for ${cluster.user}`)).toContain(`Accepted publickey for ${cluster.user}`);
    // The key check was against the compute keys recorded by learnComputeHostKeys.
    const { stdout } = await execFileP('ssh-keygen', ['-F', `[127.0.0.1]:${cluster.compute.port}`, '-f', path.join(f.dir, 'known_hosts')]);
    expect(stdout).toContain('added-by-mila-onboard');
  });

  it('a key appended to a file without a final newline stays on its own line', async () => {
    const ak = path.join(remoteSsh, 'authorized_keys');
    rmSync(ak);
    appendFileSync(ak, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other', { mode: 0o644 });
    const r = await fixComputeAccess(f.ctx, { ask: noPrompt });
    expect(r.ok && r.actions.length).toBe(2); // add-key, chmod 600
    expect(readFileSync(ak, 'utf8')).toBe(`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other\n${f.key.publicKeyLine}\n`);
    expect(mode(ak)).toBe('600');
  });

  it('never touched the real ~/.ssh of this machine', () => {
    expect(realAkState()).toBe(realBefore);
  });
});
