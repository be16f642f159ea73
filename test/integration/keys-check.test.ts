/**
 * Issue 14 item 7: "does my key work yet?" against a login node that asks key + one-time code
 * (pam_oath), and a node without a second factor. The check tells apart: key refused; key
 * accepted and a code needed; key accepted but locked by a passphrase (not unlocked, not
 * asked); key accepted and no second factor (logged in). It never asks anything: there is no
 * `ask` to give it, ssh runs without a terminal, and the server's log shows that no
 * keyboard-interactive (code) exchange ever took place.
 * Also item 1's "key accepted but code wrong", and the CLI: `keys check`, `keys public`.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKey } from '../../src/engine/connect/check.js';
import { connect } from '../../src/engine/connect/connect.js';
import { connectHandlers } from '../../src/host/handlers/connect.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { diagnosisTexts } from '../../src/renderer/components/diagnosis-text.js';
import { KeyCheckResultSchema } from '../../src/shared/contract/connect.js';
import { buildCliWith, type CliHarness } from '../fixtures/cli-harness.js';
import { startCluster, type ThrowawayCluster } from '../fixtures/cluster.js';
import { preparedFolders, type PreparedFolder } from '../fixtures/onboard.js';
import { wizardTranslator } from '../fixtures/translator.js';

const execFileP = promisify(execFile);

let cluster: ThrowawayCluster;
let cli: CliHarness;
const folders = preparedFolders(() => cluster);
const folder = folders.make;

beforeAll(async () => {
  [cluster, cli] = await Promise.all([
    startCluster({ mfa: true }),
    buildCliWith({ keys: '' }),
  ]);
});
afterAll(async () => {
  await cluster?.stop();
  cli?.dispose();
  await folders.removeAll();
});


/** A host entry for the compute node used directly: a node that asks no second factor. */
function addNoMfaHost(f: PreparedFolder): void {
  const file = path.join(f.dir, 'config');
  writeFileSync(
    file,
    `Host nomfa\n    HostName 127.0.0.1\n    Port ${cluster.compute.port}\n    User ${cluster.user}\n    IdentityFile "${f.key.privateKey}"\n\n` + readFileSync(file, 'utf8'),
  );
  appendFileSync(path.join(f.dir, 'known_hosts'), cluster.compute.knownHostsLines().join('\n') + '\n');
}

/** sshd's log lines about keyboard-interactive (the one-time code) since `from`. */
const kbdLines = (from: number) =>
  cluster.login
    .log()
    .slice(from)
    .split('\n')
    // (Lines naming a key are left out: a base64 fingerprint can spell "pam" or "oath" by chance.)
    .filter((l) => /keyboard-interactive|\bPAM\b|pam_|\boath\b/i.test(l) && !/Partial publickey|SHA256:/.test(l));

describe('keys.check: does the cluster accept my key yet, with nothing asked', () => {
  it('an unregistered key → refused, with the username and key used, and a key-refused diagnosis', async () => {
    const f = await folder({ authorize: false });
    const r = await checkKey(f.ctx, { connectTimeoutSec: 10 });
    expect(r).toMatchObject({ verdict: 'refused', works: false, user: cluster.user, port: cluster.login.port });
    expect(r.key).toMatchObject({ file: f.key.privateKey, fingerprint: f.key.fingerprint });
    expect(r.failure?.diagnosis.code).toBe('key-refused');
    expect(r.details).toContain('Permission denied (publickey)');
    expect(r.details).not.toMatch(/debug[23]:/);
  });

  it('a registered key on the MFA node → code-needed ("partial success"); no code is asked', async () => {
    const f = await folder();
    const mark = cluster.login.log().length;
    const t0 = Date.now();
    const r = await checkKey(f.ctx, { connectTimeoutSec: 10 });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r).toMatchObject({ verdict: 'code-needed', works: true, failure: null, user: cluster.user });
    expect(r.key?.fingerprint).toBe(f.key.fingerprint);
    expect(r.details).toContain('Authenticated using "publickey" with partial success');
    // The server accepted the key and was never asked for (nor sent) a code.
    const log = cluster.login.log().slice(mark);
    expect(log).toMatch(/Partial publickey for \S+ from 127\.0\.0\.1/);
    expect(kbdLines(mark)).toEqual([]);
  });

  it('a registered key with a passphrase, not in the agent → accepted-locked; the passphrase is never asked', async () => {
    const f = await folder({ passphrase: 'never typed by the check', keyName: 'id_locked' });
    const r = await checkKey(f.ctx, { connectTimeoutSec: 10 });
    expect(r).toMatchObject({ verdict: 'accepted-locked', works: true, failure: null });
    expect(r.key?.fingerprint).toBe(f.key.fingerprint);
    expect(r.details).toContain('Server accepts key');
  });

  it('a registered key on a node without a second factor → logged-in', async () => {
    const f = await folder();
    addNoMfaHost(f);
    const r = await checkKey(f.ctx, { alias: 'nomfa', connectTimeoutSec: 10 });
    expect(r).toMatchObject({ verdict: 'logged-in', works: true, failure: null, port: cluster.compute.port });
  });

  it('through the contract: the handler answers a valid KeyCheckResult', async () => {
    const f = await folder();
    const scope: HandlerScope = { ctx: f.ctx, front: 'web', emit: () => undefined };
    const out = KeyCheckResultSchema.parse(await connectHandlers['keys.check']({}, scope));
    expect(out.verdict).toBe('code-needed');
  });
});

describe('key accepted but the one-time code wrong', () => {
  it('→ mfa-rejected (the key is fine), said in both languages', async () => {
    const f = await folder();
    const now = Math.floor(Date.now() / 1000);
    const { stdout } = await execFileP('oathtool', ['--totp', '-w', '22', '--now', `@${now - 330}`, cluster.totpSecret!]);
    const valid = new Set(stdout.split(/\s+/).filter(Boolean));
    let n = 0;
    while (valid.has(String(n).padStart(6, '0'))) n++;
    const wrong = String(n).padStart(6, '0');
    const r = await connect(f.ctx, { ask: async () => wrong });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('mfa-rejected');
    expect(r.diagnosis.next).toMatch(/new code/);
    expect(r.diagnosis.values.keyAccepted).toBe('yes');
    const tr = wizardTranslator();
    expect(diagnosisTexts(tr.t, r.diagnosis).message).toBe('The one-time code was refused.');
    tr.use('fr');
    expect(diagnosisTexts(tr.t, r.diagnosis).next).toMatch(/nouveau code/);
  });
});

describe('mila-onboard keys check / keys public (CLI)', () => {
  it('keys check: exit 0 and a plain yes when the key works; exit 1 and the diagnosis when refused', async () => {
    const good = await folder();
    const profile = path.join(good.dir, 'profile.json');
    writeFileSync(profile, JSON.stringify(good.ctx.profile));
    const ok = await cli.run(['keys', 'check', '--ssh-dir', good.dir, '--profile', profile], { timeoutMs: 60_000 });
    expect(ok.stdout).toMatch(/^Yes: your key works\. Test cluster accepts it for \S+ and would now ask your one-time code/);
    expect(ok.code).toBe(0);

    const bad = await folder({ authorize: false });
    writeFileSync(path.join(bad.dir, 'profile.json'), JSON.stringify(bad.ctx.profile));
    const r = await cli.run(['keys', 'check', '--ssh-dir', bad.dir, '--profile', path.join(bad.dir, 'profile.json')], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Not yet: Test cluster does not accept ${bad.key.privateKey}`);
    expect(r.stderr).toContain('What to do: Check the username first');
    const json = await cli.run(['keys', 'check', '--json', '--ssh-dir', bad.dir, '--profile', path.join(bad.dir, 'profile.json')], { timeoutMs: 60_000 });
    expect(json.code).toBe(1);
    expect(KeyCheckResultSchema.parse(JSON.parse(json.stdout)).verdict).toBe('refused');
  });

  it('keys public without a name: the key the connection settings use, and it says so', async () => {
    const f = await folder({ keyName: 'id_chosen_by_config' });
    const profile = path.join(f.dir, 'profile.json');
    writeFileSync(profile, JSON.stringify(f.ctx.profile));
    const r = await cli.run(['keys', 'public', '--ssh-dir', f.dir, '--profile', profile]);
    expect(r.stderr).toContain('The key your connection settings use');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(f.key.publicKeyLine);
    expect(r.stderr).toContain('The key your connection settings use: id_chosen_by_config.pub');
  });

  it('keys public without a name and no settings: the profile’s usual key name, said as such', async () => {
    const f = await folder({ config: false, keyName: 'id_ed25519_mila' });
    const r = await cli.run(['keys', 'public', '--ssh-dir', f.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(f.key.publicKeyLine);
    expect(r.stderr).toContain('Your connection settings name no key yet; the usual key name is id_ed25519_mila');
  });
});
