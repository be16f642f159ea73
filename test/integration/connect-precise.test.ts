/**
 * Issue 14, items 1 and 2: each way a first login fails, produced for real against the
 * throwaway cluster, gets its own diagnosis (code, the facts it names, the next action), in
 * English from the engine and in both languages through the wizard's translations.
 * A typo (wrong passphrase, wrong username) is never "wait 48 hours"; a refused connection
 * is "blocked for an hour" only after failed logins in this app's own history.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect/connect.js';
import { readAttempts } from '../../src/engine/connect/history.js';
import type { AskPrompt } from '../../src/engine/connect/session.js';
import { diagnosisTexts } from '../../src/renderer/components/diagnosis-text.js';
import type { DiagnosisDto } from '../../src/shared/contract/connect.js';
import { freePort, startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { noPrompt, preparedFolders, type PreparedFolder } from '../fixtures/onboard.js';
import { generateKey } from '../fixtures/ssh-client.js';
import { wizardTranslator } from '../fixtures/translator.js';

let cluster: LoginOnlyCluster;
const folders = preparedFolders(() => cluster);
const folder = folders.make;

beforeAll(async () => {
  cluster = await startCluster({ computeNode: false });
});
afterAll(async () => {
  await cluster?.stop();
  await folders.removeAll();
});


/** Adds a host entry to the folder's config (outside the managed block, as a user would). */
function addHost(f: PreparedFolder, alias: string, lines: string[]): void {
  const file = path.join(f.dir, 'config');
  writeFileSync(file, `Host ${alias}\n${lines.map((l) => `    ${l}\n`).join('')}\n` + readFileSync(file, 'utf8'));
}

function setUser(f: PreparedFolder, user: string): void {
  const file = path.join(f.dir, 'config');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s*User) \S+$/m, `$1 ${user}`));
}

/** The wizard's words for a diagnosis, in both languages: every fact filled, nothing left in English in French. */
function inBothLanguages(d: DiagnosisDto): { en: ReturnType<typeof diagnosisTexts>; fr: ReturnType<typeof diagnosisTexts> } {
  const tr = wizardTranslator();
  const inEn = diagnosisTexts(tr.t, d);
  tr.use('fr');
  const inFr = diagnosisTexts(tr.t, d);
  for (const s of [inEn.message, inEn.next, inFr.message, inFr.next]) expect(s).not.toContain('{{');
  expect(inFr.message).not.toBe(inEn.message);
  expect(inFr.next).not.toBe(inEn.next);
  return { en: inEn, fr: inFr };
}

const failed = <T extends { ok: boolean }>(r: T) => {
  expect(r.ok).toBe(false);
  return r as Extract<T, { ok: false }>;
};

describe('a refused login says which of its causes it is', () => {
  it('three wrong passphrases → wrong-passphrase (key never unlocked), not "wait 48 hours"', async () => {
    const f = await folder({ passphrase: 'the right passphrase', keyName: 'id_locked' });
    const asked: AskPrompt[] = [];
    const r = failed(await connect(f.ctx, { ask: async (p) => (asked.push(p), `typo ${asked.length}`) }));
    expect(asked.map((p) => p.kind)).toEqual(['passphrase', 'passphrase', 'passphrase']);
    expect(r.diagnosis.code).toBe('wrong-passphrase');
    expect(r.diagnosis.values).toMatchObject({ key: f.key.privateKey, keyAccepted: 'yes' });
    expect(r.diagnosis.message).toContain('it is registered');
    expect(r.diagnosis.next).toContain('passphrase you chose');
    expect(r.diagnosis.next).not.toContain('48 hours');
    const t = inBothLanguages(r.diagnosis);
    expect(t.en.message).toContain(f.key.privateKey);
    expect(t.fr.message).toContain('phrase de passe');
    expect(t.en.note).toContain('it is registered');
    expect(t.fr.note).toContain('elle est enregistrée');
    // OpenSSH's own words are there, its debug chatter is not.
    expect(r.details).toContain('Permission denied (publickey)');
    expect(r.details).toContain('Server accepts key');
    expect(r.details).not.toMatch(/debug2:|kex_/);
  });

  it('a wrong passphrase then the right one logs in (a retry is not a failure)', async () => {
    const f = await folder({ passphrase: 'the right passphrase', keyName: 'id_locked2' });
    let n = 0;
    const r = await connect(f.ctx, { ask: async () => (++n === 1 ? 'typo' : 'the right passphrase') });
    expect(r.ok).toBe(true);
  });

  it('an unregistered key → key-refused, naming the username and key that were used, and both causes', async () => {
    const f = await folder({ authorize: false });
    const r = failed(await connect(f.ctx, { ask: noPrompt }));
    expect(r.diagnosis.code).toBe('key-refused');
    expect(r.diagnosis.values).toMatchObject({ user: cluster.user, key: f.key.privateKey, fingerprint: f.key.fingerprint, keyAccepted: 'no' });
    expect(r.diagnosis.message).toContain(`“${cluster.user}”`);
    expect(r.diagnosis.next).toContain('username');
    expect(r.diagnosis.next).toContain('48 hours');
    const t = inBothLanguages(r.diagnosis);
    expect(t.fr.message).toContain(`«\u00a0${cluster.user}\u00a0»`);
    expect(t.fr.next).toContain('48\u00a0heures');
  });

  it('a wrong username with no history → key-refused showing that username (the evidence cannot tell it from an unregistered key)', async () => {
    const f = await folder();
    setUser(f, 'jdoe-typo');
    const r = failed(await connect(f.ctx, { ask: noPrompt }));
    expect(r.diagnosis.code).toBe('key-refused');
    expect(r.diagnosis.values.user).toBe('jdoe-typo');
    expect(r.diagnosis.message).toContain('“jdoe-typo”');
  });

  it('a wrong username after the same key worked → wrong-username, naming both usernames', async () => {
    const f = await folder();
    expect((await connect(f.ctx, { ask: noPrompt })).ok).toBe(true);
    setUser(f, 'jdoe-typo');
    const r = failed(await connect(f.ctx, { ask: noPrompt }));
    expect(r.diagnosis.code).toBe('wrong-username');
    expect(r.diagnosis.values).toMatchObject({ user: 'jdoe-typo', previousUser: cluster.user });
    expect(r.diagnosis.next).toContain('Connection settings');
    expect(r.diagnosis.next).not.toContain('48 hours');
    const t = inBothLanguages(r.diagnosis);
    expect(t.fr.message).toContain('jdoe-typo');
    expect(t.fr.message).toContain(cluster.user);
  });

  it('the key named in the settings does not exist → key-not-offered', async () => {
    const f = await folder();
    const file = path.join(f.dir, 'config');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s*IdentityFile) .*$/m, `$1 "${path.join(f.dir, 'id_gone')}"`));
    const r = failed(await connect(f.ctx, { ask: noPrompt }));
    expect(r.diagnosis.code).toBe('key-not-offered');
    expect(r.diagnosis.next).toContain('Your SSH keys');
    inBothLanguages(r.diagnosis);
  });

  it('a changed host key → host-key-changed, alarming, "do not continue"', async () => {
    const f = await folder({ trust: false });
    // A key the server does not hold, recorded for its name: what a man in the middle looks like.
    const fake = await generateKey(f.dir, 'fake_host_key');
    writeFileSync(path.join(f.dir, 'known_hosts'), `[127.0.0.1]:${cluster.login.port} ${fake.publicKeyLine.split(' ').slice(0, 2).join(' ')}\n`);
    const r = failed(await connect(f.ctx, { ask: noPrompt }));
    expect(r.diagnosis).toMatchObject({ code: 'host-key-changed', alarming: true });
    expect(r.diagnosis.next).toMatch(/^Do not continue/);
    const t = inBothLanguages(r.diagnosis);
    expect(t.fr.next).toMatch(/^N’allez pas plus loin/);
  });
});

describe('a connection that does not get through says why', () => {
  it('a closed port → connection-refused: another network or VPN, the port named; no ban without failures', async () => {
    const f = await folder();
    const port = await freePort();
    addHost(f, 'closed-test', ['HostName 127.0.0.1', `Port ${port}`]);
    const r = failed(await connect(f.ctx, { alias: 'closed-test', ask: noPrompt, connectTimeoutSec: 5 }));
    expect(r.diagnosis.code).toBe('connection-refused');
    expect(r.diagnosis.values.port).toBe(String(port));
    expect(r.diagnosis.next).toContain(`port ${port}`);
    expect(r.diagnosis.next).toMatch(/another network/);
    expect(r.diagnosis.next).toMatch(/VPN/);
    expect(r.diagnosis.message + r.diagnosis.next).not.toMatch(/hour/);
    const t = inBothLanguages(r.diagnosis);
    expect(t.fr.next).toContain(`port ${port}`);
    expect(t.fr.next).toContain('RPV');
  });

  it('a server that accepts the connection and never answers → timeout, bounded by ConnectTimeout', async () => {
    const silent = net.createServer(() => undefined); // accepts, says nothing
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const f = await folder();
      addHost(f, 'silent-test', ['HostName 127.0.0.1', `Port ${port}`]);
      const t0 = Date.now();
      const r = failed(await connect(f.ctx, { alias: 'silent-test', ask: noPrompt, connectTimeoutSec: 2 }));
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(r.diagnosis.code).toBe('timeout');
      expect(r.diagnosis.next).toContain(`port ${port}`);
      expect(r.details).toMatch(/timed out/);
      inBothLanguages(r.diagnosis);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a name that does not resolve → dns', async () => {
    const f = await folder();
    addHost(f, 'dns-test', ['HostName no-such-login-node.invalid']);
    const r = failed(await connect(f.ctx, { alias: 'dns-test', ask: noPrompt, connectTimeoutSec: 5 }));
    expect(r.diagnosis.code).toBe('dns');
    expect(r.details).toContain('Could not resolve hostname');
    inBothLanguages(r.diagnosis);
  });

  // Last: it stops the login node.
  it('refused after failed logins in this app’s history → refused-after-failures (wait an hour); the same refusal without them → connection-refused', async () => {
    const f = await folder({ authorize: false });
    const clean = await folder();
    failed(await connect(f.ctx, { ask: noPrompt })); // one failed login, recorded
    const attempts = await readAttempts(f.ctx);
    expect(attempts).toEqual([expect.objectContaining({ host: '127.0.0.1', port: cluster.login.port, outcome: 'auth-failed', user: cluster.user })]);
    // The history holds no secret: only host, port, outcome, username, a public fingerprint.
    expect(JSON.stringify(attempts)).not.toMatch(/BEGIN|PRIVATE|passphrase/i);

    await cluster.login.stop();
    const r = failed(await connect(f.ctx, { ask: noPrompt, connectTimeoutSec: 5 }));
    expect(r.diagnosis.code).toBe('refused-after-failures');
    expect(r.diagnosis.values.failures).toBe('1');
    expect(r.diagnosis.next).toMatch(/^Wait an hour/);
    const t = inBothLanguages(r.diagnosis);
    expect(t.fr.next).toMatch(/^Attendez une heure/);

    const r2 = failed(await connect(clean.ctx, { ask: noPrompt, connectTimeoutSec: 5 }));
    expect(r2.diagnosis.code).toBe('connection-refused');
  });
});
