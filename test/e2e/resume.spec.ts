import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startBuiltWebHost } from './web-host.js';

test('progress survives a restart of the app, and never holds a secret', async ({ page }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-resume-'));
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-resume-state-'));
  chmodSync(dir, 0o700);
  const secret = 'a secret passphrase nobody keeps';
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'k', '-f', path.join(dir, 'id_ed25519')]);
  let host = await startBuiltWebHost(['--ssh-dir', dir], { stateDir });
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Your SSH keys' }).click();
    await page.getByRole('button', { name: 'Use id_ed25519 for Mila' }).click();
    await page.getByRole('button', { name: 'Create a key' }).click();
    await page.getByLabel('Passphrase', { exact: true }).fill(secret); // typed but never submitted
    await page.getByRole('button', { name: 'Connection settings' }).click();
    await page.getByLabel('Your Mila username').fill('alice');
    await page.getByRole('button', { name: 'Show the changes' }).click();
    await expect(page.getByText('Checked with OpenSSH')).toBeVisible();
    await host.stop();

    host = await startBuiltWebHost(['--ssh-dir', dir], { stateDir });
    await page.goto(host.url); // a new port: a new origin, so nothing comes from the browser's storage
    await expect(page.getByRole('heading', { name: 'Connection settings' })).toBeVisible();
    await expect(page.getByLabel('Your Mila username')).toHaveValue('alice');
    await expect(page.getByText('Key: id_ed25519')).toBeVisible();
    await expect(page.getByRole('button', { name: /Your SSH keys/ })).toContainText('done');

    const files = readdirSync(stateDir);
    expect(files.length).toBe(1);
    const saved = readFileSync(path.join(stateDir, files[0]!), 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ stepId: 'config', keyFile: 'id_ed25519', user: 'alice' });
    expect(saved).not.toContain(secret);
    // The user's SSH folder holds nothing of ours just for browsing the wizard.
    expect(readdirSync(dir).sort()).toEqual(['id_ed25519', 'id_ed25519.pub']);

    // The language chosen in the wizard is kept with the progress: the next start opens in it.
    await page.getByLabel('Language').selectOption('fr');
    await expect(page.getByRole('heading', { name: 'Paramètres de connexion' })).toBeVisible();
    await expect.poll(() => JSON.parse(readFileSync(path.join(stateDir, files[0]!), 'utf8')).language).toBe('fr');
    await host.stop();
    host = await startBuiltWebHost(['--ssh-dir', dir], { stateDir });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Paramètres de connexion' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
});
