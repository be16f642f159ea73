import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { makeSshFolder, startWizard, tearDown } from '../fixtures/wizard.js';
import type { RunningWebHost } from './web-host.js';

let host: RunningWebHost;
let dir: string;

test.beforeAll(async () => {
  dir = await makeSshFolder('mila-e2e-a11y-', { keys: [{ name: 'id_ed25519' }] });
  host = await startWizard({ sshDir: dir });
});
test.afterAll(() => tearDown(host, dir));

async function stepNames(page: Page): Promise<string[]> {
  return page.getByRole('navigation').getByRole('button').allInnerTexts();
}

async function expectNoViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, where).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  for (const lang of ['en', 'fr'] as const) {
    test.describe(`${scheme}, ${lang}`, () => {
      // The computer's language decides (nothing in this file switches it in the page).
      test.use({ locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
      test(`axe finds no violation on any step (${scheme}, ${lang})`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(host.url);
        await expect(page.locator('h2')).toBeVisible();
        const names = await stepNames(page);
        expect(names.length).toBeGreaterThan(5);
        for (let i = 0; i < names.length; i++) {
          await page.getByRole('navigation').getByRole('button').nth(i).click();
          await expect(page.locator('h2')).toBeVisible();
          await page.waitForLoadState('networkidle');
          await expectNoViolations(page, `${scheme}/${lang} step ${i + 1}`);
        }
      });
    });
  }
}

test('the whole path can be walked with the keyboard alone', async ({ page }) => {
  host.resetProgress();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
  // Tab to the Start button and press Enter; focus lands on the next step's heading.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Start') break;
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'What an SSH key is' })).toBeFocused();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Find my keys') break;
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your SSH keys' })).toBeFocused();
});

test('the window looks right at 900x600', async ({ page }) => {
  host.resetProgress();
  await page.setViewportSize({ width: 900, height: 600 });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'docs/screenshots/welcome-900x600.png' });
});

test('the axe check itself catches a real violation (so a clean result means something)', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.locator('h2')).toBeVisible();
  await page.evaluate(() => {
    const b = document.createElement('button');
    document.querySelector('main')!.appendChild(b); // a button with no name
  });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => v.id)).toContain('button-name');
});
