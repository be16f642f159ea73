import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startCluster, type LoginOnlyCluster } from '../fixtures/cluster.js';
import { allianceProfileFor, profileFor } from '../fixtures/profile.js';
import { makeWorkFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

/**
 * Mila and an Alliance cluster in one session, in a real browser, from the welcome step to
 * Done: Mila's profile points at a throwaway login node that asks a one-time code, narval's at
 * one with a Duo-shaped PAM conversation (and no published fingerprints). The user says on the
 * welcome step that they also have an Alliance account, gets a second key for it, writes one
 * settings block per cluster, trusts each (the Alliance's only after confirming), logs in to
 * each (one-time code, Duo push). English and French, with the wizard's own words.
 */
const MILA_PASSPHRASE = 'correct horse battery staple';
const ALLIANCE_PASSPHRASE = 'a different phrase for the alliance';
const DUO_PASSCODE = '246810';
const ACCOUNT = { en: 'Digital Research Alliance of Canada', fr: 'Alliance de recherche numérique du Canada' } as const;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? `{{${k}}}`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
  test.describe(`Mila and an Alliance cluster in one session, in ${lang}`, () => {
    test.describe.configure({ timeout: 150_000 });
    test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
    let mila: LoginOnlyCluster;
    let narval: LoginOnlyCluster;
    let host: RunningWebHost;
    let work: string;
    let sshDir: string;

    test.beforeAll(async () => {
      ({ work, sshDir } = makeWorkFolder(`multi-walk-${lang}-`));
      [mila, narval] = await Promise.all([startCluster({ mfa: true, computeNode: false }), startCluster({ duo: { passcode: DUO_PASSCODE, pushDelayMs: 1500 }, computeNode: false })]);
      // Two profiles: the first is the primary (Mila), the second a cluster the wizard offers.
      // No SSH agent for the host (a developer's own would change the Done step's agent rows).
      const profiles = [profileFor(mila, { id: 'mila', name: 'Mila' }), allianceProfileFor(narval)];
      host = await startWizard({ sshDir, profiles, profileDir: work, env: { ...process.env, SSH_AUTH_SOCK: '' } });
    });
    test.afterAll(() => tearDown(host, [mila, narval], work));

    const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${lang}/${name}.png`, fullPage: true });
    const heading = (page: Page, name: string) => expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
    /** The visible panel of a cluster's (or an account's) tab; hidden panels are not in the accessibility tree. */
    const panel = (page: Page, name: string): Locator => page.getByRole('tabpanel', { name: new RegExp(`^${escape(name)}`) });
    const tab = (page: Page, name: string): Locator => page.getByRole('tab', { name: new RegExp(`^${escape(name)}`) });
    /** axe on the screens only this walk shows (the accounts, the tabs), once (in English): accessibility.spec.ts covers each step alone. */
    const axe = async (page: Page, where: string) => {
      if (lang !== 'en') return;
      const t0 = Date.now();
      const results = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), where).toEqual([]);
      test.info().annotations.push({ type: `axe ms (${where})`, description: String(Date.now() - t0) });
    };
    /** Issue #14: what an Alliance tab says must not name Mila (the app's own name, Mila Onboard, aside). */
    const saysNoMila = async (where: Locator, what: string) => expect((await where.innerText()).replaceAll('Mila Onboard', ''), what).not.toMatch(/Mila/);
    const knownHosts = () => {
      try {
        return readFileSync(path.join(sshDir, 'known_hosts'), 'utf8');
      } catch {
        return '';
      }
    };

    test('welcome to Done: two accounts, two keys, two blocks, two trusts, two logins', async ({ page, context }) => {
      const started = Date.now();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
      await page.goto(host.url);
      const account = ACCOUNT[lang];

      // 1. Welcome: Mila is set up in any case; the Alliance account reveals its clusters and one username.
      await heading(page, M.welcome.heading);
      await expect(page.getByText(fill(M.clusters.welcome.primary, { name: 'Mila', command: 'ssh mila' }))).toBeVisible();
      const also = page.getByRole('checkbox', { name: fill(M.clusters.welcome.also, { account }) });
      await expect(page.getByRole('checkbox', { name: /Narval/ })).toHaveCount(0);
      await also.check();
      await page.getByLabel(fill(M.clusters.welcome.user, { account })).fill(narval.user);
      const narvalBox = page.getByRole('checkbox', { name: /Narval \(Alliance\)/ });
      // Each cluster comes with its profile's notes (Duo, for narval), tied to its checkbox.
      await expect(narvalBox).toHaveAccessibleDescription(builtInProfile('narval').notes[0]![lang]);
      await expect(page.getByText(M.clusters.welcome.noneChosen)).toBeVisible();
      await narvalBox.check();
      await expect(page.getByText(M.clusters.welcome.noneChosen)).toHaveCount(0);
      await shot(page, 'multi-01-accounts');
      await axe(page, 'accounts on the welcome step');
      await page.getByRole('button', { name: M.welcome.start }).click();
      await heading(page, M.explain.heading);
      await page.getByRole('button', { name: M.explain.continue }).click();

      // 2. Mila's key, created as in the single-cluster walk.
      await heading(page, M.keys.heading);
      await page.getByRole('button', { name: M.keys.createNew }).click();
      await heading(page, M.create.heading);
      await page.getByLabel(M.create.passphrase, { exact: true }).fill(MILA_PASSPHRASE);
      await page.getByLabel(M.create.passphraseAgain).fill(MILA_PASSPHRASE);
      await page.getByRole('button', { name: M.create.submit }).click();
      await heading(page, M.create.doneHeading);
      await page.getByRole('button', { name: M.create.toPublic }).click();

      // 3. One tab per account: Mila's key for its form, then a second key for CCDB.
      await heading(page, M.public.heading);
      await expect(page.getByRole('tablist', { name: M.clusters.accountTabs })).toBeVisible();
      const milaKey = panel(page, 'Mila');
      await expect(milaKey.getByText(fill(M.clusters.public.ownKeyEach, { account }))).toBeVisible();
      await milaKey.getByRole('button', { name: M.public.copy }).click();
      const milaLine = await page.evaluate(() => navigator.clipboard.readText());
      expect(milaLine).toBe(readFileSync(path.join(sshDir, 'id_ed25519_mila.pub'), 'utf8').trim());
      await mila.authorizeKey(milaLine); // what Mila does with the onboarding form
      await milaKey.getByRole('button', { name: M.public.continue }).click();

      // Continue goes to the account still to do, whose own key does not exist yet.
      const allianceKey = panel(page, account);
      await expect(tab(page, account)).toBeFocused();
      await expect(allianceKey.getByRole('heading', { name: fill(M.clusters.public.title, { account }) })).toBeVisible();
      await expect(allianceKey.getByText(fill(M.clusters.public.why, { primary: 'Mila' }))).toBeVisible();
      await expect(allianceKey.getByLabel(M.create.name)).toHaveValue('id_ed25519_alliance');
      // The Alliance key's form names its cluster where the primary's says "the Mila cluster".
      const allianceForm = allianceKey.locator('form');
      await expect(allianceForm.getByText(fill(M.otherCluster.ed25519About, { name: 'Narval (Alliance)' }))).toBeVisible();
      await saysNoMila(allianceForm, 'the Alliance key form');
      await allianceKey.getByLabel(M.create.passphrase, { exact: true }).fill(ALLIANCE_PASSPHRASE);
      await allianceKey.getByLabel(M.create.passphraseAgain).fill(ALLIANCE_PASSPHRASE);
      await allianceKey.getByRole('button', { name: M.create.submit }).click();
      await expect(allianceKey.getByLabel(fill(M.public.label, { file: 'id_ed25519_alliance.pub' }))).toBeVisible();
      await expect(allianceKey.getByRole('link', { name: 'https://ccdb.alliancecan.ca/ssh_authorized_keys' })).toBeVisible();
      await expect(allianceKey.getByText(fill(M.public.ccdb2, { typical: '5', max: '30' }))).toBeVisible();
      await allianceKey.getByRole('button', { name: M.public.copy }).click();
      await expect(allianceKey.getByText(M.public.copiedCcdb)).toBeVisible();
      const allianceLine = await page.evaluate(() => navigator.clipboard.readText());
      expect(allianceLine).toBe(readFileSync(path.join(sshDir, 'id_ed25519_alliance.pub'), 'utf8').trim());
      expect(allianceLine.split(' ')[1]).not.toBe(milaLine.split(' ')[1]);
      await shot(page, 'multi-02-alliance-key');
      await axe(page, 'public-key step, one tab per account');
      await narval.authorizeKey(allianceLine); // what CCDB does, a few minutes later
      await expect(tab(page, 'Mila')).toHaveAccessibleName(`Mila (${M.app.done})`);
      await allianceKey.getByRole('button', { name: M.public.continue }).click();

      // 4. One settings block per cluster, each previewed and written in its own tab.
      await heading(page, M.config.heading);
      const milaConfig = panel(page, 'Mila');
      await milaConfig.getByLabel(M.config.user).fill(mila.user);
      await milaConfig.getByRole('button', { name: M.config.preview }).click();
      await expect(milaConfig.getByRole('region', { name: M.config.diffLabel })).toContainText('+Host mila');
      await milaConfig.getByRole('button', { name: M.config.write }).click();
      await milaConfig.getByRole('button', { name: M.config.continue }).click();
      const narvalConfig = panel(page, 'Narval (Alliance)');
      await expect(tab(page, 'Narval (Alliance)')).toBeFocused();
      // The tabs work from the keyboard: arrows (wrapping), Home and End move the selection and the focus.
      await page.keyboard.press('ArrowRight');
      await expect(tab(page, 'Mila')).toBeFocused();
      await expect(tab(page, 'Mila')).toHaveAttribute('aria-selected', 'true');
      await expect(milaConfig.getByText(fill(M.config.intro, { alias: 'mila' }))).toBeVisible();
      await page.keyboard.press('End');
      await expect(tab(page, 'Narval (Alliance)')).toBeFocused();
      await expect(tab(page, 'Mila')).toHaveAttribute('aria-selected', 'false');
      await expect(page.getByRole('tab')).toHaveCount(2);
      // The Alliance's words: its own username (given on the welcome step), no Mila username, no Mila variants.
      await expect(narvalConfig.getByLabel(fill(M.clusters.config.user, { name: 'Narval (Alliance)' }))).toHaveValue(narval.user);
      await expect(narvalConfig.getByText(M.config.user, { exact: true })).toHaveCount(0);
      await expect(narvalConfig.getByRole('group', { name: M.config.variant })).toHaveCount(0);
      await expect(narvalConfig.getByText(fill(M.config.keyChosen, { file: 'id_ed25519_alliance' }))).toBeVisible();
      await narvalConfig.getByRole('button', { name: M.config.preview }).click();
      await expect(narvalConfig.getByRole('region', { name: M.config.diffLabel })).toContainText('+Host narval');
      await shot(page, 'multi-03-settings-narval');
      await narvalConfig.getByRole('button', { name: M.config.write }).click();
      await narvalConfig.getByRole('button', { name: M.config.continue }).click();
      const config = readFileSync(path.join(sshDir, 'config'), 'utf8');
      expect(config).toContain('# >>> mila-onboard (mila) >>>');
      expect(config).toContain('# >>> mila-onboard (narval) >>>');

      // 5. Trust: Mila's keys against its published fingerprints; narval's only once confirmed.
      await heading(page, M.trust.heading);
      const milaTrust = panel(page, 'Mila');
      await milaTrust.getByRole('button', { name: M.trust.check }).click();
      await expect(milaTrust.getByText(M.trust.allMatch)).toBeVisible();
      await milaTrust.getByRole('button', { name: M.trust.record }).click();
      await expect(milaTrust.getByText(M.trust.written)).toBeVisible();
      expect(knownHosts()).toContain(`[127.0.0.1]:${mila.login.port} `);
      expect(knownHosts()).not.toContain(`[127.0.0.1]:${narval.login.port} `);
      await milaTrust.getByRole('button', { name: M.trust.continue }).click();
      const narvalTrust = panel(page, 'Narval (Alliance)');
      await expect(narvalTrust.getByText(fill(M.trust.introUnpublished, { name: 'Narval (Alliance)' }))).toBeVisible();
      await narvalTrust.getByRole('button', { name: M.trust.check }).click();
      const unverified = narvalTrust.getByTestId('trust-unverified');
      await expect(unverified.getByRole('heading', { name: M.trust.unverifiedTitle })).toBeVisible();
      await expect(narvalTrust.getByText(narval.login.fingerprints.ED25519)).toBeVisible();
      const record = unverified.getByRole('button', { name: M.trust.unverifiedRecord });
      await expect(record).toBeDisabled();
      // Nothing about narval is recorded before the user confirms.
      expect(knownHosts()).not.toContain(`[127.0.0.1]:${narval.login.port} `);
      await shot(page, 'multi-04-trust-narval');
      await unverified.getByLabel(M.trust.unverifiedConfirm).check();
      await record.click();
      await expect(narvalTrust.getByText(M.trust.written)).toBeVisible();
      expect(knownHosts()).toContain(`[127.0.0.1]:${narval.login.port} ssh-ed25519 `);
      await narvalTrust.getByRole('button', { name: M.trust.continue }).click();

      // 6. First logins: Mila with its one-time code, narval with a Duo push.
      await heading(page, M.login.heading);
      const milaLogin = panel(page, 'Mila');
      await expect(milaLogin.getByText(M.login.expectCode)).toBeVisible();
      await milaLogin.getByRole('button', { name: M.login.start }).click();
      const milaPrompt = milaLogin.getByRole('form', { name: M.prompt.label });
      await milaPrompt.getByLabel(/Enter passphrase for key .*id_ed25519_mila/).fill(MILA_PASSPHRASE);
      await milaPrompt.getByRole('button', { name: M.prompt.send }).click();
      await milaPrompt.getByLabel(/One-time password/).fill(mila.otp());
      await milaPrompt.getByRole('button', { name: M.prompt.send }).click();
      await expect(milaLogin.getByRole('heading', { name: M.login.success })).toBeVisible();
      await milaLogin.getByRole('button', { name: M.login.continue }).click();
      const narvalLogin = panel(page, 'Narval (Alliance)');
      await expect(narvalLogin.getByText(M.login.expectDuo)).toBeVisible();
      await expect(narvalLogin.getByText(M.login.expectCode)).toHaveCount(0);
      await narvalLogin.getByRole('button', { name: M.login.start }).click();
      const narvalPrompt = narvalLogin.getByRole('form', { name: M.prompt.label });
      // The passphrase's help names the Alliance account, not "your Mila password".
      await expect(narvalPrompt.getByText(fill(M.otherCluster.passphraseHelp, { account }))).toBeVisible();
      await saysNoMila(narvalLogin, 'narval’s login tab');
      // The Alliance's own key is the one asked for: its IdentityFile is in narval's block.
      await narvalPrompt.getByLabel(/Enter passphrase for key .*id_ed25519_alliance/).fill(ALLIANCE_PASSPHRASE);
      await narvalPrompt.getByRole('button', { name: M.prompt.send }).click();
      const duo = narvalLogin.getByRole('group', { name: M.duo.title });
      await expect(duo).toBeVisible({ timeout: 30_000 });
      await duo.getByRole('button', { name: M.duo.push }).click();
      await expect(narvalLogin.getByText(M.duo.waiting)).toBeVisible();
      await expect(narvalLogin.getByRole('heading', { name: M.login.success })).toBeVisible({ timeout: 30_000 });
      await shot(page, 'multi-05-login-narval');
      await expect(tab(page, 'Mila')).toHaveAccessibleName(`Mila (${M.app.done})`);
      await expect(tab(page, 'Narval (Alliance)')).toHaveAccessibleName(`Narval (Alliance) (${M.app.done})`);
      await narvalLogin.getByRole('button', { name: M.login.continue }).click();
      // Compute nodes stay Mila's: the next step has no cluster tabs.
      await heading(page, M.compute.heading);
      await expect(page.getByRole('tablist')).toHaveCount(0);

      // 7. Done lists each cluster's state.
      await page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${escape(M.steps.done)}`) }).click();
      await expect(page.getByRole('heading', { level: 3, name: M.clusters.done.title })).toBeVisible();
      for (const [id, trust] of [
        ['mila', M.clusters.done.trustVerified],
        ['narval', M.clusters.done.trustConfirmed],
      ] as const) {
        const row = page.locator(`.cluster-states > li[data-cluster="${id}"]`);
        await expect(row).toContainText(fill(M.clusters.done.configYes, { user: id === 'mila' ? mila.user : narval.user }));
        await expect(row).toContainText(trust);
        await expect(row).toContainText(M.clusters.done.loginYes);
        await expect(row).toHaveClass(/\bok\b/);
      }
      // Each chosen cluster's own checks: the primary's list is titled with its name, narval's follows.
      await expect(page.getByRole('heading', { level: 3, name: fill(M.doneClusters.checksTitle, { name: 'Mila' }) })).toBeVisible();
      const narvalChecks = page.getByRole('region', { name: fill(M.doneClusters.checksTitle, { name: 'Narval (Alliance)' }) });
      await expect(narvalChecks.locator('li[data-check="config"]')).toHaveClass(/\bok\b/);
      await expect(narvalChecks.locator('li[data-check="config"]')).toContainText(M.done.checkText.config.ok);
      // No agent runs here: the summary says none can be reached, not that none holds the key yet.
      await expect(narvalChecks.locator('li[data-check="agent"]')).toContainText(M.done.checkText.agent.unreachable);
      await expect(narvalChecks.locator('li[data-check="agent"]')).not.toContainText(M.done.checkText.agent.warn);
      await expect(narvalChecks.locator('li[data-check="known-hosts"]')).toHaveClass(/\bok\b/);
      await saysNoMila(narvalChecks, 'narval’s checks on Done');
      // What to type from now on names each cluster chosen, not Mila's alone.
      await expect(page.locator('pre.commands').first()).toContainText(/^ssh mila$/m);
      await expect(page.locator('pre.commands').first()).toContainText(/^ssh narval$/m);
      await shot(page, 'multi-06-done');

      // What the user now has, as OpenSSH reads it: each alias goes to its own node, user and key.
      const sshG = (alias: string) =>
        Object.fromEntries(
          execFileSync('ssh', ['-G', '-F', path.join(sshDir, 'config'), alias], { encoding: 'utf8' })
            .split('\n')
            .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
        ) as Record<string, string>;
      const g = { mila: sshG('mila'), narval: sshG('narval') };
      expect(g.mila).toMatchObject({ hostname: '127.0.0.1', port: String(mila.login.port), user: mila.user, identityfile: path.join(sshDir, 'id_ed25519_mila') });
      expect(g.narval).toMatchObject({ hostname: '127.0.0.1', port: String(narval.login.port), user: narval.user, identityfile: path.join(sshDir, 'id_ed25519_alliance') });
      expect(g.narval.controlpersist).toBe('600');

      // Two private keys, each once, never copied; no secret in the host's output.
      const privateKeys = readdirSync(sshDir, { recursive: true, encoding: 'utf8' })
        .filter((f) => statSync(path.join(sshDir, f)).isFile())
        .filter((f) => readFileSync(path.join(sshDir, f), 'utf8').includes('PRIVATE KEY'));
      expect(privateKeys.sort()).toEqual(['id_ed25519_alliance', 'id_ed25519_mila']);
      for (const secret of [MILA_PASSPHRASE, ALLIANCE_PASSPHRASE, DUO_PASSCODE]) expect(host.output()).not.toContain(secret);
      // Progress remembers the choice: names, a username, booleans.
      const saved = readdirSync(host.stateDir).filter((f) => f.startsWith('progress-'));
      const progress = JSON.parse(readFileSync(path.join(host.stateDir, saved[0]!), 'utf8'));
      expect(progress).toMatchObject({ clusters: ['narval'], accounts: { alliance: { user: narval.user, keyFile: 'id_ed25519_alliance' } }, clusterDone: { mila: { login: true }, narval: { login: true } } });
      expect(JSON.stringify(progress)).not.toMatch(new RegExp(`${escape(MILA_PASSPHRASE)}|${escape(ALLIANCE_PASSPHRASE)}`));

      // One button undoes every change on this computer, both clusters' blocks and keys included; the keys stay.
      await page.getByRole('button', { name: M.done.undo }).click();
      await page.getByRole('button', { name: M.done.confirmYes }).click();
      await expect(page.getByRole('heading', { level: 2, name: M.done.headingUndone })).toBeVisible();
      expect(existsSync(path.join(sshDir, 'config'))).toBe(false);
      expect(existsSync(path.join(sshDir, 'known_hosts'))).toBe(false);
      for (const id of ['mila', 'narval']) {
        await expect(page.locator(`.cluster-states > li[data-cluster="${id}"]`)).toContainText(M.clusters.done.configNo);
        await expect(page.locator(`.cluster-states > li[data-cluster="${id}"]`)).toContainText(M.clusters.done.loginNo);
      }
      expect(existsSync(path.join(sshDir, 'id_ed25519_alliance'))).toBe(true);
      test.info().annotations.push({ type: 'walk seconds', description: ((Date.now() - started) / 1000).toFixed(1) });
    });
  });
}
