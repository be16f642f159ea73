import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { resolveStatic } from '../../src/host/web/static.js';
import { startWebHost, type WebHost } from '../../src/host/web/server.js';

let host: WebHost;
let root: string;
let sshDir: string;
const TOKEN = 'test-token-123';

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mila-web-'));
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-web-ssh-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  host = await startWebHost({ ctx: createContext({ sshDir, profile: builtInProfile() }), rendererDir: root, token: TOKEN });
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

function openSocket(opts: { token?: string; origin?: string; host?: string }): Promise<WebSocket | 'refused'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${opts.token ?? ''}`, {
      headers: { ...(opts.origin ? { Origin: opts.origin } : {}), ...(opts.host ? { Host: opts.host } : {}) },
    });
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
  it('listens on 127.0.0.1 only and prints a URL carrying the token in the fragment', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#token=${TOKEN}$`));
  });

  it('serves the renderer with a CSP and refuses paths outside it', async () => {
    const ok = await get('/');
    expect(ok.status).toBe(200);
    expect(String(ok.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await get('/../../etc/passwd')).status).not.toBe(200);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
    expect(resolveStatic(root, '/../secret')).toBeNull();
    expect(resolveStatic(root, '/%2e%2e%2fsecret')).toBeNull();
    expect(resolveStatic(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
  });

  it('refuses a request whose Host is not its own (DNS rebinding)', async () => {
    expect((await get('/', { Host: `evil.example:${host.port}` })).status).toBe(421);
  });

  it('accepts a socket only with the token, its own origin and its own host', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    expect(await openSocket({ origin })).toBe('refused');
    expect(await openSocket({ origin, token: 'wrong' })).toBe('refused');
    expect(await openSocket({ origin: 'http://evil.example', token: TOKEN })).toBe('refused');
    expect(await openSocket({ token: TOKEN })).toBe('refused');
    expect(await openSocket({ origin, token: TOKEN, host: `localhost:${host.port}` })).toBe('refused');
    const ws = await openSocket({ origin, token: TOKEN });
    expect(ws).not.toBe('refused');
    (ws as WebSocket).close();
  });

  it('binds the contract: valid calls answer, invalid input is refused at the boundary', async () => {
    const ws = (await openSocket({ origin: `http://127.0.0.1:${host.port}`, token: TOKEN })) as WebSocket;
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
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}&early=${early}`, { headers: { Origin: origin } });
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
      const sock = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}&early=${encodeURIComponent(bad)}`, { headers: { Origin: origin } });
      const heard = await new Promise<number>((resolve) => {
        let n = 0;
        sock.on('message', () => n++);
        sock.on('open', () => setTimeout(() => resolve(n), 150));
      });
      expect(heard).toBe(0);
      sock.close();
    }
    // And no token, no answers: the upgrade is refused before any early call is looked at.
    expect(await openSocket({ origin, token: 'wrong' })).toBe('refused');
  });
});
