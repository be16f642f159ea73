import { createHmac } from 'node:crypto';
import { parsePublicKeyLine, type PublicKeyFacts } from '../keys/format.js';
import { matchHostList } from '../openssh/host-patterns.js';

/**
 * known_hosts, read line by line. We never rewrite a user's lines: we add ours and, on
 * consent, drop the stale ones for our own hosts. Host fields may be plain
 * (`host`, `[host]:port`, patterns, `!negations`) or hashed (`|1|salt|hmac`).
 */

/** How OpenSSH names a host in known_hosts: plain for port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface KnownHostsLine {
  /** 0-based line index in the file. */
  index: number;
  raw: string;
  marker: '@cert-authority' | '@revoked' | null;
  hosts: string;
  key: (PublicKeyFacts & { comment: string | null }) | null;
}

export function parseKnownHosts(text: string): KnownHostsLine[] {
  const out: KnownHostsLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let rest = line;
    let marker: KnownHostsLine['marker'] = null;
    if (rest.startsWith('@')) {
      const sp = rest.search(/\s/);
      const m = rest.slice(0, sp);
      marker = m === '@cert-authority' || m === '@revoked' ? m : null;
      rest = rest.slice(sp).trimStart();
    }
    const sp = rest.search(/\s/);
    if (sp < 0) return;
    out.push({ index, raw, marker, hosts: rest.slice(0, sp), key: parsePublicKeyLine(rest.slice(sp).trim()) });
  });
  return out;
}

function hashedMatch(entry: string, name: string): boolean {
  const parts = entry.split('|');
  // |1|base64(salt)|base64(hmac-sha1(salt, name))
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  return createHmac('sha1', salt).update(name).digest('base64') === parts[3];
}

/** Does a known_hosts host field apply to this name (`host` or `[host]:port`)? Hashed, or OpenSSH's pattern list (negations win). */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  return matchHostList(field, name);
}

/** One line we write: the host names (comma-separated) and a verified key. */
export function entryLine(names: readonly string[], key: { algorithm: string; blob: string }, comment: string): string {
  return `${names.join(',')} ${key.algorithm} ${key.blob} ${comment}`;
}
