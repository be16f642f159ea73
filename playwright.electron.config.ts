import { defineConfig } from '@playwright/test';

/**
 * The Electron smoke test (test/electron). Start it with `npm run test:electron`, which
 * finds the Electron binary (or reports that there is none) and passes it in through
 * MILA_ONBOARD_SMOKE_EXECUTABLE; see scripts/test-electron.mjs. Not part of `npm test`.
 */
export default defineConfig({
  testDir: 'test/electron',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results/electron',
});
