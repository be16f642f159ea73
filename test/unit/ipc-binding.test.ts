import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { dispatch } from '../../src/host/dispatch.js';
import type { RelayScope } from '../../src/host/handlers/scope.js';
import {
  UNKNOWN_SENDER_ERROR,
  guardedInvoke,
  registerIpcHandlers,
  senderIsApp,
  type DispatchFn,
  type InvokeEventLike,
  type IpcDeps,
} from '../../src/main/ipc.js';
import { channelNames, type Envelope } from '../../src/shared/contract/index.js';

const appRoot = path.resolve(os.tmpdir(), 'mila-onboard-app', 'dist', 'renderer');
const appUrl = pathToFileURL(path.join(appRoot, 'index.html')).href;
const ctx = createContext({ sshDir: path.join(os.tmpdir(), 'mila-onboard-ipc-test-ssh-missing'), profile: builtInProfile('mila') });

type Listener = (event: InvokeEventLike, input?: unknown) => Promise<Envelope<unknown>>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const registered: string[] = [];
  return {
    handlers,
    registered,
    handle(channel: string, listener: Listener) {
      registered.push(channel);
      handlers.set(channel, listener);
    },
  };
}

function fakeEvent(url: string | null, opts: { parent?: unknown; destroyed?: boolean } = {}) {
  const send = vi.fn();
  const event: InvokeEventLike = {
    sender: { send, isDestroyed: () => opts.destroyed ?? false },
    senderFrame: url === null ? null : { url, parent: opts.parent ?? null },
  };
  return { event, send };
}

function deps(overrides: Partial<IpcDeps> = {}) {
  const dispatchSpy = vi.fn<DispatchFn>(async () => ({ ok: true, value: 'dispatched' }));
  const context = vi.fn(() => ctx);
  const all: IpcDeps = { isTrusted: senderIsApp(appRoot), dispatch: dispatchSpy, context, ...overrides };
  return { deps: all, dispatchSpy, context };
}

describe('registerIpcHandlers', () => {
  it('registers every contract channel exactly once, and nothing else', () => {
    const ipc = fakeIpcMain();
    const bound = registerIpcHandlers(ipc, deps().deps);
    expect([...ipc.registered].sort()).toEqual([...channelNames].sort());
    expect(new Set(ipc.registered).size).toBe(ipc.registered.length);
    expect([...bound].sort()).toEqual([...channelNames].sort());
  });

  it('routes each channel to dispatch under its own name', async () => {
    const ipc = fakeIpcMain();
    const { deps: d, dispatchSpy } = deps();
    registerIpcHandlers(ipc, d);
    for (const channel of channelNames) {
      await ipc.handlers.get(channel)!(fakeEvent(appUrl).event, { probe: channel });
      expect(dispatchSpy).toHaveBeenLastCalledWith(channel, { probe: channel }, expect.anything());
    }
    expect(dispatchSpy).toHaveBeenCalledTimes(channelNames.length);
  });
});

describe('the sender check', () => {
  it.each<[string, string | null, { parent?: unknown }]>([
    ['a remote page', 'https://evil.example.com/', {}],
    ['a loopback page', 'http://127.0.0.1:5173/index.html', {}],
    ['a file outside the app', 'file:///tmp/evil.html', {}],
    ['about:blank', 'about:blank', {}],
    ['a destroyed or navigated frame (senderFrame null)', null, {}],
    ['a subframe showing an app page', appUrl, { parent: { url: appUrl } }],
  ])('refuses %s without calling dispatch', async (_name, url, opts) => {
    const ipc = fakeIpcMain();
    const { deps: d, dispatchSpy, context } = deps();
    registerIpcHandlers(ipc, d);
    for (const channel of channelNames) {
      const answer = await ipc.handlers.get(channel)!(fakeEvent(url, opts).event, {});
      expect(answer).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown sender.', nothingChanged: true } });
    }
    expect(dispatchSpy).not.toHaveBeenCalled();
    expect(context).not.toHaveBeenCalled();
  });

  it('refuses when the trust check throws (Electron throws on reading a destroyed frame)', async () => {
    const { deps: d, dispatchSpy } = deps({
      isTrusted: () => {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    });
    const answer = await guardedInvoke('app.info', d)(fakeEvent(appUrl).event, {});
    expect(answer).toBe(UNKNOWN_SENDER_ERROR);
    expect(dispatchSpy).not.toHaveBeenCalled();
  });

  it('refuses when the injected check says no, whatever the URL', async () => {
    const { deps: d, dispatchSpy } = deps({ isTrusted: () => false });
    expect(await guardedInvoke('app.info', d)(fakeEvent(appUrl).event, {})).toEqual(UNKNOWN_SENDER_ERROR);
    expect(dispatchSpy).not.toHaveBeenCalled();
  });

  it('lets the app window through to dispatch with a desktop scope', async () => {
    const { deps: d, dispatchSpy } = deps();
    const { event } = fakeEvent(appUrl);
    const answer = await guardedInvoke('keys.list', d)(event, { some: 'input' });
    expect(answer).toEqual({ ok: true, value: 'dispatched' });
    expect(dispatchSpy).toHaveBeenCalledTimes(1);
    const [channel, input, scope] = dispatchSpy.mock.calls[0]!;
    expect(channel).toBe('keys.list');
    expect(input).toEqual({ some: 'input' });
    expect(scope.front).toBe('desktop');
    expect(scope.ctx).toBe(ctx);
  });

  it('accepts the app page with a hash route', () => {
    expect(senderIsApp(appRoot)(fakeEvent(`${appUrl}#/keys`).event)).toBe(true);
  });
});

describe('events', () => {
  it('go back to the webContents that made the request', async () => {
    // Main relays what the engine host emits: its scope takes any payload (the page checks it).
    let captured: RelayScope | undefined;
    const { deps: d } = deps({
      dispatch: async (_c, _i, scope) => {
        captured = scope;
        scope.emit('task.event', { step: 1 });
        return { ok: true, value: null };
      },
    });
    const { event, send } = fakeEvent(appUrl);
    await guardedInvoke('app.info', d)(event, {});
    expect(send).toHaveBeenCalledWith('task.event', { step: 1 });
    captured!.emit('task.event', { step: 2 });
    expect(send).toHaveBeenLastCalledWith('task.event', { step: 2 });
  });

  it('are dropped once that webContents is destroyed', async () => {
    const { deps: d } = deps({
      dispatch: async (_c, _i, scope) => {
        scope.emit('task.event', 'late');
        return { ok: true, value: null };
      },
    });
    const { event, send } = fakeEvent(appUrl, { destroyed: true });
    await guardedInvoke('app.info', d)(event, {});
    expect(send).not.toHaveBeenCalled();
  });
});

describe('failures', () => {
  it('turn a dispatch that throws into an internal-error envelope', async () => {
    const { deps: d } = deps({
      dispatch: async () => {
        throw new Error('boom');
      },
    });
    const answer = await guardedInvoke('app.info', d)(fakeEvent(appUrl).event, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('with the real dispatch', () => {
  function realIpc() {
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc, { isTrusted: senderIsApp(appRoot), dispatch, context: () => ctx });
    return ipc;
  }

  it('answers app.info for the app window, as the desktop front', async () => {
    const answer = await realIpc().handlers.get('app.info')!(fakeEvent(appUrl).event, {});
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.value).toMatchObject({ front: 'desktop', sshDir: ctx.sshDir, profile: { id: 'mila' } });
  });

  it('answers app.info with an envelope error for any other sender', async () => {
    const answer = await realIpc().handlers.get('app.info')!(fakeEvent('https://evil.example.com/').event, {});
    expect(answer).toEqual(UNKNOWN_SENDER_ERROR);
  });

  it('validates input at the boundary', async () => {
    const answer = await realIpc().handlers.get('app.info')!(fakeEvent(appUrl).event, { unexpected: true });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input', nothingChanged: true } });
  });
});
