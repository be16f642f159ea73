// Hostile clients against the BUILT web host (dist/web/web-host.cjs, run as `npm run web`
// runs it): each attack is made for real over loopback, then the host must still be running
// and still answer a valid call. Build first: `npm run build:node`.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { callRpc, connectRpc, startBuiltWebHost, type RunningWebHost } from '../e2e/web-host.js';

let host: RunningWebHost;
let sshDir: string;

// A fresh host for each attack, so each one is judged on its own.
beforeEach(async () => {
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-attack-ssh-'));
  host = await startBuiltWebHost(['--ssh-dir', sshDir]);
});
afterEach(async () => {
  await host.stop();
  rmSync(sshDir, { recursive: true, force: true });
  rmSync(host.stateDir, { recursive: true, force: true });
});

/** After an attack: the process is still there and a fresh connection gets a real answer. */
async function expectStillServing(): Promise<void> {
  // Give an unhandled 'error' (emitted on a later tick) the time to end the process.
  await new Promise((r) => setTimeout(r, 300));
  expect(host.alive(), `the host died:\n${host.output()}`).toBe(true);
  const ws = await connectRpc(host);
  const info = await callRpc(ws, 'app.info');
  expect(info).toMatchObject({ ok: true, value: { sshDir, front: 'web' } });
  ws.close();
}

/** Resolves when the socket is closed by either side (the host drops a bad client). */
const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

/** Sends an upgrade request for the socket path and resets the TCP connection right away. */
function resetMidUpgrade(port: number, partial: boolean): Promise<void> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      const req =
        `GET /rpc?token=x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        (partial ? '' : '\r\n');
      sock.write(req, () => {
        sock.resetAndDestroy();
        resolve();
      });
    });
    sock.on('error', () => resolve());
  });
}

describe('the built web host under attack', () => {
  it('survives a frame over the size limit from a client with the secret', async () => {
    const ws = await connectRpc(host);
    ws.on('error', () => undefined);
    const gone = closed(ws);
    ws.send(Buffer.alloc(2 * 1024 * 1024, 0x20), { binary: false });
    // "message too big" (1009): the host drops this client, and only it. The client may still be
    // writing the 2 MiB when the host closes, and then sees the reset (1006) before the close frame.
    expect([1009, 1006]).toContain(await gone);
    await expectStillServing();
  });

  it('survives a text frame that is not UTF-8', async () => {
    const ws = await connectRpc(host);
    ws.on('error', () => undefined);
    const gone = closed(ws);
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await gone).toBe(1007); // "invalid frame payload data"
    await expectStillServing();
  });

  it('survives TCP resets in the middle of upgrade requests (no secret needed)', async () => {
    for (let i = 0; i < 40; i++) {
      await resetMidUpgrade(host.port, i % 2 === 0);
    }
    await expectStillServing();
  });

  it('survives many aborted upgrades at once, and keeps the half-open ones bounded', async () => {
    const fdsBefore = readdirSync(`/proc/${host.pid}/fd`).length;
    // 300 upgrades in waves of 50: half reset right after a whole request, half left hanging
    // (headers never finished) until the end.
    const hanging: net.Socket[] = [];
    for (let wave = 0; wave < 6; wave++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? resetMidUpgrade(host.port, false)
            : new Promise<void>((resolve) => {
                const s = net.connect(host.port, '127.0.0.1', () => {
                  s.write(`GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\n`);
                  resolve();
                });
                s.on('error', () => resolve());
                hanging.push(s);
              }),
        ),
      );
    }
    // 150 connections hang, but the host holds at most its bound of them (32) open.
    await new Promise((r) => setTimeout(r, 300));
    const fdsDuring = readdirSync(`/proc/${host.pid}/fd`).length;
    expect(fdsDuring - fdsBefore).toBeLessThanOrEqual(40);
    await expectStillServing();
    for (const s of hanging) s.resetAndDestroy();
    await expectStillServing();
  });

  it('survives a client with the secret that resets its connection while a call is answered', async () => {
    for (let i = 0; i < 10; i++) {
      const ws = await connectRpc(host);
      ws.on('error', () => undefined);
      ws.send(JSON.stringify({ id: 1, channel: 'keys.list', input: {} }));
      (ws as unknown as { _socket: net.Socket })._socket.resetAndDestroy();
    }
    await expectStillServing();
  });

});
