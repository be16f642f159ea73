import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeSshFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let dir: string;
const PASSPHRASE = 'purple tulips under snow';

test.beforeAll(async () => {
  dir = await makeSshFolder('mila-e2e-create-');
  host = await startWizard({ sshDir: dir });
});
test.afterAll(() => tearDown(host, dir));

test('create a key with a passphrase, see its picture, copy the public key', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  await expect(page.getByText('No SSH keys were found')).toBeVisible();
  await page.getByRole('button', { name: 'Create a new key' }).click();

  await expect(page.getByRole('heading', { name: 'Create a key' })).toBeFocused();
  await expect(page.getByRole('radio', { name: 'Ed25519 (recommended)' })).toBeChecked();
  await expect(page.getByLabel('File name')).toHaveValue('id_ed25519_mila');
  const create = page.getByRole('button', { name: 'Create the key' });
  await expect(create).toBeDisabled();

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill('something else');
  await expect(page.getByText('The two passphrases are different.')).toBeVisible();
  await expect(create).toBeDisabled();
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await expect(page.getByText('Strong.')).toBeVisible();
  await create.click();

  await expect(page.getByRole('heading', { name: 'Your key is ready' })).toBeVisible();
  const art = page.getByLabel('The key’s picture (randomart)');
  await expect(art).toContainText('[ED25519 256]');
  await expect(art).toContainText('[SHA256]');
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'id_ed25519_mila.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  await expect(page.getByText(fingerprint)).toBeVisible();
  // Nothing the page holds remembers the passphrase after submission.
  expect(await page.content()).not.toContain(PASSPHRASE);
  expect(await page.evaluate(() => JSON.stringify(globalThis.localStorage))).not.toContain(PASSPHRASE);
  await page.screenshot({ path: 'docs/screenshots/create-done-en.png', fullPage: true });

  // The real key: protected by exactly that passphrase, private file 600.
  expect(spawnSync('ssh-keygen', ['-y', '-P', PASSPHRASE, '-f', path.join(dir, 'id_ed25519_mila')]).status).toBe(0);
  expect(spawnSync('ssh-keygen', ['-y', '-P', 'wrong', '-f', path.join(dir, 'id_ed25519_mila')]).status).not.toBe(0);

  await page.getByRole('button', { name: 'Show my public key' }).click();
  await expect(page.getByRole('heading', { name: 'Your public key' })).toBeVisible();
  const line = readFileSync(path.join(dir, 'id_ed25519_mila.pub'), 'utf8').trim();
  await expect(page.getByLabel('Public key (id_ed25519_mila.pub)')).toHaveValue(line);
  await page.getByRole('button', { name: 'Copy the public key' }).click();
  await expect(page.getByText('Copied. Paste it into the onboarding form.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(line);
  await expect(page.getByRole('link', { name: 'Save as a file' })).toHaveAttribute('download', 'id_ed25519_mila.pub');
  await page.screenshot({ path: 'docs/screenshots/public-key-en.png', fullPage: true });

  // The host's own output never carries the passphrase either.
  expect(host.output()).not.toContain(PASSPHRASE);
});

test('an existing key is chosen, not replaced; a second key gets a free name', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  await expect(page.getByRole('listitem', { name: 'id_ed25519_mila' })).toContainText('Protected by a passphrase');
  await page.getByRole('button', { name: 'Create a new key' }).click();
  await expect(page.getByLabel('File name')).toHaveValue('id_ed25519_mila_2');
  await page.getByLabel('File name').fill('id_ed25519_mila');
  await page.getByLabel('Create the key without a passphrase').check();
  await expect(page.getByText('Without a passphrase, anyone who gets a copy')).toBeVisible();
  const before = readFileSync(path.join(dir, 'id_ed25519_mila'));
  await page.getByRole('button', { name: 'Create the key' }).click();
  await expect(page.getByRole('alert')).toContainText('already exists');
  await expect(page.getByRole('alert')).toContainText('Nothing was changed on your computer.');
  expect(readFileSync(path.join(dir, 'id_ed25519_mila')).equals(before)).toBe(true);
});
