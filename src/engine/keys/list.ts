import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KeyEntry, KeyList } from '../../shared/contract/keys.js';
import { fromFsError } from '../errors.js';
import { runOpenSsh } from '../openssh/run.js';
import { classifyPrivateKey, parsePublicKeyLine, type PublicKeyFacts } from './format.js';
import { folderPermissions, privateKeyPermissions, publicKeyPermissions } from './permissions.js';

/** Files that live in an SSH folder and are never keys. */
const NOT_KEYS = new Set(['config', 'known_hosts', 'known_hosts.old', 'authorized_keys', 'authorized_keys2', 'environment', 'rc', '.DS_Store']);
/** Names that suggest a key even when the contents say otherwise (so a broken key is reported, not hidden). */
const KEY_LIKE_NAME = /^id_|\.(pem|key|ppk)$/i;
/** Keys are a few KB; anything larger is not worth reading. */
const MAX_KEY_BYTES = 256 * 1024;

type ReadOutcome = { ok: true; text: string } | { ok: false; reason: 'unreadable' | 'too-big' };

async function readSmall(file: string): Promise<ReadOutcome> {
  try {
    const st = await stat(file);
    if (st.size > MAX_KEY_BYTES) return { ok: false, reason: 'too-big' };
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

/** Fallback for formats we do not parse (PEM, PKCS#8): ask ssh-keygen, which needs no passphrase for the public part of unencrypted keys. */
async function factsFromSshKeygen(file: string): Promise<(PublicKeyFacts & { comment: string | null }) | null> {
  const res = await runOpenSsh('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { timeoutMs: 10_000 }).catch(() => null);
  if (!res || res.code !== 0) return null;
  const m = /^(\d+)\s+(SHA256:\S+)\s+(.*)\s+\(([^)]+)\)\s*$/.exec(res.stdout.trim());
  if (!m) return null;
  const comment = m[3] === 'no comment' ? null : m[3]!;
  return { bits: Number(m[1]), fingerprint: m[2]!, comment, type: m[4]!, blob: '' };
}

function emptyEntry(file: string, kind: KeyEntry['kind']): KeyEntry {
  return { file, kind, type: null, bits: null, fingerprint: null, comment: null, hasPublic: false, encrypted: null, permissions: { mode: null, tooOpen: false }, problems: [] };
}

async function inspectPrivate(dir: string, name: string, names: Set<string>, platform: NodeJS.Platform): Promise<KeyEntry | null> {
  const file = path.join(dir, name);
  const entry = emptyEntry(name, 'private');
  const st = await stat(file).catch(() => null);
  if (st) entry.permissions = privateKeyPermissions(st, platform);
  const read = await readSmall(file);
  const pubName = `${name}.pub`;
  entry.hasPublic = names.has(pubName);
  if (!read.ok) {
    if (!KEY_LIKE_NAME.test(name) && !entry.hasPublic) return null;
    entry.kind = 'unusable';
    entry.problems.push(
      read.reason === 'unreadable'
        ? { code: 'unreadable', message: 'This file could not be read: your account may not have permission to open it.' }
        : { code: 'not-a-key', message: 'This file is too large to be an SSH key.' },
    );
    return entry;
  }
  const cls = classifyPrivateKey(read.text);
  if (cls.kind === 'not-a-key') {
    // Only report files that look like keys by name or have a .pub beside them; the rest is not our business.
    if (!KEY_LIKE_NAME.test(name) && !entry.hasPublic) return null;
    entry.kind = 'unusable';
    entry.problems.push({ code: 'not-a-key', message: 'This file is named like a key, but it does not contain an SSH private key.' });
    return entry;
  }
  entry.encrypted = cls.encrypted;
  let facts: (PublicKeyFacts & { comment: string | null }) | null = cls.publicKey ? { ...cls.publicKey, comment: cls.comment } : null;

  if (entry.hasPublic) {
    const pubRead = await readSmall(path.join(dir, pubName));
    const pub = pubRead.ok ? parsePublicKeyLine(pubRead.text) : null;
    if (!pub) {
      entry.problems.push({ code: 'public-missing', message: `${pubName} is not a valid public key; it can be made again from the private key.` });
    } else if (facts && facts.blob !== pub.blob) {
      entry.problems.push({ code: 'public-mismatch', message: `${pubName} belongs to a different key than ${name}.` });
    } else {
      // The .pub carries the comment for protected keys; its facts equal the private key's when both are known.
      facts = { ...(facts ?? pub), comment: pub.comment ?? facts?.comment ?? null };
    }
  } else {
    entry.problems.push({ code: 'public-missing', message: 'The public half of this key is missing. It can be made again from the private key.' });
  }
  if (!facts && cls.format !== 'putty') facts = await factsFromSshKeygen(file);
  if (cls.format === 'putty') {
    entry.kind = 'unusable';
    entry.problems.push({ code: 'unsupported', message: 'This is a PuTTY key. OpenSSH cannot use it until it is converted (PuTTYgen → Conversions → Export OpenSSH key).' });
  }
  if (facts) {
    entry.type = facts.type;
    entry.bits = facts.bits;
    entry.fingerprint = facts.fingerprint;
    entry.comment = facts.comment;
  }
  if (entry.permissions.tooOpen) {
    entry.problems.push({ code: 'permissions-too-open', message: `Other users of this computer can read this private key (mode ${entry.permissions.mode}). OpenSSH will refuse to use it until it is 600.` });
  }
  return entry;
}

async function inspectOrphanPublic(dir: string, name: string, platform: NodeJS.Platform): Promise<KeyEntry> {
  const entry = emptyEntry(name, 'public-only');
  const file = path.join(dir, name);
  const st = await stat(file).catch(() => null);
  if (st) entry.permissions = publicKeyPermissions(st, platform);
  const read = await readSmall(file);
  const pub = read.ok ? parsePublicKeyLine(read.text) : null;
  if (!pub) {
    entry.kind = 'unusable';
    entry.problems.push(
      read.ok
        ? { code: 'not-a-key', message: 'This file ends in .pub but does not contain a public key.' }
        : { code: 'unreadable', message: 'This file could not be read: your account may not have permission to open it.' },
    );
    return entry;
  }
  entry.hasPublic = true;
  entry.type = pub.type;
  entry.bits = pub.bits;
  entry.fingerprint = pub.fingerprint;
  entry.comment = pub.comment;
  entry.problems.push({ code: 'public-only', message: 'Only the public half is here; its private key is not in this folder, so this computer cannot log in with it.' });
  return entry;
}

/**
 * Lists every SSH key in a folder, whatever its name: type, size, fingerprint, comment,
 * public half, passphrase protection and permissions. Odd files are listed with a plain
 * reason; nothing here throws for a single bad file.
 */
export async function listKeys(sshDir: string, platform: NodeJS.Platform = process.platform): Promise<KeyList> {
  const folderStat = await stat(sshDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw fromFsError(err, `Reading the SSH folder ${sshDir}`, sshDir);
  });
  if (!folderStat) return { folder: { path: sshDir, exists: false, permissions: { mode: null, tooOpen: false } }, keys: [] };

  let dirents;
  try {
    dirents = await readdir(sshDir, { withFileTypes: true });
  } catch (err) {
    throw fromFsError(err, `Reading the SSH folder ${sshDir}`, sshDir);
  }
  const files = dirents.filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name).filter((n) => !NOT_KEYS.has(n));
  const names = new Set(files);
  const jobs: Promise<KeyEntry | null>[] = [];
  for (const name of files) {
    if (name.endsWith('.pub')) {
      if (!names.has(name.slice(0, -4))) jobs.push(inspectOrphanPublic(sshDir, name, platform));
    } else {
      jobs.push(inspectPrivate(sshDir, name, names, platform));
    }
  }
  const keys = (await Promise.all(jobs)).filter((k): k is KeyEntry => k !== null);
  keys.sort((a, b) => a.file.localeCompare(b.file));
  return { folder: { path: sshDir, exists: true, permissions: folderPermissions(folderStat, platform) }, keys };
}
