/**
 * 4. CLI start-up: `node bin/mila-onboard.cjs --version` against `node -e 0`, one process
 * each, taken alternately in the same run. The wall time of a whole process is what a user
 * (or a script checking the tool is there) waits for.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { alternate, formatMs, formatRatio, ratioSummary, summarize } from './stats.js';
import type { BenchEnv, SectionResult } from './types.js';

export const CLI_TARGET_RATIO = 1.5;

function timeProcess(args: readonly string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

export async function benchCli(env: BenchEnv): Promise<SectionResult> {
  const bin = path.join(env.root, 'bin', 'mila-onboard.cjs');
  const runs = env.quick ? 5 : 25;
  const floorArgs = ['-e', '0'];
  env.log(`CLI start-up: ${runs} runs each of --version, --help, "profile list" against node -e 0`);

  const version = await alternate(runs, 2, () => timeProcess([bin, '--version'], env.root), () => timeProcess(floorArgs, env.root));
  // For information: what a command that loads commander (and, for profile list, a command module) costs.
  const help = await alternate(Math.ceil(runs / 2), 1, () => timeProcess([bin, '--help'], env.root), () => timeProcess(floorArgs, env.root));
  const profile = await alternate(Math.ceil(runs / 2), 1, () => timeProcess([bin, 'profile', 'list'], env.root), () => timeProcess(floorArgs, env.root));

  const ratio = ratioSummary(version.a, version.b);
  const helpRatio = ratioSummary(help.a, help.b);
  const profileRatio = ratioSummary(profile.a, profile.b);
  return {
    rows: [
      { id: '4', what: 'CLI start-up: `mila-onboard --version` ÷ `node -e 0`', result: formatRatio(ratio), target: `< ${CLI_TARGET_RATIO}×`, ok: ratio.median < CLI_TARGET_RATIO },
      { id: '4', what: '  `mila-onboard --version` (wall, whole process)', result: formatMs(summarize(version.a)), target: '', ok: null },
      { id: '4', what: '  `node -e 0` (the floor)', result: formatMs(summarize(version.b)), target: '', ok: null },
      { id: '4', what: '  `mila-onboard --help` ÷ `node -e 0` (commander loaded)', result: formatRatio(helpRatio), target: '', ok: null },
      { id: '4', what: '  `mila-onboard profile list` ÷ `node -e 0` (one command module loaded)', result: formatRatio(profileRatio), target: '', ok: null },
    ],
    notes: [
      `CLI: ${runs} runs of each command, alternating with \`node -e 0\` (after 2 warm-up pairs); wall time of the whole process from spawn to exit. ` +
        '`--version` alone is answered by bin/mila-onboard.cjs before any bundle loads; every other invocation loads the ESM entry (commander and the command table, about 45 kB) and then only the chunk of the command named.',
    ],
  };
}
