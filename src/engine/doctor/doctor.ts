import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { EngineContext } from '../context.js';
import { EngineError } from '../errors.js';
import { configStatus } from '../config/status.js';
import { expandIdentityPath, sshG, type SshGResult } from '../connect/identity.js';
import { agentStatus } from '../keys/agent.js';
import { classifyPrivateKey, parsePublicKeyLine } from '../keys/format.js';
import { readFileState } from '../files/file-state.js';
import { nodeFs } from '../files/fs-layer.js';
import { knownHostsPath, loginNames } from '../trust/plan.js';
import { recordedKeys, recordedLoginKeys } from '../trust/status.js';
import type { DoctorCheckDto, DoctorReportDto } from '../../shared/contract/connect.js';
import { checkPty } from './pty-check.js';
import { describeUnsafeModes, unsafeSshModes } from './ssh-modes.js';

/**
 * Every local check at once, each {id, status, message, next}. No login, no prompt:
 * the keys and config are read, `ssh -G` says what the config means, known_hosts is judged
 * against the published fingerprints, the agent is asked, and the login node's port is
 * tried (TCP, then its SSH banner) with a short timeout.
 *
 * Exit policy (CLI): `fail` anywhere → exit 1; `warn` only → exit 0. A warning is something
 * that works but could be better (no agent, compute-node keys not recorded yet).
 */

export type DoctorCheck = DoctorCheckDto;
export type DoctorReport = DoctorReportDto;

export interface DoctorDeps {
  /** Environment for the agent check (tests point SSH_AUTH_SOCK at their own agent). */
  agentEnv?: Record<string, string | undefined>;
  /** Reachability timeout (default 5 s). */
  reachTimeoutMs?: number;
  platform?: NodeJS.Platform;
}

const ok = (id: DoctorCheck['id'], message: string): DoctorCheck => ({ id, status: 'ok', message, next: '' });
const warn = (id: DoctorCheck['id'], message: string, next: string): DoctorCheck => ({ id, status: 'warn', message, next });
const fail = (id: DoctorCheck['id'], message: string, next: string): DoctorCheck => ({ id, status: 'fail', message, next });

interface ConfigFacts {
  exists: boolean;
  g: SshGResult | null;
  blockUser: string | null;
  blockIdentity: string | null;
  /** Key files ssh -G names, expanded. */
  identities: string[];
}

async function configFacts(ctx: EngineContext): Promise<ConfigFacts> {
  const file = path.join(ctx.sshDir, 'config');
  const exists = (await stat(file).catch(() => null)) !== null;
  if (!exists) return { exists, g: null, blockUser: null, blockIdentity: null, identities: [] };
  const [g, status] = await Promise.all([sshG(ctx), configStatus(ctx).catch(() => null)]);
  const blockIdentity = status?.block?.identity ? expandIdentityPath(status.block.identity) : null;
  return { exists, g, blockUser: status?.block?.user ?? null, blockIdentity, identities: (g.values.get('identityfile') ?? []).map((v) => expandIdentityPath(v)) };
}

async function checkConfig(ctx: EngineContext, f: ConfigFacts, platform: NodeJS.Platform): Promise<DoctorCheck> {
  const file = path.join(ctx.sshDir, 'config');
  const next = 'Write the connection settings again: mila-onboard config apply (or the “Connection settings” step).';
  if (!f.exists) return fail('config', `There is no SSH config at ${file}, so "ssh ${ctx.profile.alias}" does not know the cluster.`, next);
  if (platform !== 'win32') {
    const st = await stat(file).catch(() => null);
    if (st && (st.mode & 0o022) !== 0) return fail('config', `${file} can be changed by other users (mode ${(st.mode & 0o777).toString(8)}), so OpenSSH refuses to read it.`, `Let mila-onboard fix it: mila-onboard doctor --fix, or run: chmod go-w ${file}`);
  }
  const g = f.g!;
  if (g.code !== 0) return fail('config', `OpenSSH cannot read ${file}: ${g.stderr || `ssh -G exited with ${g.code}`}.`, next);
  const first = (k: string) => g.values.get(k)?.[0] ?? '(not set)';
  const { login, alias } = ctx.profile;
  const wrong: string[] = [];
  if (first('hostname').toLowerCase() !== login.host.toLowerCase()) wrong.push(`HostName is ${first('hostname')}, expected ${login.host}`);
  if (first('port') !== String(login.port)) wrong.push(`Port is ${first('port')}, expected ${login.port}`);
  if (first('preferredauthentications') !== login.preferredAuthentications)
    wrong.push(`PreferredAuthentications is ${first('preferredauthentications')}, expected ${login.preferredAuthentications}`);
  if (f.blockUser !== null && first('user') !== f.blockUser) wrong.push(`User is ${first('user')}, expected ${f.blockUser}`);
  if (f.blockIdentity !== null && !f.identities.includes(f.blockIdentity)) wrong.push(`IdentityFile does not include ${f.blockIdentity}`);
  if (wrong.length > 0) return fail('config', `"ssh ${alias}" would not use the cluster's settings: ${wrong.join('; ')}.`, next);
  if (f.blockUser === null) {
    return warn('config', `"ssh ${alias}" reaches ${login.host} port ${login.port} as user ${first('user')}, but the settings were not written by mila-onboard.`, 'Check that the user name is your cluster account, or let mila-onboard write the settings.');
  }
  const reaches = `"ssh ${alias}" reaches ${login.host} port ${login.port} as ${first('user')}, with ${f.identities[0] ?? 'the default keys'}`;
  // Checked on a copy without what could run or could not be followed: say so, the check is partial.
  if (g.notes.length > 0) return warn('config', `${reaches} (checked with ssh -G on a copy of your config). ${g.notes.join(' ')}`, 'Check that the left-out lines do not change the cluster\'s settings.');
  return ok('config', `${reaches} (checked with ssh -G).`);
}

async function checkKeys(ctx: EngineContext, f: ConfigFacts, platform: NodeJS.Platform): Promise<DoctorCheck> {
  const candidates = f.blockIdentity ? [f.blockIdentity] : f.identities.length ? f.identities : [path.join(ctx.sshDir, ctx.profile.keys.defaultName)];
  let file: string | null = null;
  for (const c of candidates) {
    if ((await stat(c).catch(() => null))?.isFile()) {
      file = c;
      break;
    }
  }
  if (!file) return fail('keys', `The key the connection uses does not exist (${candidates[0]}).`, 'Create a key (mila-onboard keys create), or point the settings at your existing key.');
  const st = await stat(file);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return fail('keys', `${file} cannot be read by your account.`, 'Check that your user account owns this file.');
  const cls = classifyPrivateKey(text);
  if (cls.kind !== 'private') return fail('keys', `${file} is not an SSH private key.`, 'Point the connection settings at your private key (the file without .pub).');
  if (cls.format === 'putty') return fail('keys', `${file} is a PuTTY key, which OpenSSH cannot use.`, 'Convert it: PuTTYgen → Conversions → Export OpenSSH key.');
  if (platform !== 'win32' && (st.mode & 0o077) !== 0) {
    return fail('keys', `Other users of this computer can read ${file} (mode ${(st.mode & 0o777).toString(8)}); OpenSSH refuses to use it.`, `Let mila-onboard fix it (mila-onboard keys fix-permissions), or run: chmod 600 ${file}`);
  }
  const pubText = await readFile(`${file}.pub`, 'utf8').catch(() => null);
  const pub = pubText === null ? null : parsePublicKeyLine(pubText);
  if (!pub) return warn('keys', `${file} is usable, but its public half (${file}.pub) is missing or unreadable.`, 'Make it again from the private key: mila-onboard keys recover-public.');
  if (cls.publicKey && cls.publicKey.blob !== pub.blob) return fail('keys', `${file}.pub belongs to a different key than ${file}.`, 'Make the public key again from the private key: mila-onboard keys recover-public --overwrite.');
  const protectedText = cls.encrypted === false ? ', not protected by a passphrase' : cls.encrypted ? ', protected by a passphrase' : '';
  if (cls.encrypted === false) return warn('keys', `${file} (${pub.type}, ${pub.fingerprint}) is usable${protectedText}.`, 'Add a passphrase: mila-onboard keys protect.');
  return ok('keys', `${file} (${pub.type}, ${pub.fingerprint}) is usable${protectedText}.`);
}

async function readKnownHosts(ctx: EngineContext): Promise<Buffer | null> {
  return (await readFileState(nodeFs, knownHostsPath(ctx), 'a known_hosts file').catch(() => ({ bytes: null }))).bytes;
}

function checkKnownHosts(ctx: EngineContext, bytes: Buffer | null): DoctorCheck {
  const names = loginNames(ctx);
  const r = recordedLoginKeys(ctx, bytes);
  const file = knownHostsPath(ctx);
  // A cluster that publishes no fingerprints (the Alliance's): keys the user confirmed, unverified.
  if (!ctx.profile.login.fingerprintsPublished) {
    if (r.verifiedTypes.length === 0)
      return fail('known-hosts', `${file} records no key for ${names.join(', ')}, so OpenSSH (with strict checking) refuses to connect.`, `Look at the keys the server presents and confirm them: mila-onboard trust --cluster ${ctx.profile.id} (${ctx.profile.name} publishes no fingerprints to verify them).`);
    return ok('known-hosts', `${file} records the keys you confirmed (${r.verifiedTypes.join(', ')}) for ${names.join(', ')}; ${ctx.profile.name} publishes no fingerprints, so they could not be verified.`);
  }
  if (r.verifiedTypes.length === 0) {
    return fail('known-hosts', `${file} does not record the cluster's verified host keys, so OpenSSH (with strict checking) refuses to connect.`, 'Verify and record them: mila-onboard trust (or the “Trust the cluster” step).');
  }
  if (r.stale.length > 0) {
    return fail(
      'known-hosts',
      `${file} records the cluster's verified keys (${r.verifiedTypes.join(', ')}), but also ${r.stale.length} other key(s) for it (line ${r.stale.map((s) => s.line).join(', ')}): OpenSSH would also accept a server presenting one of those, which is not the cluster.`,
      'Remove them (a backup is kept): mila-onboard trust --remove-stale.',
    );
  }
  return ok('known-hosts', `${file} records the cluster's verified host keys (${r.verifiedTypes.join(', ')}) for ${names.join(', ')}.`);
}

function checkComputeKnownHosts(ctx: EngineContext, bytes: Buffer | null): DoctorCheck {
  const patterns = ctx.profile.compute.knownHostsPatterns;
  const r = recordedKeys(bytes, patterns, ctx.profile.compute.fingerprints);
  if (r.verifiedTypes.length === 0) {
    return warn(
      'compute-known-hosts',
      `The compute nodes' host keys are not recorded yet (${patterns.join(', ')}): the first connection to a compute node will ask you to confirm its fingerprint.`,
      ctx.profile.compute.probeHost
        ? 'Record them over a login: mila-onboard compute trust.'
        : !ctx.profile.compute.fingerprintsPublished
          ? `${ctx.profile.name} publishes no compute-node fingerprints: the first connection to a compute node shows its fingerprint and asks; it cannot be verified.`
          : `Compare the fingerprint shown with the published compute-node fingerprints (${ctx.profile.links.docs}) before answering yes.`,
    );
  }
  if (r.stale.length > 0) return warn('compute-known-hosts', `known_hosts has ${r.stale.length} other key(s) for the compute nodes (line ${r.stale.map((s) => s.line).join(', ')}).`, 'Check those lines, or run mila-onboard compute trust --remove-stale.');
  return ok('compute-known-hosts', `The compute nodes' verified host keys (${r.verifiedTypes.join(', ')}) are recorded for ${patterns.join(', ')}.`);
}

async function checkAgent(keyFile: string | null, deps: DoctorDeps): Promise<DoctorCheck> {
  const status = await agentStatus({ env: deps.agentEnv, platform: deps.platform }).catch((err: unknown) => (err instanceof EngineError ? err : null));
  if (status instanceof EngineError || status === null) return warn('agent', 'The SSH agent could not be asked.', 'OpenSSH will ask for your key\'s passphrase at each connection.');
  if (!status.reachable) return warn('agent', status.advice ?? 'No SSH agent is reachable.', 'Without an agent, OpenSSH asks for your key\'s passphrase at each connection.');
  const pub = keyFile ? await readFile(`${keyFile}.pub`, 'utf8').catch(() => null) : null;
  const fp = pub ? parsePublicKeyLine(pub)?.fingerprint : undefined;
  if (fp && status.keys.some((k) => k.fingerprint === fp)) return ok('agent', `The SSH agent holds your key (${fp}).`);
  return warn('agent', `The SSH agent is running${fp ? ' but does not hold your key' : ''}.`, 'Add your key so its passphrase is asked once per session: mila-onboard keys agent-add <key>.');
}

/** TCP to host:port, then the SSH banner ("SSH-2.0-…"), within the timeout. */
export function probeSsh(host: string, port: number, timeoutMs: number): Promise<{ ok: true; banner: string } | { ok: false; why: 'refused' | 'timeout' | 'dns' | 'network' | 'not-ssh'; detail: string }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let data = '';
    const done = (r: Awaited<ReturnType<typeof probeSsh>>) => {
      sock.removeAllListeners();
      sock.destroy();
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, why: 'timeout', detail: `no answer within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    sock.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const line = data.split(/\r?\n/).find((l) => l.startsWith('SSH-'));
      if (line) done({ ok: true, banner: line.trim() });
      else if (data.length > 8192) done({ ok: false, why: 'not-ssh', detail: 'the server did not speak SSH' });
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ECONNREFUSED' ? 'refused' : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'dns' : err.code === 'ETIMEDOUT' ? 'timeout' : 'network';
      done({ ok: false, why, detail: err.code ?? err.message });
    });
    sock.on('end', () => done({ ok: false, why: 'not-ssh', detail: 'the connection was closed before the SSH greeting' }));
  });
}

async function checkReachability(ctx: EngineContext, deps: DoctorDeps): Promise<DoctorCheck> {
  const { host, port } = ctx.profile.login;
  const r = await probeSsh(host, port, deps.reachTimeoutMs ?? 5000);
  if (r.ok) return ok('reachability', `${host} port ${port} answers (${r.banner}).`);
  const text: Record<typeof r.why, [string, string]> = {
    refused: [`${host} refused the connection on port ${port}.`, 'After several failed logins the cluster blocks your address for about an hour: wait, then try again. If it persists, contact IT support.'],
    timeout: [`${host} port ${port} did not answer (${r.detail}).`, 'Check your internet connection; some networks block SSH: try another network or a VPN.'],
    dns: [`This computer could not find the address of ${host}.`, 'Check that you are connected to the internet.'],
    network: [`This computer has no network route to ${host} (${r.detail}).`, 'Check your internet connection (Wi-Fi, VPN).'],
    'not-ssh': [`${host} port ${port} answered, but not as an SSH server (${r.detail}).`, 'A network filter may be in the way: try another network.'],
  };
  return fail('reachability', ...text[r.why]);
}

/** The SSH folder, config and known_hosts not writable by others (see ssh-modes.ts). */
async function checkPermissions(ctx: EngineContext, platform: NodeJS.Platform): Promise<DoctorCheck> {
  const list = await unsafeSshModes(ctx.sshDir, platform);
  if (list.length === 0) return ok('permissions', `Only you can change ${ctx.sshDir}, its config and known_hosts.`);
  const d = describeUnsafeModes(list);
  return fail('permissions', d.message, d.next);
}

const ORDER: DoctorCheck['id'][] = ['pty', 'keys', 'config', 'permissions', 'known-hosts', 'compute-known-hosts', 'agent', 'reachability'];

/** Runs every check (independent ones in parallel). Never throws for a failed check: that is a `fail`. */
export async function doctor(ctx: EngineContext, deps: DoctorDeps = {}): Promise<DoctorReport> {
  const started = Date.now();
  const platform = deps.platform ?? process.platform;
  const guard = (id: DoctorCheck['id'], p: Promise<DoctorCheck>): Promise<DoctorCheck> =>
    p.catch((err: unknown) => fail(id, err instanceof EngineError ? err.message : `The check failed unexpectedly: ${(err as Error)?.message ?? String(err)}`, err instanceof EngineError ? (err.hint ?? '') : 'Try again.'));
  const factsP = configFacts(ctx);
  const khP = readKnownHosts(ctx);
  const checks = await Promise.all([
    guard('keys', factsP.then((f) => checkKeys(ctx, f, platform))),
    guard('config', factsP.then((f) => checkConfig(ctx, f, platform))),
    guard('permissions', checkPermissions(ctx, platform)),
    guard('known-hosts', khP.then((b) => checkKnownHosts(ctx, b))),
    guard('compute-known-hosts', khP.then((b) => checkComputeKnownHosts(ctx, b))),
    guard('agent', factsP.then((f) => checkAgent(f.blockIdentity ?? f.identities[0] ?? null, deps))),
    guard('reachability', checkReachability(ctx, deps)),
    guard('pty', checkPty()),
  ]);
  checks.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  const overall = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
  return { overall, checks, elapsedMs: Date.now() - started };
}
