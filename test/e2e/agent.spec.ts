import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let agent: ChildProcess;
let dir: string;
let sock: string;
const PASS = 'agent test passphrase';

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-agent-'));
  chmodSync(dir, 0o700);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASS, '-C', 'k', '-f', path.join(dir, 'id_ed25519_mila')]);
  sock = path.join(dir, 'agent.sock');
  // A real ssh-agent of our own, in the foreground so the test owns and ends it.
  agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
  host = await startBuiltWebHost(['--ssh-dir', dir], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
});
test.afterAll(async () => {
  await host?.stop();
  agent?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('the done step adds the key to the ssh-agent, so the passphrase is typed once a session', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  await page.getByRole('button', { name: 'Use id_ed25519_mila for Mila' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Done', exact: true }).click();
  const form = page.getByRole('form', { name: 'Type your passphrase once a session' });
  await form.getByLabel('Passphrase of your key').fill('wrong one');
  await form.getByRole('button', { name: 'Add my key to the SSH agent' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing was changed');
  await form.getByLabel('Passphrase of your key').fill(PASS);
  await form.getByRole('button', { name: 'Add my key to the SSH agent' }).click();
  await expect(page.getByText('Your key is in the SSH agent')).toBeVisible();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'id_ed25519_mila.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  expect(execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: 'utf8' })).toContain(fingerprint);
  expect(host.output()).not.toContain(PASS);
});
