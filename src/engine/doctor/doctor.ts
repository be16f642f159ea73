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
import type { DoctorItemCode, DoctorReasonDto } from '../../shared/contract/reasons.js';
import { failedCheck, why, type Extra } from './finding.js';
import { checkPty } from './pty-check.js';
import { describeUnsafeModes, unsafeModesReason, unsafeSshModes } from './ssh-modes.js';

/**
 * Every local check at once, each {id, status, message, next, reason}: the message and next
 * step in English (what the CLI prints), and the same finding as a code and values that the
 * wizard says in the user's language (shared/contract/reasons.ts DOCTOR_CODES). No login, no prompt:
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

const ok = (id: DoctorCheck['id'], message: string, reason: DoctorReasonDto, extra: Extra = {}): DoctorCheck => ({ id, status: 'ok', message, next: '', reason, ...extra });
const warn = (id: DoctorCheck['id'], message: string, next: string, reason: DoctorReasonDto, extra: Extra = {}): DoctorCheck => ({ id, status: 'warn', message, next, reason, ...extra });
const fail = (id: DoctorCheck['id'], message: string, next: string, reason: DoctorReasonDto, extra: Extra = {}): DoctorCheck => ({ id, status: 'fail', message, next, reason, ...extra });

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
  const alias = ctx.profile.alias;
  if (!f.exists) return fail('config', `There is no SSH config at ${file}, so "ssh ${alias}" does not know the cluster.`, next, why('config-missing', { file, alias }));
  if (platform !== 'win32') {
    const st = await stat(file).catch(() => null);
    const mode = st ? (st.mode & 0o777).toString(8) : '';
    if (st && (st.mode & 0o022) !== 0)
      return fail('config', `${file} can be changed by other users (mode ${mode}), so OpenSSH refuses to read it.`, `Let mila-onboard fix it: mila-onboard doctor --fix, or run: chmod go-w ${file}`, why('config-writable', { file, mode }));
  }
  const g = f.g!;
  if (g.code !== 0)
    return fail('config', `OpenSSH cannot read ${file}: ${g.stderr || `ssh -G exited with ${g.code}`}.`, next, why('config-unreadable', { file, exitCode: g.code }), g.stderr ? { openssh: g.stderr } : {});
  const value = (k: string): string | null => g.values.get(k)?.[0] ?? null;
  const first = (k: string) => value(k) ?? '(not set)';
  const { login } = ctx.profile;
  const wrong: string[] = [];
  const items: Array<{ code: DoctorItemCode; params: Record<string, string> }> = [];
  const expect = (option: string, key: string, expected: string, same: (found: string) => boolean) => {
    const found = value(key);
    if (found !== null && same(found)) return;
    wrong.push(`${option} is ${first(key)}, expected ${expected}`);
    items.push(found === null ? { code: 'setting-unset', params: { option, expected } } : { code: 'setting-wrong', params: { option, found, expected } });
  };
  expect('HostName', 'hostname', login.host, (v) => v.toLowerCase() === login.host.toLowerCase());
  expect('Port', 'port', String(login.port), (v) => v === String(login.port));
  expect('PreferredAuthentications', 'preferredauthentications', login.preferredAuthentications, (v) => v === login.preferredAuthentications);
  if (f.blockUser !== null) expect('User', 'user', f.blockUser, (v) => v === f.blockUser);
  if (f.blockIdentity !== null && !f.identities.includes(f.blockIdentity)) {
    wrong.push(`IdentityFile does not include ${f.blockIdentity}`);
    items.push({ code: 'identity-missing', params: { file: f.blockIdentity } });
  }
  if (wrong.length > 0) return fail('config', `"ssh ${alias}" would not use the cluster's settings: ${wrong.join('; ')}.`, next, why('config-wrong', { alias }, items));
  const facts = { alias, host: login.host, port: login.port, user: first('user'), key: f.identities[0] ?? '' };
  if (f.blockUser === null) {
    return warn(
      'config',
      `"ssh ${alias}" reaches ${login.host} port ${login.port} as user ${first('user')}, but the settings were not written by mila-onboard.`,
      'Check that the user name is your cluster account, or let mila-onboard write the settings.',
      why('config-not-ours', facts),
    );
  }
  const reaches = `"ssh ${alias}" reaches ${login.host} port ${login.port} as ${first('user')}, with ${f.identities[0] ?? 'the default keys'}`;
  // Checked on a copy without what could run or could not be followed: say so, the check is partial.
  if (g.notes.length > 0) {
    const left = g.leftOut.map((l): { code: DoctorItemCode; params: Record<string, string> } => (l.kind === 'match-exec' ? { code: 'left-out-exec', params: { where: l.where } } : { code: 'left-out-include', params: { line: l.where } }));
    return warn('config', `${reaches} (checked with ssh -G on a copy of your config). ${g.notes.join(' ')}`, 'Check that the left-out lines do not change the cluster\'s settings.', why('config-partial', facts, left));
  }
  return ok('config', `${reaches} (checked with ssh -G).`, why('config-ok', facts));
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
  if (!file) return fail('keys', `The key the connection uses does not exist (${candidates[0]}).`, 'Create a key (mila-onboard keys create), or point the settings at your existing key.', why('key-missing', { file: candidates[0] ?? '' }));
  const st = await stat(file);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return fail('keys', `${file} cannot be read by your account.`, 'Check that your user account owns this file.', why('key-unreadable', { file }));
  const cls = classifyPrivateKey(text);
  if (cls.kind !== 'private') return fail('keys', `${file} is not an SSH private key.`, 'Point the connection settings at your private key (the file without .pub).', why('key-not-private', { file }));
  if (cls.format === 'putty') return fail('keys', `${file} is a PuTTY key, which OpenSSH cannot use.`, 'Convert it: PuTTYgen → Conversions → Export OpenSSH key.', why('key-putty', { file }));
  if (platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8);
    return fail('keys', `Other users of this computer can read ${file} (mode ${mode}); OpenSSH refuses to use it.`, `Let mila-onboard fix it (mila-onboard keys fix-permissions), or run: chmod 600 ${file}`, why('key-too-open', { file, mode }));
  }
  const pubText = await readFile(`${file}.pub`, 'utf8').catch(() => null);
  const pub = pubText === null ? null : parsePublicKeyLine(pubText);
  if (!pub) return warn('keys', `${file} is usable, but its public half (${file}.pub) is missing or unreadable.`, 'Make it again from the private key: mila-onboard keys recover-public.', why('key-public-missing', { file }));
  if (cls.publicKey && cls.publicKey.blob !== pub.blob)
    return fail('keys', `${file}.pub belongs to a different key than ${file}.`, 'Make the public key again from the private key: mila-onboard keys recover-public --overwrite.', why('key-public-mismatch', { file }));
  const protectedText = cls.encrypted === false ? ', not protected by a passphrase' : cls.encrypted ? ', protected by a passphrase' : '';
  const facts = { file, type: pub.type, fingerprint: pub.fingerprint };
  if (cls.encrypted === false) return warn('keys', `${file} (${pub.type}, ${pub.fingerprint}) is usable${protectedText}.`, 'Add a passphrase: mila-onboard keys protect.', why('key-unprotected', facts));
  return ok('keys', `${file} (${pub.type}, ${pub.fingerprint}) is usable${protectedText}.`, why(cls.encrypted ? 'key-protected' : 'key-usable', facts));
}

async function readKnownHosts(ctx: EngineContext): Promise<Buffer | null> {
  return (await readFileState(nodeFs, knownHostsPath(ctx), 'a known_hosts file').catch(() => ({ bytes: null }))).bytes;
}

function checkKnownHosts(ctx: EngineContext, bytes: Buffer | null): DoctorCheck {
  const names = loginNames(ctx);
  const r = recordedLoginKeys(ctx, bytes);
  const file = knownHostsPath(ctx);
  const facts = { file, names: names.join(', '), types: r.verifiedTypes.join(', '), profile: ctx.profile.name };
  if (!ctx.profile.login.fingerprintsPublished) {
    if (r.verifiedTypes.length === 0)
      return fail(
        'known-hosts',
        `${file} records no key for ${names.join(', ')}, so OpenSSH (with strict checking) refuses to connect.`,
        `Look at the keys the server presents and confirm them: mila-onboard trust --cluster ${ctx.profile.id} (${ctx.profile.name} publishes no fingerprints to verify them).`,
        why('known-hosts-none-confirmed', facts),
      );
    return ok('known-hosts', `${file} records the keys you confirmed (${r.verifiedTypes.join(', ')}) for ${names.join(', ')}; ${ctx.profile.name} publishes no fingerprints, so they could not be verified.`, why('known-hosts-confirmed', facts));
  }
  if (r.verifiedTypes.length === 0) {
    return fail('known-hosts', `${file} does not record the cluster's verified host keys, so OpenSSH (with strict checking) refuses to connect.`, 'Verify and record them: mila-onboard trust (or the “Trust the cluster” step).', why('known-hosts-missing', facts));
  }
  if (r.stale.length > 0) {
    const lines = r.stale.map((s) => s.line).join(', ');
    return fail(
      'known-hosts',
      `${file} records the cluster's verified keys (${r.verifiedTypes.join(', ')}), but also ${r.stale.length} other key(s) for it (line ${lines}): OpenSSH would also accept a server presenting one of those, which is not the cluster.`,
      'Remove them (a backup is kept): mila-onboard trust --remove-stale.',
      why('known-hosts-stale', { ...facts, count: r.stale.length, lines }),
    );
  }
  return ok('known-hosts', `${file} records the cluster's verified host keys (${r.verifiedTypes.join(', ')}) for ${names.join(', ')}.`, why('known-hosts-ok', facts));
}

function checkComputeKnownHosts(ctx: EngineContext, bytes: Buffer | null): DoctorCheck {
  const patterns = ctx.profile.compute.knownHostsPatterns;
  const r = recordedKeys(bytes, patterns, ctx.profile.compute.fingerprints);
  const facts = { patterns: patterns.join(', '), profile: ctx.profile.name, docs: ctx.profile.links.docs };
  if (r.verifiedTypes.length === 0) {
    const kind = ctx.profile.compute.probeHost ? 'compute-keys-missing' : !ctx.profile.compute.fingerprintsPublished ? 'compute-keys-missing-unpublished' : 'compute-keys-missing-compare';
    return warn(
      'compute-known-hosts',
      `The compute nodes' host keys are not recorded yet (${patterns.join(', ')}): the first connection to a compute node will ask you to confirm its fingerprint.`,
      ctx.profile.compute.probeHost
        ? 'Record them over a login: mila-onboard compute trust.'
        : !ctx.profile.compute.fingerprintsPublished
          ? `${ctx.profile.name} publishes no compute-node fingerprints: the first connection to a compute node shows its fingerprint and asks; it cannot be verified.`
          : `Compare the fingerprint shown with the published compute-node fingerprints (${ctx.profile.links.docs}) before answering yes.`,
      why(kind, facts),
    );
  }
  if (r.stale.length > 0) {
    const lines = r.stale.map((s) => s.line).join(', ');
    return warn('compute-known-hosts', `known_hosts has ${r.stale.length} other key(s) for the compute nodes (line ${lines}).`, 'Check those lines, or run mila-onboard compute trust --remove-stale.', why('compute-keys-stale', { ...facts, count: r.stale.length, lines }));
  }
  return ok('compute-known-hosts', `The compute nodes' verified host keys (${r.verifiedTypes.join(', ')}) are recorded for ${patterns.join(', ')}.`, why('compute-keys-ok', { ...facts, types: r.verifiedTypes.join(', ') }));
}

async function checkAgent(keyFile: string | null, deps: DoctorDeps): Promise<DoctorCheck> {
  const status = await agentStatus({ env: deps.agentEnv, platform: deps.platform }).catch((err: unknown) => (err instanceof EngineError ? err : null));
  if (status instanceof EngineError || status === null) return warn('agent', 'The SSH agent could not be asked.', 'OpenSSH will ask for your key\'s passphrase at each connection.', why('agent-unknown'));
  if (!status.reachable) {
    // The advice is the OS's own (no SSH_AUTH_SOCK, a stopped Windows service...): its code and values ride along.
    const advice = status.adviceReason ?? { code: 'no-socket', params: {} };
    return warn('agent', status.advice ?? 'No SSH agent is reachable.', 'Without an agent, OpenSSH asks for your key\'s passphrase at each connection.', why('agent-unreachable', { ...advice.params, advice: advice.code }));
  }
  const pub = keyFile ? await readFile(`${keyFile}.pub`, 'utf8').catch(() => null) : null;
  const fp = pub ? parsePublicKeyLine(pub)?.fingerprint : undefined;
  if (fp && status.keys.some((k) => k.fingerprint === fp)) return ok('agent', `The SSH agent holds your key (${fp}).`, why('agent-ok', { fingerprint: fp }));
  return warn(
    'agent',
    `The SSH agent is running${fp ? ' but does not hold your key' : ''}.`,
    'Add your key so its passphrase is asked once per session: mila-onboard keys agent-add <key>.',
    fp ? why('agent-without-key', { fingerprint: fp }) : why('agent-running'),
  );
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
  if (r.ok) return ok('reachability', `${host} port ${port} answers (${r.banner}).`, why('reach-ok', { host, port, banner: r.banner }));
  const seconds = Math.round((deps.reachTimeoutMs ?? 5000) / 1000);
  const text: Record<typeof r.why, [string, string, DoctorReasonDto]> = {
    refused: [
      `${host} refused the connection on port ${port}.`,
      'After several failed logins the cluster blocks your address for about an hour: wait, then try again. If it persists, contact IT support.',
      why('reach-refused', { host, port }),
    ],
    timeout: [`${host} port ${port} did not answer (${r.detail}).`, 'Check your internet connection; some networks block SSH: try another network or a VPN.', why('reach-timeout', { host, port, seconds })],
    dns: [`This computer could not find the address of ${host}.`, 'Check that you are connected to the internet.', why('reach-dns', { host })],
    network: [`This computer has no network route to ${host} (${r.detail}).`, 'Check your internet connection (Wi-Fi, VPN).', why('reach-network', { host, detail: r.detail })],
    'not-ssh': [`${host} port ${port} answered, but not as an SSH server (${r.detail}).`, 'A network filter may be in the way: try another network.', why('reach-not-ssh', { host, port })],
  };
  return fail('reachability', ...text[r.why]);
}

/** The SSH folder, config and known_hosts not writable by others (see ssh-modes.ts). */
async function checkPermissions(ctx: EngineContext, platform: NodeJS.Platform): Promise<DoctorCheck> {
  const list = await unsafeSshModes(ctx.sshDir, platform);
  if (list.length === 0) return ok('permissions', `Only you can change ${ctx.sshDir}, its config and known_hosts.`, why('permissions-ok', { dir: ctx.sshDir }));
  const d = describeUnsafeModes(list);
  return fail('permissions', d.message, d.next, unsafeModesReason(list));
}

const ORDER: DoctorCheck['id'][] = ['pty', 'keys', 'config', 'permissions', 'known-hosts', 'compute-known-hosts', 'agent', 'reachability'];

/** Runs every check (independent ones in parallel). Never throws for a failed check: that is a `fail`. */
export async function doctor(ctx: EngineContext, deps: DoctorDeps = {}): Promise<DoctorReport> {
  const started = Date.now();
  const platform = deps.platform ?? process.platform;
  const guard = (id: DoctorCheck['id'], p: Promise<DoctorCheck>): Promise<DoctorCheck> => p.catch((err: unknown) => failedCheck(id, err));
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
