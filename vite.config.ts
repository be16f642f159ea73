import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { buildCsp } from './src/shared/csp.js';

/**
 * Writes the one Content-Security-Policy (src/shared/csp.ts, meta form) into the built
 * index.html, so the page, the Electron header and the web host's header cannot drift apart.
 * (The source index.html keeps the same text for the Electronegativity scan; a unit test
 * checks it is the same.)
 */
function cspMeta(): Plugin {
  return {
    name: 'mila-csp-meta',
    transformIndexHtml(html) {
      const tag = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i;
      if (!tag.test(html)) throw new Error('index.html has no Content-Security-Policy <meta> tag to fill in');
      return html.replace(tag, `$1${buildCsp({ meta: true })}$2`);
    },
  };
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
