import { createHash } from 'node:crypto';

/**
 * Reading key files in-process. OpenSSH's own formats are simple length-prefixed
 * binary; parsing them here answers "which type, how strong, protected or not" for a
 * whole folder without starting one process per file. Tests check every answer
 * against `ssh-keygen -l` on keys the real ssh-keygen made.
 */

export type PrivateKeyFormat = 'openssh' | 'pem' | 'pkcs8' | 'putty';

export interface PublicKeyFacts {
  /** As ssh-keygen -l prints it: ED25519, RSA, ECDSA, DSA, ED25519-SK, ECDSA-SK. */
  type: string;
  bits: number | null;
  fingerprint: string;
  /** The base64 blob, to compare a private key with its .pub. */
  blob: string;
}

export type PrivateKeyClass =
  | { kind: 'private'; format: PrivateKeyFormat; encrypted: boolean | null; publicKey: PublicKeyFacts | null; comment: string | null }
  | { kind: 'not-a-key' };

const OPENSSH_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const OPENSSH_END = '-----END OPENSSH PRIVATE KEY-----';
const AUTH_MAGIC = 'openssh-key-v1\0';

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(): Buffer {
    const len = this.uint32();
    if (this.pos + len > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
  string(): string {
    return this.bytes().toString('latin1');
  }
  raw(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/** Bit length of an SSH mpint (big-endian, may carry a leading zero byte). */
function mpintBits(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

const CURVE_BITS: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** Type and size from a public key blob, as ssh-keygen -l reports them. */
export function describePublicBlob(blob: Buffer): PublicKeyFacts {
  const r = new Reader(blob);
  const algo = r.string();
  let type: string;
  let bits: number | null = null;
  if (algo === 'ssh-ed25519') {
    type = 'ED25519';
    bits = 256;
  } else if (algo === 'sk-ssh-ed25519@openssh.com') {
    type = 'ED25519-SK';
    bits = 256;
  } else if (algo === 'ssh-rsa') {
    type = 'RSA';
    r.bytes(); // e
    bits = mpintBits(r.bytes());
  } else if (algo === 'ssh-dss') {
    type = 'DSA';
    bits = mpintBits(r.bytes());
  } else if (algo.startsWith('ecdsa-sha2-')) {
    type = 'ECDSA';
    bits = CURVE_BITS[r.string()] ?? null;
  } else if (algo.startsWith('sk-ecdsa-sha2-')) {
    type = 'ECDSA-SK';
    bits = CURVE_BITS[r.string()] ?? null;
  } else {
    type = algo.toUpperCase();
  }
  return { type, bits, fingerprint: sha256Fingerprint(blob), blob: blob.toString('base64') };
}

export function sha256Fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Parses one public key line (`type base64 [comment]`), or returns null if it is not one. */
export function parsePublicKeyLine(text: string): (PublicKeyFacts & { comment: string | null }) | null {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (!line) return null;
  const m = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,3})(?:\s+(.*?))?\s*$/.exec(line);
  if (!m) return null;
  try {
    const blob = Buffer.from(m[2]!, 'base64');
    const facts = describePublicBlob(blob);
    // The declared type must match the blob's own, or this is not a key line.
    if (new Reader(blob).string() !== m[1]) return null;
    return { ...facts, comment: m[3] ? m[3] : null };
  } catch {
    return null;
  }
}

function parseOpenSshPrivate(text: string): PrivateKeyClass {
  const start = text.indexOf(OPENSSH_BEGIN);
  const end = text.indexOf(OPENSSH_END);
  if (start < 0 || end < start) return { kind: 'not-a-key' };
  const body = Buffer.from(text.slice(start + OPENSSH_BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  try {
    if (body.subarray(0, AUTH_MAGIC.length).toString('latin1') !== AUTH_MAGIC) return { kind: 'not-a-key' };
    const r = new Reader(body.subarray(AUTH_MAGIC.length));
    const cipher = r.string();
    r.string(); // kdf name
    r.bytes(); // kdf options
    const count = r.uint32();
    if (count < 1) return { kind: 'not-a-key' };
    const publicKey = describePublicBlob(r.bytes());
    let comment: string | null = null;
    if (cipher === 'none') {
      // Unencrypted: the comment sits after the private fields; reading it needs the type's layout.
      comment = readPlainComment(r.bytes(), publicKey.type);
    }
    return { kind: 'private', format: 'openssh', encrypted: cipher !== 'none', publicKey, comment };
  } catch {
    return { kind: 'not-a-key' };
  }
}

/** Number of private-section fields after the key type string, per type. */
const PRIVATE_FIELDS: Record<string, number> = { ED25519: 2, RSA: 6, DSA: 5, ECDSA: 3, 'ED25519-SK': 5, 'ECDSA-SK': 6 };

function readPlainComment(section: Buffer, type: string): string | null {
  const fields = PRIVATE_FIELDS[type];
  if (fields === undefined) return null;
  try {
    const r = new Reader(section);
    r.raw(8); // two check integers
    r.string(); // key type
    // sk keys carry one uint8 (flags) among byte strings; handle their layouts explicitly.
    if (type === 'ED25519-SK') {
      r.bytes();
      r.string();
      r.raw(1);
      r.bytes();
      r.bytes();
    } else if (type === 'ECDSA-SK') {
      r.string();
      r.bytes();
      r.string();
      r.raw(1);
      r.bytes();
      r.bytes();
    } else {
      for (let i = 0; i < fields; i++) r.bytes();
    }
    const c = r.string();
    return c === '' ? null : Buffer.from(c, 'latin1').toString('utf8');
  } catch {
    return null;
  }
}

/** Classifies a file's text: which private key format, protected or not, and its public half when readable. */
export function classifyPrivateKey(text: string): PrivateKeyClass {
  const t = text.replace(/^\uFEFF/, '');
  if (t.includes(OPENSSH_BEGIN)) return parseOpenSshPrivate(t);
  const pem = /-----BEGIN (RSA|EC|DSA) PRIVATE KEY-----/.exec(t);
  if (pem) {
    return { kind: 'private', format: 'pem', encrypted: /Proc-Type:\s*4,ENCRYPTED/.test(t), publicKey: null, comment: null };
  }
  if (t.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    return { kind: 'private', format: 'pkcs8', encrypted: true, publicKey: null, comment: null };
  }
  if (t.includes('-----BEGIN PRIVATE KEY-----')) {
    return { kind: 'private', format: 'pkcs8', encrypted: false, publicKey: null, comment: null };
  }
  if (t.startsWith('PuTTY-User-Key-File-')) {
    const enc = /^Encryption:\s*(\S+)/m.exec(t)?.[1];
    return { kind: 'private', format: 'putty', encrypted: enc === undefined ? null : enc !== 'none', publicKey: null, comment: /^Comment:\s*(.*)$/m.exec(t)?.[1] ?? null };
  }
  return { kind: 'not-a-key' };
}
