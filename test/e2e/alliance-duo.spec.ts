import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { createContext } from '../../src/engine/context.js';
import { writeProgress } from '../../src/engine/progress/store.js';
import { ClusterProfileSchema } from '../../src/engine/profile/schema.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { generateKey } from '../fixtures/ssh-client.js';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

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
    let work: string;
    let sshDir: string;

    test.beforeAll(async () => {
      work = mkdtempSync(path.join(os.tmpdir(), `alliance-walk-${lang}-`));
      sshDir = path.join(work, 'ssh');
      mkdirSync(sshDir, { mode: 0o700 });
      cluster = await startCluster({ duo: { passcode: PASSCODE, pushDelayMs: 3000 }, computeNode: false });
      const narval = builtInProfile('narval');
      const profile = ClusterProfileSchema.parse({
        ...narval,
        login: { ...narval.login, host: '127.0.0.1', port: cluster.login.port, fingerprints: 'not-published', fingerprintsPublished: undefined },
      });
      const profileFile = path.join(work, 'narval-test.json');
      writeFileSync(profileFile, JSON.stringify(profile, null, 2));
      // The steps before trust (key, public key in CCDB, settings) are the same as Mila's and
      // walked in full-walk.spec.ts: done here with the engine, and the wizard resumes at trust.
      const key = await generateKey(sshDir, 'id_ed25519_alliance');
      await cluster.authorizeKey(key.publicKeyLine);
      const stateDir = path.join(work, 'state');
      const ctx = createContext({ sshDir, profile, stateDir });
      const input = { user: cluster.user, identity: key.privateKey };
      const deps = { controlDir: path.join(work, 'cm') };
      const plan = await planConfig(ctx, input, deps);
      await applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps);
      await writeProgress(ctx, { stepId: 'trust', keyFile: 'id_ed25519_alliance', user: cluster.user, variant: 'simple', done: { keys: true, create: true, public: true, config: true } });
      host = await startBuiltWebHost(['--ssh-dir', sshDir, '--profile', profileFile], { stateDir });
    });
    test.afterAll(async () => {
      await host?.stop();
      await cluster?.stop();
      rmSync(work, { recursive: true, force: true });
    });

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
