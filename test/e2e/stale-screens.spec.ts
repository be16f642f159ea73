import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { en as M } from '../../src/renderer/i18n/en.js';
import { makeSshFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * No screen may keep saying what is no longer true: a preview of inputs since changed, an
 * error about a name since fixed, a heading of a setup since undone.
 */
let host: RunningWebHost;
let dir: string;
const ORIGINAL = 'Host work\n  HostName example.org\n';

test.beforeAll(async () => {
  dir = await makeSshFolder('mila-e2e-stale-', { config: ORIGINAL, keys: [{ name: 'id_ed25519' }] });
  host = await startWizard({ sshDir: dir });
});
test.afterAll(() => tearDown(host, dir));
test.beforeEach(() => host.resetProgress());

test('a capitalised username is refused with the reason; emptying or changing the name clears the preview and its Write button', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: M.steps.config }).click();
  const user = page.getByLabel(M.config.user);
  const preview = page.getByRole('button', { name: M.config.preview });
  const write = page.getByRole('button', { name: M.config.write });
  const checked = page.getByText(/^Checked with OpenSSH/);

  await user.fill('JDoe');
  await preview.click();
  await expect(page.getByRole('alert')).toContainText('Usernames on the cluster are all lowercase: type jdoe, not JDoe.');
  await expect(checked).toHaveCount(0);
  await expect(write).toHaveCount(0);

  await user.fill('jdoe');
  // The refusal was about "JDoe": once the name changes it no longer describes the page.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await preview.click();
  await expect(checked).toBeVisible();
  await expect(page.getByRole('region', { name: M.config.diffLabel })).toContainText('User jdoe');
  await expect(write).toBeEnabled();

  await user.fill('');
  await expect(page.getByRole('region', { name: M.config.diffLabel })).toHaveCount(0);
  await expect(checked).toHaveCount(0);
  await expect(write).toHaveCount(0);
  await expect(preview).toBeDisabled();

  await user.fill('alice');
  // Not jdoe's preview under alice's name: nothing until asked again.
  await expect(page.getByRole('region', { name: M.config.diffLabel })).toHaveCount(0);
  await expect(write).toHaveCount(0);
  expect(readFileSync(path.join(dir, 'config'), 'utf8')).toBe(ORIGINAL);
});

test('a fixed key name does not keep the old error; the passphrase hint is not red before anything is typed', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: M.steps.create }).click();
  const hint = page.getByText(M.create.passphraseHelp);
  await expect(hint).toBeVisible();
  // Neutral (the help text's own muted colour), not the "weak" red.
  await expect(page.locator('.strength-weak')).toHaveCount(0);
  const colour = (el: Element) => getComputedStyle(el).color;
  const hintColour = await hint.evaluate(colour);
  await page.getByLabel(M.create.passphrase, { exact: true }).fill('abc');
  await expect(page.locator('.strength-weak')).toHaveText(M.create.strength.weak);
  expect(await page.locator('.strength-weak').evaluate(colour)).not.toBe(hintColour);

  await page.getByLabel(M.create.noPassphrase).check();
  await page.getByLabel(M.create.name).fill('my key');
  await page.getByRole('button', { name: M.create.submit }).click();
  await expect(page.getByRole('alert')).toContainText(M.errors.reason['key-name-chars']);
  await page.getByLabel(M.create.name).fill('my_key');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(existsSync(path.join(dir, 'my key'))).toBe(false);
});
