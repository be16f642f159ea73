/**
 * The first login against a Duo-shaped login node (the Alliance's second factor): a PAM
 * module of our own (test/fixtures/pam/duo_shape.c) sends Duo's info lines and
 * `Passcode or option (1-1): `. The engine recognises the menu as a menu with its options,
 * the contract carries them, and the answer is typed in the pty: "1" (push) waits for the
 * approval, a passcode is accepted at once, a wrong one is flagged as a retry; a cancel
 * during the push wait stops ssh.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect/connect.js';
import type { AskPrompt } from '../../src/engine/connect/session.js';
import { connectHandlers } from '../../src/host/handlers/connect.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { connectChannels } from '../../src/shared/contract/connect.js';
import { TaskEventSchema, type TaskEvent } from '../../src/shared/contract/keys.js';
import { startCluster, waitForLog, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { removeDir } from '../fixtures/ssh-client.js';

const PASSCODE = '246810';
const PUSH_DELAY_MS = 2500;
let cluster: LoginOnlyCluster;
let f: PreparedFolder;

beforeAll(async () => {
  cluster = await startCluster({ duo: { passcode: PASSCODE, pushDelayMs: PUSH_DELAY_MS }, computeNode: false });
  f = await prepareFolder(cluster);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  await removeDir(f?.dir);
});

const PUSH = { key: '1', label: 'Duo Push to My phone (iOS)', action: 'push' };

describe('Duo menu', () => {
  it('push: recognised as a menu with its option, "1" typed, the login waits for the approval, then succeeds', async () => {
    const asked: AskPrompt[] = [];
    let answeredAt = 0;
    let runningAt = 0;
    const r = await connect(f.ctx, {
      ask: async (p) => {
        asked.push(p);
        answeredAt = Date.now();
        return '1';
      },
      onProgress: (p) => {
        if (p === 'running') runningAt = Date.now();
      },
    });
    expect(r).toMatchObject({ ok: true });
    expect(asked).toHaveLength(1);
    const p = asked[0]!;
    expect([p.kind, p.secret, p.retry, p.options]).toEqual(['duo-menu', true, false, [PUSH]]);
    expect(p.text).toMatch(new RegExp(`^\\(${cluster.user}@127\\.0\\.0\\.1\\) Duo two-factor login for ${cluster.user}\\n`));
    expect(p.text).toContain('Enter a passcode or select one of the following options:');
    expect(p.text.endsWith('Passcode or option (1-1): ')).toBe(true);
    // The server held the login until the "phone" approved.
    expect(runningAt - answeredAt).toBeGreaterThanOrEqual(PUSH_DELAY_MS - 100);
    expect(await waitForLog(cluster.login, `Accepted keyboard-interactive/pam for ${cluster.user}`)).toContain('Accepted keyboard-interactive/pam');
  }, 60_000);

  it('passcode: accepted at once', async () => {
    const started = Date.now();
    const r = await connect(f.ctx, { ask: async () => PASSCODE });
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(PUSH_DELAY_MS + 20_000);
  }, 60_000);

  it('a wrong passcode: the menu comes back flagged as a retry; the right one then works', async () => {
    const asked: AskPrompt[] = [];
    const r = await connect(f.ctx, {
      ask: async (p) => {
        asked.push(p);
        return asked.length === 1 ? '000000' : PASSCODE;
      },
    });
    expect(r.ok).toBe(true);
    expect(asked.map((a) => [a.kind, a.retry])).toEqual([
      ['duo-menu', false],
      ['duo-menu', true],
    ]);
  }, 60_000);

  it('three wrong passcodes: not logged in, and the failure says the second factor was refused', async () => {
    const r = await connect(f.ctx, { ask: async () => '000000' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnosis.code).toBe('mfa-rejected');
  }, 60_000);

  it('through the host: the prompt event carries the options; a cancel while the push waits stops the login', async () => {
    const events: TaskEvent[] = [];
    let onPrompt: (e: TaskEvent) => void = () => undefined;
    const scope: HandlerScope = {
      ctx: f.ctx,
      front: 'web',
      emit: (_name, payload) => {
        const e = TaskEventSchema.parse(payload);
        events.push(e);
        if (e.type === 'prompt') onPrompt(e);
      },
    };
    const taskId = randomUUID();
    const prompt = new Promise<TaskEvent>((resolve) => (onPrompt = resolve));
    const result = connectHandlers['connect.start']({ taskId }, scope).catch((e: unknown) => e);
    const e = await prompt;
    expect(e).toMatchObject({ type: 'prompt', kind: 'duo-menu', secret: true, options: [PUSH] });
    if (e.type !== 'prompt') throw new Error('not a prompt');
    const answer = connectChannels['task.answer'].input.parse({ taskId, promptId: e.promptId, answer: '1' });
    expect(await connectHandlers['task.answer'](answer, scope)).toEqual({ accepted: true });
    // The push is waiting on the "phone": cancel before it is approved.
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    const { keysHandlers } = await import('../../src/host/handlers/keys.js');
    expect(await keysHandlers['task.cancel']({ taskId }, scope)).toEqual({ cancelled: true });
    const err = (await result) as { code?: string };
    expect(err.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(PUSH_DELAY_MS);
    expect(JSON.stringify(events)).not.toContain(PASSCODE);
  }, 60_000);
});
