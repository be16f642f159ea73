import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { prepareFolder, type PreparedFolder } from '../fixtures/onboard.js';
import { allianceProfileFor } from '../fixtures/profile.js';
import { startWizardOn, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * An Alliance cluster in the wizard, in a real browser: its profile (narval's, pointed at a
 * throwaway login node) publishes no fingerprints and its second factor is Duo (a login node
 * with a Duo-shaped PAM conversation). The trust step shows what the server presents, says
 * nobody can vouch for it and writes nothing until the user confirms; the login step shows
 * Duo's choices, "push to my phone" waits visibly, then the login succeeds. English and French.
 */
const PASSCODE = '135790';

for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
  test.describe(`an Alliance cluster with Duo, in ${lang}`, () => {
    test.describe.configure({ timeout: 180_000 });
    test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
    let cluster: LoginOnlyCluster;
    let host: RunningWebHost;
    let f: PreparedFolder;
    let sshDir: string;

    test.beforeAll(async () => {
      cluster = await startCluster({ duo: { passcode: PASSCODE, pushDelayMs: 3000 }, computeNode: false });
      // The steps before trust (key, public key in CCDB, settings) are the same as Mila's and
      // walked in full-walk.spec.ts: done here with the engine (nothing recorded in known_hosts),
      // and the wizard resumes at trust.
      f = await prepareFolder(cluster, { profile: allianceProfileFor(cluster), keyName: 'id_ed25519_alliance', trust: false });
      sshDir = f.dir;
      host = await startWizardOn(f, { stepId: 'trust', user: cluster.user, done: { keys: true, create: true, public: true, config: true } });
    });
    test.afterAll(() => tearDown(host, cluster, f?.dir));

    test('trust an unpublished key only after confirming, then log in with a Duo push', async ({ page }) => {
      const knownHosts = path.join(sshDir, 'known_hosts');
      await page.goto(host.url);
      await expect(page.getByRole('heading', { level: 2, name: M.trust.heading })).toBeVisible();
      await page.getByRole('button', { name: M.trust.check }).click();

      const unverified = page.getByTestId('trust-unverified');
      await expect(unverified.getByRole('heading', { name: M.trust.unverifiedTitle })).toBeVisible();
      await expect(page.getByText(cluster.login.fingerprints.ED25519)).toBeVisible();
      // No claim that the cluster publishes anything, nor that it is Mila's.
      await expect(page.getByText(M.visual.published)).toHaveCount(0);
      await expect(page.getByText(M.trust.intro)).toHaveCount(0);
      await expect(page.getByText(M.trust.introUnpublished.replace('{{name}}', 'Narval (Alliance)'))).toBeVisible();
      const record = unverified.getByRole('button', { name: M.trust.unverifiedRecord });
      await expect(record).toBeDisabled();
      // Nothing is written before the user confirms.
      expect(() => readFileSync(knownHosts)).toThrow();
      await page.screenshot({ path: `docs/screenshots/${lang}/alliance-trust-unverified.png`, fullPage: true });
      await unverified.getByLabel(M.trust.unverifiedConfirm).check();
      await record.click();
      await expect(page.getByText(M.trust.written)).toBeVisible();
      expect(readFileSync(knownHosts, 'utf8')).toContain(`[127.0.0.1]:${cluster.login.port} ssh-ed25519 `);

      await page.getByRole('button', { name: M.trust.continue }).click();
      await expect(page.getByRole('heading', { level: 2, name: M.login.heading })).toBeVisible();
      await expect(page.getByText(M.login.expectDuo)).toBeVisible();
      await expect(page.getByText(M.login.expectCode)).toHaveCount(0);
      await page.getByRole('button', { name: M.login.start }).click();

      const duo = page.getByRole('group', { name: M.duo.title });
      await expect(duo).toBeVisible({ timeout: 60_000 });
      await expect(duo.getByLabel(M.duo.passcodeLabel)).toHaveAttribute('type', 'password');
      await page.screenshot({ path: `docs/screenshots/${lang}/alliance-duo-menu.png`, fullPage: true });
      await duo.getByRole('button', { name: M.duo.push }).click();
      // The push waits for the approval on the phone: a visible state, with a cancel.
      await expect(page.getByText(M.duo.waiting)).toBeVisible();
      await expect(page.getByRole('button', { name: M.progress.cancel })).toBeVisible();
      await page.screenshot({ path: `docs/screenshots/${lang}/alliance-duo-waiting.png`, fullPage: true });
      await expect(page.getByRole('heading', { name: M.login.success })).toBeVisible({ timeout: 60_000 });
      expect(host.output()).not.toContain(PASSCODE);

      // The public-key step sends an Alliance key to CCDB (with its delay), not to Mila's form.
      await page.getByRole('navigation').getByRole('button', { name: M.steps.public }).click();
      await expect(page.getByText(M.public.introCcdb.replace('{{name}}', 'Narval (Alliance)'))).toBeVisible();
      await expect(page.getByRole('link', { name: 'https://ccdb.alliancecan.ca/ssh_authorized_keys' })).toBeVisible();
      await expect(page.getByText(M.public.ccdb2.replace('{{typical}}', '5').replace('{{max}}', '30'))).toBeVisible();
      await expect(page.getByText(M.public.next1)).toHaveCount(0);
      await page.screenshot({ path: `docs/screenshots/${lang}/alliance-public-key.png`, fullPage: true });
    });
  });
}
