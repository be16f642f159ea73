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

/** One pattern, compiled for names that are already lower-cased. */
function compileOne(pattern: string): (s: string) => boolean {
  const pat = pattern.toLowerCase();
  const star = pat.indexOf('*');
  if (pat.indexOf('?') === -1) {
    if (star === -1) return (s) => s === pat;
    if (star === 0 && pat.indexOf('*', 1) === -1) {
      const tail = pat.slice(1);
      return (s) => s.endsWith(tail);
    }
  }
  return (s) => matchPattern(s, pat, true);
}

/**
 * `hostLineMatches` for one list of patterns asked about many names (every alias of a large
 * config against the block's few sections): patterns are lower-cased and sorted into
 * literal, `*suffix` and general once. The name passed must be lower-cased.
 */
export function compileHostLine(patterns: readonly string[]): (lowerHost: string) => boolean {
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => compileOne(p.slice(1)));
  const positive = patterns.filter((p) => !p.startsWith('!')).map(compileOne);
  return (host) => {
    for (const n of negative) if (n(host)) return false;
    for (const p of positive) if (p(host)) return true;
    return false;
  };
}
