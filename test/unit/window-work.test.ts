import { describe, expect, it, vi } from 'vitest';
import { TaskRegistry } from '../../src/host/tasks.js';
import { INTERRUPTED_EVENT, WindowWork, type PageLike } from '../../src/main/window-work.js';
import { exposeApi, type IpcRendererLike } from '../../src/preload/expose.js';
import { listenForInterruptions, takeInterrupted } from '../../src/renderer/api/interrupted.js';
import type { Bridge } from '../../src/shared/api.js';
import type { Envelope } from '../../src/shared/contract/index.js';
import { runTask } from '../fixtures/tasks.js';

/**
 * Electron's window: a reload cancels the page's tasks, and the next page is told what became
 * of them, as the web front does. Everything here is real but Electron itself: the main
 * process's WindowWork, the preload's bridge (exposeApi) and the renderer's store of
 * interruptions, joined by a fake webContents whose `send` reaches the fake ipcRenderer's
 * listeners, as Electron's IPC does.
 */
const tick = () => new Promise((r) => setTimeout(r, 0));

/** One renderer process: the preload's bridge over a fake ipcRenderer, and the webContents main sends to. */
function page(): { contents: PageLike & { destroyed: boolean; sent: Array<[string, unknown]> }; bridge: Bridge } {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipcRenderer: IpcRendererLike = {
    invoke: async () => ({ ok: true, value: {} }),
    on: (channel, listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener),
    removeListener: (channel, listener) => void listeners.get(channel)?.delete(listener),
  };
  let bridge: Bridge | undefined;
  exposeApi({ exposeInMainWorld: (_key, api) => void (bridge = api as Bridge) }, ipcRenderer);
  const contents = {
    destroyed: false,
    sent: [] as Array<[string, unknown]>,
    isDestroyed() {
      return this.destroyed;
    },
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
      for (const l of listeners.get(channel) ?? []) l({ sender: 'ipc' }, payload);
    },
  };
  return { contents, bridge: bridge! };
}

describe('a desktop window whose page is reloaded', () => {
  it('has its tasks cancelled, and the reloaded page is told once it has loaded, through the preload bridge', async () => {
    const registry = new TaskRegistry();
    const work = new WindowWork((id) => registry.cancel(id));
    const first = page();
    work.pageLoaded(first.contents);
    void work.follow('keys.create', { taskId: 't1', type: 'rsa' }, runTask(registry, 't1'));
    void work.follow('keys.list', {}, Promise.resolve({ ok: true, value: {} }));
    expect(registry.isRunning('t1')).toBe(true);

    work.pageGone(); // did-start-navigation: the reload
    expect(registry.isRunning('t1')).toBe(false);
    await tick();
    // The old page is going and the new one has not loaded: nobody is told yet.
    expect(first.contents.sent).toEqual([]);

    const second = page();
    const unlisten = listenForInterruptions(second.bridge); // the new page's first module (renderer/api/client.ts)
    work.pageLoaded(second.contents); // did-finish-load
    expect(second.contents.sent).toEqual([[INTERRUPTED_EVENT, { interrupted: [{ channel: 'keys.create', outcome: 'stopped' }] }]]);
    // The step that starts that work shows it, once.
    expect(takeInterrupted(['keys.create'])).toEqual({ channel: 'keys.create', outcome: 'stopped' });
    expect(takeInterrupted(['keys.create'])).toBeNull();
    unlisten();

    // A further load of the same page says nothing again.
    work.pageLoaded(second.contents);
    expect(second.contents.sent).toHaveLength(1);
  });

  it('tells a page already loaded as soon as the work ends ("finished": it completed before it could be stopped)', async () => {
    let finish!: () => void;
    const done = new Promise<Envelope<unknown>>((r) => (finish = () => r({ ok: true, value: { hostname: 'login-1' } })));
    const cancel = vi.fn();
    const work = new WindowWork(cancel);
    void work.follow('connect.start', { taskId: 'c1' }, done);
    work.pageGone();
    expect(cancel).toHaveBeenCalledWith('c1');
    const next = page();
    const unlisten = listenForInterruptions(next.bridge);
    work.pageLoaded(next.contents);
    expect(next.contents.sent).toEqual([]);
    finish();
    await tick();
    expect(next.contents.sent).toEqual([[INTERRUPTED_EVENT, { interrupted: [{ channel: 'connect.start', outcome: 'finished' }] }]]);
    expect(takeInterrupted(['connect.start'])).toEqual({ channel: 'connect.start', outcome: 'finished' });
    unlisten();
  });

  it('keeps the news for the next page when the window is destroyed meanwhile, and never grows without bound', async () => {
    const work = new WindowWork(() => undefined);
    const gone = page();
    work.pageLoaded(gone.contents);
    for (let i = 0; i < 20; i++) void work.follow('keys.create', { taskId: `k${i}` }, Promise.resolve({ ok: false, error: { code: 'internal', message: 'x', nothingChanged: false } }));
    gone.contents.destroyed = true;
    work.pageGone();
    await tick();
    expect(gone.contents.sent).toEqual([]);
    const next = page();
    work.pageLoaded(next.contents);
    expect(next.contents.sent).toHaveLength(1);
    const told = (next.contents.sent[0]![1] as { interrupted: unknown[] }).interrupted;
    expect(told).toHaveLength(8);
    expect(told[0]).toEqual({ channel: 'keys.create', outcome: 'failed' });
    expect(work.running).toBe(0);
  });

  it('the preload lets the page listen for it, and nothing else new', () => {
    const { bridge } = page();
    expect(() => bridge.on('page.interrupted', () => undefined)).not.toThrow();
    expect(() => bridge.on('page.other' as 'page.interrupted', () => undefined)).toThrow(/Unknown event/);
  });
});
