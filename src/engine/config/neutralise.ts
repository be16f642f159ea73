import { BOM_BIN, type Bin } from './bytes.js';
import { isMatchExec, splitLines, parseDirective, type RawLine } from './scan.js';

/**
 * The private copy `ssh -G` may read: every `exec` criterion replaced by a constant and each
 * top-level Include that could reach a `Match exec` (or cannot be resolved for certain)
 * turned into a comment. Same number of lines as the original, so OpenSSH's line numbers
 * still point at the user's file. Used by every ssh -G the program runs (see openssh/ssh-g.ts).
 */

function quoteToken(t: string): string {
  return t !== '' && /^[^\s"'\\#]+$/.test(t) ? t : `"${t.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const NO_ARG_CRITERIA = new Set(['all', 'canonical', 'final']);

/** A Match line with each `exec` criterion replaced by a constant; never runs anything. */
export function neutraliseMatchLine(text: string, assumeSuccess: boolean): string {
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const d = parseDirective(text);
  const never = `${indent}Match host "!*"`;
  if (!d || d.keyword !== 'match' || d.badQuotes) return never;
  const out: string[] = [];
  let replaced = false;
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
    if (arg === undefined) return never;
    if (name === 'exec') {
      out.push(`${negated ? '!' : ''}host`, assumeSuccess ? '*' : '!*');
      replaced = true;
    } else {
      out.push(attr, arg);
    }
    i += 2;
  }
  // "exec" appeared somewhere we could not parse as a criterion: make the whole line inert.
  if (!replaced) return never;
  return `${indent}Match ${out.map(quoteToken).join(' ')}`;
}

/** The config as ssh -G may safely read it. Same number of lines as the original. */
export function neutralise(bin: Bin, opts: { assumeSuccess: boolean; riskyIncludes: ReadonlyMap<string, string> }): Bin {
  const bom = bin.startsWith(BOM_BIN) ? BOM_BIN : '';
  const lines = splitLines(bin.slice(bom.length));
  return (
    bom +
    lines
      .map((l: RawLine) => {
        const line = { start: l.start, text: l.text, eol: l.eol, index: 0, directive: parseDirective(l.text) };
        let text = l.text;
        if (isMatchExec(line)) text = neutraliseMatchLine(l.text, opts.assumeSuccess);
        else if (line.directive?.keyword === 'include' && opts.riskyIncludes.has(l.text)) text = '# (Include left out by mila-onboard while checking with ssh -G)';
        return text + l.eol;
      })
      .join('')
  );
}

export function needsNeutralising(bin: Bin, riskyIncludes: ReadonlyMap<string, string>): boolean {
  return riskyIncludes.size > 0 || splitLines(bin).some((l) => isMatchExec({ start: l.start, text: l.text, eol: l.eol, index: 0, directive: parseDirective(l.text) }));
}

