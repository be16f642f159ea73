import type { ScannedKey } from './scan.js';

export type Fingerprints = Partial<Record<'ECDSA' | 'RSA' | 'ED25519', string | undefined>>;

export interface KeyVerdict {
  type: string;
  algorithm: string;
  blob: string;
  /** What the server presented. */
  presented: string;
  /** What the cluster publishes for this type, if anything. */
  published: string | null;
  status: 'match' | 'mismatch' | 'not-published';
}

export interface Comparison {
  verdicts: KeyVerdict[];
  /** True when at least one key matches and none contradicts the published list. */
  trusted: boolean;
  /** True when any key contradicts what is published: a possible attack. */
  mismatch: boolean;
}

/**
 * Compares what a server presents with what the cluster publishes. One mismatch is
 * enough to refuse everything: a server that lies about one key may lie about all.
 */
export function compareHostKeys(scanned: readonly ScannedKey[], published: Fingerprints): Comparison {
  const verdicts = scanned.map((k): KeyVerdict => {
    const expected = published[k.type as keyof Fingerprints] ?? null;
    const status = expected === null ? 'not-published' : expected === k.fingerprint ? 'match' : 'mismatch';
    return { type: k.type, algorithm: k.algorithm, blob: k.blob, presented: k.fingerprint, published: expected, status };
  });
  const mismatch = verdicts.some((v) => v.status === 'mismatch');
  return { verdicts, mismatch, trusted: !mismatch && verdicts.some((v) => v.status === 'match') };
}
