import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BOM_BIN, fromBin, type Bin } from './bytes.js';
import { includeKey, type IncludeReport } from './includes.js';
import { isMatchExec, parseDirective, scanLines, type ConfigText, type ScannedLine, type TextLine } from './scan.js';

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
  return neutraliseText(textOf(bin), opts);
}

/** A file's bytes as lines (a BOM apart). */
function textOf(bin: Bin): ConfigText {
  const bom = bin.startsWith(BOM_BIN);
  return { bom, lines: scanLines(bom ? bin.slice(BOM_BIN.length) : bin), bytes: bin };
}

/** neutralise() on lines already scanned: the plan's checks use the lines it scanned once. */
export function neutraliseText(config: ConfigText, opts: NeutraliseOptions): Bin {
  // Most configs have neither: their copy is their bytes, with no string made per line.
  if (config.bytes !== undefined && !config.lines.some((l) => isMatchExec(l) || l.directive?.keyword === 'include')) return config.bytes;
  const out: string[] = config.bom ? [BOM_BIN] : [];
  config.lines.forEach((l: TextLine, index) => {
    let text = l.text;
    if (isMatchExec(l)) text = neutraliseMatchLine(l.text, opts.assumeSuccess);
    else if (l.directive?.keyword === 'include') {
      if (opts.riskyIncludes.has(l.text)) text = '# (Include left out by mila-onboard while checking with ssh -G)';
      else {
        const targets = opts.includeTargets?.(index, l.text);
        if (targets !== undefined) {
          const indent = /^[ \t]*/.exec(l.text)?.[0] ?? '';
          text = targets.length > 0 ? `${indent}Include ${targets.map(includeArgFor).join(' ')}` : '# (Include matched no file)';
        }
      }
    }
    out.push(text, l.eol);
  });
  return out.join('');
}

/** True when the config or a file it includes has a Match exec (checks then try both outcomes). */
export function anyMatchExec(config: ConfigText, includes: IncludeReport | null): boolean {
  return config.lines.some(isMatchExec) || (includes?.files.some((f) => f.lines.some(isMatchExec)) ?? false);
}

/**
 * An included file as includes.ts scanned it (a BOM, if any, inside its first line): only a
 * file starting with a BOM is scanned again, so that a `Match exec` right after the BOM is
 * still seen and neutralised.
 */
function includedText(lines: readonly ScannedLine[]): ConfigText {
  const first = lines[0];
  if (!first || !first.text.startsWith(BOM_BIN)) return { bom: false, lines };
  return textOf(lines.map((l) => l.text + l.eol).join(''));
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
export function writeCheckCopies(dir: string, tag: string, bin: Bin, includes: IncludeReport | null, assumeSuccess: boolean): Promise<CheckCopies> {
  return writeCheckCopiesOf(dir, tag, textOf(bin), includes, assumeSuccess);
}

/** writeCheckCopies() for a config already scanned. */
export async function writeCheckCopiesOf(dir: string, tag: string, config: ConfigText, includes: IncludeReport | null, assumeSuccess: boolean): Promise<CheckCopies> {
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
    await writeFile(copyOf.get(f.path)!, fromBin(neutraliseText(includedText(f.lines), { assumeSuccess, riskyIncludes: new Map(), includeTargets: targets(f.path) })), { mode: 0o600 });
  }
  const main = path.join(dir, tag);
  await writeFile(main, fromBin(neutraliseText(config, { assumeSuccess, riskyIncludes: risky, includeTargets: targets(null) })), { mode: 0o600 });
  return { path: main, names: [...copyOf].map(([real, copy]): [string, string] => [copy, real]) };
}
