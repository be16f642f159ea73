import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { API_GLOBAL, exposeApi, type ContextBridgeLike, type IpcRendererLike } from '../../src/preload/expose.js';
import { NOT_AN_ENVELOPE } from '../../src/shared/api.js';
import { channelNames } from '../../src/shared/contract/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type IpcListener = (event: unknown, ...args: unknown[]) => void;

function fakes() {
  const exposed: Array<[string, unknown]> = [];
  const contextBridge: ContextBridgeLike = { exposeInMainWorld: (key, api) => void exposed.push([key, api]) };
  const listeners = new Map<string, Set<IpcListener>>();
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
    on: vi.fn((channel: string, listener: IpcListener): void => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: IpcListener): void => {
      listeners.get(channel)?.delete(listener);
    }),
  } satisfies IpcRendererLike;
  const emit = (channel: string, payload: unknown) => {
    const ipcEvent = { sender: ipcRenderer, senderId: 0 };
    for (const l of listeners.get(channel) ?? []) l(ipcEvent, payload);
  };
  return { contextBridge, ipcRenderer, exposed, listeners, emit };
}

function exposeWithFakes() {
  const f = fakes();
  exposeApi(f.contextBridge, f.ipcRenderer);
  expect(f.exposed).toHaveLength(1);
  const [key, api] = f.exposed[0]!;
  return { ...f, key, api: api as Record<string, (...args: unknown[]) => unknown> };
}

describe('exposeApi', () => {
  it('exposes exactly one global, window.milaOnboard', () => {
    const { key } = exposeWithFakes();
    expect(key).toBe('milaOnboard');
    expect(API_GLOBAL).toBe('milaOnboard');
  });

  it("exposes exactly the contract's channels plus `on`, all functions", () => {
    const { api } = exposeWithFakes();
    expect(Object.keys(api).sort()).toEqual([...channelNames, 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('is frozen, so the page cannot add or swap functions', () => {
    const { api } = exposeWithFakes();
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('exposes nothing of ipcRenderer', () => {
    const { api, ipcRenderer } = exposeWithFakes();
    for (const value of Object.values(api)) expect(value).not.toBe(ipcRenderer);
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it.each(channelNames)('%s invokes its own channel and returns the envelope', async (channel) => {
    const { api, ipcRenderer } = exposeWithFakes();
    const answer = await api[channel]!({ a: 1 });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(channel, { a: 1 });
    expect(answer).toEqual({ ok: true, value: { channel, input: { a: 1 } } });
  });

  it("answers an error envelope, not main's odd value, when main's answer is not an envelope", async () => {
    const { api, ipcRenderer } = exposeWithFakes();
    for (const odd of [undefined, 'text', { ok: 'yes' }, { ok: false, error: { code: 'internal' } }]) {
      ipcRenderer.invoke.mockResolvedValueOnce(odd as never);
      expect(await api['app.info']!({})).toEqual(NOT_AN_ENVELOPE);
    }
    expect(NOT_AN_ENVELOPE).toMatchObject({ ok: false, error: { code: 'internal', nothingChanged: false } });
  });

  it('sends {} when called without input', async () => {
    const { api, ipcRenderer } = exposeWithFakes();
    await api['app.info']!();
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('app.info', {});
  });
});

describe('on', () => {
  it('delivers only the payload, never the IPC event', () => {
    const { api, emit } = exposeWithFakes();
    const listener = vi.fn();
    api.on!('task.event', listener);
    emit('task.event', { progress: 0.5 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ progress: 0.5 }]);
  });

  it('returns an unsubscribe that removes exactly its listener, once', () => {
    const { api, emit, ipcRenderer, listeners } = exposeWithFakes();
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.on!('task.event', a) as () => void;
    api.on!('task.event', b);
    offA();
    offA();
    expect(ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.get('task.event')?.size).toBe(1);
    emit('task.event', 'x');
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith('x');
  });

  it('refuses events that are not in the contract', () => {
    const { api, ipcRenderer } = exposeWithFakes();
    expect(() => api.on!('ipc-internal-channel', () => {})).toThrow(/Unknown event/);
    expect(ipcRenderer.on).not.toHaveBeenCalled();
  });

  it('refuses a listener that is not a function', () => {
    const { api } = exposeWithFakes();
    expect(() => api.on!('task.event', 'not a function')).toThrow();
  });
});

describe('preload.ts', () => {
  it('is only the wiring: electron plus ./expose.js', () => {
    const source = readFileSync(path.join(root, 'src/preload/preload.ts'), 'utf8');
    const imports = [...source.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['./expose.js', 'electron']);
    expect(source).toMatch(/exposeApi\(contextBridge, ipcRenderer\)/);
  });

  it('bundles into one CommonJS file that requires nothing but electron (sandboxed preloads cannot)', async () => {
    const result = await build({
      entryPoints: [path.join(root, 'src/preload/preload.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const text = result.outputFiles[0]!.text;
    const required = new Set([...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    expect(text).not.toMatch(/\brequire\(\s*[^"'`\s]/); // no computed require either
    // zod comes along with the contract; keep an eye on the size (unminified).
    expect(text.length).toBeLessThan(1_500_000);
  });
});
