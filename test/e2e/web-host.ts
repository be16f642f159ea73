import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningWebHost {
  url: string;
  origin: string;
  port: number;
  stop(): Promise<void>;
  /** Everything the host printed, to check that no secret ever reaches its output. */
  output(): string;
  /** The app's state folder for this host (wizard progress), never the user's real one. */
  stateDir: string;
  /** Forgets the saved wizard progress, so the next page load starts at the welcome step. */
  resetProgress(): void;
  /** The host's process id, and whether it is still running (an attack must not end it). */
  pid: number;
  alive(): boolean;
}

/** Starts the built web host exactly as `npm run web` does, on a throwaway SSH folder. */
export async function startBuiltWebHost(args: string[], opts: { stateDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningWebHost> {
  const entry = path.resolve('dist/web/web-host.cjs');
  const stateDir = opts.stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-state-'));
  const child: ChildProcess = spawn(process.execPath, [entry, '--state-dir', stateDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
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
    port: Number(new URL(url).port),
    output: () => out,
    stateDir,
    pid: child.pid!,
    alive: () => child.exitCode === null && child.signalCode === null,
    resetProgress: () => {
      for (const f of readdirSync(stateDir)) if (f.startsWith('progress-')) rmSync(path.join(stateDir, f));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A contract connection to a running host from Node (the `ws` client), as the page makes it. */
export async function connectRpc(host: RunningWebHost): Promise<WebSocket> {
  const token = new URL(host.url).hash.split('token=')[1] ?? '';
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/rpc?token=${token}`, { headers: { Origin: host.origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** One contract call over a connection, answered with its envelope. */
export function callRpc(ws: WebSocket, channel: string, input: unknown = {}): Promise<{ ok: boolean; value?: any; error?: any }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id !== id) return;
      ws.off('message', onMessage);
      resolve(msg.envelope);
    };
    ws.on('message', onMessage);
    ws.once('close', () => reject(new Error('the connection closed before the answer')));
    ws.send(JSON.stringify({ id, channel, input }));
  });
}
