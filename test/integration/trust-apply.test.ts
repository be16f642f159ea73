/**
 * Recording the login node's verified host keys, against a real sshd: written in the form
 * OpenSSH looks up (`[127.0.0.1]:PORT`), backed up, journaled, revertible; any mismatch
 * writes nothing. The CLI's exit codes say the same.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type EngineContext } from '../../src/engine/context.js';
import type { EngineError } from '../../src/engine/errors.js';
import { applyTrust } from '../../src/engine/trust/apply.js';
import { planTrust } from '../../src/engine/trust/plan.js';
import { revertKnownHosts } from '../../src/engine/trust/revert.js';
import { trustStatus } from '../../src/engine/trust/status.js';
import { trustHandlers } from '../../src/host/handlers/trust.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { trustChannels } from '../../src/shared/contract/trust.js';
import { buildCli, type CliHarness } from '../fixtures/cli-harness.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { profileFor } from '../fixtures/profile.js';
import { generateKey, makeClientDir, removeDir, runSsh, writeClientConfig, type GeneratedKey } from '../fixtures/ssh-client.js';

let cluster: LoginOnlyCluster;
let cli: CliHarness;
let key: GeneratedKey;
let keyDir: string;
const dirs: string[] = [];
const FOREIGN = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

beforeAll(async () => {
  keyDir = await makeClientDir();
  [cluster, cli, key] = await Promise.all([startCluster({ computeNode: false }), buildCli(), generateKey(keyDir, 'id_login')]);
  await cluster.authorizeKey(key.publicKeyLine);
});
afterAll(async () => {
  await cluster?.stop();
  cli?.dispose();
  await removeDir(keyDir);
  for (const d of dirs) await removeDir(d);
});

async function fresh(profile = profileFor(cluster)): Promise<EngineContext> {
  const dir = await makeClientDir();
  dirs.push(dir);
  return createContext({ sshDir: dir, profile });
}
const kh = (ctx: EngineContext) => path.join(ctx.sshDir, 'known_hosts');
const backups = (ctx: EngineContext) => {
  const d = path.join(ctx.sshDir, 'mila-onboard-backups');
  return existsSync(d) ? readdirSync(d).filter((n) => n.startsWith('known_hosts.2')) : [];
};
const name = () => `[127.0.0.1]:${cluster.login.port}`;

/** ssh with the written known_hosts and strict checking: the proof the entries are what OpenSSH looks up. */
async function strictLogin(ctx: EngineContext) {
  const cfg = await writeClientConfig(ctx.sshDir, cluster, { identityFile: key.privateKey, knownHostsFile: kh(ctx), strictHostKeyChecking: 'yes', fileName: 'strict_config' });
  return runSsh(['-F', cfg, '-o', 'BatchMode=yes', 'login', 'echo', 'strict-ok']);
}

describe('applyTrust', () => {
  it('writes verified entries that let ssh -o StrictHostKeyChecking=yes connect', async () => {
    const ctx = await fresh();
    expect((await strictLogin(ctx)).stderr).toContain('Host key verification failed');
    const r = await applyTrust(ctx, { removeStale: false });
    expect(r).toMatchObject({ changed: true, backupPath: null, removed: [], keptStale: [] });
    expect(r.added).toHaveLength(3);
    expect(r.verdicts.every((v) => v.status === 'match')).toBe(true);
    const text = readFileSync(kh(ctx), 'utf8');
    for (const t of ['ED25519', 'ECDSA', 'RSA'] as const) expect(text).toContain(`${name()} ${cluster.login.hostPublicKeys[t]} added-by-mila-onboard\n`);
    const ssh = await strictLogin(ctx);
    expect(ssh.code).toBe(0);
    expect(ssh.stdout.trim()).toBe('strict-ok');

    // Again: nothing to do, nothing written, no backup.
    const before = readFileSync(kh(ctx));
    const again = await applyTrust(ctx, { removeStale: false });
    expect(again).toMatchObject({ changed: false, added: [], backupPath: null });
    expect(readFileSync(kh(ctx)).equals(before)).toBe(true);
    expect(backups(ctx)).toEqual([]);

    // The file did not exist before: revert deletes it.
    const rev = await revertKnownHosts(ctx);
    expect(rev).toMatchObject({ reverted: true, removed: true, restoredFrom: null });
    expect(existsSync(kh(ctx))).toBe(false);
  });

  it('keeps the user\'s lines byte for byte, backs up first, and revert restores the exact bytes', async () => {
    const ctx = await fresh();
    const original = Buffer.from(`# mine\r\nother.example ${FOREIGN}\r\n\xff odd bytes ${FOREIGN}`, 'latin1'); // CRLF, no final newline, invalid UTF-8
    writeFileSync(kh(ctx), original, { mode: 0o600 });
    const r = await applyTrust(ctx, { removeStale: false });
    expect(r.changed).toBe(true);
    const after = readFileSync(kh(ctx));
    expect(after.subarray(0, original.length).equals(original)).toBe(true);
    expect(after.toString('latin1').slice(original.length)).toMatch(/^\r\n(\[127\.0\.0\.1\]:\d+ \S+ \S+ added-by-mila-onboard\r\n){3}$/);
    expect(r.backupPath).not.toBeNull();
    expect(readFileSync(r.backupPath!).equals(original)).toBe(true);
    expect((await strictLogin(ctx)).code).toBe(0);
    const status = await trustStatus(ctx);
    expect(status).toMatchObject({ login: { trusted: true, stale: [] }, canRevert: true, lastChange: { purpose: 'login' } });
    expect(status.login.verifiedTypes.sort()).toEqual(['ECDSA', 'ED25519', 'RSA']);

    const rev = await revertKnownHosts(ctx);
    expect(rev).toMatchObject({ reverted: true, removed: false, restoredFrom: r.backupPath });
    expect(readFileSync(kh(ctx)).equals(original)).toBe(true);
    await expect(revertKnownHosts(ctx)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('with one wrong fingerprint: nothing is written, bytes identical, and the message says why and what to do', async () => {
    const profile = profileFor(cluster);
    profile.login.fingerprints.ECDSA = 'SHA256:baEGIa311fhnxBWsIZJ/zYhq2WfCttwyHRKzAb8zlp8';
    const ctx = await fresh(profile);
    const original = Buffer.from(`other.example ${FOREIGN}\n`);
    writeFileSync(kh(ctx), original, { mode: 0o644 });
    const err = (await applyTrust(ctx, { removeStale: true }).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('host-key-mismatch');
    expect(err.nothingChanged).toBe(true);
    expect(err.message).toContain('ECDSA: the server shows');
    expect(err.message).toMatch(/may be an attack/);
    expect(err.hint).toContain(profile.links.support);
    expect(readFileSync(kh(ctx)).equals(original)).toBe(true);
    expect(existsSync(path.join(ctx.sshDir, 'mila-onboard-backups'))).toBe(false);
  });

  it('stale lines: shown, kept unless removeStale, then only our host is taken out', async () => {
    const ctx = await fresh();
    const lines = [
      `${name()} ${FOREIGN} old-key`, // ours only: removed
      `keep.example,${name()} ${FOREIGN}`, // shared: only our name goes
      `[127.0.0.1]:* ${FOREIGN} wildcard`, // wildcard: never touched
      `keep.example ${FOREIGN}`,
    ];
    writeFileSync(kh(ctx), lines.join('\n') + '\n');
    const plan = await planTrust(ctx);
    expect(plan.staleEntries.map((s) => [s.line, s.removable])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    const kept = await applyTrust(ctx, { removeStale: false, expectedHash: plan.hash });
    expect(kept.keptStale.map((s) => s.line)).toEqual([1, 2, 3]);
    expect(kept.message).toMatch(/--remove-stale/);
    // OpenSSH 9.2 connects when any recorded key matches: a stale line does not block the real
    // server, but a server presenting that other key would be accepted too. That is why it goes.
    expect((await strictLogin(ctx)).code).toBe(0);

    const r = await applyTrust(ctx, { removeStale: true });
    expect(r.removed.map((s) => s.line)).toEqual([1, 2]);
    expect(r.keptStale.map((s) => [s.line, s.removable])).toEqual([[3, false]]);
    const text = readFileSync(kh(ctx), 'utf8').split('\n');
    expect(text.slice(0, 3)).toEqual([`keep.example ${FOREIGN}`, `[127.0.0.1]:* ${FOREIGN} wildcard`, `keep.example ${FOREIGN}`]);
    // Revert undoes only the last change (the removal).
    await revertKnownHosts(ctx);
    expect(readFileSync(kh(ctx), 'utf8')).toContain(`${name()} ${FOREIGN} old-key`);
  });

  it('refuses when known_hosts changed since the plan', async () => {
    const ctx = await fresh();
    const plan = await planTrust(ctx);
    writeFileSync(kh(ctx), `x.example ${FOREIGN}\n`);
    await expect(applyTrust(ctx, { removeStale: false, expectedHash: plan.hash })).rejects.toMatchObject({ code: 'changed-underneath' });
    expect(readFileSync(kh(ctx), 'utf8')).toBe(`x.example ${FOREIGN}\n`);
  });
});

describe('trust channels', () => {
  it('plan, apply, status, revert through the handlers, validated by the contract', async () => {
    const ctx = await fresh();
    const scope: HandlerScope = { ctx, front: 'web', emit: () => undefined };
    const plan = trustChannels['trust.plan'].output.parse(await trustHandlers['trust.plan']({}, scope));
    expect(plan).toMatchObject({ trusted: true, mismatch: false, toAddCount: 3, alreadyTrusted: false, hash: 'absent', names: [name()], supportUrl: ctx.profile.links.support });
    expect(plan.verdicts.map((v) => v.status)).toEqual(['match', 'match', 'match']);
    const input = trustChannels['trust.apply'].input.parse({ removeStale: false, expectedHash: plan.hash });
    const applied = trustChannels['trust.apply'].output.parse(await trustHandlers['trust.apply'](input, scope));
    expect(applied.changed).toBe(true);
    const status = trustChannels['trust.status'].output.parse(await trustHandlers['trust.status']({}, scope));
    expect(status.login.trusted).toBe(true);
    expect(trustChannels['trust.revert'].output.parse(await trustHandlers['trust.revert']({}, scope))).toMatchObject({ reverted: true, removed: true });
    expect(() => trustChannels['trust.apply'].input.parse({ removeStale: true, extra: 1 })).toThrow();
  });
});

describe('mila-onboard trust (CLI)', () => {
  it('prints the side-by-side comparison and writes with --yes (exit 0); again: nothing to change (exit 0)', async () => {
    const ctx = await fresh();
    const profileFile = path.join(ctx.sshDir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(ctx.profile));
    const r = await cli.run(['trust', '--yes', '--ssh-dir', ctx.sshDir, '--profile', profileFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Type\s+The server presents\s+Test cluster publishes\s+Verdict/);
    expect(r.stdout).toContain(`ED25519  ${cluster.login.fingerprints.ED25519}`);
    expect(r.stdout).toMatch(/OK\s+matches/);
    expect(r.stdout).toContain('now records the verified keys');
    expect((await strictLogin(ctx)).code).toBe(0);
    const again = await cli.run(['trust', '--yes', '--ssh-dir', ctx.sshDir, '--profile', profileFile]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to change');
    const status = await cli.run(['trust', 'status', '--json', '--ssh-dir', ctx.sshDir, '--profile', profileFile]);
    expect(JSON.parse(status.stdout)).toMatchObject({ login: { trusted: true } });
  });

  it('one wrong fingerprint: exit 1, the warning, nothing written (bytes identical)', async () => {
    const ctx = await fresh();
    const profile = structuredClone(ctx.profile);
    profile.login.fingerprints.RSA = 'SHA256:Xr0/JqV/+5DNguPfiN5hb8rSG+nBAcfVCJoSyrR0W0o';
    const profileFile = path.join(ctx.sshDir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(profile));
    const original = Buffer.from(`other.example ${FOREIGN}\n`);
    writeFileSync(kh(ctx), original);
    const r = await cli.run(['trust', '--yes', '--ssh-dir', ctx.sshDir, '--profile', profileFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/RSA\s+SHA256:\S+\s+SHA256:Xr0\/JqV\S+\s+NO\s+DOES NOT MATCH/);
    expect(r.stderr).toMatch(/^WARNING: .*may be an attack/m);
    expect(r.stderr).toContain('https://it-support.mila.quebec/');
    expect(readFileSync(kh(ctx)).equals(original)).toBe(true);
    const json = await cli.run(['trust', '--yes', '--json', '--ssh-dir', ctx.sshDir, '--profile', profileFile]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'host-key-mismatch', nothingChanged: true } });
    expect(readFileSync(kh(ctx)).equals(original)).toBe(true);
  });

  it('without a terminal and without --yes it refuses (exit 1); a bad option is a usage error (exit 2)', async () => {
    const ctx = await fresh();
    const profileFile = path.join(ctx.sshDir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(ctx.profile));
    const r = await cli.run(['trust', '--ssh-dir', ctx.sshDir, '--profile', profileFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no terminal to ask for confirmation');
    expect(existsSync(kh(ctx))).toBe(false);
    expect((await cli.run(['trust', '--bogus'])).code).toBe(2);
  });
});
