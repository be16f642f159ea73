/**
 * The engine host: the child process that runs every contract call for the desktop app,
 * bundled to dist/desktop/engine-host.cjs. Electron main starts it with utilityProcess.fork
 * (tests with child_process.fork) and passes the engine context as arguments:
 * `--ssh-dir=… --profile=… --platform=…` (see engine-transport.ts). node-pty and every
 * OpenSSH program run here, never in the main process, so none of them can freeze the
 * window; if this process dies, engine-client.ts fails the calls in flight and starts a
 * new one for the next call.
 */
import { createContext } from '../../engine/context.js';
import { loadProfile } from '../../engine/profile/load.js';
import { dispatch } from '../dispatch.js';
import { serveEngine, trackChildProcesses } from './engine-service.js';
import { hostEndpoint, parseEngineHostArgs } from './engine-transport.js';

const args = parseEngineHostArgs(process.argv);
const children = trackChildProcesses();
const endChildren = (): void => void children.endAll('SIGTERM');

const service = serveEngine(hostEndpoint(), {
  dispatch,
  context: loadProfile(args.profile).then((profile) => createContext({ sshDir: args.sshDir, profile, platform: args.platform })),
  endChildren,
  exit: (code) => process.exit(code),
});

// utilityProcess.kill() and a plain `kill` send SIGTERM: end our own children first (the
// default action would leave them orphaned), then go.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    endChildren();
    process.exit(0);
  });
}

// A bug escaping every handler must not leave a half-working host: end it; the client
// reports the calls in flight and restarts it on the next call.
process.on('uncaughtException', (err) => {
  console.error('Mila Onboard engine host: uncaught exception:', err);
  endChildren();
  process.exit(70);
});

void service;
