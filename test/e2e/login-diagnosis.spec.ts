import { expect, test } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { startWizardOn, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * Issue 14 item 1 in a real browser: three wrong passphrases at the first login (key +
 * one-time code node) are diagnosed as a wrong passphrase, with "your key is registered",
 * in the page's language, and never as "wait 48 hours".
 */
for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
  test.describe(`login diagnosis in ${lang}`, () => {
    test.describe.configure({ timeout: 120_000 });
    test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
    let cluster: LoginOnlyCluster;
    let f: PreparedFolder;
    let host: RunningWebHost;

    test.beforeAll(async () => {
      cluster = await startCluster({ mfa: true, computeNode: false });
      f = await prepareFolder(cluster, { passphrase: 'the passphrase I chose' });
      host = await startWizardOn(f, { stepId: 'login', user: cluster.user, language: lang });
    });
    test.afterAll(() => tearDown(host, cluster, f?.dir));

    test('three wrong passphrases → "the passphrase did not unlock your key", the key is registered', async ({ page }) => {
      await page.goto(host.url);
      await expect(page.getByRole('heading', { level: 2, name: M.login.heading })).toBeVisible();
      await page.getByRole('button', { name: M.login.start }).click();
      const form = page.getByRole('form', { name: M.prompt.label });
      for (let i = 0; i < 3; i++) {
        const field = form.getByLabel(/Enter passphrase for key/);
        await expect(field).toBeVisible({ timeout: 30_000 });
        if (i > 0) await expect(form.getByText(M.prompt.retry)).toBeVisible();
        await field.fill(`typo number ${i}`);
        await form.getByRole('button', { name: M.prompt.send }).click();
        if (i < 2) await expect(form.getByText(M.prompt.retry)).toBeVisible({ timeout: 30_000 });
      }
      const alert = page.getByRole('alert').filter({ hasText: M.diagnosis.title });
      await expect(alert).toBeVisible({ timeout: 30_000 });
      await expect(alert).toContainText(M.diagnosis.codes['wrong-passphrase'].message.split('{{key}}')[0]!);
      await expect(alert).toContainText(M.diagnosis.keyRegistered);
      await expect(alert).toContainText(M.diagnosis.codes['wrong-passphrase'].next);
      // Not "wait up to 48 hours" (a bare '48' could be in OpenSSH's port number).
      await expect(alert).not.toContainText(/\b48\s*(h\b|hours|heures)/);
      // OpenSSH's own words, labelled as such, without its debug chatter.
      await alert.getByText(M.diagnosis.details).click();
      await expect(alert.locator('pre')).toContainText('Permission denied (publickey)');
      await expect(alert.locator('pre')).not.toContainText('debug2');
      await page.screenshot({ path: `docs/screenshots/${lang}/09b-login-wrong-passphrase.png`, fullPage: true });
    });
  });
}
