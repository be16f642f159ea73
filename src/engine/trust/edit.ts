import { entryLine, hostFieldMatches, parseKnownHosts } from './known-hosts.js';

/**
 * Planning and making changes to known_hosts without touching anyone else's bytes. Pure:
 * bytes in, bytes out. The file is handled one byte per character (latin1) so a line we
 * do not change keeps its exact bytes, its line ending and any odd encoding.
 */

export interface VerifiedKey {
  /** ED25519, ECDSA, RSA. */
  type: string;
  /** The wire name used in known_hosts (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa). */
  algorithm: string;
  blob: string;
}

export interface StaleEntry {
  /** 0-based line index. */
  index: number;
  /** 1-based, for people. */
  line: number;
  text: string;
  /**
   * Which comma-separated entries of the host field name one of ours literally (or are a
   * hashed name of ours). Removing a stale line removes only those entries; a line left
   * with none is dropped. Empty: the line reaches our host only through a wildcard, and
   * is never changed automatically.
   */
  ours: string[];
  removable: boolean;
}

export interface EntriesPlan {
  /** Lines to add: one per verified key not yet recorded for every name. */
  toAdd: string[];
  stale: StaleEntry[];
  /** Every verified key is recorded for every name. */
  allRecorded: boolean;
}

function toLatin1(buf: Buffer | null): string {
  return buf ? buf.toString('latin1') : '';
}

/** Splits into lines, each keeping its own terminator ('\n' or '\r\n'; the last may have none). */
function splitKeep(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function literalOurs(field: string, names: readonly string[]): string[] {
  const lower = names.map((n) => n.toLowerCase());
  return field.split(',').filter((e) => {
    if (e.startsWith('!')) return false;
    if (e.startsWith('|')) return names.some((n) => hostFieldMatches(e, n));
    return lower.includes(e.toLowerCase());
  });
}

/**
 * What known_hosts needs so that every name has every verified key, and which existing
 * lines for these names hold another key (stale, or hostile).
 */
export function planEntries(bytes: Buffer | null, names: readonly string[], verified: readonly VerifiedKey[], comment: string): EntriesPlan {
  // Parsing works on UTF-8 text; line indexes are the same as in the latin1 view.
  const lines = parseKnownHosts(bytes ? bytes.toString('utf8') : '').filter((l) => l.marker === null && names.some((n) => hostFieldMatches(l.hosts, n)));
  const verifiedBlobs = new Set(verified.map((v) => v.blob));
  const missing = verified.filter((v) => !names.every((n) => lines.some((l) => l.key?.blob === v.blob && hostFieldMatches(l.hosts, n))));
  const stale = lines
    .filter((l) => !l.key || !verifiedBlobs.has(l.key.blob))
    .map((l): StaleEntry => {
      const ours = literalOurs(l.hosts, names);
      return { index: l.index, line: l.index + 1, text: l.raw, ours, removable: ours.length > 0 };
    });
  return { toAdd: missing.map((v) => entryLine(names, v, comment)), stale, allRecorded: missing.length === 0 };
}

/**
 * The new file: `remove` entries taken out of their lines (a line left without hosts is
 * dropped), `add` lines appended with the file's own line ending. Everything else is kept
 * byte for byte.
 */
export function editKnownHosts(bytes: Buffer | null, edit: { add: readonly string[]; remove: readonly StaleEntry[] }): Buffer {
  const text = toLatin1(bytes);
  const parts = splitKeep(text);
  const crlf = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
  const eol = crlf ? '\r\n' : '\n';
  const byIndex = new Map(edit.remove.filter((r) => r.removable).map((r) => [r.index, r]));
  const out: string[] = [];
  parts.forEach((part, index) => {
    const r = byIndex.get(index);
    if (!r) {
      out.push(part);
      return;
    }
    // marker? hosts rest — find the host field in this very line.
    const m = /^(\s*(?:@\S+\s+)?)(\S+)(\s[\s\S]*)$/.exec(part);
    if (!m) return; // cannot happen for a parsed line; drop it only if it was ours
    const remaining = m[2]!.split(',').filter((e) => !r.ours.includes(e));
    if (remaining.length === 0) return;
    out.push(m[1]! + remaining.join(',') + m[3]!);
  });
  let result = out.join('');
  if (edit.add.length > 0) {
    if (result !== '' && !result.endsWith('\n')) result += eol;
    // Our lines are ASCII (host names, algorithm, base64, comment).
    result += edit.add.map((l) => l + eol).join('');
  }
  return Buffer.from(result, 'latin1');
}
