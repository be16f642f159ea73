import path from 'node:path';
import { toBin } from './bytes.js';
import { errnoOf, type FsLayer } from '../files/fs-layer.js';
import { scanLines, type ScannedLine } from './scan.js';

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
  /** What each Include line reads, in OpenSSH's order: keyed by includeKey(). */
  resolved: Map<string, string[]>;
  /**
   * Included files OpenSSH refuses to read ("Bad owner or permissions"): writable by group or
   * others, or owned by someone other than the user or root. The checks read private copies,
   * which OpenSSH never finds wrong, so this is said here.
   */
  refused: RefusedInclude[];
}

/** An included file OpenSSH will not read ("Bad owner or permissions"), and why: its mode (octal) and owner. */
export interface RefusedInclude {
  file: string;
  mode: string;
  uid: string;
}

/** The key of an Include line in IncludeReport.resolved: the top-level config's by its text, an included file's by path and line. */
export function includeKey(file: string | null, line: { index: number; text: string }): string {
  return file === null ? `top\n${line.text}` : `${file}\n${line.index}`;
}

type Resolved = { paths: string[] } | { risk: string };

/**
 * One character of a glob pattern after OpenBSD glob(3)'s quoting pass (the glob OpenSSH
 * portable bundles and uses on every platform without `gl_matchc`, Debian's included): a
 * backslash protects the next character (a trailing one stands for itself), and only
 * unprotected `*`, `?`, `[` are wildcards.
 */
interface PatChar {
  c: string;
  protectedChar: boolean;
}

function quotePass(pattern: string): PatChar[] {
  const out: PatChar[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) out.push({ c: '\\', protectedChar: true });
      else {
        out.push({ c: next, protectedChar: true });
        i++;
      }
    } else out.push({ c, protectedChar: false });
  }
  return out;
}

const isMeta = (p: PatChar): boolean => !p.protectedChar && (p.c === '*' || p.c === '?' || p.c === '[');

/** glob(3)'s match(): `*`, `?`, literal characters (protected or not, compared exactly). */
function matchSegment(name: string, pat: readonly PatChar[]): boolean {
  let si = 0;
  let pi = 0;
  let starPi = -1;
  let starSi = 0;
  while (si < name.length) {
    const p = pat[pi];
    if (p && !p.protectedChar && p.c === '*') {
      starPi = pi++;
      starSi = si;
    } else if (p && ((!p.protectedChar && p.c === '?') || (!isMeta(p) && p.c === name[si]))) {
      si++;
      pi++;
    } else if (starPi !== -1) {
      pi = starPi + 1;
      si = ++starSi;
    } else return false;
  }
  while (pi < pat.length && !pat[pi]!.protectedChar && pat[pi]!.c === '*') pi++;
  return pi === pat.length;
}

/** dir + '/' + name without normalising (`..` after a link is the kernel's business, as for glob). */
const joinRaw = (dir: string, name: string): string => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/** Byte order of the UTF-8 names, as glob(3)'s strcmp sort. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * What glob(pattern, GLOB_NOCHECK) gives OpenSSH: the existing paths matching, in byte order.
 * With no match it gives the pattern after quoting (backslashes removed), a name that does
 * not exist, which OpenSSH then ignores: nothing to read.
 */
async function globPath(pattern: string, fs: FsLayer): Promise<Resolved> {
  const chars = quotePass(pattern);
  if (chars.some((p) => !p.protectedChar && p.c === '[')) return { risk: `the pattern "${pattern}" uses [...], which mila-onboard does not expand` };
  if (chars.some((p) => p.protectedChar && p.c === '/')) return { risk: `the pattern "${pattern}" escapes a "/"` };
  if (!pattern.startsWith('/')) return { risk: `"${pattern}" is not an absolute path` };
  // Segments between unprotected slashes; empty ones (a//b) are dropped as glob does.
  const segments: PatChar[][] = [[]];
  for (const p of chars) {
    if (p.c === '/' && !p.protectedChar) segments.push([]);
    else segments[segments.length - 1]!.push(p);
  }
  let current = ['/'];
  for (const seg of segments.filter((s) => s.length > 0)) {
    if (!seg.some(isMeta)) {
      const literal = seg.map((p) => p.c).join('');
      current = current.map((c) => joinRaw(c, literal));
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
        // A leading dot is matched only by a literal dot (no GLOB_PERIOD).
        if (n.startsWith('.') && seg[0]!.c !== '.') continue;
        if (matchSegment(n, seg)) next.push(joinRaw(dir, n));
      }
    }
    current = next;
  }
  const found: string[] = [];
  for (const p of current) if (await fs.lstat(p).then(() => true, () => false)) found.push(p);
  return { paths: found.sort(byteOrder) };
}

/**
 * Where OpenSSH (readconf.c) looks for one Include argument of a user config: `~` and `~/`
 * are the home folder, any other relative path is under ~/.ssh (not the file's folder), then
 * glob(3) as above. Windows paths are left to OpenSSH for Windows: risky, so not followed.
 */
export async function resolveIncludeArg(arg: string, home: string, fs: FsLayer): Promise<Resolved> {
  if (arg === '') return { risk: 'an Include argument is empty' };
  if (arg.includes('%') || arg.includes('$')) return { risk: `"${arg}" uses tokens or variables that mila-onboard does not expand` };
  if (process.platform === 'win32' || path.sep !== '/') return { risk: `"${arg}" is not followed on this system` };
  // Arguments come from the file as bytes (one char per byte): names are UTF-8 on disk.
  const utf = Buffer.from(arg, 'latin1').toString('utf8');
  if (Buffer.from(utf, 'utf8').toString('latin1') !== arg) return { risk: `"${arg}" is not valid UTF-8` };
  let p = utf;
  if (p.startsWith('~')) {
    if (p !== '~' && !p.startsWith('~/')) return { risk: `"${arg}" names another user's home folder` };
    p = home + p.slice(1);
  } else if (!p.startsWith('/')) p = `${home}/.ssh/${p}`;
  return globPath(p, fs);
}

/**
 * Follows the Include lines of the user's config (read only) to find what `ssh -G` would
 * read, file by file (checks give OpenSSH neutralised copies of each, see neutralise.ts).
 * Anything that cannot be resolved for certain makes its top-level Include line "risky":
 * left out of checks, with a note.
 */
export async function inspectIncludes(lines: readonly ScannedLine[], opts: { home: string; fs: FsLayer }): Promise<IncludeReport> {
  const risky = new Map<string, string>();
  const files: IncludedFile[] = [];
  const resolved = new Map<string, string[]>();
  const refused = new Map<string, RefusedInclude>();
  let budget = MAX_FILES;

  async function visit(args: readonly string[], depth: number, via: string, key: string): Promise<string | null> {
    if (depth > MAX_DEPTH) return 'Include is nested too deeply';
    let risk: string | null = null;
    const reads: string[] = [];
    resolved.set(key, reads);
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
          const uid = typeof process.getuid === 'function' ? process.getuid() : null;
          if (uid !== null && ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0))
            if (!refused.has(p)) refused.set(p, { file: p, mode: (st.mode & 0o777).toString(8), uid: String(st.uid) });
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
        // Never hand OpenSSH a key to quote back in its error text: such a file is left out.
        if (buf.indexOf(0) !== -1 || /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PuTTY-User-Key-File-/.test(buf.toString('latin1'))) {
          risk ??= `${p} is not a config file (it holds private-key text or NUL bytes)`;
          continue;
        }
        const scanned = scanLines(toBin(buf));
        reads.push(p);
        files.push({ path: p, lines: scanned, via });
        for (const l of scanned) {
          if (l.directive?.keyword === 'include') {
            const sub = await visit(l.directive.args, depth + 1, via, includeKey(p, l));
            if (sub) risk ??= sub;
          }
        }
      }
    }
    return risk;
  }

  for (const l of lines) {
    if (l.directive?.keyword !== 'include') continue;
    const risk = await visit(l.directive.args, 1, l.text, includeKey(null, l));
    if (risk) risky.set(l.text, risk);
  }
  return { risky, files, resolved, refused: [...refused.values()] };
}
