/**
 * The codes behind the Done step's checks and the engine's refusals, produced for real: a
 * throwaway login node, a folder set up with the product's own steps, then broken one way at a
 * time (bad modes, a missing key, a settings file OpenSSH rejects, a stale host key, a closed
 * port...). Each result's code is asserted, and each is said in English and in French from its
 * values alone: every {{value}} filled, no English in the French (test/fixtures/english.ts).
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { configPaths } from '../../src/engine/config/paths.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { revertConfig } from '../../src/engine/config/revert.js';
import { createContext } from '../../src/engine/context.js';
import { doctor, type DoctorCheck, type DoctorReport } from '../../src/engine/doctor/doctor.js';
import { createKey } from '../../src/engine/keys/create.js';
import { recoverPublicKey } from '../../src/engine/keys/public.js';
import { applyTrust } from '../../src/engine/trust/apply.js';
import { doctorText, refusalText } from '../../src/renderer/components/reason-text.js';
import type { Translator } from '../../src/renderer/i18n/translator.js';
import type { ErrorReasonDto } from '../../src/shared/contract/common.js';
import { connectChannels } from '../../src/shared/contract/connect.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { engineErrorOf } from '../fixtures/engine-error.js';
import { englishIn } from '../fixtures/english.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { makeClientDir, removeDir } from '../fixtures/ssh-client.js';
import { wizardTranslator } from '../fixtures/translator.js';

const execFileP = promisify(execFile);
const PASSPHRASE = 'reasons pass phrase';

let cluster: LoginOnlyCluster;
let f: PreparedFolder;
let config: string;

const enT = wizardTranslator('en').t;
const frT = wizardTranslator('fr').t;

/** Said in both languages from the code and values alone: nothing left unfilled, no English in the French. */
function expectSaidInBoth(what: string, say: (t: Translator['t']) => string): void {
  const english = say(enT);
  const french = say(frT);
  expect(english, what).not.toMatch(/\{\{|^\s*$/);
  expect(french, what).not.toMatch(/\{\{|^\s*$/);
  expect(englishIn(french), `${what}: ${french}`).toEqual({ stretches: [], word: null });
}

function sayCheck(c: DoctorCheck): void {
  // The OpenSSH output (c.openssh) is shown apart, as OpenSSH's: it is not part of the text.
  const said = (t: Translator['t']) => {
    const d = doctorText(c, t);
    return [d.message, ...d.items, d.next].join(' ');
  };
  expectSaidInBoth(`${c.id} (${c.reason.code})`, said);
}

async function run(over: { port?: number; agent?: string } = {}): Promise<DoctorReport> {
  const profile = structuredClone(f.ctx.profile);
  if (over.port) profile.login.port = over.port;
  const r = await doctor(createContext({ sshDir: f.dir, profile, stateDir: path.join(f.dir, 'app-state') }), {
    agentEnv: { SSH_AUTH_SOCK: over.agent },
    reachTimeoutMs: 3000,
    platform: 'linux',
  });
  // What the wizard receives: the contract accepts every reason the engine gave.
  connectChannels['doctor.run'].output.parse(r);
  for (const c of r.checks) sayCheck(c);
  return r;
}
const codes = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.reason.code]));
const check = (r: DoctorReport, id: DoctorCheck['id']) => r.checks.find((c) => c.id === id)!;

/** Changes a file for one test, then puts it back as it was. */
async function withChanged<T>(file: string, change: () => void, body: () => Promise<T>): Promise<T> {
  const saved = `${file}.saved`;
  copyFileSync(file, saved);
  try {
    change();
    return await body();
  } finally {
    rmSync(file, { force: true });
    renameSync(saved, file);
  }
}

beforeAll(async () => {
  cluster = await startCluster({ computeNode: false });
  f = await prepareFolder(cluster, { passphrase: PASSPHRASE });
  config = path.join(f.dir, 'config');
});
afterAll(async () => {
  await cluster?.stop();
  await removeDir(f?.dir);
});

describe('the Done step’s checks, each with its code', () => {
  it('a set-up folder without an agent: what is fine, and the OS’s own advice for the agent', async () => {
    const r = await run();
    expect(codes(r)).toEqual({
      pty: 'pty-ok',
      keys: 'key-protected',
      config: 'config-ok',
      permissions: 'permissions-ok',
      'known-hosts': 'known-hosts-ok',
      'compute-known-hosts': 'compute-keys-missing-compare',
      agent: 'agent-unreachable',
      reachability: 'reach-ok',
    });
    expect(check(r, 'config').reason.params).toMatchObject({ alias: 'mila', host: '127.0.0.1', port: String(cluster.login.port), user: cluster.user, key: f.key.privateKey });
    expect(check(r, 'agent').reason.params).toEqual({ advice: 'no-socket' });
    expect(doctorText(check(r, 'agent'), frT).message).toContain('SSH_AUTH_SOCK n’est pas défini');
    expect(check(r, 'reachability').reason.params.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
  });

  it('an agent without the key', async () => {
    const sock = path.join(f.dir, 'agent.sock');
    const { stdout } = await execFileP('ssh-agent', ['-a', sock, '-s']);
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(stdout)![1]);
    try {
      const r = await run({ agent: sock });
      expect(check(r, 'agent').reason).toEqual({ code: 'agent-without-key', params: { fingerprint: f.key.fingerprint } });
    } finally {
      process.kill(pid, 'SIGTERM');
    }
  });

  it('a settings file OpenSSH rejects: its words ride apart, as OpenSSH’s', async () => {
    await withChanged(config, () => appendFileSync(config, '\nHostnme typo.example\n'), async () => {
      const c = check(await run(), 'config');
      expect(c.reason).toEqual({ code: 'config-unreadable', params: { file: config, exitCode: '255' } });
      expect(c.openssh).toMatch(/Bad configuration option: hostnme/i);
      expect(doctorText(c, frT).message).not.toMatch(/hostnme/i);
    });
  });

  it('settings that send "ssh mila" elsewhere: each wrong setting is an item with its values', async () => {
    const before = readFileSync(config, 'utf8');
    await withChanged(config, () => writeFileSync(config, `Host mila\n  Port 1\n\n${before}`), async () => {
      expect(check(await run(), 'config').reason).toEqual({
        code: 'config-wrong',
        params: { alias: 'mila' },
        items: [{ code: 'setting-wrong', params: { option: 'Port', found: '1', expected: String(cluster.login.port) } }],
      });
    });
  });

  it('a Match exec line: checked on a copy, the line left out named as a value', async () => {
    await withChanged(config, () => appendFileSync(config, '\nMatch exec "true"\n  User nobody\n'), async () => {
      const c = check(await run(), 'config');
      expect(c.status).toBe('warn');
      expect(c.reason.code).toBe('config-partial');
      expect(c.reason.items).toEqual([{ code: 'left-out-exec', params: { where: expect.stringMatching(new RegExp(`^${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line \\d+$`)) } }]);
    });
  });

  it('a folder and settings others can change (bad modes): each file an item', async () => {
    try {
      chmodSync(f.dir, 0o777);
      chmodSync(config, 0o666);
      const r = await run();
      expect(check(r, 'config').reason).toEqual({ code: 'config-writable', params: { file: config, mode: '666' } });
      expect(check(r, 'permissions').reason).toEqual({
        code: 'permissions-unsafe',
        params: { others: '', paths: `${JSON.stringify(f.dir)} ${JSON.stringify(config)}` },
        items: [
          { code: 'writable-folder', params: { path: f.dir, mode: '777' } },
          { code: 'writable-config', params: { path: config, mode: '666' } },
        ],
      });
    } finally {
      chmodSync(f.dir, 0o700);
      chmodSync(config, 0o600);
    }
  });

  it('the key: too open, its public half missing, missing itself', async () => {
    const key = f.key.privateKey;
    try {
      chmodSync(key, 0o644);
      expect(check(await run(), 'keys').reason).toEqual({ code: 'key-too-open', params: { file: key, mode: '644' } });
    } finally {
      chmodSync(key, 0o600);
    }
    const pub = `${key}.pub`;
    renameSync(pub, `${pub}.moved`);
    try {
      expect(check(await run(), 'keys').reason).toEqual({ code: 'key-public-missing', params: { file: key } });
    } finally {
      renameSync(`${pub}.moved`, pub);
    }
    renameSync(key, `${key}.moved`);
    try {
      expect(check(await run(), 'keys').reason).toEqual({ code: 'key-missing', params: { file: key } });
    } finally {
      renameSync(`${key}.moved`, key);
    }
  });

  it('known hosts: missing, or holding another key for the cluster (counted)', async () => {
    const kh = path.join(f.dir, 'known_hosts');
    await withChanged(kh, () => rmSync(kh), async () => {
      expect(check(await run(), 'known-hosts').reason.code).toBe('known-hosts-missing');
    });
    // A key that is not the cluster's, recorded under the cluster's name.
    const other = f.key.publicKeyLine.split(' ').slice(0, 2).join(' ');
    await withChanged(kh, () => appendFileSync(kh, `[127.0.0.1]:${cluster.login.port} ${other}\n`), async () => {
      const c = check(await run(), 'known-hosts');
      expect(c.reason.code).toBe('known-hosts-stale');
      expect(c.reason.params).toMatchObject({ count: '1', file: kh });
      expect(doctorText(c, frT).message).toContain('une autre clé pour elle');
    });
  });

  it('a closed port: refused, said with the host and port', async () => {
    const r = await run({ port: 1 });
    expect(check(r, 'reachability').reason).toEqual({ code: 'reach-refused', params: { host: '127.0.0.1', port: '1' } });
  });
});

describe('engine refusals, each with its code and values', () => {
  /** The refusal `work` ends with; it must carry a reason, said in both languages. */
  async function refusal(work: () => Promise<unknown>): Promise<ErrorReasonDto> {
    const err = await engineErrorOf(work());
    const reason = err.reason;
    expect(reason, err.message).toBeDefined();
    expectSaidInBoth(reason!.code, (t) => refusalText(reason!, t));
    return reason!;
  }

  it('files, folders, keys, passphrases and the cluster’s identity', async () => {
    const dir = await makeClientDir();
    try {
      const ctx = createContext({ sshDir: dir, profile: f.ctx.profile, stateDir: path.join(dir, 'app-state') });
      const input = { user: cluster.user, identity: f.key.privateKey };
      const deps = { controlDir: null };

      // Nothing to undo yet.
      expect(await refusal(() => revertConfig(ctx))).toEqual({ code: 'nothing-to-undo', params: { path: path.join(dir, 'config') } });

      // The settings file changed since the plan was shown.
      const plan = await planConfig(ctx, input, deps);
      writeFileSync(path.join(dir, 'config'), 'Host elsewhere\n', { mode: 0o600 });
      expect(await refusal(() => applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps))).toEqual({ code: 'file-changed-underneath', params: { path: path.join(dir, 'config') } });

      // Another mila-onboard holds the lock (this very process, so it is alive).
      const lock = configPaths(dir).lock;
      const fresh = await planConfig(ctx, input, deps);
      await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(lock), { recursive: true, mode: 0o700 }));
      writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now(), token: 'held' }), { mode: 0o600 });
      expect(await refusal(() => applyConfig(ctx, { ...input, expectedHash: fresh.hash }, deps))).toEqual({ code: 'busy-lock', params: { lock } });
      rmSync(lock);

      // A folder others can change.
      chmodSync(dir, 0o777);
      expect(await refusal(() => applyConfig(ctx, { ...input, expectedHash: fresh.hash }, deps))).toEqual({ code: 'folder-writable', params: { path: dir, mode: '777' } });
      chmodSync(dir, 0o700);

      // A settings file that holds a private key.
      copyFileSync(f.key.privateKey, path.join(dir, 'config'));
      expect(await refusal(() => planConfig(ctx, input, deps))).toEqual({ code: 'file-private-key-text', params: { path: path.join(dir, 'config') } });
      rmSync(path.join(dir, 'config'));

      // A key name already taken, and a wrong passphrase typed at ssh-keygen's own prompt.
      copyFileSync(f.key.privateKey, path.join(dir, 'id_ed25519_mila'));
      chmodSync(path.join(dir, 'id_ed25519_mila'), 0o600);
      const exists = await refusal(() => createKey({ sshDir: dir, type: 'ed25519', name: 'id_ed25519_mila', passphrase: '', allowEmptyPassphrase: true }));
      expect(exists).toEqual({ code: 'key-exists', params: { name: 'id_ed25519_mila', dir, free: 'id_ed25519_mila_2' } });
      expect(await refusal(() => recoverPublicKey({ sshDir: dir, file: 'id_ed25519_mila', passphrase: 'not the passphrase' }))).toEqual({ code: 'wrong-passphrase', params: { file: 'id_ed25519_mila' } });

      // A server whose key is not the one the profile publishes.
      const lying = structuredClone(f.ctx.profile);
      lying.login.fingerprints = { ED25519: 'SHA256:gfXZzaPiaYHcrPqzHvBi6v+BWRS/lXOS/zAjOKeoBJg' };
      const mismatch = await refusal(() => applyTrust(createContext({ sshDir: dir, profile: lying, stateDir: path.join(dir, 'app-state') }), { removeStale: false }));
      expect(mismatch.code).toBe('host-key-mismatch');
      expect(mismatch.params).toMatchObject({ host: `127.0.0.1:${cluster.login.port}`, profile: 'Test cluster', published: 'ED25519 SHA256:gfXZzaPiaYHcrPqzHvBi6v+BWRS/lXOS/zAjOKeoBJg' });
      expect(mismatch.params.presented).toMatch(/^ED25519 SHA256:/);

      // A port where nothing answers.
      const closed = structuredClone(f.ctx.profile);
      closed.login.port = 1;
      expect(await refusal(() => applyTrust(createContext({ sshDir: dir, profile: closed, stateDir: path.join(dir, 'app-state') }), { removeStale: false }))).toEqual({
        code: 'host-keys-unreachable',
        params: { host: '127.0.0.1', port: '1' },
      });
    } finally {
      await removeDir(dir);
    }
  });
});
