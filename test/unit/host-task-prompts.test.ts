import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AskPrompt } from '../../src/engine/connect/session.js';
import { askThroughEvents } from '../../src/host/handlers/connect.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { TaskRegistry, tasks } from '../../src/host/tasks.js';
import { readEvent } from '../../src/shared/contract/events.js';

const info = { kind: 'otp', text: '(u@h) One-time password: ', secret: true };

describe('TaskRegistry prompts', () => {
  it('announces a prompt id, delivers the answer once, and reports it closed', async () => {
    const r = new TaskRegistry();
    const closed: string[] = [];
    await r.run('t1', async () => {
      let id = '';
      const p = r.waitForAnswer('t1', info, (pid) => (id = pid), (pid, why) => closed.push(`${pid === id}:${why}`));
      expect(r.pendingPrompts('t1')).toEqual([{ promptId: id, ...info }]);
      expect(r.answer('t1', 'nope', 'x')).toBe(false);
      expect(r.answer('other', id, 'x')).toBe(false);
      expect(() => r.answer('t1', id, 'a\nb')).toThrow(/control characters/);
      expect(() => r.answer('t1', id, 'x'.repeat(1025))).toThrow(/1024/);
      expect(r.answer('t1', id, '')).toBe(true); // empty: push approval
      expect(r.answer('t1', id, 'again')).toBe(false);
      expect(await p).toBe('');
    });
    expect(closed).toEqual(['true:answered']);
  });

  it('cancel rejects a waiting prompt; so does the end of the task', async () => {
    const r = new TaskRegistry();
    const closed: string[] = [];
    const signal = r.start('t2');
    const p = r.waitForAnswer('t2', info, () => undefined, (_id, why) => closed.push(why));
    expect(r.cancel('t2')).toBe(true);
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(signal.aborted).toBe(true);
    expect(r.pendingPrompts('t2')).toEqual([]);

    const q = r.run('t3', async () => {
      void r.waitForAnswer('t3', info, () => undefined, (_id, why) => closed.push(why)).catch(() => undefined);
      return 'done';
    });
    expect(await q).toBe('done');
    expect(closed).toEqual(['cancelled', 'ended']);
    await expect(r.waitForAnswer('t3', info, () => undefined)).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe("TaskRegistry and the call's signal", () => {
  it("a task follows the signal of the call that started it: its abort cancels the task and rejects what it waits for", async () => {
    const r = new TaskRegistry();
    const call = new AbortController();
    const closed: string[] = [];
    let taskSignal: AbortSignal | undefined;
    const task = r.run(
      't4',
      (signal) => {
        taskSignal = signal;
        return r.waitForAnswer('t4', info, () => undefined, (_id, why) => closed.push(why));
      },
      call.signal,
    );
    expect(taskSignal!.aborted).toBe(false);
    call.abort();
    await expect(task).rejects.toMatchObject({ code: 'cancelled' });
    expect(taskSignal!.aborted).toBe(true);
    expect(closed).toEqual(['cancelled']);
    expect(r.isRunning('t4')).toBe(false);
  });

  it('a call already aborted starts its task cancelled', async () => {
    const r = new TaskRegistry();
    const call = new AbortController();
    call.abort();
    expect(await r.run('t5', async (signal) => signal.aborted, call.signal)).toBe(true);
  });

  it('a finished task stops following the signal: a later abort leaves a new task of the same id alone', async () => {
    const r = new TaskRegistry();
    const call = new AbortController();
    expect(await r.run('t6', async () => 'first', call.signal)).toBe('first');
    const again = r.start('t6');
    call.abort();
    expect(again.aborted).toBe(false);
    expect(r.isRunning('t6')).toBe(true);
  });
});

describe('prompt events as the page receives them', () => {
  /** The events askThroughEvents emits for one prompt, read back as the page reads them (readEvent). */
  async function eventsFor(prompt: AskPrompt): Promise<unknown[]> {
    const emitted: unknown[] = [];
    const scope: HandlerScope = { ctx: {} as HandlerScope['ctx'], front: 'web', emit: (_event, payload) => void emitted.push(payload) };
    const taskId = randomUUID();
    await tasks
      .run(taskId, async () => {
        const answer = askThroughEvents(scope, taskId)(prompt);
        tasks.cancel(taskId);
        await answer;
      })
      .catch(() => undefined);
    return emitted;
  }

  it('keep a server-sent Duo menu within the contract, so the page does not refuse the prompt', async () => {
    const options: NonNullable<AskPrompt['options']> = Array.from({ length: 12 }, (_, i) => ({ key: String(i + 1), label: `Duo Push to phone ${i + 1} ${'x'.repeat(300)}`, action: 'push' }));
    options.splice(2, 0, { key: '12345', label: 'An option whose number is too long to be one', action: 'other' });
    const [prompt] = await eventsFor({ kind: 'duo-menu', text: 'Passcode or option (1-12): ', secret: false, retry: false, options });
    const read = readEvent('task.event', prompt);
    expect(read).not.toBeNull();
    expect(read).toMatchObject({ type: 'prompt', kind: 'duo-menu' });
    const shown = read!.type === 'prompt' ? read!.options! : [];
    expect(shown.map((o) => o.key)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(shown.every((o) => o.label.length === 200 && o.label.startsWith('Duo Push to phone'))).toBe(true);
  });

  it('say "prompt", then "prompt-closed" when the task is cancelled, both valid events', async () => {
    const events = await eventsFor({ kind: 'otp', text: 'One-time password: ', secret: true, retry: false });
    expect(events.map((e) => readEvent('task.event', e))).toEqual([
      expect.objectContaining({ type: 'prompt', kind: 'otp', secret: true }),
      expect.objectContaining({ type: 'prompt-closed', reason: 'cancelled' }),
    ]);
  });

  it('are refused by the page when they are not the contract (readEvent)', () => {
    expect(readEvent('task.event', { step: 1 })).toBeNull();
    expect(readEvent('task.event', { taskId: 't', type: 'progress', phase: 'flying' })).toBeNull();
    expect(readEvent('task.event', { taskId: 't', type: 'prompt', promptId: 'p', kind: 'otp', text: 'x', secret: true, retry: false, options: Array(10).fill({ key: '1', label: 'a', action: 'push' }) })).toBeNull();
    expect(readEvent('task.event', { taskId: 't', type: 'progress', phase: 'done' })).toEqual({ taskId: 't', type: 'progress', phase: 'done' });
  });
});
