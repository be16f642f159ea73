import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKeyToAgent, agentStatus } from '../../src/engine/keys/agent.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'keys-agent-'));
const dir = path.join(root, 'ssh');
const socket = path.join(root, 'agent.sock');
let agent: ChildProcess;
const env = { SSH_AUTH_SOCK: socket };

beforeAll(async () => {
  mkdirSync(dir, { mode: 0o700 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'agent pass', '-C', 'agent@test', '-f', path.join(dir, 'k')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'plain@test', '-f', path.join(dir, 'plain')]);
  // Our own agent in the foreground (-D), on a socket in the test folder; stopped by its pid.
  agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
  expect(existsSync(socket)).toBe(true);
});

afterAll(() => {
  agent?.kill();
  rmSync(root, { recursive: true, force: true });
});

const fingerprint = (name: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, `${name}.pub`)], { encoding: 'utf8' }).split(' ')[1];

describe('the SSH agent', () => {
  it('is not reachable without SSH_AUTH_SOCK, or with a dead socket', async () => {
    await expect(agentStatus({ env: { SSH_AUTH_SOCK: undefined }, platform: 'linux' })).resolves.toMatchObject({ reachable: false, state: 'not-running', socket: null });
    const dead = await agentStatus({ env: { SSH_AUTH_SOCK: path.join(root, 'nothing.sock') } });
    expect(dead).toMatchObject({ reachable: false, state: 'not-running' });
    expect(dead.advice).toMatch(/does not answer/);
  });

  it('is reachable and empty at first', async () => {
    await expect(agentStatus({ env })).resolves.toMatchObject({ reachable: true, state: 'no-keys', socket, keys: [], advice: null });
  });

  it('refuses a wrong passphrase (no retry loop) and adds nothing', async () => {
    await expect(addKeyToAgent({ sshDir: dir, file: 'k', passphrase: 'wrong', env })).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await expect(agentStatus({ env })).resolves.toMatchObject({ state: 'no-keys' });
  });

  it('adds a protected key with the passphrase typed at its prompt', async () => {
    const res = await addKeyToAgent({ sshDir: dir, file: 'k', passphrase: 'agent pass', env });
    expect(res).toEqual({ file: 'k', fingerprint: fingerprint('k'), comment: 'agent@test' });
    const status = await agentStatus({ env });
    expect(status).toMatchObject({ reachable: true, state: 'has-keys' });
    expect(status.keys).toEqual([{ bits: 256, fingerprint: fingerprint('k'), comment: 'agent@test', type: 'ED25519' }]);
  });

  it('asks through the callback, again after a bad passphrase', async () => {
    const prompts: string[] = [];
    const answers = ['nope', 'agent pass'];
    await addKeyToAgent({
      sshDir: dir,
      file: 'k',
      env,
      ask: async (p) => {
        prompts.push(`${p.retry ? 'retry:' : ''}${p.text}`);
        return answers.shift()!;
      },
    });
    expect(prompts).toEqual([`Enter passphrase for ${path.join(dir, 'k')}: `, `retry:Bad passphrase, try again for ${path.join(dir, 'k')}: `]);
  });

  it('adds an unprotected key without asking', async () => {
    await addKeyToAgent({ sshDir: dir, file: 'plain', env, ask: () => Promise.reject(new Error('should not ask')) });
    const status = await agentStatus({ env });
    expect(status.keys.map((k) => k.comment).sort()).toEqual(['agent@test', 'plain@test']);
  });

  it('reports a missing agent plainly', async () => {
    await expect(addKeyToAgent({ sshDir: dir, file: 'plain', env: { SSH_AUTH_SOCK: undefined }, platform: 'linux' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(addKeyToAgent({ sshDir: dir, file: 'plain', env: { SSH_AUTH_SOCK: path.join(root, 'nothing.sock') } })).rejects.toMatchObject({ code: 'not-found' });
  });
});
