import { randomBytes } from 'node:crypto';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { buildCsp } from './src/shared/csp.js';

/**
 * Writes the one Content-Security-Policy (src/shared/csp.ts, meta form) into the built
 * index.html, so the page, the Electron header and the web host's header cannot drift apart.
 * (The source index.html keeps the same text for the Electronegativity scan; a unit test
 * checks it is the same.)
 *
 * Under the dev server (`npm run dev`, scripts/dev.mjs) only: the dev server adds inline code
 * of its own (React Fast Refresh's preamble script, the styles its client injects), which
 * `'self'` refuses. Rather than 'unsafe-inline', each dev server start gets a random nonce
 * (Vite's html.cspNonce puts it on every tag it writes and its client reads it for the styles
 * it adds), and the dev page's policy allows that nonce for scripts and styles. `vite build`
 * never sets a nonce, so the built page carries exactly buildCsp({ meta: true }).
 */
function cspMeta(): Plugin {
  let nonce: string | undefined;
  return {
    name: 'mila-csp-meta',
    config(config, { command }) {
      if (command === 'serve' && !config.html?.cspNonce) return { html: { cspNonce: randomBytes(18).toString('base64url') } };
    },
    configResolved(config) {
      nonce = config.command === 'serve' ? config.html?.cspNonce : undefined;
    },
    transformIndexHtml(html) {
      const tag = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i;
      if (!tag.test(html)) throw new Error('index.html has no Content-Security-Policy <meta> tag to fill in');
      return html.replace(tag, `$1${nonce ? devServerCsp(nonce) : buildCsp({ meta: true })}$2`);
    },
  };
}

/** The app's policy with one addition for the dev server's own inline scripts and styles: its nonce. */
function devServerCsp(nonce: string): string {
  const csp = buildCsp({ meta: true });
  const dev = csp.replace("script-src 'self'", `script-src 'self' 'nonce-${nonce}'`).replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`);
  if ((dev.match(/'nonce-/g) ?? []).length !== 2) throw new Error(`The dev server's CSP could not be derived from the app's: ${csp}`);
  return dev;
}

// The renderer is one static bundle that both fronts load: Electron from file:// (hence
// the relative base) and the web host from 127.0.0.1. No inline scripts: the CSP forbids them.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
