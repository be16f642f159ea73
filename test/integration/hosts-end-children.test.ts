/**
 * What a host leaves in the process table when its work is cut short: nothing. Real OpenSSH
 * programs that would wait a long time, found in /proc while they wait:
 *   - `ssh` in a pty at the passphrase prompt of a login to a throwaway sshd (connect.start);
 *   - `ssh-keyscan` on a 127.0.0.1 server that accepts and never says a word (trust.plan,
 *     with a profile whose login node is that server).
 * The engine host (the real bundle, over child_process.fork) stops, or one task is cancelled;
 * the web host's page goes away, or the host closes. Each time the programs are gone: the
 * call's AbortSignal reached them (src/engine/openssh/terminate.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createContext } from '../../src/engine/context.js';
import { startWebHost } from '../../src/host/web/server.js';
import { EngineClient } from '../../src/host/desktop/engine-client.js';
import { engineHostArgs, forkEngine, type EngineChild } from '../../src/host/desktop/engine-transport.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { processTable } from '../fixtures/processes.js';
import { profileFor } from '../fixtures/profile.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const PASSPHRASE = 'nobody types this one';

/** The processes running now: one that ended and waits to be reaped (a zombie) is not running. */
const liveProcesses = () => processTable().filter((p) => p.state !== 'Z');

let work: string;
let cluster: LoginOnlyCluster;
let folder: PreparedFolder;
let silent: Server;
let silentPort: number;
const sockets: Socket[] = [];
/** A profile whose login node is the silent server: trust.plan's ssh-keyscan waits on it. The SSH config still names the real sshd. */
let profileFile: string;

/** The programs this test is about: named by the SSH folder (ssh) or the silent port (ssh-keyscan), wherever they were re-parented. */
function ours(): Array<{ comm: string; pid: number }> {
  return liveProcesses()
    .filter((p) => (p.comm === 'ssh' && p.cmdline.includes(folder.dir)) || (p.comm === 'ssh-keyscan' && p.cmdline.includes(`-p ${silentPort} `)))
    .map((p) => ({ comm: p.comm, pid: p.pid }));
}

const running = (comm: string) => ours().filter((p) => p.comm === comm);

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mila-hosts-end-'));
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as AddressInfo).port;
  cluster = await startCluster({ computeNode: false });
  folder = await prepareFolder(cluster, { passphrase: PASSPHRASE });
  const base = profileFor(cluster);
  profileFile = path.join(work, 'profile.json');
  writeFileSync(profileFile, JSON.stringify({ ...base, login: { ...base.login, port: silentPort } }));
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await cluster?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the engine host (the real bundle)', () => {
  let bundle: string;
  beforeAll(async () => {
    // As scripts/build-node.mjs bundles it; inside the repository so require('node-pty') resolves.
    bundle = path.join(repoRoot, '.tmp', `hosts-end-${process.pid}`, 'engine-host.cjs');
    await build({ entryPoints: [path.join(repoRoot, 'src/host/desktop/engine-host.ts')], outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['node-pty', 'electron'], logLevel: 'silent' });
  }, 60_000);
  afterAll(async () => {
    await rm(path.dirname(bundle), { recursive: true, force: true });
  });

  function host(): { client: EngineClient; child: () => EngineChild } {
    let child: EngineChild | undefined;
    const client = new EngineClient(() => {
      // The app's own state (login history) in the throwaway folder, never the real one.
      child = forkEngine(bundle, engineHostArgs({ sshDir: folder.dir, profile: profileFile, platform: process.platform }), {
        env: { ...process.env, XDG_CONFIG_HOME: path.join(work, 'state') },
      });
      return child;
    });
    return { client, child: () => child! };
  }

  /** Starts a login; resolves once ssh waits at the key's passphrase prompt, with the call's answer still to come. */
  async function loginAtPrompt(client: EngineClient, taskId: string): Promise<{ answer: Promise<unknown> }> {
    let prompt: { text: string } | null = null;
    const answer = client.call('connect.start', { taskId }, (_event, payload) => {
      const e = payload as { type: string; text: string };
      if (e.type === 'prompt') prompt = e;
    });
    let ended: unknown = null;
    void answer.then((a) => (ended = a));
    await vi.waitFor(() => expect({ prompt, ended }).toMatchObject({ prompt: expect.anything(), ended: null }), { timeout: 30_000, interval: 50 });
    expect(prompt!.text).toMatch(/Enter passphrase for key/);
    return { answer };
  }

  it('stopping it ends ssh at a prompt and ssh-keyscan on a silent server before it goes', async () => {
    const { client, child } = host();
    const { answer: login } = await loginAtPrompt(client, randomUUID());
    const plan = client.call('trust.plan', {});
    await vi.waitFor(() => expect(running('ssh-keyscan')).toHaveLength(1), { timeout: 15_000, interval: 50 });
    expect(running('ssh')).toHaveLength(1);
    const hostPid = child().pid!;
    expect(liveProcesses().filter((p) => p.ppid === hostPid && (p.comm === 'ssh' || p.comm === 'ssh-keyscan'))).toHaveLength(2);

    await client.stop();
    // The host aborted its work and waited for its programs before exiting: none is left, not even re-parented.
    expect(ours()).toEqual([]);
    // Each call was answered 'cancelled' (its program stopped, or "the app is closing" if the answer lost the race with the exit).
    for (const envelope of [await login, await plan]) expect(envelope).toMatchObject({ ok: false, error: { code: 'cancelled', nothingChanged: true } });
  }, 90_000);

  it('cancelling the login ends its ssh; the host goes on serving', async () => {
    const { client } = host();
    try {
      const taskId = randomUUID();
      const { answer: login } = await loginAtPrompt(client, taskId);
      expect(running('ssh')).toHaveLength(1);
      expect(await client.call('task.cancel', { taskId })).toEqual({ ok: true, value: { cancelled: true } });
      expect(await login).toMatchObject({ ok: false, error: { code: 'cancelled', nothingChanged: true } });
      expect(running('ssh')).toEqual([]);
      expect((await client.call('app.info', {})).ok).toBe(true);
    } finally {
      await client.stop();
    }
  }, 90_000);
});

describe('the web host', () => {
  const LAUNCH = 'hosts-end-launch';

  async function webHost() {
    const rendererDir = path.join(work, 'renderer');
    await mkdir(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
    const ctx = createContext({ sshDir: folder.dir, profile, stateDir: path.join(work, 'web-state') });
    return startWebHost({ ctx, rendererDir, launchSecret: LAUNCH });
  }

  /** A page's socket, and the host's first message (it can come with the handshake: listened for from the start). */
  function openPage(port: number, protocols: string[]): Promise<{ ws: WebSocket; first: Promise<any> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, protocols, { headers: { Origin: `http://127.0.0.1:${port}` } });
      const first = new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
      ws.once('open', () => resolve({ ws, first }));
      ws.once('error', reject);
    });
  }

  function send(ws: WebSocket, channel: string, input: unknown): Promise<any> {
    const id = Math.floor(Math.random() * 1e9);
    return new Promise((resolve) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data));
        if (msg.id === id) resolve(msg.envelope);
      });
      ws.send(JSON.stringify({ id, channel, input }));
    });
  }

  it('a page that goes away ends the ssh-keyscan its call started', async () => {
    const host = await webHost();
    try {
      const { ws } = await openPage(host.port, ['mila-onboard', `mila-launch.${LAUNCH}`]);
      void send(ws, 'trust.plan', {});
      await vi.waitFor(() => expect(running('ssh-keyscan')).toHaveLength(1), { timeout: 15_000, interval: 50 });
      ws.close();
      // ssh-keyscan gives up on its own only after -T 8 s: well before that, it is gone.
      await vi.waitFor(() => expect(running('ssh-keyscan')).toEqual([]), { timeout: 3000, interval: 50 });
    } finally {
      await host.close();
    }
  }, 60_000);

  it('closing the host ends the ssh-keyscan of a page still open', async () => {
    const host = await webHost();
    const { ws } = await openPage(host.port, ['mila-onboard', `mila-launch.${LAUNCH}`]);
    void send(ws, 'trust.plan', {});
    await vi.waitFor(() => expect(running('ssh-keyscan')).toHaveLength(1), { timeout: 15_000, interval: 50 });
    await host.close();
    // Gone by the time close() resolves: the web host's process may exit right after it, and
    // the call's own clean-up (reaping, removing a private config copy) must have run by then.
    expect(running('ssh-keyscan')).toEqual([]);
  }, 60_000);
});
