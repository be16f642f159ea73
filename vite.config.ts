import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is one static bundle that both fronts load: Electron from file:// (hence
// the relative base) and the web host from 127.0.0.1. No inline scripts: the CSP forbids them.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
