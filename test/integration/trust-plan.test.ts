import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { EngineError } from '../../src/engine/errors.js';
import { planTrust } from '../../src/engine/trust/plan.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { profileFor } from '../fixtures/profile.js';
import { makeClientDir, removeDir } from '../fixtures/ssh-client.js';

let cluster: LoginOnlyCluster;
let dir: string;

beforeAll(async () => {
  cluster = await startCluster({ computeNode: false });
  dir = await makeClientDir();
});
afterAll(async () => {
  await cluster?.stop();
  await removeDir(dir);
});

describe('planning trust against a real sshd', () => {
  it('matches every published fingerprint and plans one line per key', async () => {
    const ctx = createContext({ sshDir: dir, profile: profileFor(cluster) });
    const plan = await planTrust(ctx);
    expect(plan.comparison.trusted).toBe(true);
    expect(plan.comparison.verdicts.map((v) => [v.type, v.status]).sort()).toEqual([
      ['ECDSA', 'match'],
      ['ED25519', 'match'],
      ['RSA', 'match'],
    ]);
    expect(plan.names).toEqual([`[127.0.0.1]:${cluster.login.port}`]);
    expect(plan.toAdd).toHaveLength(3);
    expect(plan.stale).toEqual([]);
  });

  it('with one wrong fingerprint, trusts nothing and plans nothing', async () => {
    const profile = profileFor(cluster);
    profile.login.fingerprints.ECDSA = 'SHA256:baEGIa311fhnxBWsIZJ/zYhq2WfCttwyHRKzAb8zlp8';
    const plan = await planTrust(createContext({ sshDir: dir, profile }));
    expect(plan.comparison).toMatchObject({ trusted: false, mismatch: true });
    expect(plan.toAdd).toEqual([]);
  });

  it('finds stale lines for the host and knows when all is already recorded', async () => {
    const ctx = createContext({ sshDir: dir, profile: profileFor(cluster) });
    const name = `[127.0.0.1]:${cluster.login.port}`;
    const good = cluster.login.knownHostsLines().join('\n');
    writeFileSync(path.join(dir, 'known_hosts'), `other.example ${cluster.login.hostPublicKeys.ED25519}\n${name} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n${good}\n`);
    const plan = await planTrust(ctx);
    expect(plan.stale).toEqual([{ line: 2, text: expect.stringContaining('AAAAIOMqqnk') }]);
    expect(plan.toAdd).toEqual([]);
    expect(plan.alreadyTrusted).toBe(false);
  });

  it('explains a server that does not answer', async () => {
    const profile = profileFor(cluster);
    profile.login.port = 1; // nothing listens there
    await expect(planTrust(createContext({ sshDir: dir, profile }))).rejects.toBeInstanceOf(EngineError);
  });
});
