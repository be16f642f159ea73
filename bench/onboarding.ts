/**
 * 2b. The whole onboarding against the throwaway login node (test/fixtures/cluster.ts): create
 * an ed25519 key, write the config, trust the login node's host keys, connect; against the
 * raw OpenSSH sequence doing the same (ssh-keygen, appending a Host block, ssh-keyscan +
 * ssh-keygen -l to compare fingerprints, ssh). Target: ratio < 1.2.
 *
 * Registering the key with the cluster (authorized_keys) is the cluster's part, the same for
 * both, and not timed. Measured only when connect and trust are in src/engine (optional.ts).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyConfig, PlanCache, planConfig } from '../src/engine/config/index.js';
import { createContext, type EngineContext } from '../src/engine/context.js';
import { createKey } from '../src/engine/keys/create.js';
import { startCluster, type LoginOnlyCluster } from '../test/fixtures/cluster.js';
import { profileFor } from '../test/fixtures/profile.js';
import { entryPoint, exportsOf, loadConnect, loadDoctor, loadTrust } from './optional.js';
import { alternate, formatMs, formatRatio, ratioSummary, summarize } from './stats.js';
import type { BenchEnv, SectionResult } from './types.js';

export const ONBOARDING_TARGET_RATIO = 1.2;

interface Phases {
  key: number;
  config: number;
  trust: number;
  connect: number;
  total: number;
}

function freshSshDir(env: BenchEnv, name: string): string {
  const dir = path.join(env.tmp, name, '.ssh');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  return dir;
}

/** The raw OpenSSH sequence a careful person would type, up to connecting. */
function rawSetup(env: BenchEnv, cluster: LoginOnlyCluster, n: number): { phases: Phases; pub: string; sshDir: string } {
  const sshDir = freshSshDir(env, `raw-${n}`);
  const key = path.join(sshDir, 'id_ed25519_mila');
  const config = path.join(sshDir, 'config');
  const knownHosts = path.join(sshDir, 'known_hosts');
  const p = cluster.login.port;

  let t = performance.now();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench@laptop', '-f', key]);
  const tKey = performance.now() - t;
  const pub = readFileSync(`${key}.pub`, 'utf8').trim();

  t = performance.now();
  appendFileSync(config, `Host mila\n  HostName 127.0.0.1\n  Port ${p}\n  User ${cluster.user}\n  IdentityFile ${key}\n  IdentitiesOnly yes\n`, { mode: 0o600 });
  const tConfig = performance.now() - t;

  t = performance.now();
  const scan = execFileSync('ssh-keyscan', ['-p', String(p), '127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  writeFileSync(knownHosts, scan, { mode: 0o600 });
  // Comparing with the published fingerprints is reading this output against the web page.
  execFileSync('ssh-keygen', ['-l', '-f', knownHosts], { stdio: 'pipe' });
  const tTrust = performance.now() - t;

  return { phases: { key: tKey, config: tConfig, trust: tTrust, connect: 0, total: 0 }, pub, sshDir };
}

function rawConnect(sshDir: string): number {
  const t = performance.now();
  const out = execFileSync(
    'ssh',
    ['-F', path.join(sshDir, 'config'), '-o', `UserKnownHostsFile=${path.join(sshDir, 'known_hosts')}`, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'ControlPath=none', '-T', 'mila', 'echo mila-onboard-ok; hostname'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (!out.includes('mila-onboard-ok')) throw new Error(`raw ssh did not log in: ${out}`);
  return performance.now() - t;
}

export async function benchOnboarding(env: BenchEnv): Promise<SectionResult> {
  const connectMod = await loadConnect();
  if (!connectMod) {
    // With doctor absent too, 2a's row already says both are missing.
    return (await loadDoctor()) ? { rows: [{ id: '2b', what: '2b: not yet measured (connect not merged)', result: '—', target: `< ${ONBOARDING_TARGET_RATIO}×`, ok: null }], notes: [] } : { rows: [], notes: [] };
  }
  const trustMod = await loadTrust();
  const connect = entryPoint(connectMod, ['connect']);
  const applyTrust = trustMod ? entryPoint(trustMod, ['applyTrust']) : null;
  if (!connect || !applyTrust) {
    const why = !trustMod ? 'src/engine/trust/apply.ts is not there' : !applyTrust ? `trust exports ${exportsOf(trustMod)}` : `connect exports ${exportsOf(connectMod)}`;
    return { rows: [{ id: '2b', what: `2b: not yet measured (${why})`, result: '—', target: `< ${ONBOARDING_TARGET_RATIO}×`, ok: null }], notes: [] };
  }

  const runs = env.quick ? 2 : 7;
  env.log(`Onboarding: starting a throwaway login node; ${runs} runs each of ours and the raw OpenSSH sequence`);
  const cluster = await startCluster({ computeNode: false });
  const profile = profileFor(cluster);
  const ours: Phases[] = [];
  const raw: Phases[] = [];
  let n = 0;
  try {
    const t = await alternate(
      runs,
      1,
      async () => {
        const sshDir = freshSshDir(env, `ours-${n++}`);
        const ctx: EngineContext = createContext({ sshDir, profile, platform: 'linux' });
        let t0 = performance.now();
        const created = await createKey({ sshDir, type: 'ed25519', passphrase: '', allowEmptyPassphrase: true, comment: 'bench@laptop', defaultName: profile.keys.defaultName });
        const key = performance.now() - t0;
        await cluster.authorizeKey(created.publicKey);

        t0 = performance.now();
        const input = { user: cluster.user, variant: 'simple' as const, onConflict: 'refuse' as const, removeBom: false };
        // With the ssh -G checks, as the app runs them; the connection-sharing folder is not
        // created in the real home (connect turns sharing off anyway).
        // Apply reuses the plan just made, as the wizard's host does.
        const deps = { controlDir: null, plans: new PlanCache() };
        const plan = await planConfig(ctx, input, deps);
        if (!plan.canApply) throw new Error(`config: ${plan.problems.join('; ')}`);
        await applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps);
        const config = performance.now() - t0;

        t0 = performance.now();
        await applyTrust(ctx, { removeStale: false });
        const trust = performance.now() - t0;

        t0 = performance.now();
        const r = (await connect(ctx, { ask: () => Promise.reject(new Error('no prompt expected')) })) as { ok: boolean; details?: string };
        if (!r.ok) throw new Error(`connect failed: ${r.details ?? JSON.stringify(r)}`);
        const conn = performance.now() - t0;
        const total = key + config + trust + conn;
        ours.push({ key, config, trust, connect: conn, total });
        return total;
      },
      async () => {
        const setup = rawSetup(env, cluster, n++);
        await cluster.authorizeKey(setup.pub);
        const p = setup.phases;
        p.connect = rawConnect(setup.sshDir);
        p.total = p.key + p.config + p.trust + p.connect;
        raw.push(p);
        return p.total;
      },
    );
    const ratio = ratioSummary(t.a, t.b);
    const last = (xs: Phases[]) => xs.slice(-runs);
    const phase = (xs: Phases[], k: keyof Phases) => formatMs(summarize(last(xs).map((x) => x[k])));
    return {
      rows: [
        { id: '2b', what: 'Onboarding (key, config, trust, connect) ÷ raw OpenSSH sequence', result: formatRatio(ratio), target: `< ${ONBOARDING_TARGET_RATIO}×`, ok: ratio.median < ONBOARDING_TARGET_RATIO },
        { id: '2b', what: '  ours', result: formatMs(summarize(t.a)), target: '', ok: null },
        { id: '2b', what: '  raw OpenSSH', result: formatMs(summarize(t.b)), target: '', ok: null },
      ],
      notes: [
        `Onboarding: ${runs} runs of each after 1 warm-up pair, alternating, each in a fresh SSH folder, against one throwaway login node (sshd on 127.0.0.1, no one-time code). ` +
          `Ours by phase: key ${phase(ours, 'key')}, config (plan + apply with ssh -G checks) ${phase(ours, 'config')}, trust ${phase(ours, 'trust')}, connect ${phase(ours, 'connect')}. ` +
          `Raw: ssh-keygen ${phase(raw, 'key')}, appending a Host block ${phase(raw, 'config')}, ssh-keyscan + ssh-keygen -l ${phase(raw, 'trust')}, ssh ${phase(raw, 'connect')}. ` +
          'Adding the public key to the node\'s authorized_keys is not timed on either side.',
      ],
    };
  } finally {
    await cluster.stop();
  }
}
