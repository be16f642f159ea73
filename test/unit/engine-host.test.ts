/**
 * The engine host (src/host/desktop/engine-host.ts) in a real child process, driven through the
 * real client (src/host/desktop/engine-client.ts) over Node's child_process.fork — the transport
 * the same child module uses when Electron is not there (utilityProcess needs Electron's
 * binary, which cannot be installed here).
 *
 * Two bundles are built with esbuild in beforeAll, into a temp folder:
 *   - engine-host.cjs: the real host, bundled exactly as scripts/build-node.mjs does;
 *   - fake-host.cjs: the real serving loop (engine-service.ts) with a stand-in dispatch
 *     that can block its event loop, hang, emit events, start OpenSSH programs the engine's
 *     way or exit: the behaviours a crash/hang test needs, kept out of the shipped code.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { dispatch } from '../../src/host/dispatch.js';
import { EngineClient, HELPER_FAILING, HELPER_HUNG, HELPER_STOPPED, type EngineClientOptions } from '../../src/host/desktop/engine-client.js';
import {
  CLOSING_ERROR,
  engineHostArgs,
  forkEngine,
  hostEndpoint,
  isFromHost,
  isToHost,
  parseEngineHostArgs,
  type EngineChild,
  type ProcessLike,
} from '../../src/host/desktop/engine-transport.js';
import { utilityEngine, type UtilityFork } from '../../src/main/utility-engine.js';
import type { Envelope } from '../../src/shared/contract/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;
let sshDir: string;
let realHost: string;
let fakeHost: string;
/** A key with a passphrase: ssh-keygen -y waits at its prompt. */
let lockedKey: string;

/** The same options as scripts/build-node.mjs (minus minify, for readable stack traces). */
const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['node-pty', 'electron'],
  logLevel: 'silent',
};

const FAKE_HOST_SOURCE = `
import { runInPty } from './src/engine/openssh/pty-session.ts';
import { runOpenSsh } from './src/engine/openssh/run.ts';
import { serveEngine } from './src/host/desktop/engine-service.ts';
import { hostEndpoint } from './src/host/desktop/engine-transport.ts';

const never = new Promise(() => {});
serveEngine(hostEndpoint(), {
  context: Promise.resolve({ sshDir: '/nowhere', platform: 'linux', profile: {} }),
  exit: (code) => process.exit(code),
  async dispatch(channel, input, scope) {
    switch (channel) {
      case 'test.block': {
        // A synchronous hang, as a stuck native call would be: this process's loop stops.
        const until = Date.now() + input.ms;
        while (Date.now() < until) {}
        return { ok: true, value: 'unblocked' };
      }
      case 'test.hang':
        return never;
      case 'test.events':
        for (let i = 0; i < input.n; i++) {
          scope.emit('task.event', { tag: input.tag, i });
          await new Promise((r) => setTimeout(r, 1));
        }
        scope.emit('not.a.contract.event', { tag: input.tag });
        return { ok: true, value: input.tag };
      case 'test.spawn': {
        // Two programs that would wait a long time, started the engine's way with the call's
        // signal: ssh-keyscan on a server that never answers (no pty), and ssh-keygen at a
        // passphrase prompt nobody answers (in a pty). Their pids go out as an event.
        const pids = [];
        const spawned = (pid) => {
          pids.push(pid);
          if (pids.length === 2) scope.emit('task.event', { pids });
        };
        const ends = await Promise.allSettled([
          runOpenSsh('ssh-keyscan', ['-T', '60', '-p', String(input.port), '127.0.0.1'], { timeoutMs: 120000, signal: scope.signal, onSpawn: spawned }),
          runInPty({ program: 'ssh-keygen', args: ['-y', '-f', input.key], signal: scope.signal, hooks: { onSpawn: spawned }, onPrompt: () => never }),
        ]);
        return { ok: true, value: ends.map((e) => (e.status === 'rejected' ? e.reason.code : 'finished')) };
      }
      case 'test.exit':
        setTimeout(() => process.exit(3), 10);
        return never;
      case 'test.pid':
        return { ok: true, value: process.pid };
      default:
        return { ok: false, error: { code: 'invalid-input', message: 'Unknown test channel.', nothingChanged: true } };
    }
  },
});
`;

beforeAll(async () => {
  // Inside the repository (.tmp/ is git-ignored), so the bundles' require('node-pty')
  // resolves to the project's node_modules, as dist/desktop/engine-host.cjs does.
  mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  tmp = mkdtempSync(path.join(repoRoot, '.tmp', 'engine-host-'));
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-engine-host-ssh-'));
  chmodSync(sshDir, 0o700);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'engine host test', '-f', path.join(sshDir, 'id_ed25519')]);
  lockedKey = path.join(tmp, 'locked');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'not asked here', '-f', lockedKey]);
  // tmp/desktop/ as dist/desktop/: main.ts (run below from tmp/main/) finds it there.
  mkdirSync(path.join(tmp, 'desktop'));
  realHost = path.join(tmp, 'desktop', 'engine-host.cjs');
  fakeHost = path.join(tmp, 'fake-host.cjs');
  await Promise.all([
    build({ ...common, entryPoints: [path.join(repoRoot, 'src/host/desktop/engine-host.ts')], outfile: realHost }),
    build({ ...common, stdin: { contents: FAKE_HOST_SOURCE, resolveDir: repoRoot, loader: 'ts', sourcefile: 'fake-host.ts' }, outfile: fakeHost }),
  ]);
});

const clients: EngineClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop({ graceMs: 500, killWaitMs: 1000 })));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(sshDir, { recursive: true, force: true });
});

/** A client over child_process.fork that records every child it starts. */
function client(host: 'real' | 'fake', ctx: { platform?: NodeJS.Platform; profile?: string } = {}, options: EngineClientOptions = {}) {
  const children: EngineChild[] = [];
  const args = engineHostArgs({ sshDir, profile: ctx.profile ?? 'mila', platform: ctx.platform ?? 'linux' });
  const unexpected = vi.fn();
  const c = new EngineClient(
    () => {
      const child = forkEngine(host === 'real' ? realHost : fakeHost, args);
      children.push(child);
      return child;
    },
    { onUnexpectedExit: unexpected, ...options },
  );
  clients.push(c);
  return { client: c, children, unexpected };
}

/** Whether a process is still running (a zombie waiting to be reaped counts as ended). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): signal 0 succeeded, so it exists
  }
};

function exitOf(child: EngineChild): Promise<number | null> {
  return new Promise((resolve) => child.onExit(resolve));
}

describe('the real engine host over child_process.fork', () => {
  it('answers app.info with the context it was started with', async () => {
    const { client: c } = client('real', { platform: 'win32' });
    const envelope = await c.call('app.info', {});
    expect(envelope).toMatchObject({ ok: true, value: { front: 'desktop', sshDir, platform: 'win32', profile: { id: 'mila', name: 'Mila' } } });
    expect(c.started).toBe(1);
    expect(c.pid).not.toBe(process.pid);
  });

  it('offers the built-in clusters besides its own profile, and runs a call against the one named', async () => {
    const { client: c } = client('real');
    const info = await c.call('app.info', {});
    const clusters = (info as { value: { clusters: Array<{ id: string; primary: boolean }> } }).value.clusters;
    expect(clusters.map((x) => x.id)).toEqual(['mila', 'narval', 'rorqual', 'fir', 'nibi', 'trillium', 'trillium-gpu', 'tamia', 'killarney', 'vulcan']);
    expect(clusters.filter((x) => x.primary).map((x) => x.id)).toEqual(['mila']);
    expect(await c.call('keys.suggestName', { cluster: 'tamia' })).toEqual({ ok: true, value: { name: 'id_ed25519_alliance' } });
    expect(await c.call('keys.suggestName', { cluster: 'cedar' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('Unknown cluster "cedar"') } });
  });

  it('lists the keys of a temp SSH folder exactly as the in-process engine does', async () => {
    const { client: c } = client('real');
    const remote = await c.call('keys.list', {});
    const local = await dispatch('keys.list', {}, { ctx: createContext({ sshDir, profile: builtInProfile('mila'), platform: 'linux' }), front: 'desktop', emit: () => undefined });
    expect(remote.ok).toBe(true);
    expect(remote).toEqual(local);
    const keys = (remote as { value: { keys: Array<{ file: string; comment: string | null; fingerprint: string | null }> } }).value.keys;
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(sshDir, 'id_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1];
    expect(keys.find((k) => k.file === 'id_ed25519')).toMatchObject({ comment: 'engine host test', fingerprint });
  });

  it('validates inputs at the boundary in the child: bad input and unknown channels get envelopes', async () => {
    const { client: c } = client('real');
    expect(await c.call('keys.list', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await c.call('no.such.channel', {})).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Unknown request.' } });
  });

  it('reports a profile that cannot be loaded to each call instead of dying', async () => {
    const { client: c, unexpected } = client('real', { profile: path.join(tmp, 'missing-profile.json') });
    expect(await c.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await c.call('keys.list', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(unexpected).not.toHaveBeenCalled();
    expect(c.started).toBe(1);
  });

  it('a killed child fails the pending calls with the "stopped" envelope; the next call starts a new one', async () => {
    const { client: c, children, unexpected } = client('real');
    // The calls are posted and the child killed before this process yields: the child
    // cannot have answered them.
    const pending = [c.call('keys.list', {}), c.call('app.info', {})];
    children[0]!.kill();
    const failed = await Promise.all(pending);
    for (const envelope of failed) expect(envelope).toEqual({ ok: false, error: HELPER_STOPPED });
    expect(HELPER_STOPPED).toEqual({ code: 'helper-stopped', message: 'The background helper stopped unexpectedly.', hint: 'Try again.', nothingChanged: true });
    expect(unexpected).toHaveBeenCalledWith(expect.objectContaining({ failedCalls: 2 }));

    const after = await c.call('keys.list', {});
    expect(after.ok).toBe(true);
    expect(children).toHaveLength(2);
    expect(children[1]!.pid).not.toBe(children[0]!.pid);
  });

  // SIGSTOP/SIGKILL are POSIX; the unit tests run on Linux (CI) and macOS.
  it.skipIf(process.platform === 'win32')('a SIGKILL while warm (no chance to clean up) is handled the same way', async () => {
    const { client: c, children } = client('real');
    expect((await c.call('app.info', {})).ok).toBe(true);
    const pid = children[0]!.pid!;
    process.kill(pid, 'SIGSTOP'); // frozen, so it cannot answer what comes next
    const pending = c.call('keys.list', {});
    await new Promise((r) => setTimeout(r, 50));
    process.kill(pid, 'SIGKILL');
    expect(await pending).toEqual({ ok: false, error: HELPER_STOPPED });
    expect((await c.call('app.info', {})).ok).toBe(true);
    expect(c.started).toBe(2);
  });

  it('quitting ends the child and waits for it; later calls get the "closing" envelope', async () => {
    const { client: c, children } = client('real');
    expect((await c.call('app.info', {})).ok).toBe(true);
    const pid = children[0]!.pid!;
    const exit = exitOf(children[0]!);
    await c.stop();
    expect(await exit).toBe(0); // it exited by itself on 'shutdown', not by a kill
    expect(isAlive(pid)).toBe(false);
    expect(await c.call('app.info', {})).toEqual({ ok: false, error: { ...CLOSING_ERROR } });
    expect(children).toHaveLength(1); // no restart after quitting
  });

  it('the bundle never loads electron (it runs under utilityProcess and plain Node alike)', () => {
    const code = readFileSync(realHost, 'utf8');
    expect(code).not.toMatch(/require\(["']electron["']\)/);
  });

  it('the engine-host modules and window-state import electron for types only', () => {
    const files = ['host/desktop/engine-host.ts', 'host/desktop/engine-service.ts', 'host/desktop/engine-transport.ts', 'host/desktop/engine-client.ts', 'main/utility-engine.ts', 'main/window-state.ts'];
    for (const file of files) {
      const imports = readFileSync(path.join(repoRoot, 'src', file), 'utf8')
        .split('\n')
        .filter((line) => /from\s+['"]electron['"]|require\(['"]electron['"]\)/.test(line));
      expect(imports.filter((line) => !/^import type\b/.test(line.trim())), file).toEqual([]);
    }
  });
});

describe('the host serving loop with a stand-in dispatch (fake-host)', () => {
  it('a child blocked in a synchronous call does not block this process', async () => {
    const { client: c } = client('fake');
    expect((await c.call('test.pid', {})).ok).toBe(true); // warm, so the block starts at once
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const started = performance.now();
    const blocked = c.call('test.block', { ms: 1500 });
    // While the child spins, this loop keeps running timers and I/O…
    await new Promise((r) => setTimeout(r, 1000));
    const during = [...ticks];
    // …and another call queues behind the busy child rather than anything hanging here.
    const queued = c.call('test.pid', {});
    expect(await blocked).toEqual({ ok: true, value: 'unblocked' });
    expect((await queued).ok).toBe(true);
    clearInterval(timer);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
    const gaps = during.slice(1).map((t, i) => t - during[i]!);
    expect(during.length).toBeGreaterThan(40); // ~100 expected at 10 ms; well above even on a busy CI
    expect(Math.max(...gaps)).toBeLessThan(250);
  });

  it('relays each call\'s events to that call\'s listener only, before its answer, dropping unknown events', async () => {
    const { client: c } = client('fake');
    const a: unknown[] = [];
    const b: unknown[] = [];
    const [ra, rb] = await Promise.all([
      c.call('test.events', { n: 5, tag: 'a' }, (event, payload) => a.push([event, payload])),
      c.call('test.events', { n: 3, tag: 'b' }, (event, payload) => b.push([event, payload])),
    ]);
    expect(ra).toEqual({ ok: true, value: 'a' });
    expect(rb).toEqual({ ok: true, value: 'b' });
    expect(a).toEqual([0, 1, 2, 3, 4].map((i) => ['task.event', { tag: 'a', i }]));
    expect(b).toEqual([0, 1, 2].map((i) => ['task.event', { tag: 'b', i }]));
  });

  it('a hung call is failed when the child is killed; the next call works', async () => {
    const { client: c, children } = client('fake');
    const hung = [c.call('test.hang', {}), c.call('test.hang', {})];
    await new Promise((r) => setTimeout(r, 200)); // the child has them by now
    expect(c.inFlight).toBe(2);
    children[0]!.kill();
    expect(await Promise.all(hung)).toEqual([
      { ok: false, error: HELPER_STOPPED },
      { ok: false, error: HELPER_STOPPED },
    ]);
    expect(c.inFlight).toBe(0);
    expect((await c.call('test.pid', {})).ok).toBe(true);
    expect(c.started).toBe(2);
  });

  it('a child that exits by itself mid-call is reported the same way', async () => {
    const { client: c, unexpected } = client('fake');
    expect(await c.call('test.exit', {})).toEqual({ ok: false, error: HELPER_STOPPED });
    expect(unexpected).toHaveBeenCalledWith(expect.objectContaining({ code: 3, failedCalls: 1 }));
    expect((await c.call('test.pid', {})).ok).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('quitting ends the programs the host started, pty or not, before the host goes (no orphan after the app is gone)', async () => {
    // A server that accepts and never says a word: ssh-keyscan waits on it.
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { client: c } = client('fake');
      let pids: number[] = [];
      const port = (silent.address() as AddressInfo).port;
      const call = c.call('test.spawn', { port, key: lockedKey }, (_event, payload) => (pids = (payload as { pids: number[] }).pids));
      await vi.waitFor(() => expect(pids).toHaveLength(2), { timeout: 15_000 });
      const programs = () => pids.map((pid) => ({ pid, alive: isAlive(pid) }));
      expect(programs()).toEqual(pids.map((pid) => ({ pid, alive: true })));
      await c.stop();
      // Not "soon after": the host aborted its calls' work and waited for the programs to end before exiting.
      expect(programs()).toEqual(pids.map((pid) => ({ pid, alive: false })));
      // The call was answered 'cancelled' for both, or, if the answer lost the race with the exit, "closing".
      expect([JSON.stringify({ ok: true, value: ['cancelled', 'cancelled'] }), JSON.stringify({ ok: false, error: CLOSING_ERROR })]).toContain(JSON.stringify(await call));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('a child whose event loop stops is noticed by the heartbeat, ended, and its calls told; the next call works', async () => {
    const onHang = vi.fn();
    const { client: c, children, unexpected } = client('fake', {}, { heartbeatMs: 100, hangAfterMs: 600, startupMs: 30_000, onHang });
    expect((await c.call('test.pid', {})).ok).toBe(true);
    const t = performance.now();
    const blocked = c.call('test.block', { ms: 20_000 });
    expect(await blocked).toEqual({ ok: false, error: HELPER_HUNG });
    expect(performance.now() - t).toBeLessThan(10_000); // noticed long before the block ends
    expect(onHang).toHaveBeenCalledWith(expect.objectContaining({ pid: children[0]!.pid, failedCalls: 1 }));
    expect(unexpected).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(isAlive(children[0]!.pid!)).toBe(false), { timeout: 3000 });
    expect((await c.call('test.pid', {})).ok).toBe(true);
    expect(c.started).toBe(2);
  });

  it('a child still loading is given its start-up time; a busy child that still answers pings is left alone', async () => {
    const onHang = vi.fn();
    const { client: c } = client('fake', {}, { heartbeatMs: 50, hangAfterMs: 400, startupMs: 30_000, onHang });
    const events: unknown[] = [];
    // 1.5 s of work with an event loop that keeps turning: many heartbeats, none missed.
    const slow = c.call('test.events', { n: 300, tag: 'slow' }, (e) => events.push(e));
    expect(await slow).toEqual({ ok: true, value: 'slow' });
    expect(onHang).not.toHaveBeenCalled();
    expect(c.started).toBe(1);
  });

  it('a child that keeps dying is restarted at most maxRestarts times in the window, then calls say so', async () => {
    // The window is measured on a clock the test moves: a slow machine cannot let it pass early.
    let now = 0;
    const { client: c } = client('fake', {}, { maxRestarts: 2, restartWindowMs: 1500, clock: () => now });
    for (let i = 0; i < 3; i++) {
      expect(await c.call('test.exit', {})).toEqual({ ok: false, error: HELPER_STOPPED });
      now += 100;
    }
    expect(c.started).toBe(3);
    // A fourth start would be a restart loop: refused without starting anything.
    expect(await c.call('test.pid', {})).toEqual({ ok: false, error: HELPER_FAILING });
    expect(c.started).toBe(3);
    // Once the window has passed, one more try is allowed.
    now += 1500;
    expect((await c.call('test.pid', {})).ok).toBe(true);
    expect(c.started).toBe(4);
  });

  it('a child that ignores the shutdown request is killed after the grace period', async () => {
    const { client: c, children } = client('fake');
    const hung = c.call('test.block', { ms: 4000 });
    await new Promise((r) => setTimeout(r, 200));
    const exit = exitOf(children[0]!);
    const t = performance.now();
    await c.stop({ graceMs: 300, killWaitMs: 2000 });
    expect(performance.now() - t).toBeLessThan(2500);
    expect(await exit).not.toBe(0);
    expect(await hung).toEqual({ ok: false, error: { ...CLOSING_ERROR } });
  });
});

describe('transport pieces', () => {
  it('the child picks parentPort under utilityProcess and process.send under fork', () => {
    const port = { on: vi.fn(), postMessage: vi.fn() };
    const viaPort = hostEndpoint({ parentPort: port, on: vi.fn() } as ProcessLike);
    expect(viaPort.kind).toBe('utility-process');
    const got = vi.fn();
    viaPort.onMessage(got);
    port.on.mock.calls[0]![1]({ data: { type: 'shutdown' } });
    expect(got).toHaveBeenCalledWith({ type: 'shutdown' });
    viaPort.post({ type: 'result', id: 1, envelope: { ok: true, value: 1 } });
    expect(port.postMessage).toHaveBeenCalledWith({ type: 'result', id: 1, envelope: { ok: true, value: 1 } });

    const send = vi.fn(() => true);
    const on = vi.fn();
    const viaIpc = hostEndpoint({ send, on } as unknown as ProcessLike);
    expect(viaIpc.kind).toBe('node-ipc');
    viaIpc.onMessage(got);
    viaIpc.onParentGone(() => undefined);
    expect(on.mock.calls.map((c) => c[0])).toEqual(['message', 'disconnect']);

    expect(() => hostEndpoint({ on: vi.fn() } as ProcessLike)).toThrow(/must be started by the app/);
  });

  it('the utilityProcess adapter maps postMessage, message, exit and kill', () => {
    const listeners = new Map<string, (arg: unknown) => void>();
    const proc = {
      pid: 42,
      postMessage: vi.fn(),
      kill: vi.fn(() => true),
      on: (event: string, fn: (arg: unknown) => void) => void listeners.set(event, fn),
      once: (event: string, fn: (arg: unknown) => void) => void listeners.set(event, fn),
    };
    const fork = vi.fn(() => proc);
    const child = utilityEngine(fork as unknown as UtilityFork, '/app/dist/desktop/engine-host.cjs', ['--ssh-dir=/x']);
    expect(fork).toHaveBeenCalledWith('/app/dist/desktop/engine-host.cjs', ['--ssh-dir=/x'], expect.objectContaining({ serviceName: 'Mila Onboard engine' }));
    expect(child.pid).toBe(42);
    child.post({ type: 'shutdown' });
    expect(proc.postMessage).toHaveBeenCalledWith({ type: 'shutdown' });
    const seen = vi.fn();
    child.onMessage(seen);
    listeners.get('message')!({ type: 'result', id: 1, envelope: { ok: true, value: 0 } });
    expect(seen).toHaveBeenCalledTimes(1);
    const exited = vi.fn();
    child.onExit(exited);
    listeners.get('exit')!(9);
    listeners.get('exit')!(9);
    expect(exited).toHaveBeenCalledTimes(1);
    expect(exited).toHaveBeenCalledWith(9);
    child.kill();
    expect(proc.kill).toHaveBeenCalled();
  });

  it('the context crosses as --flag=value arguments, whatever argv[0..1] are', () => {
    const args = engineHostArgs({ sshDir: '/home/a b/--weird', profile: '/p/--profile=x.json', platform: 'darwin' });
    expect(parseEngineHostArgs(['/electron', '/app.asar/dist/desktop/engine-host.cjs', ...args])).toEqual({
      sshDir: '/home/a b/--weird',
      profile: '/p/--profile=x.json',
      platform: 'darwin',
    });
    expect(parseEngineHostArgs(['--ssh-dir=/s', '--platform=plan9'], 'linux')).toEqual({ sshDir: '/s', profile: 'mila', platform: 'linux' });
    expect(() => parseEngineHostArgs(['--profile=mila'])).toThrow(/--ssh-dir/);
  });

  it('messages that are not the protocol are refused on both sides', () => {
    expect(isToHost({ type: 'call', id: 1, channel: 'app.info', input: {} })).toBe(true);
    expect(isToHost({ type: 'shutdown' })).toBe(true);
    for (const bad of [null, 'call', { type: 'call', id: -1, channel: 'x' }, { type: 'call', id: 1.5, channel: 'x' }, { type: 'call', id: 1 }, { type: 'exec' }]) {
      expect(isToHost(bad)).toBe(false);
    }
    expect(isFromHost({ type: 'result', id: 3, envelope: { ok: true, value: null } })).toBe(true);
    expect(isFromHost({ type: 'event', requestId: 3, event: 'task.event', payload: {} })).toBe(true);
    for (const bad of [undefined, { type: 'result', id: 3 }, { type: 'result', id: 3, envelope: { ok: 'yes' } }, { type: 'event', event: 'x' }]) {
      expect(isFromHost(bad)).toBe(false);
    }
  });

  it('the client ignores answers for unknown ids and stale children', async () => {
    const listeners: { message?: (m: unknown) => void; exit?: (c: number | null) => void } = {};
    const fake: EngineChild = {
      kind: 'node-fork',
      pid: 1,
      post: vi.fn(),
      onMessage: (l) => void (listeners.message = l),
      onExit: (l) => void (listeners.exit = l),
      kill: vi.fn(),
      setRef: vi.fn(),
    };
    const c = new EngineClient(() => fake);
    const call = c.call('app.info', {});
    expect(fake.post).toHaveBeenCalledWith({ type: 'call', id: 1, channel: 'app.info', input: {} });
    listeners.message!({ type: 'result', id: 99, envelope: { ok: true, value: 'wrong' } });
    listeners.message!({ type: 'result', id: 1, envelope: { ok: true, value: 'right' } });
    expect(await call).toEqual({ ok: true, value: 'right' } satisfies Envelope<string>);
    expect(fake.setRef).toHaveBeenLastCalledWith(false); // idle: does not keep a Node parent alive
  });
});

/**
 * main.ts on its Electron path, without Electron: bundled as scripts/build-node.mjs does
 * and run with a stand-in `electron` module whose `utilityProcess.fork` starts the real
 * engine host with child_process.fork plus a tiny preload that gives the child Electron's
 * `process.parentPort` (on('message', e => e.data), postMessage). So the parentPort side
 * of the transport, the utilityProcess adapter, main.ts's wiring, window placement and
 * the quit sequence all run for real; only Electron's own process launching is stood in.
 */
describe('main.ts with a stand-in electron that has utilityProcess', () => {
  const PARENT_PORT_SHIM = `
    const { EventEmitter } = require('node:events');
    const port = new EventEmitter();
    const send = process.send.bind(process);
    process.on('message', (data) => port.emit('message', { data, ports: [] }));
    port.postMessage = (message) => send(message);
    process.parentPort = port;
    // As in a real utility process, there is no process.send: the host must use parentPort.
    process.send = undefined;
  `;

  async function startMain() {
    const { EventEmitter } = await import('node:events');
    const { fork } = await import('node:child_process');
    const { createRequire } = await import('node:module');
    const { writeFileSync } = await import('node:fs');
    const shim = path.join(tmp, 'parent-port-shim.cjs');
    writeFileSync(shim, PARENT_PORT_SHIM);
    const userData = mkdtempSync(path.join(os.tmpdir(), 'mila-main-userdata-'));
    writeFileSync(path.join(userData, 'window-state.json'), JSON.stringify({ version: 1, bounds: { x: 50, y: 40, width: 1000, height: 700 }, maximized: true }));

    const forks: Array<{ modulePath: string; args: string[]; options: unknown; pid: () => number | undefined; exited: Promise<number> }> = [];
    const utilityProcess = {
      fork(modulePath: string, args: string[], options: unknown) {
        const child = fork(modulePath, args, { execArgv: ['-r', shim], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        const proc = Object.assign(new EventEmitter(), {
          get pid() {
            return child.pid;
          },
          postMessage: (m: unknown) => child.send(m as object),
          kill: () => child.kill('SIGTERM'),
        });
        child.on('message', (m) => proc.emit('message', m));
        const exited = new Promise<number>((resolve) => child.once('exit', (code) => {
          proc.emit('exit', code ?? -1);
          resolve(code ?? -1);
        }));
        forks.push({ modulePath, args, options, pid: () => child.pid, exited });
        return proc;
      },
    };
    const appListeners = new Map<string, (...args: unknown[]) => void>();
    const ipcHandlers = new Map<string, (...args: unknown[]) => Promise<Envelope<unknown>>>();
    const windows: Array<{ options: Record<string, unknown>; listeners: Map<string, () => void>; maximized: number; webContents: object }> = [];
    const app = {
      isPackaged: true,
      enableSandbox: vi.fn(),
      requestSingleInstanceLock: () => true,
      setAppUserModelId: vi.fn(),
      quit: vi.fn(),
      exit: vi.fn(),
      on: (event: string, fn: (...args: unknown[]) => void) => void appListeners.set(event, fn),
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => (name === 'userData' ? userData : os.tmpdir()),
    };
    const electron = {
      app,
      utilityProcess,
      screen: {
        getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }),
        getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }],
      },
      BrowserWindow: class {
        webContents = { send: vi.fn(), isDestroyed: () => false };
        private record;
        constructor(options: Record<string, unknown>) {
          this.record = { options, listeners: new Map<string, () => void>(), maximized: 0, webContents: this.webContents };
          windows.push(this.record);
        }
        once(event: string, fn: () => void) {
          this.record.listeners.set(event, fn);
        }
        on(event: string, fn: () => void) {
          this.record.listeners.set(event, fn);
        }
        loadFile() {
          return Promise.resolve();
        }
        maximize() {
          this.record.maximized++;
        }
        show() {}
        getNormalBounds() {
          return { x: 60, y: 70, width: 1200, height: 800 };
        }
        isMaximized() {
          return false;
        }
      },
      dialog: { showErrorBox: vi.fn() },
      ipcMain: { handle: (channel: string, fn: (...args: unknown[]) => Promise<Envelope<unknown>>) => void ipcHandlers.set(channel, fn) },
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
          webRequest: { onHeadersReceived: vi.fn() },
        },
      },
      shell: { openExternal: vi.fn(async () => undefined) },
    };

    const bundled = (
      await build({ ...common, entryPoints: [path.join(repoRoot, 'src/main/main.ts')], write: false })
    ).outputFiles![0]!.text;
    // __dirname: tmp/main, beside tmp/desktop/engine-host.cjs, as dist/main is beside dist/desktop in the app.
    const mainDir = path.join(tmp, 'main');
    mkdirSync(mainDir, { recursive: true });
    const realRequire = createRequire(path.join(mainDir, 'main.cjs'));
    const fakeRequire = (id: string) => (id === 'electron' ? electron : realRequire(id));
    const module = { exports: {} };
    vi.stubEnv('MILA_ONBOARD_SSH_DIR', sshDir);
    vi.stubEnv('MILA_ONBOARD_PROFILE', '');
    try {
      new Function('require', 'module', 'exports', '__dirname', '__filename', bundled)(fakeRequire, module, module.exports, mainDir, path.join(mainDir, 'main.cjs'));
      await vi.waitFor(() => expect(windows).toHaveLength(1));
    } finally {
      vi.unstubAllEnvs();
    }
    return { appListeners, ipcHandlers, windows, forks, app, userData };
  }

  it('forwards IPC to the engine host over utilityProcess/parentPort, places the window, saves it on close, and waits for the host on quit', async () => {
    const main = await startMain();
    try {
      const win = main.windows[0]!;
      // Window placement from the saved state, maximized again once shown.
      expect(win.options).toMatchObject({ x: 50, y: 40, width: 1000, height: 700 });
      win.listeners.get('ready-to-show')!();
      expect(win.maximized).toBe(1);

      // IPC from the window goes to the utility process (started on the first call).
      expect(main.forks).toHaveLength(0);
      const appPage = `file://${path.join(tmp, 'renderer', 'index.html')}`;
      const event = { sender: win.webContents, senderFrame: { url: appPage, parent: null } };
      const info = await main.ipcHandlers.get('app.info')!(event, {});
      expect(info).toMatchObject({ ok: true, value: { front: 'desktop', sshDir, profile: { id: 'mila' } } });
      const keys = await main.ipcHandlers.get('keys.list')!(event, {});
      expect(keys.ok).toBe(true);
      expect(main.forks).toHaveLength(1);
      expect(main.forks[0]!.modulePath).toBe(realHost);
      expect(main.forks[0]!.args).toEqual(engineHostArgs({ sshDir, profile: 'mila', platform: process.platform }));
      expect(main.forks[0]!.options).toMatchObject({ serviceName: 'Mila Onboard engine' });

      // Closing the window saves its normal bounds.
      win.listeners.get('close')!();
      expect(JSON.parse(readFileSync(path.join(main.userData, 'window-state.json'), 'utf8'))).toEqual({
        version: 1,
        bounds: { x: 60, y: 70, width: 1200, height: 800 },
        maximized: false,
      });

      // Quitting: the first will-quit is held until the engine host has exited, then quits again.
      const preventDefault = vi.fn();
      main.appListeners.get('will-quit')!({ preventDefault });
      expect(preventDefault).toHaveBeenCalledTimes(1);
      expect(await main.forks[0]!.exited).toBe(0);
      await vi.waitFor(() => expect(main.app.quit).toHaveBeenCalledTimes(1));
      const second = vi.fn();
      main.appListeners.get('will-quit')!({ preventDefault: second });
      expect(second).not.toHaveBeenCalled();
    } finally {
      rmSync(main.userData, { recursive: true, force: true });
    }
  });
});
