import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineContext } from '../../engine/context.js';
import { EARLY_CALLS_PARAM, parseEarlyCalls, type EarlyCall } from '../../shared/early-calls.js';
import { dispatch } from '../dispatch.js';
import type { HandlerScope } from '../handlers/scope.js';
import { tasks } from '../tasks.js';
import { serveStatic } from './static.js';
import { buildCsp } from '../../shared/csp.js';
import { logFault, PendingConnections } from './guard.js';
import { APP_PROTOCOL, parseProtocols, Secrets } from './launch.js';
import { PageTasks } from './page-tasks.js';
import type { HostMessage } from '../../shared/web-messages.js';

/** Connections still sending their request (see PendingConnections): the page needs two or three. */
const MAX_PENDING_CONNECTIONS = 32;
/** The largest message a page sends is a few kilobytes (an answer, a config preview's input). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface WebHost {
  /** The first address to open: a single-use launch secret in the fragment (never sent in HTTP requests). */
  url: string;
  port: number;
  /** Another address that opens the app once (for another window, after the first was used). */
  newLaunchUrl(): string;
  close(): Promise<void>;
}

export interface WebHostOptions {
  /** The primary cluster's context (the first of `clusters` when both are given). */
  ctx: EngineContext;
  /** Every cluster served, the primary first (a call's `cluster` id picks one); absent: `ctx`'s only. */
  clusters?: readonly EngineContext[] | undefined;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** For tests: the first launch secret; otherwise random. */
  launchSecret?: string;
  /** A page opened the app with a launch secret ('used'), or presented one already spent ('reused'). */
  onLaunch?(event: 'used' | 'reused'): void;
}

/**
 * The loopback web front: serves the renderer and binds the contract over a web socket.
 * Only 127.0.0.1, only with a launch or session secret of this run (launch.ts), only from
 * this server's own origin and Host (which stops other web pages and DNS-rebinding tricks
 * from driving the engine).
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const secrets = new Secrets();
  const firstLaunch = secrets.issueLaunch(opts.launchSecret);
  let origin = '';
  const headers = {
    'Content-Security-Policy': buildCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };

  const pending = new PendingConnections(MAX_PENDING_CONNECTIONS);
  const server = createServer((req, res) => {
    pending.settled(req.socket);
    if (req.headers.host !== origin.slice('http://'.length)) {
      res.writeHead(421, headers).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end('Method not allowed');
      return;
    }
    void serveStatic(res, opts.rendererDir, req.url ?? '/', headers);
  });

  // A request must arrive whole within seconds (the page's do at once); slow ones are cut.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('connection', (socket) => pending.add(socket));
  // A malformed request or a reset before the request was whole: drop that connection only.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  // The page offers the app's protocol and its secret; the answer names only the protocol.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => APP_PROTOCOL });
  wss.on('error', (err) => logFault('a web socket server error', err));
  const pageTasks = new PageTasks(tasks);
  /** One for the host: closing it aborts every call's work, so no OpenSSH program outlives it (openssh/terminate.ts). */
  const life = new AbortController();
  /**
   * The calls still being answered. close() waits for them (briefly) after aborting, so each
   * finishes its own clean-up (an ended program reaped, a private config copy removed) before
   * the process may exit.
   */
  const inFlight = new Set<Promise<unknown>>();
  const track = (call: Promise<unknown>): void => {
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  };
  /** Null: refused. Otherwise the page's session, new when it came with a launch secret (then the page must be given it). */
  const admit = (req: IncomingMessage): { session: string; isNew: boolean } | null => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/rpc' || req.headers.origin !== origin || req.headers.host !== origin.slice('http://'.length)) return null;
    const credential = parseProtocols(req.headers['sec-websocket-protocol']);
    if (credential.kind === 'session') return secrets.isSession(credential.secret) ? { session: credential.secret, isNew: false } : null;
    if (credential.kind !== 'launch') return null;
    const redeemed = secrets.redeemLaunch(credential.secret);
    if (redeemed === 'spent') opts.onLaunch?.('reused');
    if (redeemed === null || redeemed === 'spent') return null;
    opts.onLaunch?.('used');
    return { session: redeemed, isNew: true };
  };
  server.on('upgrade', (req, socket, head) => {
    pending.settled(req.socket);
    // From here the raw socket is ours: a reset (ECONNRESET, EPIPE) while we answer is an
    // 'error' event on it, which would end the process if nobody listened.
    socket.on('error', () => socket.destroy());
    const admitted = admit(req);
    if (!admitted) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const early = parseEarlyCalls(new URL(req.url ?? '/', origin).searchParams.get(EARLY_CALLS_PARAM));
    wss.handleUpgrade(req, socket, head, (ws) => {
      // First, before any answer: the session secret the page keeps for its reloads.
      if (admitted.isNew) ws.send(JSON.stringify({ session: admitted.session }));
      bindSocket(ws, { ctx: opts.ctx, clusters: opts.clusters }, early, pageTasks, admitted.session, life.signal, track);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#launch=${firstLaunch}`,
    port,
    newLaunchUrl: () => `${origin}/#launch=${secrets.issueLaunch()}`,
    close: async () => {
      life.abort();
      const closed = new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Aborted work ends within terminate()'s grace (1.5 s); a call that still hangs does not hold the exit for ever.
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
      await closed;
    },
  };
}

interface RpcRequest {
  id: number;
  channel: string;
  input: unknown;
}

/** How long close() waits for aborted calls to finish their clean-up. */
const CLOSE_WAIT_MS = 4000;

function bindSocket(
  ws: WebSocket,
  served: Pick<HandlerScope, 'ctx' | 'clusters'>,
  early: readonly EarlyCall[],
  pageTasks: PageTasks,
  session: string,
  hostSignal: AbortSignal,
  track: (call: Promise<unknown>) => void,
): void {
  // ws reports a message over maxPayload (1009), a text frame that is not UTF-8 (1007) or a
  // broken frame as an 'error' event, then closes the connection: only this client is dropped.
  ws.on('error', () => ws.terminate());
  const send = (msg: HostMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const page = pageTasks.attach(session, send);
  // Work follows the page: the socket's calls are aborted when it closes (their answers could
  // reach nobody) or when the host stops. Tasks are cancelled by page.closed() as well.
  const gone = new AbortController();
  const signal = AbortSignal.any([hostSignal, gone.signal]);
  ws.on('close', () => {
    page.closed();
    gone.abort();
  });
  const answer = (req: RpcRequest) => {
    const envelope = dispatch(req.channel, req.input, {
      ...served,
      front: 'web',
      emit: (event, payload) => send({ event, payload }),
      signal,
    });
    track(envelope);
    // From now on the task (if the call starts one) is this page's: it ends if the page goes away.
    void page.follow(String(req.channel), req.input, envelope).then((e) => send({ id: req.id, envelope: e }));
  };
  ws.on('message', (data) => {
    let req: RpcRequest;
    try {
      req = JSON.parse(String(data)) as RpcRequest;
      if (typeof req.id !== 'number') throw new Error('no id');
    } catch {
      return; // Not our protocol: ignore rather than echo anything back.
    }
    answer(req);
  });
  // Calls the page named in the socket's URL: as if they were its first messages (dispatch checks them the same way).
  for (const [id, channel] of early) answer({ id, channel, input: {} });
}
