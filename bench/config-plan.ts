/**
 * 3. `mila-onboard config plan` on a config of 50 hosts (100 aliases, the wildcard Host and the
 * Match of makeConfig), the whole process, as a user runs it: Node's start, the CLI, the plan
 * with its ssh -G checks, the diff printed. Its floor is OpenSSH's own cost: one `ssh -G` on the
 * same config, spawned the same way, in the same rotation. MILA_BENCH_CONFIG_BASELINE names
 * another built checkout (the code before a change) measured in the same rotation.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeConfig } from './config.js';
import { formatMs, formatRatio, ratioSummary, rotate, summarize } from './stats.js';
import type { BenchEnv, Row, SectionResult } from './types.js';

export const PLAN_HOSTS = 50;

/**
 * The Node that runs the CLI here: MILA_BENCH_NODE when set (the CLI's users run Node 22+,
 * which has the compile cache; this machine's own Node is 20), else the bench's own.
 */
const NODE = process.env.MILA_BENCH_NODE || process.execPath;

function nodeVersion(): string {
  return spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
export const PLAN_TARGET_MS = 200;

function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * How many ssh processes one `config plan` starts: run once (untimed) with an `ssh` first on
 * PATH that notes each start and hands over to the real one.
 */
function countSshStarts(env: BenchEnv, args: readonly string[]): number {
  const dir = path.join(env.tmp, `ssh-counter-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const log = path.join(dir, 'starts');
  const real = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(path.join(dir, 'ssh'), `#!/bin/sh\necho x >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(dir, 'ssh'), 0o755);
  timed(NODE, args, { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` });
  try {
    return readFileSync(log, 'utf8').split('\n').filter((l) => l === 'x').length;
  } catch {
    return 0;
  }
}

export async function benchConfigPlan(env: BenchEnv): Promise<SectionResult> {
  const sshDir = path.join(env.tmp, 'plan-50', '.ssh');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  chmodSync(sshDir, 0o700);
  const config = path.join(sshDir, 'config');
  writeFileSync(config, makeConfig(PLAN_HOSTS), { mode: 0o600 });
  const cli = (root: string) => [path.join(root, 'bin', 'mila-onboard.cjs'), 'config', 'plan', '--ssh-dir', sshDir, '--user', 'benchuser'];
  const baseline = process.env.MILA_BENCH_CONFIG_BASELINE || null;
  const runs = env.quick ? 3 : 15;
  env.log(`Config plan, ${PLAN_HOSTS} hosts: ${runs} rounds of the CLI, one ssh -G, node -e 0${baseline ? ` and the baseline in ${baseline}` : ''}`);

  const withCerts = env.extraCaCerts ? { ...process.env, NODE_EXTRA_CA_CERTS: env.extraCaCerts } : null;
  const fns = [() => timed(NODE, cli(env.root)), () => timed('ssh', ['-G', '-F', config, 'mila']), () => timed(NODE, ['-e', '0'])];
  if (baseline) fns.push(() => timed(NODE, cli(baseline)));
  if (withCerts) fns.push(() => timed(NODE, ['-e', '0'], withCerts));
  const times = await rotate(runs, 2, fns);
  const [ours, floor, node] = times;
  const old = baseline ? times[3] : undefined;
  const nodeCerts = withCerts ? times[baseline ? 4 : 3] : undefined;
  const starts = countSshStarts(env, cli(env.root));
  const oldStarts = baseline ? countSshStarts(env, cli(baseline)) : null;

  const s = summarize(ours!);
  const rows: Row[] = [
    {
      id: '3',
      what: `Config plan, ${PLAN_HOSTS} hosts (${PLAN_HOSTS * 2} aliases): \`mila-onboard config plan\`, whole process (${starts} × ssh -G), Node ${nodeVersion()}`,
      result: formatMs(s),
      target: `< ${PLAN_TARGET_MS} ms`,
      ok: s.median < PLAN_TARGET_MS,
    },
    { id: '3', what: '  one `ssh -G` on the same config (the floor: OpenSSH\'s own cost)', result: formatMs(summarize(floor!)), target: '', ok: null },
    { id: '3', what: '  `config plan` ÷ one `ssh -G`', result: formatRatio(ratioSummary(ours!, floor!)), target: '', ok: null },
    { id: '3', what: '  `node -e 0` (what any CLI command costs before its first line)', result: formatMs(summarize(node!)), target: '', ok: null },
  ];
  if (nodeCerts) {
    rows.push({ id: '3', what: "  `node -e 0` with this machine's NODE_EXTRA_CA_CERTS (not a user's: see below)", result: formatMs(summarize(nodeCerts)), target: '', ok: null });
  }
  if (old) {
    rows.push({ id: '3', what: `  the baseline's \`config plan\` in the same rotation (${oldStarts} × ssh -G)`, result: formatMs(summarize(old)), target: '', ok: null });
  }
  return {
    rows,
    notes: [
      `Config plan, ${PLAN_HOSTS} hosts: ${runs} rounds after 2 warm-ups, the order rotating each round: \`node bin/mila-onboard.cjs config plan --ssh-dir DIR --user benchuser\` (wall time of the whole process, its diff printed to a pipe), ` +
        `one \`ssh -G -F DIR/config mila\`, \`node -e 0\`${baseline ? ', and the same command from the baseline checkout' : ''}${withCerts ? ", and `node -e 0` with this machine's NODE_EXTRA_CA_CERTS" : ''}. The ssh -G starts are counted in one more, untimed run, through an \`ssh\` first on PATH that notes each start. The CLI and \`node -e 0\` run on ${NODE === process.execPath ? "the bench's own Node" : 'MILA_BENCH_NODE'} (${nodeVersion()}); on Node 22+ the CLI's compile cache (in the user's own cache folder, warmed by the warm-up rounds) is part of what is measured.`,
      ...(withCerts
        ? [
            "This machine's environment sets NODE_EXTRA_CA_CERTS (for its package-registry proxy): Node then parses the whole certificate bundle before its first line. A user's computer does not set it, so every Node the benchmark starts runs without it; the row `node -e 0` with it shows what it would add to every figure here.",
          ]
        : []),
    ],
  };
}
