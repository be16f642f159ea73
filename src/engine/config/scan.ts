import type { Bin } from './bytes.js';

/**
 * A small line scanner that reads an ssh_config the way OpenSSH's readconf.c does, for
 * structure only (where sections start, what the Host/Match/Include lines say). It never
 * evaluates anything and never rewrites the user's lines: the planner splices bytes.
 * (The `ssh-config` npm package is not used: it loses trailing comments on a round trip
 * and runs `Match exec` commands when computing; see docs/facts.md.)
 */

export interface RawLine {
  /** Offset of the line's first byte in the file (after any BOM). */
  start: number;
  /** The line without its terminator, as a binary string. */
  text: Bin;
  /** '\n', '\r\n', or '' for a last line without a newline. */
  eol: string;
}

export interface Directive {
  /** Lower-cased keyword ("host", "match", "include", "user", ...). */
  keyword: string;
  /** Arguments split like OpenSSH's argv_split(): quotes removed, a trailing `# comment` dropped. */
  args: string[];
  /** True when OpenSSH would reject the line for an unterminated quote. */
  badQuotes: boolean;
}

export interface ScannedLine extends RawLine {
  /** 0-based line number. */
  index: number;
  /** Null for blank and comment lines. */
  directive: Directive | null;
}

/** Splits on LF only (as OpenSSH does); a CR before the LF belongs to the terminator. */
export function splitLines(bin: Bin): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start < bin.length) {
    const nl = bin.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ start, text: bin.slice(start), eol: '' });
      break;
    }
    const crlf = nl > start && bin[nl - 1] === '\r';
    lines.push({ start, text: bin.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return lines;
}

/** OpenSSH's argv_split(s, terminate_on_comment = 1). Returns null on an unterminated quote. */
export function argvSplit(s: string): string[] | null {
  // Most lines hold no quote, backslash or comment: split on blanks.
  if (!/["'\\#]/.test(s)) {
    const words = s.split(/[ \t]+/);
    if (words[0] === '') words.shift();
    if (words.length > 0 && words[words.length - 1] === '') words.pop();
    return words;
  }
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    let arg = '';
    let quote: string | null = null;
    for (; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\\') {
        const next = s[i + 1];
        if (next === "'" || next === '"' || next === '\\' || (quote === null && next === ' ')) {
          i++;
          arg += next;
        } else {
          arg += ch;
        }
      } else if (quote === null && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === null && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== null && ch === quote) {
        quote = null;
      } else {
        arg += ch;
      }
    }
    if (quote !== null) return null;
    out.push(arg);
  }
  return out;
}

/** Where a line's keyword and its arguments are, or null for a blank or comment line. */
function locateKeyword(text: string): { keyword: string; rest: string } | null {
  let end = text.length;
  while (end > 0 && isWs(text.charCodeAt(end - 1))) end--;
  let i = 0;
  while (i < end && isWs(text.charCodeAt(i))) i++;
  if (i >= end || text.charCodeAt(i) === HASH) return null;
  let k = i;
  for (; k < end; k++) {
    const c = text.charCodeAt(k);
    if (isWs(c) || c === EQUALS || c === DQUOTE) break;
  }
  if (k === i) return null;
  // Skip whitespace, at most one '=', whitespace (strdelim's rule).
  let r = k;
  while (r < end && isBlank(text.charCodeAt(r))) r++;
  if (text.charCodeAt(r) === EQUALS) {
    r++;
    while (r < end && isBlank(text.charCodeAt(r))) r++;
  }
  return { keyword: text.slice(i, k).toLowerCase(), rest: text.slice(r, end) };
}

const HASH = 0x23;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
/** ' \t\r\n\f' */
const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0c;

/** Parses one line: keyword (ended by whitespace or one `=`) and its arguments. */
export function parseDirective(text: string): Directive | null {
  const at = locateKeyword(text);
  if (!at) return null;
  const args = argvSplit(at.rest);
  return { keyword: at.keyword, args: args ?? [], badQuotes: args === null };
}

/**
 * The scanner's directive: arguments are split on first use. A config of 10,000 hosts has
 * 60,000 option lines whose arguments nothing reads; only Host, Match and Include lines
 * (and the block's own) are ever looked into.
 */
class ScannedDirective implements Directive {
  private split: string[] | null | undefined;
  constructor(
    readonly keyword: string,
    private readonly rest: string,
  ) {}
  get args(): string[] {
    if (this.split === undefined) this.split = argvSplit(this.rest);
    return this.split ?? [];
  }
  get badQuotes(): boolean {
    if (this.split === undefined) this.split = argvSplit(this.rest);
    return this.split === null;
  }
}

function scanDirective(text: string): Directive | null {
  const at = locateKeyword(text);
  return at ? new ScannedDirective(at.keyword, at.rest) : null;
}

export function scanLines(bin: Bin): ScannedLine[] {
  const lines: ScannedLine[] = [];
  let start = 0;
  while (start < bin.length) {
    const nl = bin.indexOf('\n', start);
    const crlf = nl > start && bin.charCodeAt(nl - 1) === 0x0d;
    const text = nl === -1 ? bin.slice(start) : bin.slice(start, crlf ? nl - 1 : nl);
    lines.push({ start, text, eol: nl === -1 ? '' : crlf ? '\r\n' : '\n', index: lines.length, directive: scanDirective(text) });
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

/** The line ending the block should use: the file's own (CRLF when most lines use it). */
export function detectEol(lines: readonly RawLine[]): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.eol === '\r\n') crlf++;
    else if (l.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** True for Host/Match lines: they end the section before them and start a new one. */
export function startsSection(line: ScannedLine): boolean {
  const kw = line.directive?.keyword;
  return kw === 'host' || kw === 'match';
}

/**
 * A Match line that may run a command (`exec` criterion). Deliberately broad: any Match
 * line mentioning "exec" anywhere counts, so an odd spelling can never slip through.
 */
export function isMatchExec(line: ScannedLine): boolean {
  return line.directive?.keyword === 'match' && /exec/i.test(line.text);
}

/** A literal host alias: a positive Host pattern with no wildcard. */
export function isLiteralAlias(pattern: string): boolean {
  return pattern !== '' && !pattern.startsWith('!') && !/[*?]/.test(pattern);
}

/** The lines of the section a line belongs to, from its Host/Match line (at most `max` lines). */
export function sectionAround(lines: readonly ScannedLine[], index: number, max = 20): ScannedLine[] {
  let s = index;
  while (s > 0 && !startsSection(lines[s]!)) s--;
  const out: ScannedLine[] = [lines[s]!];
  for (let i = s + 1; i < lines.length && out.length < max && !startsSection(lines[i]!); i++) out.push(lines[i]!);
  return out;
}
