import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeSshFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let dir: string;
const ORIGINAL = 'Host *\r\n\tUser nobody   # trailing comment\r\n\r\nHost work\r\n  HostName=example.org\r\n';

test.beforeAll(async () => {
  dir = await makeSshFolder('mila-e2e-config-', { config: ORIGINAL, keys: [{ name: 'id_ed25519' }] });
  host = await startWizard({ sshDir: dir });
});
test.afterAll(() => tearDown(host, dir));

function sshG(alias: string): Record<string, string> {
  const out = execFileSync('ssh', ['-G', '-F', path.join(dir, 'config'), alias], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, l.slice(l.indexOf(' ') + 1)]));
}

test('write the connection settings after seeing the diff, then undo to the exact bytes', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Your SSH keys' }).click();
  await page.getByRole('button', { name: 'Use id_ed25519 for Mila' }).click();
  await page.getByRole('button', { name: 'Connection settings' }).click();
  await expect(page.getByRole('heading', { name: 'Connection settings' })).toBeVisible();
  await expect(page.getByText('Key: id_ed25519')).toBeVisible();

  // A username OpenSSH would not accept is refused before anything is written.
  await page.getByLabel('Your Mila username').fill('alice smith');
  await page.getByRole('button', { name: 'Show the changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing was changed');
  await expect(page.getByRole('alert')).toContainText('The username contains a space');
  expect(readFileSync(path.join(dir, 'config'), 'utf8')).toBe(ORIGINAL);
  // In French too, the precise reason and what to type instead (not only "could not accept").
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('button', { name: 'Afficher les modifications' }).click();
  await expect(page.getByRole('alert')).toContainText('Le nom d’utilisateur contient une espace');
  await expect(page.getByRole('alert')).toContainText('Rien n’a été modifié');
  await page.getByLabel('Langue').selectOption('en');

  await page.getByLabel('Your Mila username').fill('alice');
  await page.getByRole('button', { name: 'Show the changes' }).click();
  const diff = page.getByRole('region', { name: 'Changes to the SSH settings file' });
  await expect(diff).toContainText('+Host mila');
  await expect(diff).toContainText('User alice');
  await expect(page.getByText('Checked with OpenSSH')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/config-en.png', fullPage: true });
  expect(readFileSync(path.join(dir, 'config'), 'utf8')).toBe(ORIGINAL);

  await page.getByRole('button', { name: 'Write the settings' }).click();
  await expect(page.getByText(/Settings written\. A copy of your previous file is kept at/)).toBeVisible();
  const g = sshG('mila');
  expect(g).toMatchObject({ hostname: 'login.server.mila.quebec', port: '2222', user: 'alice', preferredauthentications: 'publickey,keyboard-interactive' });
  expect(g.identityfile).toContain(path.join(dir, 'id_ed25519'));
  expect(sshG('work')).toMatchObject({ hostname: 'example.org', user: 'nobody' });
  const after = readFileSync(path.join(dir, 'config'), 'utf8');
  expect(after.endsWith(ORIGINAL)).toBe(true);

  await page.getByRole('button', { name: 'Undo the last change' }).click();
  await expect(page.getByText('Your previous settings file is back, exactly as it was.')).toBeVisible();
  expect(readFileSync(path.join(dir, 'config'), 'utf8')).toBe(ORIGINAL);
});

test('an existing "Host mila" of the user is shown and kept when they choose so', async ({ page }) => {
  const mine = 'Host mila\n  HostName my-own-mila.example\n';
  writeFileSync(path.join(dir, 'config'), mine, { mode: 0o600 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Connection settings' }).click();
  await page.getByLabel('Your Mila username').fill('alice');
  await page.getByRole('button', { name: 'Show the changes' }).click();
  await expect(page.getByText('Your settings already define some of these names')).toBeVisible();
  await expect(page.getByText('Your settings already have an entry for “mila”')).toBeVisible();
  // The user's own lines, neither added nor removed, are marked as theirs in the diff (colour and words).
  const diff = page.getByRole('region', { name: 'Changes to the SSH settings file' });
  await expect(diff.locator('.diff-yours')).toHaveCount(2);
  await expect(diff.locator('.diff-yours').first()).toContainText('(your own entry, unchanged) Host mila');
  await expect(diff.locator('.diff-yours').nth(1)).toContainText('HostName my-own-mila.example');
  await expect(page.getByText('Marked: your own entry for a name the new settings also use.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Write the settings' })).toBeDisabled();
  await page.getByLabel('Keep my own entries for these names').check();
  await page.getByRole('button', { name: 'Show the changes again' }).click();
  await expect(page.getByText('The new entries leave “mila” alone')).toBeVisible();
  await page.getByRole('button', { name: 'Write the settings' }).click();
  await expect(page.getByText(/Settings written/)).toBeVisible();
  expect(readFileSync(path.join(dir, 'config'), 'utf8').endsWith(mine)).toBe(true);
  expect(sshG('mila').hostname).toBe('my-own-mila.example');
});
