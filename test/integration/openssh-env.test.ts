import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenSsh } from '../../src/engine/openssh/run.js';

/**
 * A non-pty OpenSSH child (ssh-keyscan, waiting on a server that never answers) is read from
 * /proc/PID/environ while it runs: the secret-looking variable of this process is not there.
 */

let server: net.Server;
let port = 0;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  server = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('one environment filter for every OpenSSH child', () => {
  it.runIf(process.platform === 'linux')('a secret-looking variable never reaches a non-pty child', async () => {
    process.env.MILA_TEST_API_TOKEN = 'hunter2-not-for-children';
    process.env.MILA_TEST_PLAIN = 'plain-value';
    let environ = '';
    try {
      await runOpenSsh('ssh-keyscan', ['-T', '3', '-p', String(port), '127.0.0.1'], {
        timeoutMs: 15_000,
        onSpawn: (pid) => {
          // Read while the child waits for the silent server (after exec: libuv returns the pid once exec succeeded).
          setTimeout(() => {
            try {
              environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
            } catch {
              environ = 'unreadable';
            }
          }, 500);
        },
      });
    } finally {
      delete process.env.MILA_TEST_API_TOKEN;
      delete process.env.MILA_TEST_PLAIN;
    }
    const vars = environ.split('\0');
    expect(vars).toContain('MILA_TEST_PLAIN=plain-value');
    expect(environ).not.toContain('hunter2-not-for-children');
    expect(vars).toContain('LC_ALL=C');
  }, 30_000);
});
