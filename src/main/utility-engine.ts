/**
 * The engine host started as an Electron utility process: the one part of the engine-host
 * pipe that names Electron's types, so it stays in main while the rest of the pipe (both
 * ends: src/host/desktop/) runs in plain Node. Value-free: main.ts passes
 * `utilityProcess.fork` in, so this module can be tested with a fake.
 */
import type { ForkOptions as UtilityForkOptions, UtilityProcess } from 'electron';
import { exitOnce, type EngineChild } from '../host/desktop/engine-transport.js';

/** Electron's `utilityProcess.fork`, passed in so this module needs no value import of electron. */
export type UtilityFork = (modulePath: string, args?: string[], options?: UtilityForkOptions) => UtilityProcess;

/** Starts the engine host as an Electron utility process (only after app 'ready'). */
export function utilityEngine(utilityFork: UtilityFork, modulePath: string, args: readonly string[], opts: { serviceName?: string } = {}): EngineChild {
  const child = utilityFork(modulePath, [...args], { serviceName: opts.serviceName ?? 'Mila Onboard engine', stdio: 'inherit' });
  const exit = exitOnce();
  child.once('exit', (code: number) => exit.fire(code));
  return {
    kind: 'utility-process',
    get pid() {
      return child.pid;
    },
    post(msg) {
      try {
        child.postMessage(msg);
      } catch {
        // the process is gone: the exit handler fails whatever was waiting
      }
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => exit.add(listener),
    kill: () => void child.kill(),
    setRef: () => undefined,
  };
}
