/** Pure: used by the engine (CLI --expect) and by the renderer's side-by-side view. */

export interface FingerprintSegment {
  text: string;
  /** True when these characters are the same in both fingerprints at the same place. */
  same: boolean;
}

export interface FingerprintComparison {
  equal: boolean;
  /** The first fingerprint cut into runs of same / different characters. */
  segments: FingerprintSegment[];
  /** The second fingerprint, cut the same way (for the other column of a side-by-side view). */
  other: FingerprintSegment[];
}

function normaliseFingerprint(f: string): string {
  const t = f.trim().replace(/=+$/, '');
  if (/^SHA256:/i.test(t)) return 'SHA256:' + t.slice(7);
  if (/^[A-Za-z0-9+/]{43}$/.test(t)) return 'SHA256:' + t;
  return t;
}

function runs(s: string, sameAt: (i: number) => boolean): FingerprintSegment[] {
  const out: FingerprintSegment[] = [];
  for (let i = 0; i < s.length; i++) {
    const same = sameAt(i);
    const last = out[out.length - 1];
    if (last && last.same === same) last.text += s[i];
    else out.push({ text: s[i]!, same });
  }
  return out;
}

/**
 * Compares two fingerprints character by character (both with or without the `SHA256:`
 * prefix, trailing '=' ignored). Fingerprints have one length, so position is the right
 * alignment: a single changed character shows as one highlighted run.
 */
export function compareFingerprints(a: string, b: string): FingerprintComparison {
  const x = normaliseFingerprint(a);
  const y = normaliseFingerprint(b);
  const sameAt = (i: number) => i < x.length && i < y.length && x[i] === y[i];
  return { equal: x === y, segments: runs(x, sameAt), other: runs(y, sameAt) };
}
