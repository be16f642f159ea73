import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, reason } from '../errors.js';
import { runOpenSsh } from '../openssh/run.js';
import { resolveExistingKeyFile } from './names.js';

/**
 * What a person compares by eye: the SHA256 fingerprint and OpenSSH's randomart picture,
 * as ssh-keygen itself draws them (`ssh-keygen -lv -E sha256`). Reads the .pub when there
 * is one, else the public part stored in the private key file (no passphrase needed).
 */

export interface FingerprintFacts {
  bits: number | null;
  fingerprint: string;
  comment: string | null;
  type: string;
  /** The randomart box, one string per line (11 lines for a 17x9 box). */
  randomart: string[];
}

export interface InspectedKey extends FingerprintFacts {
  /** The file name as given (inside the SSH folder). */
  file: string;
  /** The file ssh-keygen read: NAME.pub when present, else NAME. */
  source: string;
}

/** Parses `ssh-keygen -l[v] -E sha256` output: `256 SHA256:... comment (ED25519)` then the box. */
export function parseFingerprintOutput(text: string): FingerprintFacts | null {
  const lines = text.replace(/\r/g, '').split('\n');
  let facts: FingerprintFacts | null = null;
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^(\d+)\s+(SHA256:[A-Za-z0-9+/]+)\s+(.*?)\s*\(([^()]+)\)\s*$/.exec(lines[i]!);
    if (m) {
      const comment = m[3]!.trim();
      facts = { bits: Number(m[1]), fingerprint: m[2]!, comment: comment === '' || comment === 'no comment' ? null : comment, type: m[4]!, randomart: [] };
      break;
    }
  }
  if (!facts) return null;
  for (i += 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (facts.randomart.length === 0 && !l.startsWith('+--')) continue;
    if (!/^[+|]/.test(l)) break;
    facts.randomart.push(l);
    if (facts.randomart.length > 1 && l.startsWith('+')) break;
  }
  return facts;
}

export async function inspectKey(sshDir: string, name: string): Promise<InspectedKey> {
  const { name: file, path: full } = await resolveExistingKeyFile(sshDir, name, { allowPublic: true });
  const isPub = file.toLowerCase().endsWith('.pub');
  const source = isPub ? file : (await lstat(`${full}.pub`).catch(() => null)) ? `${file}.pub` : file;
  const res = await runOpenSsh('ssh-keygen', ['-l', '-v', '-E', 'sha256', '-f', path.join(sshDir, source)], { timeoutMs: 10_000 });
  const facts = res.code === 0 ? parseFingerprintOutput(res.stdout) : null;
  if (!facts) {
    throw new EngineError('invalid-input', `ssh-keygen could not read a key from ${source}.`, {
      hint: 'Check that the file is an SSH key. For a key without its .pub, make the public half again first.',
      reason: reason('key-unreadable-by-openssh', { name: source }, res.stderr.trim() || undefined),
    });
  }
  return { ...facts, file, source };
}

export { compareFingerprints, type FingerprintComparison, type FingerprintSegment } from '../../shared/fingerprint-compare.js';

/**
 * The randomart of a public key given as its algorithm and base64 blob (a host key, say),
 * drawn by ssh-keygen itself from standard input. Empty when ssh-keygen cannot read it.
 */
export async function randomartOf(algorithm: string, blob: string): Promise<string[]> {
  const res = await runOpenSsh('ssh-keygen', ['-lv', '-E', 'sha256', '-f', '-'], { input: `${algorithm} ${blob}\n`, timeoutMs: 10_000 });
  return res.code === 0 ? (parseFingerprintOutput(res.stdout)?.randomart ?? []) : [];
}
