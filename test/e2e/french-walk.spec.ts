import { appendFileSync, chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr as M } from '../../src/renderer/i18n/fr.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { ENGLISH_STRETCHES as ENGLISH, ENGLISH_WORDS } from '../fixtures/english.js';
import { profileFor } from '../fixtures/profile.js';
import { makeWorkFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * The French walk where things go wrong: a refused key name, a capitalised username, a
 * settings file OpenSSH cannot read, a conflict with the user's own "Host mila", a first login
 * with a key the cluster does not know yet, then the Done step: its checks, the same settings
 * file broken and opened to others, and an undo that must leave a hand-edited file. Not one
 * English sentence may show, except what OpenSSH itself printed, which stays as it is and is
 * labelled as OpenSSH's.
 */
let cluster: LoginOnlyCluster;
let host: RunningWebHost;
let work: string;
let sshDir: string;

test.describe.configure({ timeout: 180_000 });
test.use({ locale: 'fr-CA' });

test.beforeAll(async () => {
  ({ work, sshDir } = makeWorkFolder('mila-e2e-frwalk-'));
  cluster = await startCluster({ computeNode: false });
  host = await startWizard({ sshDir, profiles: [profileFor(cluster)], profileDir: work });
});
test.afterAll(() => tearDown(host, cluster, work));

// What counts as English: every stretch of the wizard's own English, and words French never uses (fixtures/english.ts).

/** The longest stretch of a text between its {{values}}: what the page must show of it whatever the values. */
const words = (text: string): string => text.split(/\{\{\w+\}\}/).reduce((a, b) => (b.trim().length > a.length ? b.trim() : a), '');

/**
 * The text of `scope` as a user (or a screen reader, in closed disclosures too) gets it, without
 * what OpenSSH printed ([data-openssh]), the lines of the settings file in a diff, and commands.
 */
async function expectNoEnglish(page: Page, scope: Locator, where: string): Promise<void> {
  const text = await scope.evaluate((root) => {
    const copy = root.cloneNode(true) as HTMLElement;
    for (const el of Array.from(copy.querySelectorAll('[data-openssh], .diff-ctx, .diff-add, .diff-del, .diff-hunk, pre.commands, code'))) el.remove();
    return copy.textContent ?? '';
  });
  expect(text.length, where).toBeGreaterThan(20);
  const found = ENGLISH.filter((s) => text.includes(s));
  expect(found, `${where}: English strings of en.ts`).toEqual([]);
  expect(text, `${where}: English words`).not.toMatch(ENGLISH_WORDS);
}

test('French everywhere on the error paths, OpenSSH’s own output apart and labelled', async ({ page }) => {
  expect(ENGLISH.length).toBeGreaterThan(200);
  await page.goto(host.url);
  const main = page.getByRole('main');

  // A key name the engine refuses, said in French with its value.
  await page.getByRole('navigation').getByRole('button', { name: M.steps.create }).click();
  await page.getByLabel(M.create.noPassphrase).check();
  await page.getByLabel(M.create.name).fill('ma clé');
  await page.getByRole('button', { name: M.create.submit }).click();
  await expect(page.getByRole('alert')).toContainText('Un nom de clé ne peut contenir que');
  await expectNoEnglish(page, main, 'refused key name');
  await page.getByLabel(M.create.name).fill('id_ed25519_mila');
  await page.getByRole('button', { name: M.create.submit }).click();
  await expect(page.getByRole('heading', { name: M.create.doneHeading })).toBeVisible();
  await expectNoEnglish(page, main, 'key created');

  // A settings file OpenSSH cannot read: the refusal in French, OpenSSH's words as its own.
  writeFileSync(path.join(sshDir, 'config'), 'Host travail\n  HostNme example.org\n', { mode: 0o600 });
  await page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${M.steps.config}`) }).click();
  await page.getByLabel(M.config.user).fill('JDoe');
  await page.getByRole('button', { name: M.config.preview }).click();
  await expect(page.getByRole('alert')).toContainText('tapez jdoe, et non JDoe');
  await expectNoEnglish(page, main, 'capitalised username');
  await page.getByLabel(M.config.user).fill(cluster.user);
  await page.getByRole('button', { name: M.config.preview }).click();
  const refusal = page.getByRole('alert').filter({ hasText: M.config.problemsIntro.slice(0, 30) });
  await expect(refusal).toContainText(M.config.problem['broken-before'].slice(0, 40));
  const openssh = refusal.getByRole('figure');
  await expect(openssh.locator('figcaption')).toHaveText('Sortie d’OpenSSH');
  await expect(openssh.locator('[data-openssh]')).toContainText(/Bad configuration option: hostnme/i);
  await expectNoEnglish(page, main, 'broken settings file');
  await expect(page.getByRole('button', { name: M.config.write })).toBeDisabled();

  // The user's own "Host mila": the diff's headers in French, their lines marked as theirs.
  writeFileSync(path.join(sshDir, 'config'), 'Host mila\n  HostName mon-mila.example\n', { mode: 0o600 });
  await page.getByLabel(M.config.user).fill(`${cluster.user}`);
  await page.getByRole('button', { name: M.config.preview }).click();
  const diff = page.getByRole('region', { name: M.config.diffLabel });
  await expect(diff.locator('.diff-meta').first()).toContainText(`(${M.config.diffBefore})`);
  await expect(diff.locator('.diff-meta').nth(1)).toContainText(`(${M.config.diffAfter})`);
  await expect(diff.locator('.diff-yours').first()).toContainText('Host mila');
  await expect(diff.locator('.diff-yours').first()).toContainText(M.config.diffYoursLine);
  await expect(page.getByText(M.config.diffYours)).toBeVisible();
  await expectNoEnglish(page, main, 'conflict with the user’s own Host mila');
  await page.getByLabel(M.config.conflict['use-ours']).check();
  await page.getByRole('button', { name: M.config.previewAgain }).click();
  await page.getByRole('button', { name: M.config.write }).click();
  await expect(page.getByRole('status').filter({ hasText: M.config.written.slice(0, 20) })).toBeVisible();
  await expectNoEnglish(page, main, 'settings written');

  // Trust, then a first login with a key the cluster does not know yet.
  await page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${M.steps.trust}`) }).click();
  await page.getByRole('button', { name: M.trust.check }).click();
  await page.getByRole('button', { name: M.trust.record }).click();
  await expect(page.getByRole('status').filter({ hasText: M.trust.written.slice(0, 20) })).toBeVisible();
  await expectNoEnglish(page, main, 'trust');
  await page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${M.steps.login}`) }).click();
  await page.getByRole('button', { name: M.login.start }).click();
  const diagnosis = page.getByRole('alert').filter({ hasText: M.diagnosis.title });
  await expect(diagnosis).toBeVisible({ timeout: 60_000 });
  await expect(diagnosis.locator('[data-openssh]')).toContainText('Permission denied');
  await expectNoEnglish(page, main, 'login refused');

  // Mila registers the key; the second login works.
  await cluster.authorizeKey(readFileSync(path.join(sshDir, 'id_ed25519_mila.pub'), 'utf8').trim());
  await page.getByRole('button', { name: M.login.again }).click();
  await expect(page.getByRole('heading', { name: M.login.success })).toBeVisible({ timeout: 60_000 });
  await expectNoEnglish(page, main, 'logged in');

  // Done: every check said in French, from its code and values (the key has no passphrase: a remark).
  await page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${M.steps.done}`) }).click();
  const checks = page.locator('.checklist > li');
  await expect(checks).toHaveCount(8, { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: M.done.overall.warn })).toBeVisible();
  const row = (name: string) => checks.filter({ hasText: M.done.checkLabel.replace('{{name}}', name) });
  await expect(row(M.done.check.config)).toContainText(words(M.doctor['config-ok'].message));
  await expect(row(M.done.check.keys)).toContainText(M.doctor['key-unprotected'].next);
  await expect(row(M.done.check.reachability)).toContainText(`répond sur le port ${cluster.login.port}`);
  await expect(page.locator('details').filter({ hasText: M.errors.original })).toHaveCount(0);
  await expectNoEnglish(page, main, 'Done step');

  // The same settings file, broken by hand and opened to everyone: OpenSSH's words apart, the rest in French.
  const config = path.join(sshDir, 'config');
  appendFileSync(config, '\nHostNme example.org\n');
  chmodSync(config, 0o666);
  await page.reload();
  await expect(checks).toHaveCount(8, { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: M.done.headingNotYet })).toBeVisible();
  await expect(row(M.done.check.config)).toContainText(words(M.doctor['config-writable'].message));
  await expect(row(M.done.check.permissions)).toContainText(words(M.doctor.item['writable-config']));
  await expectNoEnglish(page, main, 'Done step, settings opened to others');
  await page.getByRole('button', { name: M.done.fixPermissions }).click();
  await expect(page.getByRole('status').filter({ hasText: M.done.fixedPermissions_one.split('\xa0:')[0]! })).toBeVisible();
  expect(statSync(config).mode & 0o022).toBe(0);
  const configRow = row(M.done.check.config);
  await expect(configRow).toContainText(words(M.doctor['config-unreadable'].message), { timeout: 30_000 });
  await expect(configRow.getByRole('figure').locator('figcaption')).toHaveText(M.errors.openssh);
  await expect(configRow.locator('[data-openssh]')).toContainText(/Bad configuration option: hostnme/i);
  await expectNoEnglish(page, main, 'Done step, settings OpenSSH rejects');

  // Undo: known_hosts goes back; the settings file, edited by hand since, stays, and why is said in French.
  await page.getByRole('button', { name: M.done.undo }).click();
  await page.getByRole('button', { name: M.done.confirmYes }).click();
  const undone = page.getByRole('status').filter({ hasText: M.done.leftSome_one.split(' (')[0]! });
  await expect(undone).toBeVisible();
  await expect(undone).toContainText(words(M.errors.reason['file-edited-since']));
  await expect(undone).toContainText(config);
  expect(readFileSync(config, 'utf8')).toContain('HostNme example.org');
  // The heading does not claim the settings are back as they were: one file was kept.
  await expect(page.getByRole('heading', { level: 2 })).not.toHaveText(M.done.headingUndone);
  // The checks run again after the undo: known_hosts is gone. (Waited for, too, so that no ssh -G is
  // cut short by the host's stop below, which would leave its private copy of the config behind.)
  await expect(row(M.done.check['known-hosts'])).toContainText(words(M.doctor['known-hosts-missing'].message), { timeout: 30_000 });
  // What undo said is said again in the language the user switches to (kept as codes, not as sentences).
  await page.getByLabel(M.app.language).selectOption('en');
  const undoneEn = page.getByRole('status').filter({ hasText: en.done.leftSome_one.split(' (')[0]! });
  await expect(undoneEn).toContainText(words(en.errors.reason['file-edited-since']));
  await expect(checks.filter({ hasText: en.done.checkLabel.replace('{{name}}', en.done.check['known-hosts']) })).toContainText(words(en.doctor['known-hosts-missing'].message));
  await page.getByLabel(en.app.language).selectOption('fr');
  await expectNoEnglish(page, main, 'undo that leaves a hand-edited file');
});
