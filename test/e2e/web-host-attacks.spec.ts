// A web page on another origin, in real Chromium, opens and aborts many sockets to the built
// web host's port. The host must refuse them all and keep serving its own page.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { callRpc, connectRpc, startBuiltWebHost, type RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let sshDir: string;
let evil: Server;
let evilOrigin: string;

test.beforeAll(async () => {
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-attack-'));
  host = await startBuiltWebHost(['--ssh-dir', sshDir]);
  // The hostile page: any site the user visits, here another loopback port (another origin).
  evil = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title><p>elsewhere</p>'));
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await host?.stop();
  await new Promise((resolve) => evil?.close(resolve));
  rmSync(sshDir, { recursive: true, force: true });
});

test('a cross-origin page opening and aborting many sockets neither gets in nor stops the host', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(evilOrigin);
  const outcome = await page.evaluate(async (port) => {
    let opened = 0;
    // Bounded: 600 sockets in rounds of 20, each aborted at a different moment of its handshake.
    for (let round = 0; round < 30; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new Promise<void>((resolve) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=guess${i}`);
            ws.onopen = () => {
              opened++;
              ws.close();
            };
            ws.onclose = () => resolve();
            if (i % 4 === 0) ws.close();
            else setTimeout(() => ws.close(), i % 7);
          }),
        ),
      );
    }
    return { opened };
  }, host.port);
  expect(outcome.opened).toBe(0);
  await new Promise((r) => setTimeout(r, 300));
  expect(host.alive(), `the host died:\n${host.output()}`).toBe(true);
  const ws = await connectRpc(host);
  expect(await callRpc(ws, 'app.info')).toMatchObject({ ok: true, value: { sshDir, front: 'web' } });
  ws.close();
});
