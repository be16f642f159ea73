/**
 * How the page reads what a host streams: an event's payload crossed the preload bridge or the
 * web socket, so it is checked against the contract before a listener sees it (checkedListener,
 * which the page's onEvent in renderer/api/events.ts puts on the bridge), and what the web
 * host's socket says is read by shape (shared/web-messages.ts), not cast.
 */
import { describe, expect, it, vi } from 'vitest';
import { buildBridge, type Bridge } from '../../src/shared/api.js';
import { checkedListener } from '../../src/shared/contract/events.js';
import type { EventName } from '../../src/shared/contract/names.js';
import { readHostMessage } from '../../src/shared/web-messages.js';

/** A bridge as the preload builds it, over a transport this test drives. */
function fakeFront() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const bridge: Bridge = buildBridge({
    invoke: async () => ({ ok: true, value: null }),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
  const emit = (event: EventName, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { bridge, emit, listeners };
}

describe('events on the bridge, through checkedListener', () => {
  it('reach a listener only when they match the contract, typed', () => {
    const front = fakeFront();
    const seen: string[] = [];
    const refused = vi.fn();
    const off = front.bridge.on(
      'task.event',
      checkedListener(
        'task.event',
        (e) => {
          // Typed: no cast, and `phase` exists only on progress events.
          if (e.type === 'progress') seen.push(`${e.taskId}:${e.phase}`);
          else seen.push(`${e.taskId}:${e.type}`);
        },
        refused,
      ),
    );
    front.emit('task.event', { taskId: 'a', type: 'progress', phase: 'generating' });
    front.emit('task.event', { taskId: 'a', type: 'progress', phase: 'flying' });
    front.emit('task.event', { step: 1 });
    front.emit('task.event', { taskId: 'a', type: 'prompt-closed', promptId: 'p', reason: 'answered' });
    expect(seen).toEqual(['a:generating', 'a:prompt-closed']);
    expect(refused).toHaveBeenCalledTimes(2);
    off();
    front.emit('task.event', { taskId: 'a', type: 'progress', phase: 'done' });
    expect(seen).toHaveLength(2);
    expect(front.listeners.get('task.event')?.size).toBe(0);
  });

  it("tell of a refused payload by its event's name only (a prompt's text is the user's)", () => {
    const front = fakeFront();
    const refused = vi.fn();
    front.bridge.on('task.event', checkedListener('task.event', () => undefined, refused));
    front.emit('task.event', { taskId: 't', type: 'prompt', promptId: 'p', kind: 'otp', text: 'SECRET-LOOKING TEXT', secret: 'yes', retry: false });
    expect(refused.mock.calls).toEqual([['task.event']]);
  });
});

describe('readHostMessage (the web socket, read by the page)', () => {
  it('reads each message the web host sends', () => {
    expect(readHostMessage('{"session":"abc"}')).toEqual({ session: 'abc' });
    expect(readHostMessage('{"id":3,"envelope":{"ok":true,"value":{"a":1}}}')).toEqual({ id: 3, envelope: { ok: true, value: { a: 1 } } });
    expect(readHostMessage('{"id":4,"envelope":{"ok":false,"error":{"code":"cancelled","message":"Cancelled.","nothingChanged":true}}}')).toMatchObject({ id: 4, envelope: { ok: false } });
    expect(readHostMessage('{"event":"task.event","payload":{"x":1}}')).toEqual({ event: 'task.event', payload: { x: 1 } });
    expect(readHostMessage('{"interrupted":[{"channel":"keys.create","outcome":"stopped"},{"channel":"x","outcome":"exploded"},7]}')).toEqual({
      interrupted: [{ channel: 'keys.create', outcome: 'stopped' }],
    });
  });

  it('reads anything else as nothing', () => {
    for (const bad of ['not json', '[]', 'null', '"x"', '{}', '{"id":"3","envelope":{"ok":true,"value":1}}', '{"id":3,"envelope":{"ok":"yes"}}', '{"id":3,"envelope":{"ok":false}}', '{"event":"ipc-internal","payload":1}']) {
      expect(readHostMessage(bad), bad).toBeNull();
    }
  });
});
