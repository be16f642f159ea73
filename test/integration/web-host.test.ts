import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { resolveStatic } from '../../src/host/web/static.js';
import { buildCsp } from '../../src/shared/csp.js';
import { startWebHost, type WebHost } from '../../src/host/web/server.js';

let host: WebHost;
let root: string;
let sshDir: string;
const LAUNCH = 'test-launch-123';
let session = '';

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mila-web-'));
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-web-ssh-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  host = await startWebHost({ ctx: createContext({ sshDir, profile: builtInProfile() }), rendererDir: root, launchSecret: LAUNCH });
});
afterAll(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(sshDir, { recursive: true, force: true });
});

function get(pathName: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: pathName, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

const firstMessages = new WeakMap<WebSocket, Promise<any>>();

/** Opens the socket with a launch or session secret offered as the page does (Sec-WebSocket-Protocol). */
function openSocket(opts: { launch?: string; session?: string; origin?: string; host?: string; query?: string; protocols?: string[] }): Promise<WebSocket | 'refused'> {
  return new Promise((resolve) => {
    const protocols = opts.protocols ?? ['mila-onboard', ...(opts.launch ? [`mila-launch.${opts.launch}`] : []), ...(opts.session ? [`mila-session.${opts.session}`] : [])];
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc${opts.query ?? ''}`, protocols, {
      headers: { ...(opts.origin ? { Origin: opts.origin } : {}), ...(opts.host ? { Host: opts.host } : {}) },
    });
    // The host's first message can come in the same packet as the handshake: listen from the start.
    firstMessages.set(ws, new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d))))));
    ws.on('open', () => resolve(ws));
    ws.on('error', () => resolve('refused'));
  });
}

function call(ws: WebSocket, channel: string, input: unknown): Promise<any> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) resolve(msg.envelope);
    });
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

describe('the loopback web host', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying a launch secret in the fragment', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#launch=${LAUNCH}$`));
  });

  it('serves the renderer with a CSP and refuses paths outside it', async () => {
    const ok = await get('/');
    expect(ok.status).toBe(200);
    // The one policy (src/shared/csp.ts), header form, as the desktop window gets it.
    expect(ok.headers['content-security-policy']).toBe(buildCsp());
    expect((await get('/../../etc/passwd')).status).not.toBe(200);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
    expect(resolveStatic(root, '/../secret')).toBeNull();
    expect(resolveStatic(root, '/%2e%2e%2fsecret')).toBeNull();
    expect(resolveStatic(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
  });

  it('refuses a request whose Host is not its own (DNS rebinding)', async () => {
    expect((await get('/', { Host: `evil.example:${host.port}` })).status).toBe(421);
  });

  it('accepts a socket only with a secret of this run, its own origin and its own host', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    expect(await openSocket({ origin })).toBe('refused');
    expect(await openSocket({ origin, launch: 'wrong' })).toBe('refused');
    expect(await openSocket({ origin, session: 'wrong' })).toBe('refused');
    // The old way (a token in the query) opens nothing.
    expect(await openSocket({ origin, query: `?token=${LAUNCH}` })).toBe('refused');
    // A secret without the app's protocol is not looked at.
    expect(await openSocket({ origin, protocols: [`mila-launch.${LAUNCH}`] })).toBe('refused');
    // Checked before the launch secret is spent: these do not use it up.
    expect(await openSocket({ origin: 'http://evil.example', launch: LAUNCH })).toBe('refused');
    expect(await openSocket({ launch: LAUNCH })).toBe('refused');
    expect(await openSocket({ origin, launch: LAUNCH, host: `localhost:${host.port}` })).toBe('refused');

    // The launch secret opens once, and the first message is the session secret.
    const ws = await openSocket({ origin, launch: LAUNCH });
    expect(ws).not.toBe('refused');
    const first = await firstMessages.get(ws as WebSocket);
    expect(first.session).toMatch(/^[\w-]{32}$/);
    session = first.session;
    expect((ws as WebSocket).protocol).toBe('mila-onboard');
    (ws as WebSocket).close();
    expect(await openSocket({ origin, launch: LAUNCH })).toBe('refused');

    // The session secret opens again (a reload), still only from the host's own origin.
    expect(await openSocket({ origin: 'http://evil.example', session })).toBe('refused');
    const again = await openSocket({ origin, session });
    expect(again).not.toBe('refused');
    (again as WebSocket).close();
    // A new launch address is single-use too.
    const next = new URL(host.newLaunchUrl()).hash.slice('#launch='.length);
    const third = await openSocket({ origin, launch: next });
    expect(third).not.toBe('refused');
    (third as WebSocket).close();
    expect(await openSocket({ origin, launch: next })).toBe('refused');
  });

  it('binds the contract: valid calls answer, invalid input is refused at the boundary', async () => {
    const ws = (await openSocket({ origin: `http://127.0.0.1:${host.port}`, session })) as WebSocket;
    const info = await call(ws, 'app.info', {});
    expect(info.ok).toBe(true);
    expect(info.value.sshDir).toBe(sshDir);
    expect(info.value.front).toBe('web');
    const keys = await call(ws, 'keys.list', {});
    expect(keys).toEqual({ ok: true, value: { folder: expect.objectContaining({ path: sshDir, exists: true }), keys: [] } });
    const extra = await call(ws, 'keys.list', { sshDir: '/etc' });
    expect(extra.ok).toBe(false);
    expect(extra.error.code).toBe('invalid-input');
    const unknown = await call(ws, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown request.', nothingChanged: true } });
    ws.close();
  });

  it('answers the calls named in the socket URL as soon as it opens, checked like any call; a malformed list is ignored', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    const early = encodeURIComponent(JSON.stringify([[1, 'app.info'], [2, 'fs.readFile']]));
    const protocols = ['mila-onboard', `mila-session.${session}`];
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?early=${early}`, protocols, { headers: { Origin: origin } });
    // Nothing is sent by the client: both answers arrive on their own.
    const replies = await new Promise<any[]>((resolve) => {
      const got: any[] = [];
      ws.on('message', (d) => {
        got.push(JSON.parse(String(d)));
        if (got.length === 2) resolve(got.sort((a, b) => a.id - b.id));
      });
    });
    expect(replies[0]).toMatchObject({ id: 1, envelope: { ok: true, value: { sshDir, front: 'web' } } });
    expect(replies[1]).toEqual({ id: 2, envelope: { ok: false, error: { code: 'invalid-input', message: 'Unknown request.', nothingChanged: true } } });
    ws.close();

    // Inputs are never taken from a URL, and a list of the wrong shape answers nothing.
    for (const bad of ['[[1,"app.info",{"x":1}]]', '{"1":"app.info"}', 'not json', JSON.stringify(Array.from({ length: 9 }, (_, i) => [i, 'app.info']))]) {
      const sock = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?early=${encodeURIComponent(bad)}`, protocols, { headers: { Origin: origin } });
      const heard = await new Promise<number>((resolve) => {
        let n = 0;
        sock.on('message', () => n++);
        sock.on('open', () => setTimeout(() => resolve(n), 150));
      });
      expect(heard).toBe(0);
      sock.close();
    }
    // And no secret, no answers: the upgrade is refused before any early call is looked at.
    expect(await openSocket({ origin, session: 'wrong', query: `?early=${early}` })).toBe('refused');
  });
});
