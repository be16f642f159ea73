/**
 * 3. Config: planConfig + applyConfig on SSH configs of 10, 1,000 and 10,000 hosts.
 *
 * Our own work is measured with the ssh -G verification turned off (runSsh: null): parsing,
 * conflict search, splicing, diff, backup, atomic write, journal. The same operations with
 * the verification on are measured too, through a runner that records when each `ssh -G`
 * runs: the time at least one was running is OpenSSH's, the rest is ours.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyConfig, PlanCache, planConfig, type ConfigDeps, type SshRunner } from '../src/engine/config/index.js';
import { defaultSshRunner } from '../src/engine/config/verify.js';
import { createContext } from '../src/engine/context.js';
import { builtInProfile } from '../src/engine/profile/load.js';
import type { ConfigInput } from '../src/shared/contract/config.js';
import { formatMs, growth, repeat, summarize, unionLength, type Summary } from './stats.js';
import type { BenchEnv, Row, SectionResult } from './types.js';

export const CONFIG_SIZES = [10, 1_000, 10_000] as const;
/**
 * Growth is read between the two largest sizes, where the work that grows is most of the
 * time: between 1,000 and 10,000 hosts the 1,000-host work over the fixed cost is about 2 ms,
 * as small as the noise of the fixed cost itself (fsync), and the exponent swung 1.1–1.35
 * from one run to the next. 30,000 hosts are timed for this without ssh -G only.
 */
export const GROWTH_SIZE = 30_000;
export const CONFIG_TARGET_MS = 100;

/** A config as people have them: host blocks with the usual options, comments, a few wildcards and a Match. */
export function makeConfig(hosts: number): string {
  const out: string[] = ['# ~/.ssh/config (benchmark)', 'Host *.internal.example.org', '  User ops', '  ForwardAgent no', ''];
  for (let i = 0; i < hosts; i++) {
    if (i % 50 === 0) out.push(`# group ${i / 50}`);
    out.push(`Host bench-host-${i} bh${i}`);
    out.push(`  HostName node-${i}.internal.example.org`);
    out.push(`  User user${i % 17}`);
    if (i % 3 === 0) out.push(`  Port ${2200 + (i % 100)}`);
    out.push(`  IdentityFile ~/.ssh/id_ed25519_${i % 5}`);
    if (i % 10 === 0) out.push('  ServerAliveInterval 60');
    out.push('');
  }
  out.push('Match host *.lab.example.org user admin', '  IdentitiesOnly yes', '', 'Host *', '  AddKeysToAgent yes', '');
  return out.join('\n');
}

const INPUT: ConfigInput = { user: 'benchuser', variant: 'simple', onConflict: 'refuse', removeBom: false };

interface Timing {
  plan: number;
  apply: number;
  total: number;
  /** Wall time with at least one ssh -G running, and how many ran. */
  ssh: number;
  sshCalls: number;
}

function timedRunner(): { run: SshRunner; intervals: Array<[number, number]> } {
  const intervals: Array<[number, number]> = [];
  return {
    intervals,
    run: async (args) => {
      const t0 = performance.now();
      try {
        return await defaultSshRunner(args);
      } finally {
        intervals.push([t0, performance.now()]);
      }
    },
  };
}

async function once(env: BenchEnv, text: string, withSsh: boolean): Promise<Timing> {
  const dir = mkdtempSync(path.join(env.tmp, 'cfg-'));
  const sshDir = path.join(dir, '.ssh');
  mkdirSync(sshDir, { mode: 0o700 });
  chmodSync(sshDir, 0o700);
  writeFileSync(path.join(sshDir, 'config'), text, { mode: 0o600 });
  const ctx = createContext({ sshDir, profile: builtInProfile('mila'), platform: 'linux' });
  const runner = timedRunner();
  // Apply reuses the plan just made, as the wizard's host and the CLI's `config apply` do.
  const deps: ConfigDeps = { runSsh: withSsh ? runner.run : null, home: dir, controlDir: null, plans: new PlanCache() };
  try {
    const t0 = performance.now();
    const plan = await planConfig(ctx, INPUT, deps);
    const t1 = performance.now();
    if (!plan.canApply) throw new Error(`the benchmark config cannot be applied: ${[...plan.problems, ...plan.conflicts.map((c) => c.message)].join('; ')}`);
    const result = await applyConfig(ctx, { ...INPUT, expectedHash: plan.hash }, deps);
    const t2 = performance.now();
    if (!result.changed) throw new Error('apply changed nothing');
    return { plan: t1 - t0, apply: t2 - t1, total: t2 - t0, ssh: unionLength(runner.intervals), sshCalls: runner.intervals.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchConfig(env: BenchEnv): Promise<SectionResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const own = new Map<number, { total: Summary; plan: Summary; apply: Summary }>();
  const ownRuns = (n: number) => (env.quick ? 3 : n <= 1000 ? 25 : 11);
  const sshRuns = env.quick ? 1 : 3;

  for (const size of [...CONFIG_SIZES, GROWTH_SIZE]) {
    const text = makeConfig(size);
    env.log(`Config: ${size} hosts (${(text.length / 1024).toFixed(0)} KiB), ${ownRuns(size)} runs without ssh -G`);
    const timings: Timing[] = [];
    await repeat(ownRuns(size), 2, async (i) => {
      const t = await once(env, text, false);
      if (i >= 0) timings.push(t);
      return t.total;
    });
    own.set(size, { total: summarize(timings.map((t) => t.total)), plan: summarize(timings.map((t) => t.plan)), apply: summarize(timings.map((t) => t.apply)) });
  }
  for (const size of CONFIG_SIZES) {
    const s = own.get(size)!;
    const isTarget = size === 10_000;
    rows.push({
      id: '3',
      what: `Config plan+apply, ${size.toLocaleString('en-US')} hosts: our own work (ssh -G off)`,
      result: formatMs(s.total),
      target: isTarget ? `< ${CONFIG_TARGET_MS} ms` : '',
      ok: isTarget ? s.total.median < CONFIG_TARGET_MS : null,
    });
    notes.push(
      `Config, ${size} hosts, own work: plan ${formatMs(s.plan)}, apply ${formatMs(s.apply)} (apply re-reads and re-hashes the file under its lock, reuses the plan just made for the same bytes, then writes and syncs a backup, the file and the journal).`,
    );
  }
  const big = own.get(GROWTH_SIZE)!;
  const g = growth([10, 10_000, GROWTH_SIZE].map((size) => ({ size, time: own.get(size)!.total.median })));
  rows.push({
    id: '3',
    what: `Config plan+apply, ${GROWTH_SIZE.toLocaleString('en-US')} hosts (for the growth): our own work (ssh -G off)`,
    result: formatMs(big.total),
    target: '',
    ok: null,
  });
  rows.push({
    id: '3',
    what: `Config growth, 10,000 → ${GROWTH_SIZE.toLocaleString('en-US')} hosts (exponent after the fixed cost, the 10-host time; 1 = linear)`,
    result: `${g.exponent.toFixed(2)} (${(g.perUnit * 1000).toFixed(1)} µs per host)`,
    target: '≤ 1.25 (linear)',
    ok: g.linear,
  });

  for (const size of CONFIG_SIZES) {
    env.log(`Config: ${size} hosts with ssh -G verification, ${sshRuns} runs`);
    const timings: Timing[] = [];
    await repeat(sshRuns, 0, async () => {
      const t = await once(env, makeConfig(size), true);
      timings.push(t);
      return t.total;
    });
    const total = summarize(timings.map((t) => t.total));
    const ssh = summarize(timings.map((t) => t.ssh));
    const ours = summarize(timings.map((t) => t.total - t.ssh));
    const calls = timings[0]!.sshCalls;
    rows.push({ id: '3', what: `  with ssh -G, ${size.toLocaleString('en-US')} hosts: total`, result: formatMs(total, 0), target: '', ok: null });
    rows.push({ id: '3', what: `  with ssh -G, ${size.toLocaleString('en-US')} hosts: OpenSSH (${calls} × ssh -G, wall time while any ran)`, result: formatMs(ssh, 0), target: '', ok: null });
    rows.push({ id: '3', what: `  with ssh -G, ${size.toLocaleString('en-US')} hosts: ours (total − OpenSSH)`, result: formatMs(ours), target: '', ok: null });
  }
  notes.push(
    `Config: each run writes a fresh SSH folder holding the generated config (outside the timing), then times planConfig and applyConfig (with the plan's hash) on it. ` +
      `Own work: ${ownRuns(10)}/${ownRuns(1000)}/${ownRuns(10000)} runs per size after 2 warm-ups, runSsh: null. ` +
      `With verification: ${sshRuns} runs per size; ssh -G checks the cluster's alias and the existing aliases the block may affect (at most 100; the others are provably left alone: src/engine/config/unaffected.ts), before and after in plan, and once more on the written file, up to 4 at a time. ` +
      `The "ours" figure with ssh -G on counts only time when no ssh -G was running, so work done while OpenSSH ran is counted as OpenSSH's.`,
  );
  return { rows, notes };
}
