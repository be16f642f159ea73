import { describe, expect, it } from 'vitest';
import { TaskRegistry } from '../../src/host/tasks.js';

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
