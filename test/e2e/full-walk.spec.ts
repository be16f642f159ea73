import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type ThrowawayCluster } from '../fixtures/cluster.js';
import { profileFor } from '../fixtures/profile.js';
import { runInPty } from '../fixtures/ssh-client.js';
import { makeWorkFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * A newcomer's whole path, in a real browser, against a throwaway login node that asks a
 * one-time code (PAM, as Mila's does) and a compute node behind it: from an empty SSH
 * folder to a working `ssh -F <dir>/config mila hostname`. The words clicked are the
 * wizard's own translations, so the same walk runs in English and in French.
 */
const PASSPHRASE = 'correct horse battery staple';

for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
  test.describe(`the whole path in ${lang}`, () => {
    test.describe.configure({ timeout: 180_000 });
    // The computer's language decides on a first visit.
    test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
    let cluster: ThrowawayCluster;
    let host: RunningWebHost;
    let work: string;
    let sshDir: string;
    let remoteSsh: string;

    test.beforeAll(async () => {
      ({ work, sshDir } = makeWorkFolder(`mila-walk-${lang}-`));
      const remoteHome = path.join(work, 'remote-home');
      mkdirSync(remoteHome, { mode: 0o755 });
      remoteSsh = path.join(remoteHome, '.ssh');
      cluster = await startCluster({ mfa: true, computeAuthorizedKeysFile: path.join(remoteSsh, 'authorized_keys') });
      const base = profileFor(cluster);
      const profile = { ...base, compute: { ...base.compute, hostPatterns: ['compute-test'], domain: undefined, remoteSshDir: remoteSsh } };
      host = await startWizard({ sshDir, profiles: [profile], profileDir: work });
    });
    test.afterAll(() => tearDown(host, cluster, work));

    const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${lang}/${name}.png`, fullPage: true });

    /** Answers the prompts of one login: the key's passphrase, then the one-time code. */
    async function answerLogin(page: Page, screenshot?: string): Promise<void> {
      const form = page.getByRole('form', { name: M.prompt.label });
      await expect(form.getByLabel(/Enter passphrase for key/)).toBeVisible();
      await form.getByLabel(/Enter passphrase for key/).fill(PASSPHRASE);
      await form.getByRole('button', { name: M.prompt.send }).click();
      await expect(form.getByLabel(/One-time password/)).toBeVisible();
      await form.getByLabel(/One-time password/).fill(cluster.otp());
      if (screenshot) await shot(page, screenshot);
      await form.getByRole('button', { name: M.prompt.send }).click();
    }

    const heading = (page: Page, name: string) => expect(page.getByRole('heading', { level: 2, name })).toBeVisible();

    test('from an empty SSH folder to a working login', async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
      await page.goto(host.url);

      // 1-2. Welcome, then what a key is.
      await heading(page, M.welcome.heading);
      await shot(page, '01-welcome');
      await page.getByRole('button', { name: M.welcome.start }).click();
      await heading(page, M.explain.heading);
      await shot(page, '02-explain');
      await page.getByRole('button', { name: M.explain.continue }).click();

      // 3. No key yet: create one with a passphrase.
      await heading(page, M.keys.heading);
      await expect(page.getByText(M.keys.none)).toBeVisible();
      await shot(page, '03-keys');
      await page.getByRole('button', { name: M.keys.createNew }).click();
      await heading(page, M.create.heading);
      await page.getByLabel(M.create.passphrase, { exact: true }).fill(PASSPHRASE);
      await page.getByLabel(M.create.passphraseAgain).fill(PASSPHRASE);
      await shot(page, '04-create');
      await page.getByRole('button', { name: M.create.submit }).click();
      await heading(page, M.create.doneHeading);
      await shot(page, '05-key-ready');

      // 4. The public key, copied for the onboarding form; Mila registers it.
      await page.getByRole('button', { name: M.create.toPublic }).click();
      await heading(page, M.public.heading);
      await page.getByRole('button', { name: M.public.copy }).click();
      const line = await page.evaluate(() => navigator.clipboard.readText());
      expect(line).toBe(readFileSync(path.join(sshDir, 'id_ed25519_mila.pub'), 'utf8').trim());
      await shot(page, '06-public-key');
      await cluster.authorizeKey(line); // what Mila does with the onboarding form
      await page.getByRole('button', { name: M.public.continue }).click();

      // 5. Connection settings.
      await heading(page, M.config.heading);
      await page.getByLabel(M.config.user).fill(cluster.user);
      await page.getByRole('button', { name: M.config.preview }).click();
      await expect(page.getByRole('region', { name: M.config.diffLabel })).toContainText('+Host mila');
      await shot(page, '07-settings');
      await page.getByRole('button', { name: M.config.write }).click();
      await page.getByRole('button', { name: M.config.continue }).click();

      // 6. Trust: fingerprints compared side by side, then recorded.
      await heading(page, M.trust.heading);
      await page.getByRole('button', { name: M.trust.check }).click();
      await expect(page.getByText(M.trust.allMatch)).toBeVisible();
      await expect(page.getByRole('group', { name: 'ED25519' })).toContainText(M.visual.match);
      await expect(page.getByRole('group', { name: 'ED25519' }).getByLabel(M.visual.randomartLabel)).toContainText('[ED25519 256]');
      await shot(page, '08-trust');
      await page.getByRole('button', { name: M.trust.record }).click();
      await expect(page.getByRole('status').filter({ hasText: M.trust.written.slice(0, 20) })).toBeVisible();
      await page.getByRole('button', { name: M.trust.continue }).click();

      // 7. First login: passphrase, then the one-time code.
      await heading(page, M.login.heading);
      await page.getByRole('button', { name: M.login.start }).click();
      await answerLogin(page, '09-login-code');
      await expect(page.getByRole('heading', { name: M.login.success })).toBeVisible();
      await shot(page, '09-login-done');
      await page.getByRole('button', { name: M.login.continue }).click();

      // 8. Compute nodes: learn their identity, check, then fix authorized_keys on the cluster.
      await heading(page, M.compute.heading);
      await page.getByRole('button', { name: M.compute.learn }).click();
      await answerLogin(page);
      await expect(page.getByText(M.compute.learned.split('(')[0]!.trim())).toBeVisible();
      await page.getByRole('button', { name: M.compute.check }).click();
      await answerLogin(page);
      await expect(page.getByText(M.compute.willRun)).toBeVisible();
      await page.getByRole('button', { name: M.compute.fix }).click();
      await answerLogin(page);
      await expect(page.getByText(M.compute.fixed)).toBeVisible();
      await shot(page, '10-compute');
      await page.getByRole('button', { name: M.compute.continue }).click();

      // 9. The login-node rules, with the two-question check.
      await heading(page, M.rules.heading);
      await page.getByRole('group', { name: M.rules.q1.question }).getByLabel(M.rules.no).check();
      await page.getByRole('group', { name: M.rules.q2.question }).getByLabel(M.rules.yes).check();
      await expect(page.getByText(M.rules.right).first()).toBeVisible();
      await shot(page, '11-rules');
      await page.getByRole('button', { name: M.rules.continue }).click();

      // 10. Done: no check fails (the test machine runs no ssh-agent, which is only a warning).
      await heading(page, M.done.heading);
      await expect(page.getByText(M.done.overall.warn)).toBeVisible({ timeout: 20_000 });
      await expect(page.locator('.checklist li.warn')).toHaveCount(0);
      // terminal, keys, settings, permissions, cluster identity, compute nodes' identity, network (agent warns).
      await expect(page.locator('.checklist li.ok')).toHaveCount(7);
      await shot(page, '12-done');

      // What the user now has: a plain `ssh` with the written settings reaches the cluster.
      const config = path.join(sshDir, 'config');
      const login = await runInPty(
        'ssh',
        ['-F', config, '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', `UserKnownHostsFile=${path.join(sshDir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', 'mila', 'hostname'],
        [
          { prompt: /Enter passphrase for key/, answer: PASSPHRASE },
          { prompt: /One-time password/, answer: () => cluster.otp() },
        ],
      );
      expect(login.exitCode).toBe(0);
      expect(login.output).toContain(os.hostname());
      // The compute node, through the login node, with the key the wizard put on the cluster.
      expect(readFileSync(path.join(remoteSsh, 'authorized_keys'), 'utf8')).toContain(line.split(' ')[1]!);
      expect(host.output()).not.toContain(PASSPHRASE);

      // One button undoes every change on this computer: both files did not exist before.
      await page.getByRole('button', { name: M.done.undo }).click();
      await page.getByRole('button', { name: M.done.confirmYes }).click();
      await expect(page.getByText(M.done.undone_other.split('{{')[0]!.trim())).toBeVisible();
      // The heading no longer says "You are all set": everything was just put back.
      await heading(page, M.done.headingUndone);
      await expect(page.getByRole('heading', { name: M.done.heading, exact: true })).toHaveCount(0);
      expect(existsSync(config)).toBe(false);
      expect(existsSync(path.join(sshDir, 'known_hosts'))).toBe(false);
      expect(existsSync(path.join(sshDir, 'id_ed25519_mila'))).toBe(true); // the key is the user's
    });
  });
}
