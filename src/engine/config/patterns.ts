/**
 * OpenSSH's host pattern rules (match.c), used only to predict which existing aliases
 * the block would affect. `ssh -G` stays the judge of what a config means.
 */

/** `*` and `?` wildcards, nothing else; compared case-insensitively (ssh lower-cases host names). */
export function matchPattern(s: string, pattern: string, caseSensitive = false): boolean {
  const str = caseSensitive ? s : s.toLowerCase();
  const pat = caseSensitive ? pattern : pattern.toLowerCase();
  // Iterative glob with backtracking on the last '*'.
  let si = 0;
  let pi = 0;
  let starPi = -1;
  let starSi = 0;
  while (si < str.length) {
    if (pi < pat.length && (pat[pi] === '?' || pat[pi] === str[si])) {
      si++;
      pi++;
    } else if (pi < pat.length && pat[pi] === '*') {
      starPi = pi++;
      starSi = si;
    } else if (starPi !== -1) {
      pi = starPi + 1;
      si = ++starSi;
    } else {
      return false;
    }
  }
  while (pi < pat.length && pat[pi] === '*') pi++;
  return pi === pat.length;
}

/** A `Host` line: true when a positive pattern matches and no negated one does. */
export function hostLineMatches(host: string, patterns: readonly string[]): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(host, p.slice(1))) return false;
    } else if (matchPattern(host, p)) {
      positive = true;
    }
  }
  return positive;
}

/** A comma-separated pattern list (as `Match host` takes): same rule as a Host line. */
export function patternListMatches(host: string, list: string): boolean {
  return hostLineMatches(
    host,
    list.split(',').filter((p) => p !== ''),
  );
}
