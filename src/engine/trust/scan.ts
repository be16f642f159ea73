import { EngineError, reason } from '../errors.js';
import { parsePublicKeyLine } from '../keys/format.js';
import { runOpenSsh } from '../openssh/run.js';

export interface ScannedKey {
  /** ED25519, ECDSA or RSA, as the profile and ssh-keygen name them. */
  type: string;
  /** The wire name (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa) used in known_hosts lines. */
  algorithm: string;
  blob: string;
  fingerprint: string;
}

/** Parses ssh-keyscan's output: `host algorithm base64` lines; comments and noise ignored. */
export function parseKeyscan(stdout: string): ScannedKey[] {
  const keys: ScannedKey[] = [];
  const seen = new Set<string>();
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3) continue;
    const facts = parsePublicKeyLine(`${parts[1]} ${parts[2]}`);
    if (!facts || seen.has(facts.blob)) continue;
    seen.add(facts.blob);
    keys.push({ type: facts.type, algorithm: parts[1]!, blob: facts.blob, fingerprint: facts.fingerprint });
  }
  return keys;
}

/**
 * Asks the server for its host keys, without logging in. The keys are only trusted after
 * their fingerprints match the profile's published ones (see compare.ts).
 */
export async function scanHostKeys(host: string, port: number, opts: { timeoutSec?: number; signal?: AbortSignal | undefined } = {}): Promise<ScannedKey[]> {
  const timeout = opts.timeoutSec ?? 8;
  const res = await runOpenSsh('ssh-keyscan', ['-T', String(timeout), '-p', String(port), '-t', 'ed25519,ecdsa,rsa', '--', host], {
    timeoutMs: (timeout + 5) * 1000,
    signal: opts.signal,
  });
  const keys = parseKeyscan(res.stdout);
  if (keys.length === 0) {
    const kind = /Name or service not known|nodename nor servname|Could not resolve/i.test(res.stderr) ? 'dns' : /Connection refused/i.test(res.stderr) ? 'refused' : 'unreachable';
    const why = { dns: 'its name could not be found (no network, or a DNS problem)', refused: 'the connection was refused', unreachable: 'it did not answer in time' }[kind];
    throw new EngineError('verification-failed', `Could not get the host keys of ${host} (port ${port}): ${why}.`, {
      hint: 'Check your internet connection (and VPN or firewall), then try again.',
      reason: reason(`host-keys-${kind}`, { host, port: String(port) }, res.stderr.trim() || undefined),
    });
  }
  return keys;
}
