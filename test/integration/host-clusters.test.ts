import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { writeVerifiedKeys } from '../../src/engine/trust/store.js';
import { loadClusters, loadWithBuiltIns, type ClusterContexts } from '../../src/host/clusters.js';
import { dispatch } from '../../src/host/dispatch.js';
import type { HandlerScope } from '../../src/host/handlers/index.js';
import { AppInfoSchema } from '../../src/shared/contract/app.js';

/**
 * One host, several clusters: a cluster-specific call names its cluster (or not: the primary),
 * and the host resolves it in one place (dispatch) to that profile's engine context. Real
 * profiles, a real SSH folder, OpenSSH's `ssh -G` behind config.plan.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'host-clusters-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let clusters: ClusterContexts;
let sshDir: string;
const scope = (): HandlerScope => ({ ctx: clusters[0], clusters, front: 'web', emit: () => undefined });

beforeAll(async () => {
  sshDir = path.join(root, 'ssh');
  mkdirSync(sshDir, { mode: 0o700 });
  clusters = await loadClusters(['mila', 'narval'], { sshDir, stateDir: path.join(root, 'state') });
});

describe('which cluster a call runs against', () => {
  it('app.info lists every served cluster, the primary first, with what the wizard shows', async () => {
    const info = await dispatch('app.info', {}, scope());
    expect(info.ok).toBe(true);
    const value = AppInfoSchema.parse(info.ok && info.value);
    expect(value.profile.id).toBe('mila');
    expect(value.clusters.map((c) => [c.id, c.primary])).toEqual([
      ['mila', true],
      ['narval', false],
    ]);
    const narval = value.clusters[1]!;
    expect(narval).toMatchObject({ alias: 'narval', mfaKind: 'duo', fingerprintsPublished: false, keyName: 'id_ed25519_alliance', account: { id: 'alliance' } });
    expect(narval.keyRegistration).toMatchObject({ kind: 'ccdb', url: 'https://ccdb.alliancecan.ca/ssh_authorized_keys', delayMinutes: { max: 30 } });
    expect(narval.notes[0]!.fr).toContain('Duo');
    // A host given one profile lists just that one (what every single-profile test relies on).
    const alone = await dispatch('app.info', {}, { ctx: clusters[0], front: 'web', emit: () => undefined });
    expect(alone.ok && (alone.value as { clusters: unknown[] }).clusters).toHaveLength(1);
  });

  it('without a cluster id a call runs against the primary; with one, against that cluster', async () => {
    const primary = await dispatch('trust.status', {}, scope());
    const named = await dispatch('trust.status', { cluster: 'narval' }, scope());
    const milaAgain = await dispatch('trust.status', { cluster: 'mila' }, scope());
    expect(primary).toMatchObject({ ok: true });
    expect((primary as { value: { login: { names: string[] } } }).value.login.names).toContain('[login.server.mila.quebec]:2222');
    expect((named as { value: { login: { names: string[]; unverified: boolean } } }).value.login.names).toEqual(['narval.alliancecan.ca']);
    expect(milaAgain).toEqual(primary);
    // The key name a new key gets comes from the named cluster's profile.
    expect(await dispatch('keys.suggestName', { cluster: 'narval' }, scope())).toEqual({ ok: true, value: { name: 'id_ed25519_alliance' } });
    expect(await dispatch('keys.suggestName', {}, scope())).toEqual({ ok: true, value: { name: 'id_ed25519_mila' } });
  });

  it('each cluster gets its own block: planned, written and read back by cluster id', async () => {
    const plan = await dispatch('config.plan', { cluster: 'narval', user: 'alice' }, scope());
    expect(plan.ok, JSON.stringify(plan)).toBe(true);
    const value = (plan as { value: { blockText: string; hash: string } }).value;
    expect(value.blockText).toContain('# >>> mila-onboard (narval) >>>');
    expect(value.blockText).toMatch(/^Host narval$/m);
    expect(value.blockText).not.toMatch(/^Host mila$/m);
    const applied = await dispatch('config.apply', { cluster: 'narval', user: 'alice', expectedHash: value.hash }, scope());
    expect(applied).toMatchObject({ ok: true, value: { changed: true } });
    const config = readFileSync(path.join(sshDir, 'config'), 'utf8');
    expect(config).toContain('HostName narval.alliancecan.ca');
    expect(await dispatch('config.status', { cluster: 'narval' }, scope())).toMatchObject({ ok: true, value: { block: { user: 'alice' } } });
    expect(await dispatch('config.status', {}, scope())).toMatchObject({ ok: true, value: { block: null } });
    // Undo by cluster takes away that cluster's block only, and the file was new: it goes.
    expect(await dispatch('config.revert', { cluster: 'narval' }, scope())).toMatchObject({ ok: true, value: { reverted: true } });
    expect(await dispatch('config.status', { cluster: 'narval' }, scope())).toMatchObject({ ok: true, value: { block: null } });
  });

  it('an unknown cluster id is refused as invalid input before anything runs', async () => {
    writeFileSync(path.join(sshDir, 'config'), '# mine\n');
    for (const [channel, input] of [
      ['config.revert', { cluster: 'cedar' }],
      ['config.apply', { cluster: 'cedar', user: 'alice', expectedHash: 'x' }],
      ['trust.status', { cluster: 'rorqual' }], // a built-in profile, but not one this host serves
      ['connect.start', { cluster: 'cedar', taskId: '0b8e3c4e-7d57-4d5e-9a3c-3b1c2b7f6a10' }],
    ] as const) {
      const res = await dispatch(channel, input, scope());
      expect(res, channel).toMatchObject({ ok: false, error: { code: 'invalid-input', nothingChanged: true } });
      expect((res as { error: { message: string } }).error.message, channel).toBe(`Unknown cluster "${input.cluster}". This window serves: mila, narval.`);
    }
    expect(readFileSync(path.join(sshDir, 'config'), 'utf8')).toBe('# mine\n');
    // Not an id at all, and a cluster on a channel that has none (keys are per computer): refused by the contract.
    expect(await dispatch('trust.status', { cluster: '../narval' }, scope())).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch('keys.list', { cluster: 'narval' }, scope())).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch('compute.check', { cluster: 'narval', taskId: '0b8e3c4e-7d57-4d5e-9a3c-3b1c2b7f6a10' }, scope())).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // A host that serves one cluster knows only that one.
    const single: HandlerScope = { ctx: clusters[0], front: 'web', emit: () => undefined };
    expect(await dispatch('trust.status', { cluster: 'narval' }, single)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Unknown cluster "narval". This window serves: mila.' } });
  });
});

describe('each cluster its own undo', () => {
  it('undoing one cluster’s settings leaves the other’s block; a cluster never written offers no undo', async () => {
    const dir = path.join(root, 'undo-config');
    mkdirSync(dir, { mode: 0o700 });
    const mine = '# my own line\nHost mybox\n    HostName 192.0.2.1\n';
    writeFileSync(path.join(dir, 'config'), mine);
    const both = await loadClusters(['mila', 'narval', 'rorqual'], { sshDir: dir, stateDir: path.join(root, 'state-undo') });
    const s: HandlerScope = { ctx: both[0], clusters: both, front: 'web', emit: () => undefined };
    for (const cluster of ['mila', 'narval']) {
      const plan = await dispatch('config.plan', { cluster, user: 'alice' }, s);
      expect(await dispatch('config.apply', { cluster, user: 'alice', expectedHash: (plan as { value: { hash: string } }).value.hash }, s)).toMatchObject({ ok: true });
    }
    expect(await dispatch('config.status', { cluster: 'mila' }, s)).toMatchObject({ ok: true, value: { canRevert: true } });
    expect(await dispatch('config.status', { cluster: 'narval' }, s)).toMatchObject({ ok: true, value: { canRevert: true } });
    expect(await dispatch('config.status', { cluster: 'rorqual' }, s)).toMatchObject({ ok: true, value: { canRevert: false, block: null } });
    // Mila was written first: its undo takes out its block only, narval's stays as written.
    const narvalBlock = /# >>> mila-onboard \(narval\)[\s\S]*# <<< mila-onboard \(narval\) <<<[^\n]*\n/.exec(readFileSync(path.join(dir, 'config'), 'utf8'))![0];
    expect(await dispatch('config.revert', { cluster: 'mila' }, s)).toMatchObject({ ok: true, value: { reverted: true } });
    const after = readFileSync(path.join(dir, 'config'), 'utf8');
    expect(after).not.toContain('mila-onboard (mila)');
    expect(after).toContain(narvalBlock);
    expect(after).toContain(mine);
    // Then narval's: the file holds exactly the user's lines again.
    expect(await dispatch('config.revert', { cluster: 'narval' }, s)).toMatchObject({ ok: true });
    expect(readFileSync(path.join(dir, 'config'), 'utf8')).toBe(mine);
  });

  it('known_hosts is undone only from the cluster that made its last change', async () => {
    const dir = path.join(root, 'undo-trust');
    mkdirSync(dir, { mode: 0o700 });
    const both = await loadClusters(['mila', 'narval'], { sshDir: dir });
    const s: HandlerScope = { ctx: both[0], clusters: both, front: 'web', emit: () => undefined };
    const hostKey = (name: string) => {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(root, name)]);
      return readFileSync(path.join(root, `${name}.pub`), 'utf8').split(' ')[1]!;
    };
    await writeVerifiedKeys(both[0], { names: ['[login.server.mila.quebec]:2222'], verified: [{ type: 'ED25519', algorithm: 'ssh-ed25519', blob: hostKey('mila-host') }], comment: 'test', removeStale: false, purpose: 'login' });
    await writeVerifiedKeys(both[1]!, { names: ['narval.alliancecan.ca'], verified: [{ type: 'ED25519', algorithm: 'ssh-ed25519', blob: hostKey('narval-host') }], comment: 'test', removeStale: false, purpose: 'login' });
    const milaStatus = await dispatch('trust.status', {}, s);
    expect(milaStatus).toMatchObject({ ok: true, value: { canRevert: false, revertBlocked: expect.stringContaining('another cluster (narval)') } });
    expect(await dispatch('trust.status', { cluster: 'narval' }, s)).toMatchObject({ ok: true, value: { canRevert: true, login: { trusted: true } } });
    // Mila's undo would take narval's keys with it: refused, nothing changed.
    const before = readFileSync(path.join(dir, 'known_hosts'), 'utf8');
    expect(await dispatch('trust.revert', { cluster: 'mila' }, s)).toMatchObject({ ok: false, error: { code: 'changed-underneath', nothingChanged: true } });
    expect(readFileSync(path.join(dir, 'known_hosts'), 'utf8')).toBe(before);
    expect(await dispatch('trust.revert', { cluster: 'narval' }, s)).toMatchObject({ ok: true, value: { reverted: true } });
    expect(readFileSync(path.join(dir, 'known_hosts'), 'utf8')).not.toContain('narval.alliancecan.ca');
    expect(await dispatch('trust.revert', {}, s)).toMatchObject({ ok: true, value: { reverted: true, removed: true } });
    expect(existsSync(path.join(dir, 'known_hosts'))).toBe(false);
  });
});

describe('loading the clusters a host serves', () => {
  it('refuses two profiles with one id, and a missing profile', async () => {
    const copy = path.join(root, 'mila-copy.json');
    writeFileSync(copy, JSON.stringify(builtInProfile('mila')));
    await expect(loadClusters(['mila', copy], { sshDir })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('"mila"') });
    await expect(loadClusters([], { sshDir })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(loadClusters(['mila', path.join(root, 'nope.json')], { sshDir })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('the desktop app offers its profile, then every other built-in one; a file with a built-in id stands for it', async () => {
    const all = await loadWithBuiltIns('mila', { sshDir });
    expect(all.map((c) => c.profile.id)).toEqual(['mila', 'narval', 'rorqual', 'fir', 'nibi', 'trillium', 'trillium-gpu', 'tamia', 'killarney', 'vulcan']);
    const file = path.join(root, 'narval-test.json');
    writeFileSync(file, JSON.stringify({ ...builtInProfile('narval'), login: { ...builtInProfile('narval').login, host: '127.0.0.1', port: 2200 } }));
    const fromFile = await loadWithBuiltIns(file, { sshDir });
    expect(fromFile.map((c) => c.profile.id)).toEqual(['narval', 'mila', 'rorqual', 'fir', 'nibi', 'trillium', 'trillium-gpu', 'tamia', 'killarney', 'vulcan']);
    expect(fromFile[0].profile.login.host).toBe('127.0.0.1');
    expect(new Set(fromFile.map((c) => c.sshDir))).toEqual(new Set([path.resolve(sshDir)]));
  });
});
