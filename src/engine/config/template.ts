import path from 'node:path';
import { EngineError } from '../errors.js';
import type { ClusterProfile } from '../profile/schema.js';
import { compileHostLine } from '../openssh/host-patterns.js';
import type { IdentityChoice } from './validate.js';

export type ConfigVariant = 'simple' | 'advanced';

/**
 * Connection sharing: one login (and one one-time code) per boot. The folder must exist
 * for ssh to use it; apply creates it. Left out on Windows, whose OpenSSH fails with
 * "getsockname failed: Not a socket" on these options.
 */
export const CONTROL_PATH = '~/.cache/ssh/%r@%h:%p';

/** What the socket's name expands to: the user and the longest login host name the block shares connections to. */
export interface SocketName {
  user: string;
  hosts: readonly string[];
  port: number;
  platform: NodeJS.Platform;
}

/**
 * A Unix socket path holds at most 103 bytes on macOS and 107 on Linux, and OpenSSH first
 * binds the socket as PATH + "." + 16 random characters (then renames it). Past that, every
 * connection fails with "unix_listener: path ... too long": a long home folder and a long
 * username (jean-philippe.tremblay) are enough.
 */
const SOCKET_SUFFIX = 17;
/** `%C`: a SHA-1 of the local host, remote host, port and user, in hex. */
const HASH_LENGTH = 40;
const socketPathMax = (platform: NodeJS.Platform): number => (platform === 'linux' ? 107 : 103);

/**
 * The ControlPath for sockets in `controlDir` (the folder apply creates), so the two never
 * disagree: `~/...` when it is under the home OpenSSH expands `~` to, else the absolute path
 * (null: a caller that creates no folder, the usual ~/.cache/ssh). Named `%r@%h:%p` as Mila's
 * documentation does, or by OpenSSH's 40-character hash `%C` when that name would not fit.
 */
export function controlPathFor(controlDir: string | null, home: string, name: SocketName): string {
  let dir = '~/.cache/ssh';
  if (controlDir !== null) {
    const rel = path.relative(home, controlDir);
    const inHome = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    dir = (inHome ? `~/${rel}` : controlDir).split(path.sep).join('/');
  }
  const longest = name.hosts.reduce((a, b) => (b.length > a.length ? b : a), '');
  const named = Buffer.byteLength(`${name.user}@${longest}:${name.port}`);
  const fits = Buffer.byteLength(dir.replace(/^~(?=\/)/, home)) + 1 + named + SOCKET_SUFFIX <= socketPathMax(name.platform);
  // When it does not fit, the shorter of the two (the hash is 40 characters).
  const value = `${dir}/${fits || named <= HASH_LENGTH ? '%r@%h:%p' : '%C'}`;
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

export interface BlockSection {
  /** `Host p1 p2` (patterns match the name typed) or `Match host p1,p2` (patterns match the HostName so far). */
  kind: 'host' | 'match-host';
  patterns: string[];
  options: Array<[string, string]>;
  /** match-host only: names typed by the user that the section must leave alone (`!originalhost a,b`). */
  exceptTyped?: string[];
}

export interface BlockModel {
  profileId: string;
  profileName: string;
  alias: string;
  variant: ConfigVariant;
  sections: BlockSection[];
  connectionSharing: boolean;
}

export interface BlockInputs {
  user: string;
  identity: IdentityChoice;
  variant: ConfigVariant;
  platform: NodeJS.Platform;
  /** Advanced variant on macOS: add `UseKeychain yes` (default: platform is darwin). Only Apple's ssh knows it. */
  useKeychain?: boolean;
  /** Where connection-sharing sockets go (default CONTROL_PATH); see controlPathFor. */
  controlPath?: string;
}

function profileError(message: string): EngineError {
  return new EngineError('invalid-input', `The cluster profile cannot be written to an SSH config: ${message}.`);
}

const SAFE_TOKEN = /^[!A-Za-z0-9_.*?%@:+,\-[\]]+$/;
const KEYWORD = /^[A-Za-z][A-Za-z0-9]*$/;

function checkPattern(p: string, where: string): void {
  if (!SAFE_TOKEN.test(p)) throw profileError(`${where} "${p}" has characters a host pattern cannot have`);
}

function checkValue(v: string, where: string): void {
  if (/[\r\n\0]/.test(v) || v.trim() === '') throw profileError(`${where} is empty or has a line break`);
}

function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\{(user|alias)\}/g, (_m, name: string) => vars[name] ?? '');
}

function splitPatterns(entry: string): string[] {
  return entry.split(/\s+/).filter((p) => p !== '');
}

/** A compute pattern entry with no dot in its positive patterns names short nodes (cn-????). */
function isShortNamePattern(patterns: readonly string[]): boolean {
  return patterns.filter((p) => !p.startsWith('!')).every((p) => !p.includes('.'));
}

/** One Host section per `extraHosts` entry (mila-cpu), `{user}`/`{alias}` substituted. */
function extraHostSections(profile: ClusterProfile, user: string, identity: IdentityChoice): BlockSection[] {
  return profile.extraHosts.map((extra, i) => {
    checkPattern(extra.alias, `extraHosts[${i}].alias`);
    const options: Array<[string, string]> = extra.options.map(([k, v]) => {
      if (!KEYWORD.test(k)) throw profileError(`extraHosts[${i}] has an option named "${k}"`);
      const value = substitute(v, { user, alias: profile.alias });
      checkValue(value, `extraHosts[${i}].${k}`);
      return [k, value];
    });
    // The compute node behind the proxy authenticates with the same key.
    if (!options.some(([k]) => k.toLowerCase() === 'identityfile')) options.push(['IdentityFile', identity.configValue]);
    return { kind: 'host' as const, patterns: [extra.alias], options };
  });
}

export function buildBlock(profile: ClusterProfile, inputs: BlockInputs): BlockModel {
  const { user, identity, variant, platform } = inputs;
  const alias = profile.alias;
  const login = profile.login;
  const sharing = platform !== 'win32';
  const sharingOptions: Array<[string, string]> = sharing
    ? [
        ['ControlMaster', 'auto'],
        ['ControlPath', inputs.controlPath ?? CONTROL_PATH],
        ['ControlPersist', login.controlPersist],
      ]
    : [];
  const domain = profile.compute.domain;
  const computeEntries = profile.compute.hostPatterns.map(splitPatterns);
  computeEntries.forEach((ps, i) => ps.forEach((p) => checkPattern(p, `compute.hostPatterns[${i}]`)));
  for (const [a, h] of Object.entries(login.nodes)) {
    checkPattern(a, 'login.nodes');
    checkPattern(h, 'login.nodes');
  }
  checkValue(login.preferredAuthentications, 'login.preferredAuthentications');
  if (/\s/.test(login.preferredAuthentications)) throw profileError('login.preferredAuthentications has a space');

  const sections: BlockSection[] = [];
  if (variant === 'simple') {
    sections.push({
      kind: 'host',
      patterns: [alias],
      options: [
        ['HostName', login.host],
        ['Port', String(login.port)],
        ['User', user],
        ['IdentityFile', identity.configValue],
        ['PreferredAuthentications', login.preferredAuthentications],
        ['ServerAliveInterval', String(login.serverAliveInterval)],
        ['ServerAliveCountMax', String(login.serverAliveCountMax)],
        ...sharingOptions,
      ],
    });
    sections.push(...extraHostSections(profile, user, identity));
    for (const patterns of computeEntries) {
      const options: Array<[string, string]> = [];
      if (domain && isShortNamePattern(patterns)) options.push(['HostName', `%h.${domain}`]);
      options.push(['ProxyJump', alias], ['User', user], ['IdentityFile', identity.configValue]);
      sections.push({ kind: 'host', patterns, options });
    }
  } else {
    // The seed's "Manual SSH configuration" template, filled in. Its
    // `Match host A !B` is written `Match host A,!B`: OpenSSH 9 rejects the former.
    sections.push({ kind: 'host', patterns: [alias, login.host], options: [['HostName', login.host]] });
    for (const [nodeAlias, nodeHost] of Object.entries(login.nodes)) {
      sections.push({ kind: 'host', patterns: [nodeAlias, nodeHost], options: [['HostName', nodeHost]] });
    }
    // The screen says the advanced variant is "everything above": mila-cpu included. Its
    // section names no HostName, so none of the Match host sections below applies to it.
    sections.push(...extraHostSections(profile, user, identity));
    for (const patterns of computeEntries) {
      if (isShortNamePattern(patterns)) {
        if (domain) sections.push({ kind: 'host', patterns, options: [['HostName', `%h.${domain}`]] });
        // No domain (the Alliance's nc10101): the login node resolves the name, and no Match
        // section below names these nodes, so this section carries all they need.
        else sections.push({ kind: 'host', patterns, options: [['ProxyJump', alias], ['User', user], ['IdentityFile', identity.configValue]] });
      } else {
        sections.push({
          kind: 'match-host',
          patterns,
          options: [
            ['HostName', '%h'],
            ['ProxyJump', alias],
          ],
        });
      }
    }
    const loginPatterns = [`*${login.host}`, ...Object.values(login.nodes).filter((h) => !h.toLowerCase().endsWith(login.host.toLowerCase()))];
    sections.push({
      kind: 'match-host',
      patterns: loginPatterns,
      options: [
        ['Port', String(login.port)],
        ['ServerAliveInterval', String(login.serverAliveInterval)],
        ['ServerAliveCountMax', String(login.serverAliveCountMax)],
        ...sharingOptions,
      ],
    });
    // Every cluster host: `*.<domain>`, plus login patterns that it does not already cover.
    const coveredByDomain = (p: string): boolean => !!domain && p.replace(/^\*/, '').toLowerCase().endsWith(`.${domain.toLowerCase()}`);
    const everyPatterns = domain ? [`*.${domain}`, ...loginPatterns.filter((p) => !coveredByDomain(p))] : loginPatterns;
    sections.push({
      kind: 'match-host',
      patterns: everyPatterns,
      options: [
        ['PreferredAuthentications', login.preferredAuthentications],
        ['AddKeysToAgent', 'yes'],
        // Only Apple's ssh knows UseKeychain; any other ssh refuses the whole file over it,
        // even in a section that does not apply, so plan asks the local ssh first.
        ...((inputs.useKeychain ?? platform === 'darwin') ? ([['UseKeychain', 'yes']] as Array<[string, string]>) : []),
        ['User', user],
        ['IdentityFile', identity.configValue],
      ],
    });
  }
  return { profileId: profile.id, profileName: profile.name, alias, variant, sections, connectionSharing: sharing };
}

export function beginMarker(profileId: string): string {
  return `# >>> mila-onboard (${profileId}) >>> managed block: edit with mila-onboard; changes here are replaced`;
}

export function endMarker(profileId: string): string {
  return `# <<< mila-onboard (${profileId}) <<<`;
}

export const BEGIN_RE = /^[ \t]*#[ \t]*>>>[ \t]*mila-onboard[ \t]*\(([^)\r\n]*)\)/i;
export const END_RE = /^[ \t]*#[ \t]*<<<[ \t]*mila-onboard[ \t]*\(([^)\r\n]*)\)/i;
export const VARIANT_RE = /\(variant: (simple|advanced)\)/;

/** The block's text (UTF-8), every line ended with `eol`. */
export function renderBlock(model: BlockModel, eol: string): string {
  const out: string[] = [
    beginMarker(model.profileId),
    `# Written by mila-onboard for ${model.profileName.replace(/[\r\n]/g, ' ')} (variant: ${model.variant}). Undo the last change: mila-onboard config revert`,
  ];
  for (const s of model.sections) {
    const except = s.exceptTyped && s.exceptTyped.length > 0 ? ` !originalhost ${s.exceptTyped.join(',')}` : '';
    out.push(s.kind === 'host' ? `Host ${s.patterns.join(' ')}` : `Match host ${s.patterns.join(',')}${except}`);
    for (const [k, v] of s.options) out.push(`    ${k} ${v}`);
    out.push('');
  }
  out.push('# Back to every host: the lines after this block apply exactly as they did before it.');
  out.push('Host *');
  out.push(endMarker(model.profileId));
  return out.map((l) => l + eol).join('');
}

function expandHostName(value: string, host: string): string {
  return value.replace(/%(.)/g, (_m, c: string) => (c === 'h' ? host : c === '%' ? '%' : `%${c}`));
}

interface CompiledSection {
  matches(typed: string, hostname: string | null): boolean;
  hostName: string | null;
}

/** Each model's sections compiled once: plan asks about every alias of the user's config. */
const compiled = new WeakMap<BlockModel, CompiledSection[]>();

function compileSections(model: BlockModel): CompiledSection[] {
  let c = compiled.get(model);
  if (c) return c;
  c = model.sections.map((s) => {
    const hn = s.options.find(([k]) => k.toLowerCase() === 'hostname');
    const hostName = hn ? hn[1] : null;
    if (s.kind === 'host') {
      const m = compileHostLine(s.patterns);
      return { hostName, matches: (typed) => m(typed) };
    }
    // `Match host a,b` takes one comma-separated list: the same rule as a Host line.
    const m = compileHostLine(s.patterns.join(',').split(',').filter((p) => p !== ''));
    const except = new Set((s.exceptTyped ?? []).map((e) => e.toLowerCase()));
    return { hostName, matches: (typed, hostname) => m(hostname ?? typed) && !except.has(typed) };
  });
  compiled.set(model, c);
  return c;
}

/**
 * Which of the block's sections OpenSSH would apply to `host` (first pass, no
 * canonicalisation): Host patterns match the name typed, `Match host` the HostName set so far.
 */
export function sectionsApplying(model: BlockModel, host: string): number[] {
  const typed = host.toLowerCase();
  let hostname: string | null = null;
  const hits: number[] = [];
  compileSections(model).forEach((s, i) => {
    if (!s.matches(typed, hostname)) return;
    hits.push(i);
    if (s.hostName !== null && hostname === null) hostname = expandHostName(s.hostName, typed).toLowerCase();
  });
  return hits;
}

/** True when the block has a Host section listing `alias` itself. */
export function definesAlias(model: BlockModel, alias: string): boolean {
  const a = alias.toLowerCase();
  return model.sections.some((s) => s.kind === 'host' && s.patterns.some((p) => p.toLowerCase() === a));
}

/**
 * "Keep mine": the block leaves `alias` alone. A section naming it drops the name (and
 * goes away when nothing is left); a Host section that would still catch it gets `!alias`;
 * a `Match host` section gets `!originalhost alias` (negating the host name there would
 * also exclude the block's own alias that resolves to the same host name).
 */
export function excludeAlias(model: BlockModel, alias: string): BlockModel {
  const a = alias.toLowerCase();
  let sections = model.sections
    .map((s) => (s.kind === 'host' ? { ...s, patterns: s.patterns.filter((p) => p.toLowerCase() !== a) } : s))
    .filter((s) => s.patterns.some((p) => !p.startsWith('!')));
  let next: BlockModel = { ...model, sections };
  for (let round = 0; round < 4; round++) {
    const hits = sectionsApplying(next, alias);
    if (hits.length === 0) break;
    sections = next.sections.map((s, i) => {
      if (!hits.includes(i)) return s;
      return s.kind === 'host' ? { ...s, patterns: [...s.patterns, `!${alias}`] } : { ...s, exceptTyped: [...(s.exceptTyped ?? []), alias] };
    });
    next = { ...next, sections };
  }
  return next;
}
