// `npm run dev [-- --ssh-dir DIR --profile NAME-OR-FILE --state-dir DIR --port N]`: the wizard
// with hot reload of the renderer, for working on it. Development only; nothing here is built
// into dist/ or shipped.
//
// Two processes, both on 127.0.0.1:
//   - the real web host (dist/web/web-host.cjs, built first), with its launch secret, Origin
//     and Host checks unchanged: it runs the engine and answers /rpc;
//   - Vite's dev server (vite.config.ts) serving src/renderer with hot reload, which passes
//     the page's /rpc socket to the web host. It passes only sockets whose Origin is the dev
//     page's own (any other page's gets a 404, as the host would refuse it), and rewrites that
//     Origin to the host's, which the host then checks as usual. The page presents the launch
//     or session secret itself, inside the socket's protocol header, exactly as in production.
//
// The address printed opens the dev page once, as `npm run web`'s does (the launch secret is
// the web host's own, single-use). The dev page's Content-Security-Policy adds only a
// per-start nonce for the dev server's inline scripts and styles (vite.config.ts); the built
// page's policy is untouched (test/integration/built-app.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Strict, like the programs' flags (src/host/flags.ts): a misspelt flag stops here.
const { values } = parseArgs({
  options: {
    'ssh-dir': { type: 'string' },
    profile: { type: 'string' },
    'state-dir': { type: 'string' },
    port: { type: 'string', default: '5173' },
  },
  strict: true,
});

// The web host is not hot reloaded: build it (and the other Node bundles) as it is now.
const built = spawnSync(process.execPath, [path.join(root, 'scripts/build-node.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(1);

const hostArgs = ['--port', '0'];
for (const flag of ['ssh-dir', 'profile', 'state-dir']) if (values[flag] !== undefined) hostArgs.push(`--${flag}`, values[flag]);
const host = spawn(process.execPath, [path.join(root, 'dist/web/web-host.cjs'), ...hostArgs], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });

const LAUNCH_URL = /http:\/\/127\.0\.0\.1:(\d+)\/#launch=[\w-]+/;
let hostOrigin = '';
let devOrigin = '';
let server;
let stopping = false;

const stop = (code) => {
  if (stopping) return;
  stopping = true;
  host.kill('SIGTERM');
  void (server ? server.close() : Promise.resolve()).finally(() => process.exit(code));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));
host.on('exit', (code) => {
  if (stopping) return;
  console.error(`The web host stopped (exit code ${code ?? 'none'}); stopping the dev server too.`);
  stop(code === 0 ? 0 : 1);
});

// The host's lines name its own address; in development the page is the dev server's. Its
// greeting (up to its first launch address) is replaced by this script's own, below.
const lines = createInterface({ input: host.stdout });
lines.on('line', (line) => {
  if (!hostOrigin) {
    const m = LAUNCH_URL.exec(line);
    if (m) {
      hostOrigin = new URL(m[0]).origin;
      startDevServer(m[0]).catch((err) => {
        console.error(`The dev server could not start: ${err instanceof Error ? err.message : String(err)}`);
        stop(1);
      });
    }
    return;
  }
  process.stdout.write(`${devOrigin ? line.split(hostOrigin).join(devOrigin) : line}\n`);
});

async function startDevServer(launchUrl) {
  const { createServer } = await import('vite');
  server = await createServer({
    configFile: path.join(root, 'vite.config.ts'),
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      port: Number(values.port),
      strictPort: false,
      proxy: {
        '/rpc': {
          target: hostOrigin,
          ws: true,
          changeOrigin: true,
          rewriteWsOrigin: true,
          // Only the dev page itself reaches the host through here (false: answered 404).
          bypass: (req) => (req.headers.origin === devOrigin ? undefined : false),
        },
      },
    },
  });
  await server.listen();
  const address = server.httpServer.address();
  devOrigin = `http://127.0.0.1:${address.port}`;
  const devUrl = `${devOrigin}/${new URL(launchUrl).hash}`;
  process.stdout.write(
    `Mila Onboard (development, hot reload of src/renderer) is running. Open this address in your browser (it works only on this computer, and only once):\n${devUrl}\n`,
  );
}
