import { describe, expect, it } from 'vitest';
import { PageWork, startedTaskId } from '../../src/host/page-work.js';
import { TaskRegistry } from '../../src/host/tasks.js';
import { PageTasks, type InterruptedTask } from '../../src/host/web/page-tasks.js';
import type { Envelope } from '../../src/shared/contract/index.js';
import { runTask } from '../fixtures/tasks.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('which calls start a task a page owns', () => {
  it('is a call with a taskId, except answering or cancelling one', () => {
    expect(startedTaskId('keys.create', { taskId: 'a', type: 'ed25519' })).toBe('a');
    expect(startedTaskId('connect.start', { taskId: 'b' })).toBe('b');
    expect(startedTaskId('task.answer', { taskId: 'a', promptId: 'p', answer: 'x' })).toBeNull();
    expect(startedTaskId('task.cancel', { taskId: 'a' })).toBeNull();
    expect(startedTaskId('keys.list', {})).toBeNull();
    expect(startedTaskId('keys.create', null)).toBeNull();
    expect(startedTaskId('keys.create', { taskId: 5 })).toBeNull();
  });

  it('follows a task until it answers, and hands over the running ones once', async () => {
    const work = new PageWork<string>();
    let finish!: (v: string) => void;
    const slow = new Promise<string>((r) => (finish = r));
    await work.follow('keys.create', { taskId: 'done' }, Promise.resolve('ok'));
    void work.follow('connect.start', { taskId: 'slow' }, slow);
    void work.follow('keys.list', {}, Promise.resolve('x'));
    await tick();
    expect(work.takeAll().map((t) => [t.taskId, t.channel])).toEqual([['slow', 'connect.start']]);
    expect(work.takeAll()).toEqual([]);
    finish('late');
    await tick();
    expect(work.size).toBe(0);
  });
});

describe('a web page that goes away', () => {
  it('has its tasks cancelled, and the next socket of its session is told what became of them, once', async () => {
    const registry = new TaskRegistry();
    const pages = new PageTasks(registry);
    const sentA: unknown[] = [];
    const a = pages.attach('session-1', (m) => sentA.push(m));
    void a.follow('keys.create', { taskId: 't1' }, runTask(registry, 't1'));
    expect(registry.isRunning('t1')).toBe(true);

    a.closed(); // the reload
    expect(registry.isRunning('t1')).toBe(false);
    await tick();

    // Another session hears nothing of it.
    const other: unknown[] = [];
    pages.attach('session-2', (m) => other.push(m));
    expect(other).toEqual([]);

    const sentB: unknown[] = [];
    const b = pages.attach('session-1', (m) => sentB.push(m));
    expect(sentB).toEqual([{ interrupted: [{ channel: 'keys.create', outcome: 'stopped' } satisfies InterruptedTask] }]);
    b.closed();
    const sentC: unknown[] = [];
    pages.attach('session-1', (m) => sentC.push(m));
    expect(sentC).toEqual([]);
  });

  it('says "finished" when the work completed before it could be stopped, and tells an open page at once', async () => {
    const registry = new TaskRegistry();
    const pages = new PageTasks(registry);
    let finish!: () => void;
    const done = new Promise<Envelope<unknown>>((r) => (finish = () => r({ ok: true, value: { file: 'id_ed25519' } })));
    const a = pages.attach('s', () => undefined);
    void a.follow('keys.create', { taskId: 't2' }, done);
    a.closed();
    const sentB: unknown[] = [];
    pages.attach('s', (m) => sentB.push(m)); // the page came back before the work ended
    finish();
    await tick();
    expect(sentB).toEqual([{ interrupted: [{ channel: 'keys.create', outcome: 'finished' }] }]);
  });

  it('leaves the tasks of its other tabs alone', async () => {
    const registry = new TaskRegistry();
    const pages = new PageTasks(registry);
    const tab1 = pages.attach('s', () => undefined);
    const tab2 = pages.attach('s', () => undefined);
    void tab1.follow('connect.start', { taskId: 'one' }, runTask(registry, 'one'));
    void tab2.follow('connect.start', { taskId: 'two' }, runTask(registry, 'two'));
    tab1.closed();
    expect(registry.isRunning('one')).toBe(false);
    expect(registry.isRunning('two')).toBe(true);
    tab2.closed();
    await tick();
  });
});
