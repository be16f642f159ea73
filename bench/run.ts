/**
 * `npm run bench`: measures what we add on top of OpenSSH, Chromium and Node, against those
 * floors in the same run, prints the table and writes docs/benchmarks.md.
 *
 * Run through scripts/bench.mjs, which builds what is measured and bundles this file.
 * Options: --quick (few runs: checks the bench itself; writes no document),
 * --only=1,3,... (some parts; writes no document), --write (write the document anyway).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOwnFlags } from '../src/host/flags.js';
import { benchCli } from './cli.js';
import { benchConfig } from './config.js';
import { benchConfigPlan } from './config-plan.js';
import { benchDoctor } from './doctor.js';
import { describeMachine, type Machine } from './machine.js';
import { benchMainStart } from './main-start.js';
import { benchOnboarding } from './onboarding.js';
import { benchRenderer } from './renderer.js';
import type { BenchEnv, Row, SectionResult } from './types.js';

interface Part {
  /** The issue's item numbers this part reports. */
  ids: string[];
  name: string;
  run(env: BenchEnv): Promise<SectionResult>;
}

// The renderer's pages are served from this process: it goes before the config part leaves
// a large heap behind. The short process-start measurements go first.
const PARTS: Part[] = [
  { ids: ['4'], name: 'CLI start-up', run: benchCli },
  { ids: ['6'], name: 'Main-process start', run: benchMainStart },
  { ids: ['1', '5'], name: 'Renderer and memory', run: benchRenderer },
  { ids: ['2a'], name: 'Doctor', run: benchDoctor },
  { ids: ['2b'], name: 'Onboarding', run: benchOnboarding },
  { ids: ['3'], name: 'Config plan, 50 hosts', run: benchConfigPlan },
  { ids: ['3'], name: 'Config plan+apply', run: benchConfig },
];

/** A full collection between parts (scripts/bench.mjs runs node with --expose-gc). */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Everything after this line in docs/benchmarks.md is written by hand and kept by each run. */
const KEEP_MARKER = '<!-- Everything below this line is written by hand; npm run bench keeps it. -->';

const ORDER = ['1', '2a', '2b', '3', '4', '5', '6'];

function status(r: Row): string {
  if (r.ok === null) return '';
  return r.ok ? 'ok' : 'MISSED';
}

export function renderTable(rows: readonly Row[]): string {
  const sorted = [...rows].sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  const head = ['#', 'What', 'Median (min–max)', 'Target', ''];
  const cells = sorted.map((r) => [r.id, r.what, r.result, r.target, status(r)]);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [head, head.map(() => '---'), ...cells].map((c) => `| ${c.map(esc).join(' | ')} |`).join('\n');
}

function renderDocument(machine: Machine, rows: readonly Row[], notes: readonly string[], seconds: number, load: string): string {
  const missed = rows.filter((r) => r.ok === false);
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts) down to the marker line; the findings below it are written by hand and kept by each run. Every figure is the median of several runs with the smallest and largest in brackets; ' +
      'every ratio compares with its floor (OpenSSH, Node, a blank React page) measured in the same run, taken alternately.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- Memory: ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node: ${machine.node}`,
    `- OpenSSH: ${machine.openssh}`,
    `- Chromium: ${machine.chromium}`,
    `- Date: ${machine.date} (the whole run took ${seconds.toFixed(0)} s)`,
    `- Load average (1 min) at start and end: ${load}: anything above 0 is other work sharing the ${machine.cores} cores, and widens the ranges`,
    '',
    '## Results',
    '',
    renderTable(rows),
    '',
    missed.length ? `Missed: ${missed.map((r) => `${r.id} (${r.what.trim()}: ${r.result}, target ${r.target})`).join('; ')}.` : 'Every target met.',
    '',
    '## How each figure is measured',
    '',
    ...notes.flatMap((n) => [`- ${n}`]),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const flags = readOwnFlags(
    process.argv.slice(2),
    { quick: { type: 'boolean', default: false }, only: { type: 'string' }, write: { type: 'boolean', default: false } },
    'npm run bench -- [--no-build] [--quick] [--only=1,3,...] [--write]',
  );
  const quick = flags.quick;
  const only = flags.only ? flags.only.split(',') : null;
  const write = flags.write || (!quick && !only);
  const root = process.env.MILA_BENCH_ROOT ?? process.cwd();
  // Every Node this benchmark starts should start as on a user's computer. This machine's
  // environment sets NODE_EXTRA_CA_CERTS (for its registry proxy); Node then reads and parses the
  // whole certificate bundle before its first line, about 40 ms here. Part 3 shows that cost in
  // its own row; everything else is measured without it.
  const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.NODE_EXTRA_CA_CERTS;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mila-bench-'));
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const env: BenchEnv = { root, tmp, quick, extraCaCerts, log: (m) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}\n`) };

  const rows: Row[] = [];
  const notes: string[] = [];
  const facts: Record<string, string> = {};
  let failed = false;
  try {
    for (const part of PARTS) {
      if (only && !part.ids.some((id) => only.includes(id))) continue;
      collect();
      try {
        const r = await part.run(env);
        rows.push(...r.rows);
        notes.push(...r.notes);
        Object.assign(facts, r.facts ?? {});
      } catch (err) {
        failed = true;
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        process.stderr.write(`${part.name} failed:\n${message}\n`);
        rows.push({ id: part.ids[0]!, what: `${part.name}: the benchmark failed (${(err as Error).message?.split('\n')[0] ?? err})`, result: '—', target: '', ok: false });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const seconds = (performance.now() - started) / 1000;
  const load = `${loadAtStart.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`;
  const machine = describeMachine(facts);
  const table = renderTable(rows);
  process.stdout.write(
    `\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}; ${machine.os}; Node ${machine.node}; ${machine.openssh}; ${machine.chromium}; ${machine.date}; load ${load}\n\n${table}\n\n`,
  );
  const missed = rows.filter((r) => r.ok === false);
  process.stdout.write(missed.length ? `Missed: ${missed.map((r) => `${r.id} ${r.what.trim()}`).join('; ')}\n` : 'Every target met.\n');
  process.stdout.write(`(${seconds.toFixed(0)} s)\n`);
  // A partial run writes no document: its notes (how each figure was measured, timelines) go to the terminal.
  if (!write) process.stdout.write(`\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  if (write) {
    const file = path.join(root, 'docs', 'benchmarks.md');
    // Hand-written findings below the marker survive a new run.
    let kept = '';
    try {
      const old = readFileSync(file, 'utf8');
      const at = old.indexOf(KEEP_MARKER);
      if (at >= 0) kept = old.slice(at);
    } catch {
      // first run
    }
    writeFileSync(file, renderDocument(machine, rows, notes, seconds, load) + '\n' + (kept || `${KEEP_MARKER}\n`));
    process.stdout.write(`Wrote ${path.relative(root, file)}\n`);
  }
  // A missed target is a finding, reported above; only a broken benchmark fails the command.
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  // A misspelt flag says so with the usage line, not a stack trace.
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
