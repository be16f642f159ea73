import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-repair-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'old laptop key', '-f', path.join(dir, 'id_ed25519')]);
  chmodSync(path.join(dir, 'id_ed25519'), 0o644);
  chmodSync(dir, 0o755);
  host = await startBuiltWebHost(['--ssh-dir', dir]);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

test('fix too-open permissions, then add a passphrase to an unprotected key, on request', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  const card = page.getByRole('listitem', { name: 'id_ed25519' });
  await expect(card).toContainText('Too open (644)');
  await page.getByRole('button', { name: 'Fix the permissions' }).click();
  await expect(card).toContainText('Fine (600)');
  expect(mode(path.join(dir, 'id_ed25519'))).toBe('600');
  expect(mode(dir)).toBe('700');

  await expect(card).toContainText('No passphrase');
  await card.getByRole('button', { name: 'Add a passphrase' }).click();
  const form = page.getByRole('form', { name: 'Add a passphrase to id_ed25519' });
  await form.getByLabel('Passphrase', { exact: true }).fill('a long new passphrase');
  await form.getByLabel('Passphrase again').fill('a long new passphrase');
  await form.getByRole('button', { name: 'Protect the key' }).click();
  await expect(card).toContainText('Protected by a passphrase');
  expect(spawnSync('ssh-keygen', ['-y', '-P', 'a long new passphrase', '-f', path.join(dir, 'id_ed25519')]).status).toBe(0);
  expect(spawnSync('ssh-keygen', ['-y', '-P', '', '-f', path.join(dir, 'id_ed25519')]).status).not.toBe(0);
  expect(host.output()).not.toContain('a long new passphrase');
});
