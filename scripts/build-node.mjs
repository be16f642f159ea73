// Bundles the Node-side entry points (CLI, web host, desktop engine host, Electron main and preload) with esbuild:
// one file each starts fast and ships without a node_modules walk. Native and Electron
// modules stay external.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  logLevel: 'warning',
  external: ['node-pty', 'electron'],
  legalComments: 'none',
};

// The CommonJS bundles that carry the engine. Engine code that also runs from source as ESM
// (tests) falls back to import.meta.url when there is no require (pty-module.ts); CommonJS has
// no import.meta, so it gets the bundle's own URL. (Not for the preload: a sandboxed preload's
// require knows only a few modules.)
const engineCjs = {
  ...common,
  define: { 'import.meta.url': '__milaOnboardImportMetaUrl' },
  banner: { js: "const __milaOnboardImportMetaUrl=require('node:url').pathToFileURL(__filename).href;" },
};

// The CLI is ESM split into chunks: the entry (commander and the command table) is small,
// and a command's code (the engine, zod) is loaded only when that command runs, so
// `mila-onboard --version` or `--help` does not parse half a megabyte (docs/benchmarks.md).
// Bundled CommonJS dependencies (commander) call require() for Node's built-ins, which ESM
// lacks: each chunk gets one from createRequire.
const cli = {
  ...common,
  format: 'esm',
  splitting: true,
  entryPoints: ['src/cli/mila-onboard.ts'],
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import{createRequire as __milaOnboardCreateRequire}from'node:module';const require=__milaOnboardCreateRequire(import.meta.url);" },
};
// Old chunks (their names carry a content hash) would pile up otherwise.
await rm('dist/cli', { recursive: true, force: true });
// The engine host was built into dist/main/ before it moved to dist/desktop/; a copy left
// there by an older build would be packaged (electron-builder takes dist/main/**) and never run.
await rm('dist/main/engine-host.cjs', { force: true });

await Promise.all([
  build(cli),
  build({ ...engineCjs, entryPoints: ['src/host/web/web-host.ts'], outfile: 'dist/web/web-host.cjs' }),
  build({ ...common, entryPoints: ['src/main/main.ts'], outfile: 'dist/main/main.cjs' }),
  // The engine host: the child process main.ts starts (utilityProcess) to run every
  // contract call, so node-pty and OpenSSH never run in the window's process.
  build({ ...engineCjs, entryPoints: ['src/host/desktop/engine-host.ts'], outfile: 'dist/desktop/engine-host.cjs' }),
  build({ ...common, entryPoints: ['src/preload/preload.ts'], outfile: 'dist/preload/preload.cjs' }),
]);
