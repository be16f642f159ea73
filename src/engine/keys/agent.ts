import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { AgentAdviceDto } from '../../shared/contract/reasons.js';
import { EngineError, reason } from '../errors.js';
import { answerPrompts } from '../openssh/conversation.js';
import { runInPty, type AskFn, type PtySessionHooks } from '../openssh/pty-session.js';
import { lastLine, sentenceWith } from '../openssh/last-line.js';
import { installHint, runOpenSsh } from '../openssh/run.js';
import { inspectKey } from './inspect.js';
import { resolveExistingKeyFile } from './names.js';
import { checkPassphrase, keyUnlock, wrongPassphrase } from './passphrase.js';

/**
 * The SSH agent: holds unlocked keys so the passphrase is typed once per session.
 * Reachability follows `ssh-add -l`'s exit code: 0 it holds keys, 1 it holds none,
 * 2 no agent could be reached. On Windows the agent is a service (`ssh-agent`), off by default.
 */

export type AgentState = 'has-keys' | 'no-keys' | 'not-running';

export interface AgentKey {
  bits: number | null;
  fingerprint: string;
  comment: string | null;
  type: string;
}

export type ServiceState = 'running' | 'stopped' | 'starting' | 'stopping' | 'paused' | 'missing' | 'unknown';
export type ServiceStartType = 'automatic' | 'manual' | 'disabled' | 'unknown';

export interface AgentStatus {
  reachable: boolean;
  state: AgentState;
  /** SSH_AUTH_SOCK as the agent is found (null when unset; Windows uses a named pipe instead). */
  socket: string | null;
  keys: AgentKey[];
  /** Windows only: the `ssh-agent` service. */
  windowsService?: { state: ServiceState; startType: ServiceStartType };
  /** What to do, in plain words, when the agent is not usable; null when all is well. */
  advice: string | null;
  /** The same advice as a code and values (it depends on the OS), for the wizard's languages. */
  adviceReason: AgentAdviceDto | null;
}

export const WINDOWS_AGENT_COMMAND = 'Get-Service ssh-agent | Set-Service -StartupType Automatic; Start-Service ssh-agent';

// sc.exe's numbers for a service's state and start type (`STATE : 4  RUNNING`, `START_TYPE : 2  AUTO_START`).
const SC_STATES: Readonly<Record<string, ServiceState>> = { '1': 'stopped', '2': 'starting', '3': 'stopping', '4': 'running', '7': 'paused' };
const SC_START_TYPES: Readonly<Record<string, ServiceStartType>> = { '2': 'automatic', '3': 'manual', '4': 'disabled' };

/** The number after `FIELD :` in sc.exe's output, read through its table; a number the table lacks is 'unknown'. */
function scField<T extends string>(text: string, field: string, table: Readonly<Record<string, T>>): T | 'unknown' {
  const m = new RegExp(`${field}\\s*:\\s*(\\d+)`).exec(text);
  return (m && Object.hasOwn(table, m[1]!) ? table[m[1]!] : undefined) ?? 'unknown';
}

/** Parses `sc query ssh-agent`: `STATE : 4  RUNNING`, or error 1060 when the service is not installed. */
export function parseScQuery(text: string): ServiceState {
  if (/\b1060\b|does not exist as an installed service/i.test(text)) return 'missing';
  return scField(text, 'STATE', SC_STATES);
}

/** Parses `sc qc ssh-agent`: `START_TYPE : 4   DISABLED` (2 AUTO_START, 3 DEMAND_START). */
export function parseScQc(text: string): ServiceStartType {
  return scField(text, 'START_TYPE', SC_START_TYPES);
}

/** Parses `ssh-add -l -E sha256` lines: `256 SHA256:... comment (ED25519)`. */
export function parseAgentList(text: string): AgentKey[] {
  const keys: AgentKey[] = [];
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const m = /^(\d+)\s+(SHA256:[A-Za-z0-9+/]+)\s+(.*?)\s*\(([^()]+)\)\s*$/.exec(line);
    if (!m) continue;
    const comment = m[3]!.trim();
    keys.push({ bits: Number(m[1]), fingerprint: m[2]!, comment: comment === '' || comment === 'no comment' ? null : comment, type: m[4]! });
  }
  return keys;
}

function sc(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('sc.exe', args, { timeout: 10_000, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve(`${stdout ?? ''}\n${stderr ?? ''}\n${err && !stdout ? String((err as Error).message) : ''}`);
    });
  });
}

function windowsAdvice(state: ServiceState, startType: ServiceStartType): string | null {
  if (state === 'running') return null;
  if (state === 'missing') return `The OpenSSH agent service is not installed. ${installHint('win32')}`;
  return (
    `The OpenSSH agent service is ${startType === 'disabled' ? 'disabled' : 'not running'}. ` +
    `Open PowerShell as administrator (right-click → Run as administrator) and run: ${WINDOWS_AGENT_COMMAND}`
  );
}

/** windowsAdvice as a code and values. */
export function windowsAdviceReason(state: ServiceState, startType: ServiceStartType): AgentAdviceDto | null {
  if (state === 'running') return null;
  if (state === 'missing') return { code: 'windows-missing', params: {} };
  return { code: startType === 'disabled' ? 'windows-disabled' : 'windows-stopped', params: { command: WINDOWS_AGENT_COMMAND } };
}

export interface AgentOptions {
  /** Overrides for the environment (SSH_AUTH_SOCK); tests point it at their own agent. */
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** Ends ssh-add (openssh/terminate.ts) when it aborts: an agent that does not answer must not outlive the call. */
  signal?: AbortSignal | undefined;
}

function agentEnv(opts: AgentOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * No usable agent: the one shape of that answer, whatever the reason (no SSH_AUTH_SOCK, a socket
 * that does not answer, Windows' service stopped or missing). The advice comes as the CLI's
 * English and as a code for the wizard, always together.
 */
function notRunning(socket: string | null, windowsService: AgentStatus['windowsService'], advice: { text: string | null; reason: AgentAdviceDto | null }): AgentStatus {
  return { reachable: false, state: 'not-running', socket, keys: [], ...(windowsService ? { windowsService } : {}), advice: advice.text, adviceReason: advice.reason };
}

/** Windows' advice for its agent service, in English and as a code. */
function windowsServiceAdvice(state: ServiceState, startType: ServiceStartType) {
  return { text: windowsAdvice(state, startType), reason: windowsAdviceReason(state, startType) };
}

export async function agentStatus(opts: AgentOptions = {}): Promise<AgentStatus> {
  const platform = opts.platform ?? process.platform;
  const env = agentEnv(opts);
  const socket = env.SSH_AUTH_SOCK ? env.SSH_AUTH_SOCK : null;

  let windowsService: AgentStatus['windowsService'];
  if (platform === 'win32') {
    const [q, qc] = await Promise.all([sc(['query', 'ssh-agent']), sc(['qc', 'ssh-agent'])]);
    windowsService = { state: parseScQuery(q), startType: parseScQc(qc) };
    if (windowsService.state !== 'running') return notRunning(socket, windowsService, windowsServiceAdvice(windowsService.state, windowsService.startType));
  } else if (!socket) {
    const mac = platform === 'darwin';
    return notRunning(socket, undefined, {
      text: mac
        ? 'No SSH agent is reachable from this program (SSH_AUTH_SOCK is not set). macOS normally starts one at login; log out and in again.'
        : 'No SSH agent is reachable from this program (SSH_AUTH_SOCK is not set). Most desktops start one at login; OpenSSH will then ask for the passphrase at each connection instead.',
      reason: { code: mac ? 'no-socket-macos' : 'no-socket', params: {} },
    });
  }

  const res = await runOpenSsh('ssh-add', ['-l', '-E', 'sha256'], { timeoutMs: 10_000, env, signal: opts.signal });
  if (res.code === 0) return { reachable: true, state: 'has-keys', socket, keys: parseAgentList(res.stdout), windowsService, advice: null, adviceReason: null };
  if (res.code === 1) return { reachable: true, state: 'no-keys', socket, keys: [], windowsService, advice: null, adviceReason: null };
  // Exit 2: no agent answered (a stale socket; on Windows the service stopped between the two calls).
  return notRunning(
    socket,
    windowsService,
    platform === 'win32'
      ? windowsServiceAdvice('stopped', windowsService?.startType ?? 'unknown')
      : { text: `The SSH agent named by SSH_AUTH_SOCK (${socket}) does not answer. Log out and in again to restart it.`, reason: { code: 'not-answering', params: { socket: socket ?? '' } } },
  );
}

export interface AddToAgentOptions extends AgentOptions {
  sshDir: string;
  /** The private key's file name inside sshDir. */
  file: string;
  /** Typed at ssh-add's `Enter passphrase for F: ` prompt. Wrong: 'wrong-passphrase' (without `ask`). */
  passphrase?: string;
  /** Asked at each passphrase prompt when no passphrase was given (at most 3 times). */
  ask?: AskFn;
  signal?: AbortSignal;
  timeoutMs?: number;
  hooks?: PtySessionHooks;
}

export interface AddedToAgent {
  file: string;
  fingerprint: string;
  comment: string | null;
}

/** Adds a key to the agent (`ssh-add F` in a pty; on macOS also stored in the keychain). */
export async function addKeyToAgent(opts: AddToAgentOptions): Promise<AddedToAgent> {
  const platform = opts.platform ?? process.platform;
  const sshDir = path.resolve(opts.sshDir);
  const { name, path: full } = await resolveExistingKeyFile(sshDir, opts.file);
  const given = opts.passphrase === undefined || opts.passphrase === '' ? undefined : checkPassphrase(opts.passphrase);
  const env = agentEnv(opts);
  if (platform !== 'win32' && !env.SSH_AUTH_SOCK) {
    throw new EngineError('not-found', 'No SSH agent is reachable from this program, so the key cannot be added to one.', {
      hint: 'Log out and in again so your desktop starts the agent. Without one, OpenSSH asks for the passphrase at each connection.',
      reason: reason('agent-unreachable'),
    });
  }
  // --apple-use-keychain is Apple's own ssh-add; a Homebrew one earlier on PATH would reject it.
  const apple = platform === 'darwin' && (await access('/usr/bin/ssh-add').then(() => true, () => false));
  const args = apple ? ['--apple-use-keychain', full] : [full];
  const result = await runInPty({
    program: 'ssh-add',
    executable: apple ? '/usr/bin/ssh-add' : undefined,
    args,
    cwd: sshDir,
    env: { SSH_AUTH_SOCK: env.SSH_AUTH_SOCK },
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 60_000,
    platform,
    hooks: opts.hooks,
    onPrompt: answerPrompts('ssh-add', {
      job: 'unlock-key',
      // A person typing may try again (ssh-add says "Bad passphrase, try again"), three times.
      unlock: keyUnlock(name, {
        passphrase: given,
        ask: opts.ask,
        tries: 3,
        missing: () => new EngineError('invalid-input', `${name} is protected by a passphrase. Enter it to add the key to the agent.`, { reason: reason('key-needs-passphrase', { name }) }),
      }),
    }),
  });
  const out = result.output;
  if (result.exitCode !== 0) {
    if (/UNPROTECTED PRIVATE KEY FILE|are too open/.test(out)) {
      throw new EngineError('permission-denied', `OpenSSH refuses ${name}: other users of this computer can read it.`, { hint: 'Fix the key\'s permissions (600), then try again.', reason: reason('agent-key-too-open', { name }) });
    }
    if (/Could not open a connection to your authentication agent|Error connecting to agent/i.test(out)) {
      throw new EngineError('not-found', 'The SSH agent does not answer, so the key was not added.', {
        hint: platform === 'win32' ? `In PowerShell as administrator run: ${WINDOWS_AGENT_COMMAND}` : 'Log out and in again to restart the agent.',
        reason: platform === 'win32' ? reason('agent-not-answering-windows', { command: WINDOWS_AGENT_COMMAND }) : reason('agent-not-answering'),
      });
    }
    if (/incorrect passphrase|Bad passphrase/.test(out)) throw wrongPassphrase(name);
    const last = lastLine(out);
    throw new EngineError('internal', sentenceWith(`ssh-add could not add ${name}`, last), { reason: reason('agent-add-failed', { name }, last || undefined) });
  }
  const facts = await inspectKey(sshDir, name).catch(() => null);
  const added = /Identity added: .* \((.*)\)\s*$/m.exec(out);
  return { file: name, fingerprint: facts?.fingerprint ?? '', comment: facts?.comment ?? added?.[1] ?? null };
}
