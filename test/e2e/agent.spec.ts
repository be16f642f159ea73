import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeSshFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let agent: ChildProcess;
let dir: string;
let sock: string;
const PASS = 'agent test passphrase';

test.beforeAll(async () => {
  dir = await makeSshFolder('mila-e2e-agent-', { keys: [{ name: 'id_ed25519_mila', passphrase: PASS }] });
  sock = path.join(dir, 'agent.sock');
  // A real ssh-agent of our own, in the foreground so the test owns and ends it.
  agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
  host = await startWizard({ sshDir: dir, env: { ...process.env, SSH_AUTH_SOCK: sock } });
});
test.afterAll(async () => {
  await host?.stop();
  agent?.kill();
  await tearDown(dir);
});

test('the done step adds the key to the ssh-agent, so the passphrase is typed once a session', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  await page.getByRole('button', { name: 'Use id_ed25519_mila for Mila' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Done', exact: true }).click();
  const form = page.getByRole('form', { name: 'Type your passphrase once a session' });
  const agentCheck = page.locator('.checklist li').filter({ hasText: 'SSH agent:' });
  await expect(agentCheck).toContainText('No SSH agent holds your key yet');
  await form.getByLabel('Passphrase of your key').fill('wrong one');
  await form.getByRole('button', { name: 'Add my key to the SSH agent' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing was changed');
  await form.getByLabel('Passphrase of your key').fill(PASS);
  await form.getByRole('button', { name: 'Add my key to the SSH agent' }).click();
  await expect(page.getByText('Your key is in the SSH agent: no passphrase until you log out.')).toBeVisible();
  // The checks above agree with the panel: they are run again, not left saying the opposite.
  await expect(agentCheck).toContainText('Your key is in the SSH agent.', { timeout: 30_000 });
  await expect(agentCheck).not.toContainText('No SSH agent holds your key');
  await expect(page.getByRole('status').filter({ hasText: 'Your key is in the SSH agent' })).toBeFocused();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'id_ed25519_mila.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  expect(execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: 'utf8' })).toContain(fingerprint);
  expect(host.output()).not.toContain(PASS);
});

test('a key without a passphrase: the done step does not offer the agent, nor claim a passphrase is asked', async ({ page }) => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'k', '-f', path.join(dir, 'id_nopass')]);
  host.resetProgress();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  await page.getByRole('button', { name: 'Use id_nopass for Mila' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Done', exact: true }).click();
  await expect(page.getByText('Your key has no passphrase, so OpenSSH never asks for one: an SSH agent has nothing to save you.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('form', { name: 'Type your passphrase once a session' })).toHaveCount(0);
  const agentCheck = page.locator('.checklist li').filter({ hasText: 'SSH agent:' });
  await expect(agentCheck).toContainText('Your key has no passphrase, so OpenSSH never asks for one');
  await expect(agentCheck).not.toContainText('passphrase is asked');
});

test('without a reachable agent the panel says what Mila Onboard knows, not that none runs', async ({ page }) => {
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;
  const bare = await startBuiltWebHost(['--ssh-dir', dir], { env });
  try {
    await page.goto(bare.url);
    await page.getByRole('button', { name: 'Your SSH keys' }).click();
    await page.getByRole('button', { name: 'Use id_ed25519_mila for Mila' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByLabel('Language').selectOption('fr');
    await expect(page.getByText('Mila Onboard ne peut joindre aucun agent SSH d’ici, et ne peut donc pas y ajouter votre clé.', { exact: false })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('Aucun agent SSH ne fonctionne sur cet ordinateur')).toHaveCount(0);
    // The checks say the same as the panel.
    await expect(page.locator('.checklist li').filter({ hasText: 'Agent SSH' })).toContainText('Mila Onboard ne peut joindre aucun agent SSH d’ici.');
  } finally {
    await bare.stop();
  }
});
