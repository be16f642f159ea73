import { spawn } from 'node:child_process';
import path from 'node:path';
import { toErrorPayload } from '../../engine/errors.js';
import { loadClusters, loadWithBuiltIns } from '../clusters.js';
import { readOwnFlags } from '../flags.js';
import { guardProcess } from './guard.js';
import { startWebHost } from './server.js';

const USAGE = 'npm run web [-- --ssh-dir DIR --profile NAME-OR-FILE ... --state-dir DIR --port N --open]';

/**
 * `npm run web [-- --ssh-dir DIR --profile FILE --state-dir DIR --port N --open]`: serves the wizard on 127.0.0.1 and prints its URL.
 * `--profile` may be repeated: the first is the primary, the others are the further clusters the
 * wizard offers (the tests point each at a throwaway node). Without it: Mila, then every other
 * built-in profile (the Alliance's clusters), as the desktop app offers.
 */
async function main(): Promise<void> {
  const values = readOwnFlags(
    process.argv.slice(2),
    {
      'ssh-dir': { type: 'string' },
      profile: { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      open: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const base = { sshDir: values['ssh-dir'], stateDir: values['state-dir'] };
  const clusters = values.profile?.length ? await loadClusters(values.profile, base) : await loadWithBuiltIns('mila', base);
  const ctx = clusters[0]!;
  const rendererDir = path.resolve(__dirname, '..', 'renderer');
  guardProcess();
  const host = await startWebHost({
    ctx,
    clusters,
    rendererDir,
    port: Number(values.port),
    // The terminal is the user's own: a new single-use address goes there each time one is used.
    onLaunch: (event) =>
      process.stdout.write(
        event === 'used'
          ? `The wizard was opened in a browser. To open it in another window, use this new address (it also works once):\n${host.newLaunchUrl()}\n`
          : 'Someone tried an address that was already used. If that was not you, stop Mila Onboard (Ctrl+C) and start it again.\n',
      ),
  });
  process.stdout.write(`Mila Onboard is running. Open this address in your browser (it works only on this computer, and only once):\n${host.url}\n`);
  // The opener's command line can be read by other users of this computer: what it holds opens the app once.
  if (values.open) openInBrowser(host.url);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Opens the system browser on the URL; if that fails the printed address is still there. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the user opens the printed address.
  }
}

main().catch((err: unknown) => {
  const p = toErrorPayload(err);
  process.stderr.write(`Error: ${err instanceof Error && p.code === 'internal' ? err.message : p.message}\n`);
  process.exit(1);
});
