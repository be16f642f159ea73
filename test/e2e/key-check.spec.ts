import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { startWizardOn, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * Issue 14 item 7 in a real browser: on the public-key step, "Check whether my key works
 * yet" against a login node that asks key + one-time code. Before Mila registers the key:
 * "not yet", with the username and key used, and the key-refused diagnosis in the page's
 * language. After: "yes, the cluster accepts it and would ask your code". Nothing is asked.
 */
/** The key check's answers (verdict, diagnosis) meet the same bar as every step. */
async function expectNoViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include('.key-check').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, where).toEqual([]);
}

for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
  test.describe(`key check in ${lang}`, () => {
    test.describe.configure({ timeout: 120_000 });
    test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
    let cluster: LoginOnlyCluster;
    let f: PreparedFolder;
    let host: RunningWebHost;

    test.beforeAll(async () => {
      cluster = await startCluster({ mfa: true, computeNode: false });
      // Key made, settings written and the cluster trusted, but the key not registered yet.
      f = await prepareFolder(cluster, { authorize: false });
      host = await startWizardOn(f, { stepId: 'public', user: cluster.user, language: lang });
    });
    test.afterAll(() => tearDown(host, cluster, f?.dir));

    test('not yet, then yes: the key check says it plainly, nothing asked', async ({ page }) => {
      await page.goto(host.url);
      await expect(page.getByRole('heading', { level: 2, name: M.public.heading })).toBeVisible();
      const check = page.getByRole('region', { name: M.keyCheck.title });
      await check.getByRole('button', { name: M.keyCheck.button }).click();

      await expect(check.getByText(M.keyCheck.verdict.refused)).toBeVisible({ timeout: 30_000 });
      await expect(check.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'refused');
      await expect(check).toContainText(f.key.fingerprint);
      const alert = check.getByRole('alert');
      // The key-refused diagnosis, in this language, naming the username.
      await expect(alert).toContainText(M.diagnosis.codes['key-refused'].message.split('{{key}}')[0]!);
      await expect(alert).toContainText(cluster.user);
      await expect(page.getByRole('form', { name: M.prompt.label })).toHaveCount(0);
      if (lang === 'fr') await expect(alert).not.toContainText('The cluster did not accept');
      await expectNoViolations(page, 'refused');

      await cluster.authorizeKey(f.key.publicKeyLine); // what Mila does with the onboarding form
      await check.getByRole('button', { name: M.keyCheck.again }).click();
      await expect(check.getByText(M.keyCheck.verdict['code-needed'])).toBeVisible({ timeout: 30_000 });
      await expect(check.getByRole('alert')).toHaveCount(0);
      await expectNoViolations(page, 'code-needed');
      // No prompt ever appeared: no passphrase, no one-time code.
      await expect(page.getByRole('form', { name: M.prompt.label })).toHaveCount(0);
      await page.screenshot({ path: `docs/screenshots/${lang}/06b-key-check.png`, fullPage: true });
    });

    test('checks again on its own every 10 minutes and notifies once when the key starts working', async ({ page, context }) => {
      writeFileSync(cluster.login.authorizedKeysFile, ''); // registered no more: back to waiting
      await context.grantPermissions(['notifications'], { origin: host.origin });
      // Record notifications instead of showing them (the page's own Notification calls).
      await page.addInitScript(() => {
        const shown: { title: string; body: string }[] = [];
        (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
        class Recorded {
          static permission = 'granted';
          static requestPermission = async () => 'granted';
          constructor(title: string, opts?: { body?: string }) {
            shown.push({ title, body: opts?.body ?? '' });
          }
        }
        (window as unknown as { Notification: unknown }).Notification = Recorded;
      });
      await page.clock.install();
      await page.goto(host.url);
      const check = page.getByRole('region', { name: M.keyCheck.title });
      await check.getByRole('button', { name: M.keyCheck.button }).click();
      await expect(check.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'refused', { timeout: 30_000 });
      await check.getByLabel(M.keyCheck.auto).check();
      await expect(check).toContainText(M.keyCheck.notifyOn);

      await cluster.authorizeKey(f.key.publicKeyLine);
      await page.clock.fastForward('09:00');
      await expect(check.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'refused'); // not yet re-checked
      await page.clock.fastForward('01:01');
      await expect(check.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'code-needed', { timeout: 30_000 });
      const shown = await page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications);
      expect(shown).toEqual([{ title: M.keyCheck.notifyTitle, body: M.keyCheck.notifyBody }]);
    });
  });
}
