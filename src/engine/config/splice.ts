import type { ConfigProblem } from '../../shared/contract/config.js';
import { BOM_BIN, type Bin } from './bytes.js';
import { scanLines, type ConfigText, type ScannedLine } from './scan.js';
import { markerProblem } from './problems.js';
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
  const reasons: ConfigProblem[] = [];
  let block: BlockLocation | null = null;
  const num = (l: ScannedLine): number => l.index + 1;
  if (begins.length > 1) reasons.push(markerProblem.startRepeated(profileId, begins.map(num)));
  if (ends.length > 1) reasons.push(markerProblem.endRepeated(profileId, ends.map(num)));
  if (reasons.length === 0) {
    const b = begins[0];
    const e = ends[0];
    if (b && !e) reasons.push(markerProblem.endMissing(profileId, num(b)));
    else if (!b && e) reasons.push(markerProblem.startMissing(profileId, num(e)));
    else if (b && e && e.index < b.index) reasons.push(markerProblem.order(profileId, num(e), num(b)));
    else if (b && e) block = { startLine: b.index, endLine: e.index, startByte: b.start, endByte: e.start + e.text.length + e.eol.length };
  }
  return { bin, bom, lines, block, markerProblems: reasons.map((r) => r.text), markerReasons: reasons };
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

/**
 * The lines of spliceBlock's result, made from lines already scanned: the user's own (the same
 * objects) around the block's. The checks read the file after the change through these, so the
 * user's config is scanned once per plan. Joined (with the BOM when `bom`), they are exactly
 * spliceBlock's bytes.
 */
export function splicedLines(parsed: ParsedConfig, blockLines: readonly ScannedLine[], opts: { removeBom?: boolean } = {}): ConfigText {
  const bom = parsed.bom && !opts.removeBom;
  const b = parsed.block;
  // concat, not spread: a config of 10,000 hosts has 70,000 lines.
  if (!b) return { bom, lines: blockLines.concat(parsed.lines) };
  return { bom, lines: parsed.lines.slice(0, b.startLine).concat(blockLines, parsed.lines.slice(b.endLine + 1)) };
}

/** The file as it is now, as the checks read it. */
export function currentText(parsed: ParsedConfig): ConfigText {
  return { bom: parsed.bom, lines: parsed.lines, bytes: parsed.bin };
}
