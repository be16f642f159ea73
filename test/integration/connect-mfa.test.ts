/**
 * The first login against the MFA login node (key passphrase, then a one-time code from
 * pam_oath), in a pty, with every prompt going through `ask` — directly, and through the
 * host's task registry as 'task.event' prompts answered by 'task.answer'. While ssh waits at
 * a prompt, its /proc cmdline and environ hold no secret.
 */
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engine/connect/connect.js';
import type { AskPrompt } from '../../src/engine/connect/session.js';
import { connectHandlers } from '../../src/host/handlers/connect.js';
import { keysHandlers } from '../../src/host/handlers/keys.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { tasks } from '../../src/host/tasks.js';
import { connectChannels } from '../../src/shared/contract/connect.js';
import { TaskEventSchema, type TaskEvent } from '../../src/shared/contract/keys.js';
import { startCluster, type ThrowawayCluster, waitForLog } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { removeDir } from '../fixtures/ssh-client.js';

const execFileP = promisify(execFile);
const PASSPHRASE = 'mfa test pass phrase';

let cluster: ThrowawayCluster;
let f: PreparedFolder;

beforeAll(async () => {
  cluster = (await startCluster({ mfa: true, computeNode: false })) as unknown as ThrowawayCluster;
  f = await prepareFolder(cluster, { passphrase: PASSPHRASE });
});
afterAll(async () => {
  await cluster?.stop();
  await removeDir(f?.dir);
});

/** A code pam_oath certainly refuses now (none of the codes in its ±10-step window). */
async function wrongCode(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { stdout } = await execFileP('oathtool', ['--totp', '-w', '22', '--now', `@${now - 330}`, cluster.totpSecret!]);
  const valid = new Set(stdout.split(/\s+/).filter(Boolean));
  let n = 0;
  while (valid.has(String(n).padStart(6, '0'))) n++;
  return String(n).padStart(6, '0');
}

function procText(pid: number, what: 'cmdline' | 'environ'): string {
  try {
    return readFileSync(`/proc/${pid}/${what}`).toString('latin1');
  } catch {
    return '';
  }
}

/** ssh and every process under it (ProxyJump helpers, if any). */
function family(pid: number): number[] {
  const out = [pid];
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) out.push(...family(Number(child)));
  } catch {
    /* gone */
  }
  return out;
}

/** Running ssh processes started for this SSH folder. */
function sshFor(dir: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      const cmd = procText(pid, 'cmdline').split('\0');
      return path.basename(cmd[0] ?? '') === 'ssh' && cmd.some((a) => a.startsWith(dir));
    });
}

describe('connect with a passphrase-protected key and a one-time code', () => {
  it('answers the passphrase and the code through ask, streams the phases, returns the hostname', async () => {
    const asked: AskPrompt[] = [];
    const phases: string[] = [];
    const r = await connect(f.ctx, {
      ask: async (p) => {
        asked.push(p);
        return p.kind === 'otp' ? cluster.otp() : PASSPHRASE;
      },
      onProgress: (p) => phases.push(p),
    });
    expect(r).toMatchObject({ ok: true, hostname: expect.stringMatching(/\S/) });
    expect(asked.map((p) => [p.kind, p.text, p.secret, p.retry])).toEqual([
      ['passphrase', `Enter passphrase for key '${f.key.privateKey}': `, true, false],
      ['otp', `(${cluster.user}@127.0.0.1) One-time password (OATH) for \`${cluster.user}': `, true, false],
    ]);
    expect(phases).toEqual(['connecting', 'authenticating', 'running', 'done']);
    expect(await waitForLog(cluster.login, `Accepted keyboard-interactive/pam for ${cluster.user}`)).toContain(`Accepted keyboard-interactive/pam for ${cluster.user}`);
  });

  it('while ssh waits at the prompts, neither its command line nor its environment holds a secret', async () => {
    let pid = 0;
    const code = cluster.otp();
    const seen: string[] = [];
    const check = (when: string) => {
      for (const p of family(pid)) {
        const text = procText(p, 'cmdline') + '\n' + procText(p, 'environ');
        expect(text.length).toBeGreaterThan(0);
        seen.push(when);
        expect(text).not.toContain(PASSPHRASE);
        expect(text).not.toContain(code);
      }
    };
    const r = await connect(f.ctx, {
      hooks: { onSpawn: (p) => (pid = p) },
      ask: async (p) => {
        check(p.kind); // at the passphrase prompt, and at the code prompt (after the passphrase was typed)
        return p.kind === 'otp' ? code : PASSPHRASE;
      },
      // After the code was typed: logged in, ssh still running the remote command.
      command: 'sleep 1',
      onProgress: (phase) => {
        if (phase === 'running') check('running');
      },
    });
    expect(r.ok).toBe(true);
    expect(seen).toEqual(expect.arrayContaining(['passphrase', 'otp', 'running']));
    expect(procText(process.pid, 'environ')).not.toContain(PASSPHRASE);
  });

  it('an empty code is typed as such (push approval); refused here, so the retry is flagged, then the right code works', async () => {
    const asked: AskPrompt[] = [];
    const r = await connect(f.ctx, {
      ask: async (p) => {
        asked.push(p);
        if (p.kind === 'passphrase') return PASSPHRASE;
        return asked.filter((a) => a.kind === 'otp').length === 1 ? '' : cluster.otp();
      },
    });
    expect(r.ok).toBe(true);
    expect(asked.filter((a) => a.kind === 'otp').map((a) => a.retry)).toEqual([false, true]);
  });

  it('a wrong code is diagnosed mfa-rejected', async () => {
    const wrong = await wrongCode();
    let codes = 0;
    const r = await connect(f.ctx, {
      ask: async (p) => {
        if (p.kind === 'passphrase') return PASSPHRASE;
        codes++;
        return wrong;
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnosis.code).toBe('mfa-rejected');
    expect(r.diagnosis.message).toBe('The one-time code was refused.');
    expect(r.details).toContain('Permission denied');
    expect(r.details).not.toContain(wrong);
    expect(codes).toBeGreaterThanOrEqual(1);
  });
});

describe('connect through the host: prompts as task events, answers with task.answer', () => {
  function scopeWithEvents() {
    const events: TaskEvent[] = [];
    const waiters: Array<(e: TaskEvent) => void> = [];
    const scope: HandlerScope = {
      ctx: f.ctx,
      front: 'web',
      emit: (name, payload) => {
        expect(name).toBe('task.event');
        const e = TaskEventSchema.parse(payload);
        events.push(e);
        for (const w of waiters.splice(0)) w(e);
      },
    };
    const next = (pred: (e: TaskEvent) => boolean) =>
      new Promise<TaskEvent>((resolve) => {
        const found = events.find(pred);
        if (found) return resolve(found);
        const w = (e: TaskEvent) => (pred(e) ? resolve(e) : waiters.push(w));
        waiters.push(w);
      });
    return { scope, events, next };
  }

  it('connect.start → prompt events (no secret in any event or result) → task.answer → ok', async () => {
    const { scope, events, next } = scopeWithEvents();
    const taskId = randomUUID();
    const input = connectChannels['connect.start'].input.parse({ taskId });
    const result = connectHandlers['connect.start'](input, scope);
    const answer = async (kind: string, value: string) => {
      const e = await next((x) => x.type === 'prompt' && x.kind === kind && !events.some((y) => y.type === 'prompt-closed' && y.promptId === x.promptId));
      if (e.type !== 'prompt') throw new Error('not a prompt');
      expect(tasks.pendingPrompts(taskId).map((p) => p.promptId)).toEqual([e.promptId]);
      const a = connectChannels['task.answer'].input.parse({ taskId, promptId: e.promptId, answer: value });
      expect(await connectHandlers['task.answer'](a, scope)).toEqual({ accepted: true });
      // The same prompt cannot be answered twice.
      expect(await connectHandlers['task.answer'](a, scope)).toEqual({ accepted: false });
    };
    await answer('passphrase', PASSPHRASE);
    const code = cluster.otp();
    await answer('otp', code);
    const value = connectChannels['connect.start'].output.parse(await result);
    expect(value).toMatchObject({ ok: true });
    const kinds = events.map((e) => (e.type === 'progress' ? e.phase : e.type === 'prompt' ? `prompt:${e.kind}` : `closed:${e.reason}`));
    expect(kinds).toEqual(['connecting', 'authenticating', 'prompt:passphrase', 'closed:answered', 'prompt:otp', 'closed:answered', 'running', 'done']);
    const all = JSON.stringify(events) + JSON.stringify(value);
    expect(all).not.toContain(PASSPHRASE);
    expect(all).not.toContain(code);
    expect(tasks.isRunning(taskId)).toBe(false);
  });

  it('task.cancel during a prompt stops ssh, closes the prompt, and the request fails with cancelled', async () => {
    const { scope, events, next } = scopeWithEvents();
    const taskId = randomUUID();
    const result = connectHandlers['connect.start']({ taskId }, scope).catch((e: unknown) => e);
    const prompt = await next((e) => e.type === 'prompt');
    expect(prompt).toMatchObject({ kind: 'passphrase', secret: true, retry: false });
    expect(sshFor(f.dir)).toHaveLength(1);
    expect(await keysHandlers['task.cancel']({ taskId }, scope)).toEqual({ cancelled: true });
    const err = (await result) as { code?: string };
    expect(err.code).toBe('cancelled');
    expect(events.some((e) => e.type === 'prompt-closed' && e.reason === 'cancelled')).toBe(true);
    expect(tasks.isRunning(taskId)).toBe(false);
    expect(tasks.pendingPrompts(taskId)).toEqual([]);
    expect(sshFor(f.dir)).toEqual([]);
  });
});
