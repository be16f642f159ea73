/**
 * OpenSSH's host patterns (match.c), the one copy in the engine: the config planner uses them
 * to predict which aliases its block would affect, the known_hosts reader to find the lines
 * for a host. OpenSSH stays the judge (`ssh -G`, `ssh-keygen -F`); the tests hold a table of
 * cases checked against both.
 *
 * The rules, as OpenSSH 9.2 applies them:
 *   - `*` matches any run of characters, `?` exactly one; nothing else is special;
 *   - `!pattern` excludes: a name matched by any negated pattern is out, whatever else matches;
 *   - a `Host` line takes whitespace-separated patterns (cut by the config scanner) and compares
 *     them with the name as typed, case-sensitively (`Host CN-????` does not take `cn-a001`);
 *   - a `Match host` list and a known_hosts host field are one comma-separated list, compared
 *     case-insensitively (OpenSSH lower-cases the host and the patterns: match_hostname).
 */

/** `*` and `?` wildcards, nothing else; case-insensitive unless `caseSensitive`. */
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

/** One pattern, compiled: literal and `*suffix` patterns (most of them) skip the glob. */
function compileOne(pattern: string, ignoreCase: boolean): (s: string) => boolean {
  const pat = ignoreCase ? pattern.toLowerCase() : pattern;
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
 * A list of patterns (`!` negates) compiled once, for one list asked about many names (every
 * alias of a large config against the block's few sections). Negations win. With `ignoreCase`
 * (the default, as `Match host` and known_hosts compare) the patterns are lower-cased and the
 * name passed must already be lower-case; without it both are compared as they are (a `Host` line).
 */
export function compileHostLine(patterns: readonly string[], opts: { ignoreCase?: boolean } = {}): (host: string) => boolean {
  const ignoreCase = opts.ignoreCase ?? true;
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => compileOne(p.slice(1), ignoreCase));
  const positive = patterns.filter((p) => !p.startsWith('!')).map((p) => compileOne(p, ignoreCase));
  return (host) => {
    for (const n of negative) if (n(host)) return false;
    for (const p of positive) if (p(host)) return true;
    return false;
  };
}

/** Does a `Host` line with these (whitespace-separated) patterns apply to the name typed? As readconf.c decides. */
export function hostLineMatches(patterns: readonly string[], typed: string): boolean {
  return compileHostLine(patterns, { ignoreCase: false })(typed);
}

/**
 * Does a comma-separated pattern list (a `Match host` argument, a known_hosts host field)
 * take this host? As match_hostname decides: both lower-cased, negations win.
 */
export function matchHostList(list: string, host: string): boolean {
  return compileHostLine(list.split(','))(host.toLowerCase());
}
