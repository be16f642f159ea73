/**
 * Trust for a cluster that publishes no fingerprints (the Alliance's): the plan shows what
 * the server presents and is "unverified"; nothing is written until the user confirms the
 * fingerprints they saw; a server that presents other keys by then is refused (the attack:
 * a different server between seeing and confirming); a published fingerprint is never
 * overridden by a confirmation. Real sshd, real ssh-keyscan, real strict ssh login after.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type EngineContext } from '../../src/engine/context.js';
import { applyTrust } from '../../src/engine/trust/apply.js';
import { planTrust } from '../../src/engine/trust/plan.js';
import { trustStatus } from '../../src/engine/trust/status.js';
import { doctor } from '../../src/engine/doctor/doctor.js';
import { ClusterProfileSchema, type ClusterProfile } from '../../src/engine/profile/schema.js';
import { trustHandlers } from '../../src/host/handlers/trust.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { trustChannels } from '../../src/shared/contract/trust.js';
import { buildCli, type CliHarness } from '../fixtures/cli-harness.js';
import { HOST_KEY_TYPES, startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { profileFor } from '../fixtures/profile.js';
import { generateKey, makeClientDir, removeDir, runSsh, writeClientConfig, type GeneratedKey } from '../fixtures/ssh-client.js';

let cluster: LoginOnlyCluster;
let impostor: LoginOnlyCluster;
let cli: CliHarness;
let key: GeneratedKey;
let keyDir: string;
const dirs: string[] = [];

beforeAll(async () => {
  keyDir = await makeClientDir();
  [cluster, impostor, cli, key] = await Promise.all([startCluster({ computeNode: false }), startCluster({ computeNode: false }), buildCli(), generateKey(keyDir, 'id_login')]);
  await cluster.authorizeKey(key.publicKeyLine);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  await impostor?.stop();
  cli?.dispose();
  await removeDir(keyDir);
  for (const d of dirs) await removeDir(d);
});

/** The throwaway login node as a cluster that publishes no fingerprints. */
function unpublished(node: LoginOnlyCluster): ClusterProfile {
  const base = profileFor(node);
  return ClusterProfileSchema.parse({ ...base, id: 'unpublished', name: 'Unpublished', login: { ...base.login, fingerprints: 'not-published', fingerprintsPublished: undefined } });
}

async function fresh(profile: ClusterProfile): Promise<EngineContext> {
  const dir = await makeClientDir();
  dirs.push(dir);
  return createContext({ sshDir: dir, profile });
}
const kh = (ctx: EngineContext) => path.join(ctx.sshDir, 'known_hosts');
const presented = () => HOST_KEY_TYPES.map((t) => cluster.login.fingerprints[t]);

describe('unpublished fingerprints', () => {
  it('the plan is unverified, shows every presented key, and writes nothing', async () => {
    const ctx = await fresh(unpublished(cluster));
    const plan = await planTrust(ctx);
    expect(plan.unverified).toBe(true);
    expect(plan.comparison.trusted).toBe(false);
    expect(plan.comparison.verdicts.map((v) => v.status)).toEqual(['not-published', 'not-published', 'not-published']);
    expect(plan.comparison.verdicts.map((v) => v.presented).sort()).toEqual(presented().sort());
    expect(plan.toAdd).toHaveLength(3);
    expect(existsSync(kh(ctx))).toBe(false);
    // Through the contract: unverified, with a randomart for each key.
    const scope = { ctx, front: 'web', emit: () => undefined } as unknown as HandlerScope;
    const dto = trustChannels['trust.plan'].output.parse(await trustHandlers['trust.plan']({}, scope));
    expect(dto.unverified).toBe(true);
    for (const v of dto.verdicts) expect(v.randomart?.[0]).toMatch(/^\+-+\[(ED25519 256|ECDSA 256|RSA 3072)\]-+\+$/);
  }, 60_000);

  it('apply without a confirmation writes nothing and says nobody can vouch for the key', async () => {
    const ctx = await fresh(unpublished(cluster));
    await expect(applyTrust(ctx, { removeStale: false })).rejects.toThrow(/nobody can vouch/);
    await expect(applyTrust(ctx, { removeStale: false, acceptUnverified: [] })).rejects.toThrow(/Nothing was written/);
    expect(existsSync(kh(ctx))).toBe(false);
  }, 60_000);

  it('the attack: fingerprints confirmed from one server, another server answers at apply: refused, nothing written', async () => {
    // The user was shown (and confirmed) the real server's keys; the name now leads to another server.
    const ctx = await fresh(unpublished(impostor));
    await expect(applyTrust(ctx, { removeStale: false, acceptUnverified: presented() })).rejects.toMatchObject({ code: 'host-key-mismatch' });
    expect(existsSync(kh(ctx))).toBe(false);
    // Confirming only some of the presented keys is not enough either.
    const ctx2 = await fresh(unpublished(cluster));
    await expect(applyTrust(ctx2, { removeStale: false, acceptUnverified: [cluster.login.fingerprints.ED25519] })).rejects.toThrow(/did not confirm/);
    expect(existsSync(kh(ctx2))).toBe(false);
  }, 60_000);

  it('confirmed: recorded, ssh then logs in with strict host-key checking, and status says "confirmed, unverified"', async () => {
    const ctx = await fresh(unpublished(cluster));
    const plan = await planTrust(ctx);
    const knownHostsCheck = async () => (await doctor(ctx)).checks.find((c) => c.id === 'known-hosts')!;
    expect(await knownHostsCheck()).toMatchObject({ status: 'fail', next: expect.stringMatching(/publishes no fingerprints/) });
    const res = await applyTrust(ctx, { removeStale: false, expectedHash: plan.hash, acceptUnverified: plan.comparison.verdicts.map((v) => v.presented) });
    expect(res.changed).toBe(true);
    expect(res.message).toMatch(/could not be verified/);
    const lines = readFileSync(kh(ctx), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${cluster.login.port} \\S+ \\S+ added-by-mila-onboard-confirmed-unverified$`));
    const cfg = await writeClientConfig(ctx.sshDir, cluster, { identityFile: key.privateKey, knownHostsFile: kh(ctx), strictHostKeyChecking: 'yes', fileName: 'strict_config' });
    const login = await runSsh(['-F', cfg, '-o', 'BatchMode=yes', 'login', 'echo', 'strict-ok'], { timeoutMs: 30_000 });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout.trim()).toBe('strict-ok');
    const status = await trustStatus(ctx);
    expect(status.login).toMatchObject({ trusted: true, unverified: true });
    expect((await planTrust(ctx)).alreadyTrusted).toBe(true);
    // The doctor agrees, and says what it is: confirmed, not verified.
    expect(await knownHostsCheck()).toMatchObject({ status: 'ok', message: expect.stringMatching(/keys you confirmed .* could not be verified/) });
  }, 60_000);

  it('a published fingerprint is never overridden by a confirmation', async () => {
    const base = profileFor(cluster);
    const wrong = ClusterProfileSchema.parse({ ...base, login: { ...base.login, fingerprints: { ED25519: impostor.login.fingerprints.ED25519 } } });
    const ctx = await fresh(wrong);
    await expect(applyTrust(ctx, { removeStale: false, acceptUnverified: presented() })).rejects.toMatchObject({ code: 'host-key-mismatch' });
    expect(existsSync(kh(ctx))).toBe(false);
  }, 60_000);

  it('CLI: --yes alone writes nothing (exit 1); --accept-unverified shows fingerprints and randomart, then records', async () => {
    const dir = await makeClientDir();
    dirs.push(dir);
    const file = path.join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify(unpublished(cluster)));
    const refused = await cli.run(['trust', '--ssh-dir', dir, '--profile', file, '--yes'], { timeoutMs: 60_000 });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Cannot be verified: Unpublished publishes no host-key fingerprints, so nobody can vouch/);
    expect(refused.stderr).toMatch(/Not written/);
    expect(existsSync(path.join(dir, 'known_hosts'))).toBe(false);
    const ok = await cli.run(['trust', '--ssh-dir', dir, '--profile', file, '--accept-unverified'], { timeoutMs: 60_000 });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(cluster.login.fingerprints.ED25519);
    expect(ok.stdout).toMatch(/\+--\[ED25519 256\]--\+/);
    expect(readFileSync(path.join(dir, 'known_hosts'), 'utf8').trim().split('\n')).toHaveLength(3);
  }, 120_000);
});
