import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BOM_BIN, fromBin, type Bin } from './bytes.js';
import { includeKey, type IncludeReport } from './includes.js';
import { isMatchExec, splitLines, parseDirective, type RawLine } from './scan.js';

/**
 * The private copies `ssh -G` may read: every `exec` criterion replaced by a constant, Include
 * lines pointing at the copies of the files they reach, and each top-level Include that cannot
 * be resolved for certain turned into a comment. Same number of lines as the original, so OpenSSH's line numbers
 * still point at the user's file. Used by every ssh -G the program runs (see openssh/ssh-g.ts).
 */

function quoteToken(t: string): string {
  return t !== '' && /^[^\s"'\\#]+$/.test(t) ? t : `"${t.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const NO_ARG_CRITERIA = new Set(['all', 'canonical', 'final']);
/** The criteria OpenSSH 9.x knows that take an argument (readconf.c match_cfg_line). */
const ARG_CRITERIA = new Set(['exec', 'host', 'originalhost', 'user', 'localuser', 'localnetwork', 'tagged']);

/**
 * A Match line with each `exec` criterion replaced by a constant; never runs anything.
 * The criteria are walked as OpenSSH walks them, and where OpenSSH would stop with an error
 * (an unknown criterion, a missing argument) the copy stops there too, keeping what OpenSSH
 * complains about and dropping the rest: OpenSSH still rejects the line, with the same file
 * and line, and no `exec` survives.
 */
export function neutraliseMatchLine(text: string, assumeSuccess: boolean): string {
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const d = parseDirective(text);
  const never = `${indent}Match host "!*"`;
  if (!d || d.keyword !== 'match') return never;
  // OpenSSH rejects the original for its quotes ("invalid quotes"): the copy is rejected the same way.
  if (d.badQuotes) return `${indent}Match "`;
  const out: string[] = [];
  for (let i = 0; i < d.args.length; ) {
    const attr = d.args[i]!;
    const negated = attr.startsWith('!');
    const name = (negated ? attr.slice(1) : attr).toLowerCase();
    if (NO_ARG_CRITERIA.has(name)) {
      out.push(attr);
      i++;
      continue;
    }
    const arg = d.args[i + 1];
    const argIsExec = arg !== undefined && arg.replace(/^!/, '').toLowerCase() === 'exec';
    // A criterion this list does not know (a newer OpenSSH's) is kept with its argument, unless
    // that could make an `exec` a criterion for an OpenSSH that reads the name differently.
    if (arg === undefined || (!ARG_CRITERIA.has(name) && argIsExec)) {
      // OpenSSH rejects the line here ("Unsupported Match attribute", "Missing Match criteria").
      out.push(name === 'exec' ? 'exec' : attr);
      break;
    }
    if (name === 'exec') out.push(`${negated ? '!' : ''}host`, assumeSuccess ? '*' : '!*');
    else out.push(attr, arg);
    i += 2;
  }
  return `${indent}Match ${out.map(quoteToken).join(' ')}`;
}

/** Include arguments for the copies: absolute paths, glob characters escaped, quoted for argv_split. */
function includeArgFor(p: string): string {
  const globEscaped = p.replace(/[\\*?[]/g, '\\$&');
  return `"${globEscaped.replace(/[\\"]/g, '\\$&')}"`;
}

export interface NeutraliseOptions {
  assumeSuccess: boolean;
  riskyIncludes: ReadonlyMap<string, string>;
  /**
   * For an Include line (its 0-based index and text): the files it should read instead (the
   * neutralised copies of what OpenSSH would read), or undefined to keep the line as it is.
   */
  includeTargets?: (index: number, text: string) => string[] | undefined;
}

/** The config as ssh -G may safely read it. Same number of lines as the original. */
export function neutralise(bin: Bin, opts: NeutraliseOptions): Bin {
  const bom = bin.startsWith(BOM_BIN) ? BOM_BIN : '';
  const lines = splitLines(bin.slice(bom.length));
  return (
    bom +
    lines
      .map((l: RawLine, index) => {
        const line = { start: l.start, text: l.text, eol: l.eol, index, directive: parseDirective(l.text) };
        let text = l.text;
        if (isMatchExec(line)) text = neutraliseMatchLine(l.text, opts.assumeSuccess);
        else if (line.directive?.keyword === 'include') {
          if (opts.riskyIncludes.has(l.text)) text = '# (Include left out by mila-onboard while checking with ssh -G)';
          else {
            const targets = opts.includeTargets?.(index, l.text);
            if (targets !== undefined) {
              const indent = /^[ \t]*/.exec(l.text)?.[0] ?? '';
              text = targets.length > 0 ? `${indent}Include ${targets.map(includeArgFor).join(' ')}` : '# (Include matched no file)';
            }
          }
        }
        return text + l.eol;
      })
      .join('')
  );
}

export function needsNeutralising(bin: Bin, riskyIncludes: ReadonlyMap<string, string>): boolean {
  return riskyIncludes.size > 0 || splitLines(bin).some((l) => isMatchExec({ start: l.start, text: l.text, eol: l.eol, index: 0, directive: parseDirective(l.text) }));
}

/** True when the config or a file it includes has a Match exec (checks then try both outcomes). */
export function anyMatchExec(bin: Bin, includes: IncludeReport | null): boolean {
  return needsNeutralising(bin, new Map()) || (includes?.files.some((f) => f.lines.some(isMatchExec)) ?? false);
}

export interface CheckCopies {
  /** The copy of the config to pass to `ssh -G -F`. */
  path: string;
  /** [copy, original] path pairs of the included files, to name the user's files in OpenSSH's messages. */
  names: Array<[string, string]>;
}

/**
 * Writes, into the private folder `dir`, a neutralised copy of the config and of every file
 * its Includes reach (each Include line pointing at the copies of exactly the files OpenSSH
 * would read, in its order). OpenSSH then parses the whole configuration, so an included
 * file it rejects is reported with its file and line, and no exec can run.
 */
export async function writeCheckCopies(dir: string, tag: string, bin: Bin, includes: IncludeReport | null, assumeSuccess: boolean): Promise<CheckCopies> {
  const risky = includes?.risky ?? new Map<string, string>();
  const copyOf = new Map<string, string>();
  for (const f of includes?.files ?? []) if (!copyOf.has(f.path)) copyOf.set(f.path, path.join(dir, `${tag}-inc-${copyOf.size + 1}`));
  const targets = (file: string | null) => (index: number, text: string): string[] | undefined => {
    if (!includes) return undefined;
    const reads = includes.resolved.get(includeKey(file, { index, text }));
    return reads?.map((p) => copyOf.get(p)!).filter(Boolean);
  };
  const written = new Set<string>();
  for (const f of includes?.files ?? []) {
    if (written.has(f.path)) continue;
    written.add(f.path);
    const fileBin = f.lines.map((l) => l.text + l.eol).join('');
    await writeFile(copyOf.get(f.path)!, fromBin(neutralise(fileBin, { assumeSuccess, riskyIncludes: new Map(), includeTargets: targets(f.path) })), { mode: 0o600 });
  }
  const main = path.join(dir, tag);
  await writeFile(main, fromBin(neutralise(bin, { assumeSuccess, riskyIncludes: risky, includeTargets: targets(null) })), { mode: 0o600 });
  return { path: main, names: [...copyOf].map(([real, copy]): [string, string] => [copy, real]) };
}
