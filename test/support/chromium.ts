import { execFileSync } from 'node:child_process';

/**
 * Debian's Chromium (Playwright cannot download its own browsers here), for the e2e tests
 * and the renderer benchmark alike. No browser fails loudly, in CI and locally: never a skip.
 */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('No Chromium found. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
}

/** Without the background-networking flags, Chromium's connections are refused by this closed network, many at a time. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
