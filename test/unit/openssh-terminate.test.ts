/**
 * The one way a child ends (src/engine/openssh/terminate.ts), on real processes: the polite
 * signal first, SIGKILL only for a child that ignores it, and only after the grace period;
 * and runOpenSsh ending its program on abort and on timeout the same way.
 */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenSsh } from '../../src/engine/openssh/run.js';
import { endableProcess, terminate, whenAborted, type EndableChild } from '../../src/engine/openssh/terminate.js';
import { pidAlive } from '../fixtures/processes.js';

const posix = process.platform !== 'win32';

function sh(script: string) {
  const child = spawn('sh', ['-c', script], { stdio: 'ignore' });
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return { child, ended };
}

describe.runIf(posix)('terminate', () => {
  it('a child that honours SIGTERM ends with it, and is never killed', async () => {
    const { child, ended } = sh('exec sleep 60');
    const t = performance.now();
    await terminate(endableProcess(child), { graceMs: 5000 });
    expect(await ended).toBe('SIGTERM');
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('a child that ignores SIGTERM is killed once the grace period is over, not before', async () => {
    // The shell ignores TERM and execs sleep, which keeps the ignored disposition.
    const { child, ended } = sh("trap '' TERM; exec sleep 60");
    await new Promise((r) => setTimeout(r, 200)); // past the trap
    const t = performance.now();
    await terminate(endableProcess(child), { graceMs: 400 });
    const took = performance.now() - t;
    expect(await ended).toBe('SIGKILL');
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(3000);
  });

  it('SIGHUP is the polite signal for a terminal', async () => {
    const { child, ended } = sh('exec sleep 60');
    await terminate(endableProcess(child), { signal: 'SIGHUP' });
    expect(await ended).toBe('SIGHUP');
  });

  it('ending a child that already exited does nothing', async () => {
    const { child, ended } = sh('exit 0');
    await ended;
    await terminate(endableProcess(child), { graceMs: 10 });
    expect(child.signalCode).toBeNull();
    expect(child.exitCode).toBe(0);
  });
});

describe('terminate on Windows (no signals)', () => {
  it('asks once with the plain kill and never escalates', async () => {
    const sent: Array<NodeJS.Signals | undefined> = [];
    let exit!: () => void;
    const child: EndableChild = { kill: (s) => void sent.push(s), exited: new Promise<void>((r) => (exit = r)) };
    const ending = terminate(child, { platform: 'win32', graceMs: 20 });
    await new Promise((r) => setTimeout(r, 100));
    exit();
    await ending;
    expect(sent).toEqual([undefined]);
  });
});

describe('whenAborted', () => {
  it('calls back on abort, at once when already aborted, and never once unbound', () => {
    const calls: string[] = [];
    const a = new AbortController();
    whenAborted(a.signal, () => calls.push('a'));
    a.abort();
    const b = new AbortController();
    b.abort();
    whenAborted(b.signal, () => calls.push('b'));
    const c = new AbortController();
    const unbind = whenAborted(c.signal, () => calls.push('c'));
    unbind();
    c.abort();
    whenAborted(undefined, () => calls.push('never'));
    expect(calls).toEqual(['a', 'b']);
  });
});

describe.runIf(posix)('runOpenSsh ends its program the one way', () => {
  let server: ReturnType<typeof createServer>;
  let port = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts and never answers: ssh-keyscan waits on it.
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  function keyscan(opts: { signal?: AbortSignal; timeoutMs?: number }) {
    let pid = 0;
    const run = runOpenSsh('ssh-keyscan', ['-T', '60', '-p', String(port), '127.0.0.1'], { timeoutMs: 60_000, ...opts, onSpawn: (p) => (pid = p) });
    return { run, pid: () => pid };
  }

  it('on abort: ended, and the call rejects with "cancelled" (nothing changed)', async () => {
    const abort = new AbortController();
    const k = keyscan({ signal: abort.signal });
    await new Promise((r) => setTimeout(r, 300));
    expect(pidAlive(k.pid())).toBe(true);
    abort.abort();
    await expect(k.run).rejects.toMatchObject({ code: 'cancelled', nothingChanged: true, message: 'Cancelled: "ssh-keyscan" was stopped.' });
    expect(pidAlive(k.pid())).toBe(false);
  });

  it('on timeout: ended, and the call rejects with "timeout"', async () => {
    const t = performance.now();
    const k = keyscan({ timeoutMs: 500 });
    await expect(k.run).rejects.toMatchObject({ code: 'timeout' });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(pidAlive(k.pid())).toBe(false);
  });

  it('an abort before the start starts nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    const k = keyscan({ signal: abort.signal });
    await expect(k.run).rejects.toMatchObject({ code: 'cancelled' });
    expect(k.pid()).toBe(0);
  });
});
