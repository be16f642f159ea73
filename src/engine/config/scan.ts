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
  readonly start: number;
  /** The line without its terminator, as a binary string. */
  readonly text: Bin;
  /** '\n', '\r\n', or '' for a last line without a newline. */
  readonly eol: string;
}

export interface Directive {
  /** Lower-cased keyword ("host", "match", "include", "user", ...). */
  readonly keyword: string;
  /** Arguments split like OpenSSH's argv_split(): quotes removed, a trailing `# comment` dropped. */
  readonly args: string[];
  /** True when OpenSSH would reject the line for an unterminated quote. */
  readonly badQuotes: boolean;
}

/** What the checks read of a line: its text, its ending and what it says (not where it was). */
export type TextLine = Pick<ScannedLine, 'text' | 'eol' | 'directive'>;

/** A config as lines (after any BOM): the user's scanned file, or the file after the change made of it (splice.ts). */
export interface ConfigText {
  bom: boolean;
  lines: readonly TextLine[];
  /** The same config as bytes (BOM included), when at hand: a copy that changes nothing is these bytes. */
  bytes?: Bin;
}

export interface ScannedLine extends RawLine {
  /** 0-based line number. */
  readonly index: number;
  /** Null for blank and comment lines. */
  readonly directive: Directive | null;
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

const HASH = 0x23;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
/** ' \t\r\n\f' */
const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0c;

/**
 * Where the keyword and the arguments of `text[from, to)` are (strdelim's rule: the keyword
 * ends at whitespace or one `=`), or null for a blank or comment line. Offsets, no strings:
 * the scanner makes one object per line and nothing else until a part is asked for.
 */
function locate(text: string, from: number, to: number): { kwStart: number; kwEnd: number; argStart: number; end: number } | null {
  let end = to;
  while (end > from && isWs(text.charCodeAt(end - 1))) end--;
  let i = from;
  while (i < end && isWs(text.charCodeAt(i))) i++;
  if (i >= end || text.charCodeAt(i) === HASH) return null;
  let k = i;
  for (; k < end; k++) {
    const c = text.charCodeAt(k);
    if (isWs(c) || c === EQUALS || c === DQUOTE) break;
  }
  if (k === i) return null;
  let r = k;
  while (r < end && isBlank(text.charCodeAt(r))) r++;
  if (r < end && text.charCodeAt(r) === EQUALS) {
    r++;
    while (r < end && isBlank(text.charCodeAt(r))) r++;
  }
  return { kwStart: i, kwEnd: k, argStart: r, end };
}

/** Keywords are few: each spelling is lower-cased once, not once per line. */
const lowered = new Map<string, string>();
function keywordAt(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  let kw = lowered.get(raw);
  if (kw === undefined) {
    kw = raw.toLowerCase();
    if (lowered.size < 1000) lowered.set(raw, kw);
  }
  return kw;
}

/** Parses one line: keyword (ended by whitespace or one `=`) and its arguments. */
export function parseDirective(text: string): Directive | null {
  const at = locate(text, 0, text.length);
  if (!at) return null;
  const args = argvSplit(text.slice(at.argStart, at.end));
  return { keyword: keywordAt(text, at.kwStart, at.kwEnd), args: args ?? [], badQuotes: args === null };
}

/**
 * A scanned line is its own directive, and its text and arguments are cut from the file on
 * first use: a config of 10,000 hosts has 70,000 lines, and nothing reads the text or the
 * arguments of the 60,000 option lines (only Host, Match and Include lines, markers, and the
 * block's own lines are looked into). One object per line also keeps garbage collection short.
 */
class Line implements ScannedLine, Directive {
  readonly keyword: string;
  private readonly argStart: number;
  private readonly argEnd: number;
  private cachedText: string | undefined;
  private split: string[] | null | undefined;
  constructor(
    private readonly bin: Bin,
    readonly start: number,
    private readonly end: number,
    private readonly eolLength: number,
    readonly index: number,
  ) {
    const at = locate(bin, start, end);
    this.keyword = at ? keywordAt(bin, at.kwStart, at.kwEnd) : '';
    this.argStart = at ? at.argStart : 0;
    this.argEnd = at ? at.end : 0;
  }
  get text(): Bin {
    return (this.cachedText ??= this.bin.slice(this.start, this.end));
  }
  get eol(): string {
    return this.eolLength === 2 ? '\r\n' : this.eolLength === 1 ? '\n' : '';
  }
  get directive(): Directive | null {
    return this.keyword === '' ? null : this;
  }
  get args(): string[] {
    if (this.split === undefined) this.split = argvSplit(this.bin.slice(this.argStart, this.argEnd));
    return this.split ?? [];
  }
  get badQuotes(): boolean {
    if (this.split === undefined) this.split = argvSplit(this.bin.slice(this.argStart, this.argEnd));
    return this.split === null;
  }
}

export function scanLines(bin: Bin): ScannedLine[] {
  const lines: ScannedLine[] = [];
  let start = 0;
  while (start < bin.length) {
    const nl = bin.indexOf('\n', start);
    if (nl === -1) {
      lines.push(new Line(bin, start, bin.length, 0, lines.length));
      break;
    }
    const crlf = nl > start && bin.charCodeAt(nl - 1) === 0x0d;
    lines.push(new Line(bin, start, crlf ? nl - 1 : nl, crlf ? 2 : 1, lines.length));
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
export function isMatchExec(line: Pick<ScannedLine, 'text' | 'directive'>): boolean {
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
