import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningWebHost {
  /** The newest single-use address the host printed (a new one appears once a page used the last). */
  readonly url: string;
  /** The first address printed, to check that it cannot be used twice. */
  firstUrl: string;
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

const LAUNCH_URL = /http:\/\/127\.0\.0\.1:\d+\/#launch=[\w-]+/g;

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
      const m = new RegExp(LAUNCH_URL.source).exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}`)));
  });
  return {
    // Each address opens the app once; the host prints a new one when one is used.
    get url() {
      return [...out.matchAll(LAUNCH_URL)].at(-1)![0];
    },
    firstUrl: url,
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

const firstMessages = new WeakMap<WebSocket, Promise<{ session?: string }>>();

/** Opens the host's socket from Node (the `ws` client) as the page does: its origin, the app's protocol and one secret. */
export function openSocket(host: RunningWebHost, protocols: string[], headers: Record<string, string> = { Origin: host.origin }): Promise<WebSocket | 'refused'> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/rpc`, protocols, { headers });
  // The host's first message can come in the same packet as the handshake: listen from the start.
  firstMessages.set(ws, new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d))))));
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', () => resolve('refused'));
  });
}

/** The secret of a single-use address. */
export const launchSecretOf = (url: string): string => new URL(url).hash.replace(/^#launch=/, '');

/** Spends the host's newest launch address as a page would, and returns the session secret it gets back. */
export async function sessionFor(host: RunningWebHost): Promise<string> {
  const ws = await openSocket(host, ['mila-onboard', `mila-launch.${launchSecretOf(host.url)}`]);
  if (ws === 'refused') throw new Error('the launch address was refused');
  const first = await firstMessages.get(ws)!;
  ws.close();
  if (!first.session) throw new Error('no session secret came first');
  return first.session;
}

const sessions = new WeakMap<RunningWebHost, string>();

/** A contract connection to a running host from Node, with a session secret (one launch address spent per host). */
export async function connectRpc(host: RunningWebHost): Promise<WebSocket> {
  let session = sessions.get(host);
  if (!session) sessions.set(host, (session = await sessionFor(host)));
  const ws = await openSocket(host, ['mila-onboard', `mila-session.${session}`]);
  if (ws === 'refused') throw new Error('the session secret was refused');
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
