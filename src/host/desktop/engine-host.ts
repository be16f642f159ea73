/**
 * The engine host: the child process that runs every contract call for the desktop app,
 * bundled to dist/desktop/engine-host.cjs. Electron main starts it with utilityProcess.fork
 * (tests with child_process.fork) and passes the engine context as arguments:
 * `--ssh-dir=… --profile=… --platform=…` (see engine-transport.ts). node-pty and every
 * OpenSSH program run here, never in the main process, so none of them can freeze the
 * window; if this process dies, engine-client.ts fails the calls in flight and starts a
 * new one for the next call.
 */
import { loadWithBuiltIns } from '../clusters.js';
import { dispatch } from '../dispatch.js';
import { serveEngine } from './engine-service.js';
import { hostEndpoint, parseEngineHostArgs } from './engine-transport.js';

const args = parseEngineHostArgs(process.argv);

// The desktop app offers the built-in clusters besides its own profile (Mila and the Alliance's).
const clusters = loadWithBuiltIns(args.profile, { sshDir: args.sshDir, platform: args.platform });
const service = serveEngine(hostEndpoint(), {
  dispatch,
  context: clusters.then((all) => all[0]),
  clusters,
  exit: (code) => process.exit(code),
});

// utilityProcess.kill() and a plain `kill` send SIGTERM: abort all work at once, so the
// engine ends the programs it started (the default action would leave them orphaned), then go.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    service.abortAll();
    void service.shutdown({ graceMs: 0 });
  });
}

// A bug escaping every handler must not leave a half-working host: end it; the client
// reports the calls in flight and restarts it on the next call. Aborting sends each program
// its signal now; the exit does not wait (the state of this process is not to be trusted).
process.on('uncaughtException', (err) => {
  console.error('Mila Onboard engine host: uncaught exception:', err);
  service.abortAll();
  process.exit(70);
});
