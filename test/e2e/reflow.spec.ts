import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

/**
 * WCAG 2.2 SC 1.4.10 (reflow): at 640 CSS px wide (a 1280 px window at 200 % zoom) every step
 * reads without scrolling sideways, and the language switch stays on screen. Zoom is emulated
 * both ways: a 640 px viewport, and a 1280-device-pixel screen at device scale factor 2.
 */
let host: RunningWebHost;
let dir: string;

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-reflow-'));
  chmodSync(dir, 0o700);
  // The longest public key the wizard shows: RSA 4096 (about 740 characters on one line).
  execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '4096', '-N', '', '-C', 'a-rather-long-comment@a-computer-with-a-long-name', '-f', path.join(dir, 'id_rsa')]);
  host = await startBuiltWebHost(['--ssh-dir', dir]);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function expectReflows(page: Page, where: string, languageLabel: string): Promise<void> {
  const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    // The innermost elements that stick out, named, so a failure says what to fix.
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > cw + 0.5 && !Array.from(el.children).some((c) => c.getBoundingClientRect().right > cw + 0.5))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px): ${(el.textContent ?? '').slice(0, 40)}`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: cw, wide };
  });
  expect(scrollWidth, `${where}: page wider than the window: ${wide.join(' | ')}`).toBeLessThanOrEqual(clientWidth);
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.getByLabel(languageLabel).boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, `${where}: language switch`).not.toBeNull();
  expect(box!.x, `${where}: language switch left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${where}: language switch right edge`).toBeLessThanOrEqual(width);
  await expect(page.getByLabel(languageLabel), where).toBeInViewport();
}

const ZOOMS = [
  { name: '640 px', viewport: { width: 640, height: 800 }, deviceScaleFactor: 1 },
  { name: '200 % of 1280 px', viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
  { name: '320 px (WCAG’s own width)', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
];

for (const zoom of ZOOMS) {
  for (const [lang, M] of [['en', en], ['fr', fr]] as const) {
    test.describe(`${zoom.name}, ${lang}`, () => {
      test.use({ viewport: zoom.viewport, deviceScaleFactor: zoom.deviceScaleFactor, locale: lang === 'fr' ? 'fr-CA' : 'en-US' });
      test(`every step reflows with no sideways scroll, language switch visible (${zoom.name}, ${lang})`, async ({ page }) => {
        host.resetProgress();
        await page.goto(host.url);
        await expect(page.getByRole('heading', { level: 2, name: M.welcome.heading })).toBeVisible();
        const stepIds = Object.keys(M.steps) as (keyof typeof M.steps)[];
        for (const [index, id] of stepIds.entries()) {
          // By position: a finished step's name gains "(done)", and "Done" is also a step.
          await page.getByRole('navigation').getByRole('button').nth(index).click();
          await expect(page.getByRole('navigation').getByRole('button').nth(index)).toHaveAttribute('aria-current', 'step');
          await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
          await page.waitForLoadState('networkidle').catch(() => undefined);
          if (id === 'keys') {
            await expect(page.locator('.key-card')).toBeVisible();
            // The only key may already be the chosen one.
            const use = page.getByRole('button', { name: M.keys.useNamed.replace('{{file}}', 'id_rsa') });
            if (await use.isVisible()) {
              await use.click();
              await expect(page.getByRole('heading', { level: 2, name: M.public.heading })).toBeVisible();
            }
          }
          if (id === 'public') {
            // The whole key is in its box (no clipping), and copying takes it exactly.
            const box = page.locator('textarea.public-key');
            await expect(box).toHaveValue(readFileSync(path.join(dir, 'id_rsa.pub'), 'utf8').trim());
            const fits = await box.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1);
            expect(fits, 'the whole public key is visible in its box').toBe(true);
          }
          if (id === 'config') {
            await page.getByLabel(M.config.user).fill('alice');
            await page.getByRole('button', { name: M.config.preview }).click();
            await expect(page.getByRole('region', { name: M.config.diffLabel })).toBeVisible();
          }
          if (id === 'done') await expect(page.getByText(M.done.checksTitle)).toBeVisible({ timeout: 30_000 });
          await expectReflows(page, `${id} at ${zoom.name} (${lang})`, M.app.language);
        }
        await page.screenshot({ path: `test-results/reflow-${lang}-${zoom.viewport.width}x${zoom.deviceScaleFactor}.png`, fullPage: true });
      });
    });
  }
}
