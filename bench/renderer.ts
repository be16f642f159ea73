/**
 * 1. Renderer start: from navigation to the first wizard step being interactive (its Start
 *    button in the page, laid out, enabled), in headless Chromium (Debian's), as a ratio to a
 *    blank React 19 page served by the same web host in the same run. Also the JavaScript
 *    loaded before that moment, gzipped.
 * 5. Memory: the web host's resident memory after a walk through every step of the nav, and
 *    the renderer's JS heap at that point.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createContext } from '../src/engine/context.js';
import { builtInProfile } from '../src/engine/profile/load.js';
import { startWebHost } from '../src/host/web/server.js';
import { formatKB, formatMiB, formatMs, formatRatio, ratioSummary, repeat, rotate, summarize } from './stats.js';
import type { BenchEnv, Row, SectionResult } from './types.js';
import { CHROMIUM_ARGS, chromiumPath } from '../test/support/chromium.js';

export const RENDERER_TARGET_RATIO = 1.25;
export const INITIAL_JS_TARGET_BYTES = 150_000;

const VIEWPORT = { width: 1100, height: 760 };

/** Builds the blank React page: one button, nothing else, built for production like ours. */
async function buildBlankPage(env: BenchEnv): Promise<string> {
  const dir = path.join(env.tmp, 'blank');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  await build({
    entryPoints: [path.join(env.root, 'bench', 'blank', 'main.tsx')],
    outfile: path.join(dir, 'assets', 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <meta name="viewport" content="width=device-width, initial-scale=1" />\n' +
      '    <title>Blank</title>\n    <script type="module" crossorigin src="./assets/index.js"></script>\n  </head>\n  <body>\n    <div id="root"></div>\n  </body>\n</html>\n',
  );
  return dir;
}

/** A small, ordinary SSH folder: one key, a short config. */
function makeSshDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench@laptop', '-f', path.join(dir, 'id_ed25519')]);
  writeFileSync(path.join(dir, 'config'), 'Host example\n  HostName example.org\n  User me\n', { mode: 0o600 });
  return dir;
}

declare global {
  interface Window {
    __interactiveAt?: number | null;
    __pendingRpc?: number;
    __timeline?: Record<string, number>;
  }
}

/**
 * Injected before the page's own scripts: notes the moment (ms since navigation start) a
 * button with the given text is in the page, laid out with a size, and enabled.
 */
function watchForButton(label: string): void {
  window.__interactiveAt = null;
  const check = (): void => {
    if (window.__interactiveAt !== null) return;
    for (const b of Array.from(document.querySelectorAll('button'))) {
      if (b.textContent?.trim() !== label || b.disabled) continue;
      const r = b.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== 'hidden') {
        window.__interactiveAt = performance.now();
        observer.disconnect();
        return;
      }
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

/** Injected for the memory walk: counts contract calls in flight on the web socket. */
function countRpc(): void {
  window.__pendingRpc = 0;
  const Original = window.WebSocket;
  class Counting extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Calls named in the URL (src/shared/early-calls.ts) are in flight too.
      const early = new URL(String(url)).searchParams.get('early');
      if (early) window.__pendingRpc = (window.__pendingRpc ?? 0) + (JSON.parse(early) as unknown[]).length;
      this.addEventListener('message', (e: MessageEvent) => {
        try {
          const m = JSON.parse(String(e.data)) as { id?: unknown };
          if (typeof m.id === 'number') window.__pendingRpc = (window.__pendingRpc ?? 1) - 1;
        } catch {
          // not a reply
        }
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      try {
        const m = JSON.parse(String(data)) as { id?: unknown };
        if (typeof m.id === 'number') window.__pendingRpc = (window.__pendingRpc ?? 0) + 1;
      } catch {
        // not a call
      }
      super.send(data);
    }
  }
  window.WebSocket = Counting;
}

/**
 * Injected for the breakdown runs only (not the timed ones): when the page's first DOM
 * appears and when the web socket is created, opened, first used and first answered.
 */
function recordTimeline(): void {
  const tl: Record<string, number> = {};
  window.__timeline = tl;
  const mark = (k: string) => {
    if (tl[k] === undefined) tl[k] = performance.now();
  };
  document.addEventListener('DOMContentLoaded', () => mark('domContentLoaded'));
  const observer = new MutationObserver(() => {
    if (document.getElementById('root')?.firstChild) {
      mark('firstRender');
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true });
  const Original = window.WebSocket;
  class Timed extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      mark('socketCreated');
      super(url, protocols);
      // The first calls may ride in the URL (src/shared/early-calls.ts): sent with the socket itself.
      if (new URL(String(url)).searchParams.has('early')) mark('firstCall');
      this.addEventListener('open', () => mark('socketOpen'));
      this.addEventListener('message', () => mark('firstReply'));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      mark('firstCall');
      super.send(data);
    }
  }
  window.WebSocket = Timed;
}

interface LoadResult {
  /** ms from navigation start to the button being interactive. */
  interactive: number;
  /** Paths (from the site root) of the scripts fully loaded by then. */
  scripts: string[];
}

async function loadOnce(browser: Browser, url: string, label: string, timeline = false): Promise<LoadResult & { timeline?: Record<string, number> }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: VIEWPORT });
  try {
    await context.addInitScript(watchForButton, label);
    if (timeline) await context.addInitScript(recordTimeline);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => typeof window.__interactiveAt === 'number', null, { timeout: 20_000, polling: 50 });
    // Playwright's own view agrees: visible and enabled.
    const button = page.getByRole('button', { name: label, exact: true });
    await button.waitFor({ state: 'visible', timeout: 5_000 });
    if (!(await button.isEnabled())) throw new Error(`${label} is not enabled`);
    return await page.evaluate(() => {
      const at = window.__interactiveAt!;
      const scripts = performance
        .getEntriesByType('resource')
        .filter((e) => (e as PerformanceResourceTiming).responseEnd <= at && /\.m?js$/.test(new URL(e.name).pathname))
        .map((e) => new URL(e.name).pathname);
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const js = performance
        .getEntriesByType('resource')
        .filter((e) => /\.m?js$/.test(new URL(e.name).pathname))
        .map((e) => (e as PerformanceResourceTiming).responseEnd);
      const timeline: Record<string, number> = { ...(window.__timeline ?? {}), interactive: at };
      if (nav) timeline.htmlLoaded = nav.responseEnd;
      if (js.length) timeline.scriptsLoaded = Math.max(...js);
      return { interactive: at, scripts, timeline };
    });
  } finally {
    await context.close();
  }
}

function gzippedSize(rootDir: string, urlPaths: readonly string[]): { bytes: number; raw: number; files: string[] } {
  let bytes = 0;
  let raw = 0;
  const files = [...new Set(urlPaths)];
  for (const p of files) {
    const body = readFileSync(path.join(rootDir, decodeURIComponent(p).replace(/^\/+/, '')));
    raw += body.length;
    bytes += gzipSync(body, { level: 9 }).length;
  }
  return { bytes, raw, files };
}

/** Starts the built web host (dist/web/web-host.cjs) as `npm run web` does; its pid is what we measure. */
async function startBuiltHost(root: string, sshDir: string, stateDir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const args = [path.join(root, 'dist', 'web', 'web-host.cjs'), '--ssh-dir', sshDir, '--state-dir', stateDir];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 15_000);
    child.stdout.on('data', () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/#launch=\S+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process, in bytes (Linux /proc). */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function settle(page: Page): Promise<void> {
  // Every contract call answered, twice in a row 100 ms apart.
  let quiet = 0;
  for (let i = 0; i < 100 && quiet < 2; i++) {
    await page.waitForTimeout(100);
    quiet = (await page.evaluate(() => window.__pendingRpc ?? 0)) === 0 ? quiet + 1 : 0;
  }
}

interface WalkResult {
  hostRssIdle: number;
  hostRss: number;
  hostPeak: number;
  heapUsed: number;
  heapTotal: number;
  steps: number;
}

async function walkOnce(env: BenchEnv, browser: Browser, sshDir: string): Promise<WalkResult> {
  const host = await startBuiltHost(env.root, sshDir, mkdtempSync(path.join(env.tmp, 'walk-state-')));
  const context = await browser.newContext({ locale: 'en-US', viewport: VIEWPORT });
  try {
    await new Promise((r) => setTimeout(r, 200));
    const idle = rssOf(host.pid).rss;
    await context.addInitScript(countRpc);
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ state: 'visible' });
    const nav = page.getByRole('navigation').getByRole('button');
    const steps = await nav.count();
    if (steps < 2) throw new Error(`the nav shows ${steps} step(s)`);
    for (let i = 0; i < steps; i++) {
      await nav.nth(i).click();
      await page.locator('main h2').first().waitFor({ state: 'visible' });
      await settle(page);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    await new Promise((r) => setTimeout(r, 300));
    const mem = rssOf(host.pid);
    return { hostRssIdle: idle, hostRss: mem.rss, hostPeak: mem.peak, heapUsed: heap.usedSize, heapTotal: heap.totalSize, steps };
  } finally {
    await context.close();
    await host.stop();
  }
}

export async function benchRenderer(env: BenchEnv): Promise<SectionResult> {
  const executablePath = chromiumPath();
  const chromiumVersion = execFileSync(executablePath, ['--version'], { encoding: 'utf8' }).trim();
  const blankDir = await buildBlankPage(env);
  const oursDir = path.join(env.root, 'dist', 'renderer');
  // MILA_BENCH_RENDERER_CANDIDATE: another build of the renderer (a fix being tried), measured
  // in the same rotation as ours and the blank page, reported on extra rows.
  const candidateDir = process.env.MILA_BENCH_RENDERER_CANDIDATE || null;
  const sshDir = makeSshDir(path.join(env.tmp, 'renderer-ssh'));
  // The wizard saves its progress: into the run's temp folder, never the real app state folder.
  const ctx = createContext({ sshDir, profile: builtInProfile('mila'), stateDir: path.join(env.tmp, 'renderer-state') });
  const ours = await startWebHost({ ctx, rendererDir: oursDir });
  const blank = await startWebHost({ ctx, rendererDir: blankDir });
  const candidate = candidateDir ? await startWebHost({ ctx, rendererDir: candidateDir }) : null;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  // 30 pairs: on this 2-core machine a median of 15 moved by ±0.06 between runs of the same build.
  const runs = env.quick ? 3 : 30;
  const walks = env.quick ? 1 : 5;
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    env.log(`Renderer: ${runs} loads each of the wizard and a blank React page (${chromiumVersion})`);
    let oursScripts: string[] = [];
    let blankScripts: string[] = [];
    let candidateScripts: string[] = [];
    const pages: Array<() => Promise<number>> = [
      async () => {
        const r = await loadOnce(browser, ours.newLaunchUrl(), 'Start');
        oursScripts = r.scripts;
        return r.interactive;
      },
      async () => {
        const r = await loadOnce(browser, blank.newLaunchUrl(), 'Start');
        blankScripts = r.scripts;
        return r.interactive;
      },
    ];
    if (candidate)
      pages.push(async () => {
        const r = await loadOnce(browser, candidate.newLaunchUrl(), 'Start');
        candidateScripts = r.scripts;
        return r.interactive;
      });
    const [oursTimes, blankTimes, candidateTimes] = await rotate(runs, 2, pages);
    const t = { a: oursTimes!, b: blankTimes! };
    const ratio = ratioSummary(t.a, t.b);
    const js = gzippedSize(oursDir, oursScripts);
    const blankJs = gzippedSize(blankDir, blankScripts);
    rows.push(
      { id: '1', what: 'Renderer: navigation → Start button interactive, wizard ÷ blank React page', result: formatRatio(ratio), target: `< ${RENDERER_TARGET_RATIO}×`, ok: ratio.median < RENDERER_TARGET_RATIO },
      { id: '1', what: '  wizard (first step interactive)', result: formatMs(summarize(t.a)), target: '', ok: null },
      { id: '1', what: '  blank React 19 page (one button)', result: formatMs(summarize(t.b)), target: '', ok: null },
      {
        id: '1',
        what: `Renderer: initial JavaScript, gzipped (${js.files.length} file${js.files.length === 1 ? '' : 's'}, ${formatKB(js.raw)} raw)`,
        result: formatKB(js.bytes),
        target: `< ${INITIAL_JS_TARGET_BYTES / 1000} kB`,
        ok: js.bytes < INITIAL_JS_TARGET_BYTES,
      },
      { id: '1', what: `  blank React page, for comparison (${formatKB(blankJs.raw)} raw)`, result: formatKB(blankJs.bytes), target: '', ok: null },
    );
    if (candidateDir && candidateTimes) {
      const c = ratioSummary(candidateTimes, t.b);
      const cjs = gzippedSize(candidateDir, candidateScripts);
      rows.push(
        { id: '1', what: `  candidate build ${candidateDir} ÷ blank page`, result: formatRatio(c), target: `< ${RENDERER_TARGET_RATIO}×`, ok: c.median < RENDERER_TARGET_RATIO },
        { id: '1', what: '  candidate build (first step interactive)', result: formatMs(summarize(candidateTimes)), target: '', ok: null },
        { id: '1', what: '  candidate build: initial JavaScript, gzipped', result: formatKB(cjs.bytes), target: `< ${INITIAL_JS_TARGET_BYTES / 1000} kB`, ok: cjs.bytes < INITIAL_JS_TARGET_BYTES },
      );
    }
    // Where the wizard's time goes: a few more loads with the timeline recorder (not in the figures above).
    const timelines: Array<Record<string, number>> = [];
    const blankTimelines: Array<Record<string, number>> = [];
    for (let i = 0; i < (env.quick ? 1 : 5); i++) {
      timelines.push((await loadOnce(browser, ours.newLaunchUrl(), 'Start', true)).timeline ?? {});
      blankTimelines.push((await loadOnce(browser, blank.newLaunchUrl(), 'Start', true)).timeline ?? {});
    }
    const stage = (tls: Array<Record<string, number>>, k: string) => {
      const v = tls.map((t) => t[k]).filter((x): x is number => typeof x === 'number');
      return v.length ? `${k} ${summarize(v).median.toFixed(0)} ms` : null;
    };
    const ORDERED = ['htmlLoaded', 'scriptsLoaded', 'domContentLoaded', 'firstRender', 'socketCreated', 'socketOpen', 'firstCall', 'firstReply', 'interactive'];
    notes.push(
      `Renderer timeline (medians of ${timelines.length} extra loads, ms after navigation start): wizard: ${ORDERED.map((k) => stage(timelines, k)).filter(Boolean).join(', ')}; ` +
        `blank page: ${ORDERED.map((k) => stage(blankTimelines, k)).filter(Boolean).join(', ')}.`,
    );
    notes.push(
      `Renderer: ${runs} loads of each page after 2 warm-up pairs, alternating, each in a fresh browser context (empty cache), ${VIEWPORT.width}×${VIEWPORT.height}, locale en-US; ` +
        'both pages served by startWebHost (src/host/web/server.ts) on 127.0.0.1 from the same process. "Interactive" is the first moment, after navigation start (performance.now() in the page), ' +
        'that a button labelled "Start" is in the DOM, laid out with a non-zero size and enabled (a MutationObserver injected before the page\'s scripts), confirmed by Playwright as visible and enabled. ' +
        'For the wizard this includes the web-socket call for app.info that the first step waits for. ' +
        `Initial JS: the scripts whose download finished before that moment (resource timing): ${js.files.join(', ')}; gzip level 9.`,
    );

    env.log(`Memory: ${walks} walks through every step (fresh web host each)`);
    const walkResults: WalkResult[] = [];
    await repeat(walks, 0, async () => {
      const w = await walkOnce(env, browser, makeSshDir(path.join(env.tmp, `walk-ssh-${walkResults.length}`)));
      walkResults.push(w);
      return w.hostRss;
    });
    const steps = walkResults[0]!.steps;
    rows.push(
      { id: '5', what: `Memory: web host resident (RSS) after walking all ${steps} steps`, result: formatMiB(summarize(walkResults.map((w) => w.hostRss))), target: '', ok: null },
      { id: '5', what: '  web host RSS at start, before any page', result: formatMiB(summarize(walkResults.map((w) => w.hostRssIdle))), target: '', ok: null },
      { id: '5', what: '  web host peak RSS (VmHWM) during the walk', result: formatMiB(summarize(walkResults.map((w) => w.hostPeak))), target: '', ok: null },
      { id: '5', what: 'Memory: renderer JS heap used after the walk (after GC)', result: formatMiB(summarize(walkResults.map((w) => w.heapUsed))), target: '', ok: null },
    );
    notes.push(
      `Memory: ${walks} walks, each with a fresh built web host (dist/web/web-host.cjs, a separate process, on a throwaway SSH folder with one key) and a fresh browser context: ` +
        'click every button of the step list in order, wait for the step\'s heading and for every contract call to be answered; then force a garbage collection in the page (CDP HeapProfiler.collectGarbage) ' +
        'and read Runtime.getHeapUsage, and read the host\'s VmRSS and VmHWM from /proc.',
    );
  } finally {
    await browser.close();
    await ours.close();
    await blank.close();
    await candidate?.close();
  }
  return { rows, notes, facts: { chromium: chromiumVersion } };
}
