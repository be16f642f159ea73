import path from 'node:path';
import { toBin } from './bytes.js';
import { errnoOf, type FsLayer } from '../files/fs-layer.js';
import { matchPattern } from './patterns.js';
import { isMatchExec, scanLines, type ScannedLine } from './scan.js';

/** OpenSSH's own limit on nested Include (READCONF_MAX_DEPTH). */
const MAX_DEPTH = 16;
const MAX_FILES = 200;
const MAX_BYTES = 4 * 1024 * 1024;

export interface IncludedFile {
  path: string;
  lines: ScannedLine[];
  /** The top-level Include line (text) it was reached from. */
  via: string;
}

export interface IncludeReport {
  /** Top-level Include lines (by their text) that verification copies must not follow, and why. */
  risky: Map<string, string>;
  files: IncludedFile[];
}

type Resolved = { paths: string[] } | { risk: string };

function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

async function globPath(pattern: string, fs: FsLayer): Promise<Resolved> {
  if (pattern.includes('[')) return { risk: `the pattern "${pattern}" uses [...], which mila-onboard does not expand` };
  const parsed = path.parse(pattern);
  const segments = pattern.slice(parsed.root.length).split(/[\\/]+/).filter((s) => s !== '');
  let current = [parsed.root];
  for (const seg of segments) {
    if (!hasWildcard(seg)) {
      current = current.map((c) => path.join(c, seg));
      continue;
    }
    const next: string[] = [];
    for (const dir of current) {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        continue;
      }
      for (const n of names) {
        // glob(3) without GLOB_PERIOD: a wildcard never matches a leading dot.
        if (n.startsWith('.') && !seg.startsWith('.')) continue;
        if (matchPattern(n, seg, true)) next.push(path.join(dir, n));
      }
    }
    current = next;
  }
  // Lexical order, as OpenSSH processes glob results.
  return { paths: current.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** Where OpenSSH looks for one Include argument of a user config. */
export async function resolveIncludeArg(arg: string, home: string, fs: FsLayer): Promise<Resolved> {
  if (arg.includes('%') || arg.includes('$')) return { risk: `"${arg}" uses tokens or variables that mila-onboard does not expand` };
  let p = arg;
  if (p === '~' || p.startsWith('~/')) p = path.join(home, p.slice(1));
  else if (p.startsWith('~')) return { risk: `"${arg}" names another user's home folder` };
  // Relative paths in a user config are relative to ~/.ssh (not to the file's folder).
  if (!path.isAbsolute(p)) p = path.join(home, '.ssh', p);
  return hasWildcard(p) ? globPath(p, fs) : { paths: [p] };
}

/**
 * Follows the Include lines of the user's config (read only) to find what `ssh -G`
 * would read: files with a `Match exec` (which ssh -G would run) or that cannot be
 * resolved for certain make their top-level Include line "risky".
 */
export async function inspectIncludes(lines: readonly ScannedLine[], opts: { home: string; fs: FsLayer }): Promise<IncludeReport> {
  const risky = new Map<string, string>();
  const files: IncludedFile[] = [];
  let budget = MAX_FILES;

  async function visit(args: readonly string[], depth: number, via: string): Promise<string | null> {
    if (depth > MAX_DEPTH) return 'Include is nested too deeply';
    let risk: string | null = null;
    for (const arg of args) {
      const r = await resolveIncludeArg(arg, opts.home, opts.fs);
      if ('risk' in r) {
        risk ??= r.risk;
        continue;
      }
      for (const p of r.paths) {
        if (budget-- <= 0) return 'too many included files';
        let buf: Buffer;
        try {
          const st = await opts.fs.stat(p);
          if (!st.isFile()) {
            risk ??= `${p} is not a file`;
            continue;
          }
          if (st.size > MAX_BYTES) {
            risk ??= `${p} is too large to inspect`;
            continue;
          }
          buf = await opts.fs.readFile(p);
        } catch (err) {
          if (errnoOf(err) === 'ENOENT') continue; // OpenSSH ignores a missing include
          risk ??= `${p} cannot be read`;
          continue;
        }
        const scanned = scanLines(toBin(buf));
        files.push({ path: p, lines: scanned, via });
        const exec = scanned.find(isMatchExec);
        if (exec) risk ??= `${p} has "Match exec" at line ${exec.index + 1}`;
        for (const l of scanned) {
          if (l.directive?.keyword === 'include') {
            const sub = await visit(l.directive.args, depth + 1, via);
            if (sub) risk ??= sub;
          }
        }
      }
    }
    return risk;
  }

  for (const l of lines) {
    if (l.directive?.keyword !== 'include') continue;
    const risk = await visit(l.directive.args, 1, l.text);
    if (risk) risky.set(l.text, risk);
  }
  return { risky, files };
}
