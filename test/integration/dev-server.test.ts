/**
 * `npm run dev` (scripts/dev.mjs) serves the renderer through Vite's dev server with hot
 * reload. What must hold, checked here:
 *   - the dev page's Content-Security-Policy is the app's own plus a nonce for the dev
 *     server's inline scripts and styles (never 'unsafe-inline'), new at each start;
 *   - the production build carries nothing of it: the built page's policy is exactly the
 *     app's, and no dev-server client, Fast Refresh code or nonce is in dist/renderer.
 * Needs `npm run build` first (npm test builds before the tests), like built-app.test.ts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from '../../src/shared/csp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sourceHtml = readFileSync(path.join(root, 'src/renderer/index.html'), 'utf8');

const cspOf = (html: string): string => {
  const tags = html.match(/<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*>/gi) ?? [];
  expect(tags).toHaveLength(1);
  return /content="([^"]*)"/.exec(tags[0]!)![1]!;
};

/** The page as Vite's dev server sends it, with the project's vite.config.ts. */
async function devPage(): Promise<string> {
  const server: ViteDevServer = await createServer({
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'silent',
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  try {
    return await server.transformIndexHtml('/index.html', sourceHtml);
  } finally {
    await server.close();
  }
}

describe('the dev server page (npm run dev)', () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    first = await devPage();
    second = await devPage();
  }, 60_000);

  it("adds a nonce to the app's policy for scripts and styles, and nothing else", () => {
    const csp = cspOf(first);
    const nonce = /'nonce-([\w-]{16,})'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    const app = buildCsp({ meta: true });
    expect(csp).toBe(app.replace("script-src 'self'", `script-src 'self' 'nonce-${nonce}'`).replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`));
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // Every script the dev server writes into the page (its client, Fast Refresh's preamble) carries it.
    const scripts = first.match(/<script\b[^>]*>/gi) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    expect(first).toContain('/@vite/client');
  });

  it('gets a new nonce at each start', () => {
    const nonceOf = (html: string) => /'nonce-([\w-]+)'/.exec(cspOf(html))![1];
    expect(nonceOf(second)).not.toBe(nonceOf(first));
  });
});

describe('the production build (npm run build)', () => {
  const dir = path.join(root, 'dist/renderer');
  beforeAll(() => {
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error('Build first (npm run build; npm test does it): dist/renderer/index.html is missing.');
  });
  const files = () => readdirSync(path.join(dir, 'assets')).map((f) => path.join(dir, 'assets', f)).concat(path.join(dir, 'index.html'));

  it("carries exactly the app's policy, with no nonce", () => {
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(cspOf(html)).toBe(buildCsp({ meta: true }));
    expect(html).not.toMatch(/nonce|csp-nonce/);
  });

  it('holds nothing of the dev server: no Vite client, no hot-reload or Fast Refresh code', () => {
    expect(files().length).toBeGreaterThan(5);
    const found = files().flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return ['/@vite/client', '@vite/env', '/@react-refresh', '$RefreshReg$', 'import.meta.hot', '__vite_ping', 'vite-hmr'].filter((marker) => text.includes(marker)).map((m) => `${path.relative(root, f)}: ${m}`);
    });
    expect(found).toEqual([]);
  });
});

