/**
 * 2a. `doctor` on a realistic SSH folder (5 keys, a 200-host config, a known_hosts of 500
 * lines) against the bare OpenSSH commands that give the same answers, run one after
 * another: `ssh-keygen -l` per key, `ssh -G` for the cluster's alias, `ssh-keygen -F` for
 * the login node. Target: ratio < 1.3.
 *
 * Measured only when src/engine/doctor/ exists (see optional.ts); until then the table says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { applyConfig, planConfig } from '../src/engine/config/index.js';
import { createContext } from '../src/engine/context.js';
import { builtInProfile } from '../src/engine/profile/load.js';
import { ClusterProfileSchema, type ClusterProfile } from '../src/engine/profile/schema.js';
import { makeConfig } from './config.js';
import { entryPoint, exportsOf, loadConnect, loadDoctor } from './optional.js';
import { alternate, formatMs, formatRatio, ratioSummary, summarize } from './stats.js';
import type { BenchEnv, SectionResult } from './types.js';

export const DOCTOR_TARGET_RATIO = 1.3;
export const KEY_FILES = ['id_ed25519', 'id_ed25519_mila', 'id_ecdsa', 'id_rsa', 'work_ed25519'] as const;

/** `|1|salt|hash` as OpenSSH writes with HashKnownHosts. */
function hashedName(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/**
 * A stand-in for the login node's port on 127.0.0.1 that greets like sshd: doctor's
 * reachability check gets its answer without any traffic leaving this machine.
 */
async function bannerServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    sock.end('SSH-2.0-OpenSSH_9.2p1 bench\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface DoctorFolder {
  sshDir: string;
  profile: ClusterProfile;
  /** The login node's name in known_hosts (`[127.0.0.1]:PORT`). */
  knownHost: string;
}

/**
 * The SSH folder of someone who has used SSH for a while and has set up the cluster: five
 * keys (two protected), the managed block (written by applyConfig) above 200 other hosts,
 * and a known_hosts of 500 lines (half hashed) that records the login node's real keys.
 */
export async function makeDoctorFolder(dir: string, port: number): Promise<DoctorFolder> {
  const sshDir = path.join(dir, '.ssh');
  mkdirSync(sshDir, { recursive: true });
  chmodSync(sshDir, 0o700);
  const keygen = (...args: string[]) => execFileSync('ssh-keygen', ['-q', ...args]);
  keygen('-t', 'ed25519', '-N', '', '-C', 'me@laptop', '-f', path.join(sshDir, 'id_ed25519'));
  keygen('-t', 'ed25519', '-N', 'a passphrase', '-C', 'me@mila', '-f', path.join(sshDir, 'id_ed25519_mila'));
  keygen('-t', 'ecdsa', '-N', '', '-C', 'old key', '-f', path.join(sshDir, 'id_ecdsa'));
  keygen('-t', 'rsa', '-b', '3072', '-N', '', '-C', 'older key', '-f', path.join(sshDir, 'id_rsa'));
  keygen('-t', 'ed25519', '-N', 'work', '-C', 'me@work', '-f', path.join(sshDir, 'work_ed25519'));

  // The login node's host keys, and a profile that publishes their fingerprints.
  const hostKeys = (['ed25519', 'ecdsa', 'rsa'] as const).map((t) => {
    const f = path.join(dir, `host_${t}`);
    keygen('-t', t, '-N', '', '-f', f);
    const [alg, blob] = readFileSync(`${f}.pub`, 'utf8').trim().split(/\s+/);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${f}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    return { type: t.toUpperCase() as 'ED25519' | 'ECDSA' | 'RSA', line: `${alg} ${blob}`, fingerprint };
  });
  const mila = builtInProfile('mila');
  const profile = ClusterProfileSchema.parse({
    ...mila,
    login: { ...mila.login, host: '127.0.0.1', port, nodes: {}, fingerprints: Object.fromEntries(hostKeys.map((k) => [k.type, k.fingerprint])) },
  });
  const knownHost = `[127.0.0.1]:${port}`;

  writeFileSync(path.join(sshDir, 'config'), makeConfig(200), { mode: 0o600 });
  const ctx = createContext({ sshDir, profile, platform: 'linux' });
  const input = { user: 'benchuser', identity: 'id_ed25519_mila', variant: 'simple' as const, onConflict: 'refuse' as const, removeBom: false };
  // OpenSSH's own home (the password database's): the key is written as an absolute path.
  const deps = { runSsh: null, controlDir: null };
  const plan = await planConfig(ctx, input, deps);
  await applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps);

  const lines: string[] = [];
  for (let i = 0; i < 497; i++) {
    const name = i % 7 === 0 ? `[node-${i}.example.org]:22${i % 10}` : `node-${i}.example.org`;
    lines.push(`${i % 2 === 0 ? hashedName(name) : `${name},10.${i >> 8}.${i & 255}.1`} ${hostKeys[i % 3]!.line}`);
  }
  lines.splice(250, 0, ...hostKeys.map((k) => `${hashedName(knownHost)} ${k.line}`));
  writeFileSync(path.join(sshDir, 'known_hosts'), lines.join('\n') + '\n', { mode: 0o600 });
  return { sshDir, profile, knownHost };
}

/** The bare OpenSSH commands that answer what doctor answers, one after another. */
export function openSshDoctor(folder: DoctorFolder): number {
  const t0 = performance.now();
  for (const k of KEY_FILES) execFileSync('ssh-keygen', ['-l', '-f', path.join(folder.sshDir, k)], { stdio: 'pipe' });
  execFileSync('ssh', ['-G', '-F', path.join(folder.sshDir, 'config'), folder.profile.alias], { stdio: 'pipe' });
  execFileSync('ssh-keygen', ['-F', folder.knownHost, '-f', path.join(folder.sshDir, 'known_hosts')], { stdio: 'pipe' });
  // The agent: exit 1 (no keys) or 2 (no agent) is an answer too.
  spawnSync('ssh-add', ['-l'], { stdio: 'pipe' });
  return performance.now() - t0;
}

function describeReport(report: unknown): string {
  const r = report as { overall?: string; checks?: Array<{ id: string; status: string }> } | null;
  if (!r?.checks) return 'unknown';
  return `${r.overall ?? '?'} (${r.checks.map((c) => `${c.id} ${c.status}`).join(', ')})`;
}

export async function benchDoctor(env: BenchEnv): Promise<SectionResult> {
  const doctor = await loadDoctor();
  if (!doctor) {
    const connect = await loadConnect();
    const what = connect ? '2a: not yet measured (doctor not merged)' : '2a/2b: not yet measured (doctor/connect not merged)';
    return { rows: [{ id: '2a', what, result: '—', target: `2a < ${DOCTOR_TARGET_RATIO}×${connect ? '' : ', 2b < 1.2×'}`, ok: null }], notes: [] };
  }
  // The doctor's entry point, called as the fronts do: with the engine context.
  const run = entryPoint(doctor, ['runDoctor', 'doctor']);
  if (!run) {
    return {
      rows: [{ id: '2a', what: `2a: doctor is merged but bench/doctor.ts does not know its entry point (exports: ${exportsOf(doctor)})`, result: '—', target: `< ${DOCTOR_TARGET_RATIO}×`, ok: false }],
      notes: [],
    };
  }
  const server = await bannerServer();
  try {
    const folder = await makeDoctorFolder(path.join(env.tmp, 'doctor'), server.port);
    return await measure(env, run, folder);
  } finally {
    await server.close();
  }
}

async function measure(env: BenchEnv, run: (...args: unknown[]) => unknown, folder: DoctorFolder): Promise<SectionResult> {
  const ctx = createContext({ sshDir: folder.sshDir, profile: folder.profile, platform: 'linux' });
  const runs = env.quick ? 3 : 11;
  env.log(`Doctor: ${runs} runs each of doctor and the bare OpenSSH commands`);
  let report: unknown = null;
  const t = await alternate(
    runs,
    2,
    async () => {
      const t0 = performance.now();
      const r = await run(ctx);
      const ms = performance.now() - t0;
      if (r === null || typeof r !== 'object') throw new Error('doctor returned no report');
      report = r;
      return ms;
    },
    () => openSshDoctor(folder),
  );
  const ratio = ratioSummary(t.a, t.b);
  return {
    rows: [
      { id: '2a', what: 'Doctor ÷ bare OpenSSH commands (5 keys, 200-host config, 500-line known_hosts)', result: formatRatio(ratio), target: `< ${DOCTOR_TARGET_RATIO}×`, ok: ratio.median < DOCTOR_TARGET_RATIO },
      { id: '2a', what: '  doctor', result: formatMs(summarize(t.a)), target: '', ok: null },
      { id: '2a', what: '  ssh-keygen -l × 5, ssh -G, ssh-keygen -F, ssh-add -l, one after another', result: formatMs(summarize(t.b)), target: '', ok: null },
    ],
    notes: [
      `Doctor: ${runs} runs of each after 2 warm-up pairs, alternating, on one SSH folder made for the run: keys ${KEY_FILES.join(', ')} (two with a passphrase), ` +
        'the managed block (written by applyConfig) above 200 other hosts, a known_hosts of 500 lines (half hashed) recording the login node\'s three keys. ' +
        'The profile points the login node at 127.0.0.1, where a stand-in answers with an SSH greeting, so doctor\'s reachability check sends nothing off this machine ' +
        '(it has no OpenSSH counterpart in the floor: a TCP connect on loopback). The floor is the sequence of OpenSSH commands that gives the same answers. ' +
        `Doctor's verdicts in the last run: ${describeReport(report)}.`,
    ],
  };
}
