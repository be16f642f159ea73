// Work follows the page: reloading in the middle of a login's passphrase prompt or of an
// RSA-4096 key creation stops that work (no ssh or ssh-keygen left in the process table), and
// the page that comes back says what became of it, true to what is on disk.
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type ThrowawayCluster } from '../fixtures/cluster.js';
import { prepareFolder } from '../fixtures/onboard.js';
import { processTable, type Proc } from '../fixtures/processes.js';
import { profileFor } from '../fixtures/profile.js';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

const PASSPHRASE = 'correct horse battery staple';

/** OpenSSH programs started by this host (its descendants), or naming this SSH folder (an orphan re-parented elsewhere). */
function openSshOf(host: RunningWebHost, sshDir: string, program: 'ssh' | 'ssh-keygen'): Proc[] {
  const table = processTable();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const descends = (p: Proc): boolean => {
    for (let q: Proc | undefined = p, n = 0; q && n < 64; q = byPid.get(q.ppid), n++) if (q.ppid === host.pid) return true;
    return false;
  };
  return table.filter((p) => p.comm === program && (descends(p) || p.cmdline.includes(sshDir)));
}

for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
  test.describe(`a reload in the middle of work (${lang})`, () => {
    test.describe.configure({ timeout: 120_000 });
    test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });

    test('during the login’s passphrase prompt: ssh is ended and the user is told', async ({ page }) => {
      const work = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-follow-login-'));
      let cluster: ThrowawayCluster | undefined;
      let host: RunningWebHost | undefined;
      try {
        cluster = await startCluster({ mfa: true });
        const folder = await prepareFolder(cluster, { passphrase: PASSPHRASE });
        const profileFile = path.join(work, 'profile.json');
        writeFileSync(profileFile, JSON.stringify(profileFor(cluster)));
        host = await startBuiltWebHost(['--ssh-dir', folder.dir, '--profile', profileFile]);

        await page.goto(host.url);
        await page.getByRole('navigation').getByRole('button', { name: M.steps.login }).click();
        await expect(page.getByRole('heading', { level: 2, name: M.login.heading })).toBeVisible();
        await page.getByRole('button', { name: M.login.start }).click();
        const form = page.getByRole('form', { name: M.prompt.label });
        await expect(form.getByLabel(/Enter passphrase for key/)).toBeVisible({ timeout: 30_000 });
        // ssh is there, waiting at the passphrase prompt.
        expect(openSshOf(host, folder.dir, 'ssh').length).toBeGreaterThan(0);

        await page.reload();
        await expect.poll(() => openSshOf(host!, folder.dir, 'ssh').map((p) => p.cmdline), { timeout: 10_000 }).toEqual([]);
        await expect(page.getByRole('heading', { level: 2, name: M.login.heading })).toBeVisible();
        await expect(page.getByText(M.interrupted.login.stopped)).toBeVisible({ timeout: 20_000 });
        // Told once: another reload says nothing more.
        await page.reload();
        await expect(page.getByRole('heading', { level: 2, name: M.login.heading })).toBeVisible();
        await expect(page.getByText(M.interrupted.login.stopped)).toHaveCount(0);
        // And the login still works from the page that came back.
        await page.getByRole('button', { name: M.login.start }).click();
        await expect(form.getByLabel(/Enter passphrase for key/)).toBeVisible({ timeout: 30_000 });
        await form.getByLabel(/Enter passphrase for key/).fill(PASSPHRASE);
        await form.getByRole('button', { name: M.prompt.send }).click();
        await expect(form.getByLabel(/One-time password/)).toBeVisible({ timeout: 30_000 });
        await form.getByLabel(/One-time password/).fill(cluster.otp());
        await form.getByRole('button', { name: M.prompt.send }).click();
        await expect(page.getByRole('heading', { name: M.login.success })).toBeVisible({ timeout: 30_000 });
        rmSync(folder.dir, { recursive: true, force: true });
      } finally {
        await host?.stop();
        await cluster?.stop();
        if (host) rmSync(host.stateDir, { recursive: true, force: true });
        rmSync(work, { recursive: true, force: true });
      }
    });

    test('during an RSA-4096 key creation: ssh-keygen is ended, and nothing is written', async ({ page }) => {
      const sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-follow-create-'));
      chmodSync(sshDir, 0o700);
      const host = await startBuiltWebHost(['--ssh-dir', sshDir]);
      try {
        await page.goto(host.url);
        await page.getByRole('navigation').getByRole('button', { name: M.steps.create }).click();
        await expect(page.getByRole('heading', { level: 2, name: M.create.heading })).toBeVisible();
        await page.getByLabel(M.create.rsa4096.name).check();
        await page.getByLabel(M.create.passphrase, { exact: true }).fill(PASSPHRASE);
        await page.getByLabel(M.create.passphraseAgain).fill(PASSPHRASE);
        await page.getByRole('button', { name: M.create.submit }).click();
        // ssh-keygen is at work (RSA-4096 takes seconds here): reload right then.
        await expect.poll(() => openSshOf(host, sshDir, 'ssh-keygen').length, { timeout: 20_000, intervals: [50] }).toBeGreaterThan(0);
        await page.reload();

        // ssh-keygen is ended (it needs seconds more to generate here), and nothing at all is left:
        // no key, no staging folder.
        await expect.poll(() => openSshOf(host, sshDir, 'ssh-keygen').map((p) => p.cmdline), { timeout: 10_000 }).toEqual([]);
        await expect(page.getByRole('heading', { level: 2, name: M.create.heading })).toBeVisible();
        await expect(page.getByRole('status').filter({ hasText: M.interrupted.create.stopped })).toBeVisible({ timeout: 20_000 });
        expect(readdirSync(sshDir)).toEqual([]);
        // The form is there to start again, and says nothing else happened.
        await expect(page.getByRole('button', { name: M.create.submit })).toBeVisible();
      } finally {
        await host.stop();
        rmSync(host.stateDir, { recursive: true, force: true });
        rmSync(sshDir, { recursive: true, force: true });
      }
    });
  });
}
