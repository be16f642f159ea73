// Bundles the Node-side entry points (CLI, web host, Electron main and preload) with esbuild:
// one file each starts fast and ships without a node_modules walk. Native and Electron
// modules stay external.
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

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/mila-onboard.ts'], outfile: 'dist/cli/mila-onboard.cjs' }),
  build({ ...common, entryPoints: ['src/host/web/web-host.ts'], outfile: 'dist/web/web-host.cjs' }),
  build({ ...common, entryPoints: ['src/main/main.ts'], outfile: 'dist/main/main.cjs' }),
  // The engine host: the child process main.ts starts (utilityProcess) to run every
  // contract call, so node-pty and OpenSSH never run in the window's process.
  build({ ...common, entryPoints: ['src/main/engine-host.ts'], outfile: 'dist/main/engine-host.cjs' }),
  build({ ...common, entryPoints: ['src/preload/preload.ts'], outfile: 'dist/preload/preload.cjs' }),
]);
