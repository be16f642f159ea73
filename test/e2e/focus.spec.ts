import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { en as M } from '../../src/renderer/i18n/en.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { profileFor } from '../fixtures/profile.js';
import { makeWorkFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * After every asynchronous action focus lands on what the action produced (WCAG 2.4.3), not
 * on the page body: a keyboard or screen-reader user must not have to find their place again.
 * Against a throwaway login node that asks a one-time code.
 */
let cluster: LoginOnlyCluster;
let host: RunningWebHost;
let work: string;
let sshDir: string;

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  ({ work, sshDir } = makeWorkFolder('mila-e2e-focus-'));
  cluster = await startCluster({ mfa: true, computeNode: false });
  host = await startWizard({ sshDir, profiles: [profileFor(cluster)], profileDir: work });
});
test.afterAll(() => tearDown(host, cluster, work));

/** Focus is on `expected` (and so not on the body). */
async function focusedOn(page: Page, expected: Locator, what: string): Promise<void> {
  await expect(expected, what).toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement === null), what).toBe(false);
}

test('focus follows create, show changes, write, check identity, record, send code, undo', async ({ page }) => {
  await page.goto(host.url);

  // Create a key (no passphrase: the login below then asks only the one-time code).
  await page.getByRole('button', { name: M.steps.create }).click();
  await page.getByLabel(M.create.noPassphrase).check();
  await page.getByRole('button', { name: M.create.submit }).click();
  await focusedOn(page, page.getByRole('heading', { name: M.create.doneHeading }), 'after create');
  await cluster.authorizeKey(readFileSync(path.join(sshDir, 'id_ed25519_mila.pub'), 'utf8').trim());

  // Show the changes: a refusal takes focus, then the preview's heading does.
  await page.getByRole('button', { name: M.steps.config }).click();
  await page.getByLabel(M.config.user).fill('JDoe');
  await page.getByRole('button', { name: M.config.preview }).click();
  await focusedOn(page, page.getByRole('alert'), 'after a refused preview');
  await page.getByLabel(M.config.user).fill(cluster.user);
  await page.getByRole('button', { name: M.config.preview }).click();
  await focusedOn(page, page.getByRole('heading', { name: /^Changes to / }), 'after show changes');
  await page.getByRole('button', { name: M.config.write }).click();
  await focusedOn(page, page.getByRole('status').filter({ hasText: M.config.written }), 'after write');

  // Check the cluster's identity, then record it.
  await page.getByRole('button', { name: M.steps.trust }).click();
  await page.getByRole('button', { name: M.trust.check }).click();
  await focusedOn(page, page.getByRole('heading', { name: /^What .* presents/ }), 'after check identity');
  await page.getByRole('button', { name: M.trust.record }).click();
  await focusedOn(page, page.getByRole('status').filter({ hasText: M.trust.written }), 'after record');

  // First login: the code's field takes focus, sending it moves focus to the progress, then to the result.
  await page.getByRole('button', { name: M.steps.login }).click();
  await page.getByRole('button', { name: M.login.start }).click();
  const form = page.getByRole('form', { name: M.prompt.label });
  const code = form.getByLabel(/One-time password/);
  await focusedOn(page, code, 'the one-time code prompt');
  await code.fill(cluster.otp());
  await form.getByRole('button', { name: M.prompt.send }).click();
  // Focus never falls to the body on the way: on the progress while the login finishes, then on the result.
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName), { message: 'after send code' }).not.toBe('BODY');
  const result = page.locator('.result-region');
  await expect(result.getByRole('heading', { name: M.login.success })).toBeVisible({ timeout: 30_000 });
  await focusedOn(page, result, 'after the login ends');

  // Undo: the question takes focus on its safe answer; "no" gives it back to the button; "yes" to the result.
  await page.getByRole('navigation').getByRole('button', { name: M.steps.done, exact: true }).click();
  const undo = page.getByRole('button', { name: M.done.undo });
  await undo.click();
  await focusedOn(page, page.getByRole('button', { name: M.done.confirmNo }), 'the undo question');
  await page.getByRole('button', { name: M.done.confirmNo }).click();
  await focusedOn(page, undo, 'after keeping the changes');
  await undo.click();
  await page.getByRole('button', { name: M.done.confirmYes }).click();
  const undoResult = page.locator('.result-region');
  await expect(undoResult.getByRole('status')).toContainText('Undone:', { timeout: 30_000 });
  await focusedOn(page, undoResult, 'after undo');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(M.done.headingUndone);
});

test('a skip link comes first and takes keyboard users past the steps to the step itself', async ({ page }) => {
  host.resetProgress();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 2, name: 'Welcome to Mila Onboard' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: M.app.skip });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  const before = page.url();
  await page.keyboard.press('Enter');
  await focusedOn(page, page.getByRole('heading', { level: 2, name: 'Welcome to Mila Onboard' }), 'after the skip link');
  // The web front's token stays in the address (a reload must still work).
  expect(page.url()).toBe(before);
  // The next Tab goes into the step, not back to the step list.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
});
