/**
 * A rough passphrase strength hint. Deliberately simple (length and variety): the
 * passphrase protects a key file on disk, and the hint only nudges towards long phrases.
 */
export type Strength = 'weak' | 'fair' | 'good' | 'strong';

export function passphraseStrength(p: string): Strength {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length;
  const words = p.trim().split(/\s+/).filter(Boolean).length;
  if (p.length >= 20 || (words >= 4 && p.length >= 16)) return 'strong';
  if (p.length >= 12 && classes >= 2) return 'good';
  if (p.length >= 8) return 'fair';
  return 'weak';
}
