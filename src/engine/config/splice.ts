import type { ConfigProblem } from '../../shared/contract/config.js';
import { BOM_BIN, type Bin } from './bytes.js';
import { scanLines, type ScannedLine } from './scan.js';
import { BEGIN_RE, END_RE } from './template.js';

/** Where the program's block sits, in lines and in bytes of the content after any BOM. */
export interface BlockLocation {
  startLine: number;
  /** Inclusive: the end-marker line. */
  endLine: number;
  startByte: number;
  /** Exclusive: just after the end marker's line ending. */
  endByte: number;
}

export interface ParsedConfig {
  /** The whole file as a binary string ('' for a missing file). */
  bin: Bin;
  bom: boolean;
  /** The file without its BOM, split into lines. */
  lines: ScannedLine[];
  block: BlockLocation | null;
  /** Markers that do not pair up: the file is left alone until a person fixes them. */
  markerProblems: string[];
  /** The same problems with codes and values (same order). */
  markerReasons: ConfigProblem[];
}

function markerId(line: ScannedLine, re: RegExp): string | null {
  const m = re.exec(line.text);
  return m ? (m[1] ?? '').trim() : null;
}

export function parseConfig(bin: Bin, profileId: string): ParsedConfig {
  const bom = bin.startsWith(BOM_BIN);
  const lines = scanLines(bom ? bin.slice(BOM_BIN.length) : bin);
  // Markers are comments: only lines without a directive can be one.
  const begins = lines.filter((l) => l.directive === null && markerId(l, BEGIN_RE) === profileId);
  const ends = lines.filter((l) => l.directive === null && markerId(l, END_RE) === profileId);
  const problems: string[] = [];
  const reasons: ConfigProblem[] = [];
  const add = (code: ConfigProblem['code'], params: Record<string, string>, text: string) => {
    problems.push(text);
    reasons.push({ code, params: { profile: profileId, ...params }, text });
  };
  let block: BlockLocation | null = null;
  const where = (l: ScannedLine): string => `line ${l.index + 1}`;
  const num = (l: ScannedLine): string => String(l.index + 1);
  if (begins.length > 1)
    add('markers-start-repeated', { count: String(begins.length), lines: begins.map(num).join(', ') }, `There are ${begins.length} mila-onboard (${profileId}) start markers (${begins.map(where).join(', ')}); there should be one.`);
  if (ends.length > 1)
    add('markers-end-repeated', { count: String(ends.length), lines: ends.map(num).join(', ') }, `There are ${ends.length} mila-onboard (${profileId}) end markers (${ends.map(where).join(', ')}); there should be one.`);
  if (problems.length === 0) {
    const b = begins[0];
    const e = ends[0];
    if (b && !e) add('marker-end-missing', { line: num(b) }, `The mila-onboard (${profileId}) block starts at ${where(b)} but its end marker is missing, so where it ends is unknown.`);
    else if (!b && e) add('marker-start-missing', { line: num(e) }, `There is a mila-onboard (${profileId}) end marker at ${where(e)} but no start marker.`);
    else if (b && e && e.index < b.index) add('markers-order', { end: num(e), start: num(b) }, `The mila-onboard (${profileId}) end marker (${where(e)}) comes before its start marker (${where(b)}).`);
    else if (b && e) block = { startLine: b.index, endLine: e.index, startByte: b.start, endByte: e.start + e.text.length + e.eol.length };
  }
  return { bin, bom, lines, block, markerProblems: problems, markerReasons: reasons };
}

/** Lines that belong to the user: everything outside the block. */
export function userLines(parsed: ParsedConfig): ScannedLine[] {
  const b = parsed.block;
  return b ? parsed.lines.filter((l) => l.index < b.startLine || l.index > b.endLine) : parsed.lines;
}

export interface SpliceResult {
  after: Bin;
  action: 'insert' | 'replace' | 'none';
  /** Byte range of the new block in `after`. */
  blockStart: number;
  blockEnd: number;
}

/**
 * Puts the block into the file. An existing block is replaced where it is. A new one
 * goes at the very top (after a BOM): OpenSSH takes the first value it meets, so nothing
 * the user wrote (a `Host *`, a global option, a `Match all`) can override it, and the
 * block ends with `Host *` so whatever follows applies to every host as it did before.
 * Every byte outside the block is kept; `removeBom` drops the BOM (the user's choice).
 */
export function spliceBlock(parsed: ParsedConfig, blockBin: Bin, opts: { removeBom?: boolean } = {}): SpliceResult {
  const bomLen = parsed.bom ? BOM_BIN.length : 0;
  const keptBom = parsed.bom && !opts.removeBom ? BOM_BIN : '';
  const content = parsed.bin.slice(bomLen);
  if (parsed.block) {
    const { startByte, endByte } = parsed.block;
    const before = keptBom + content.slice(0, startByte);
    const after = before + blockBin + content.slice(endByte);
    const same = after === parsed.bin;
    return { after, action: same ? 'none' : 'replace', blockStart: before.length, blockEnd: before.length + blockBin.length };
  }
  const after = keptBom + blockBin + content;
  return { after, action: 'insert', blockStart: keptBom.length, blockEnd: keptBom.length + blockBin.length };
}
