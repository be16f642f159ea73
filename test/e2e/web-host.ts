import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface RunningWebHost {
  url: string;
  origin: string;
  stop(): Promise<void>;
  /** Everything the host printed, to check that no secret ever reaches its output. */
  output(): string;
}

/** Starts the built web host exactly as `npm run web` does, on a throwaway SSH folder. */
export async function startBuiltWebHost(args: string[]): Promise<RunningWebHost> {
  const entry = path.resolve('dist/web/web-host.cjs');
  const child: ChildProcess = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 10_000);
    const check = () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
