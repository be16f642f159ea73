import { createTwoFilesPatch, formatPatch, structuredPatch } from 'diff';

/** The plan's preview: a unified diff of the whole config, before and after the block. */

const DIFF_CONTEXT = 3;

/** Chunked, so the comparison of two large texts is native string equality, not a loop per character. */
const CHUNK = 4096;

function commonPrefix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function countLines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Start of the line `lines` lines before the line starting at `lineStart` (0 when there are fewer). */
function backLines(s: string, lineStart: number, lines: number): number {
  let at = lineStart;
  // The first newline found ends the line just before lineStart; `lines` more go back as far.
  for (let k = 0; k <= lines; k++) {
    if (at <= 0) return 0;
    at = s.lastIndexOf('\n', at - 1);
    if (at === -1) return 0;
  }
  return at + 1;
}

/** Start of the line `lines` lines after the line starting at `lineStart` (the text's end when there are fewer). */
function forwardLines(s: string, lineStart: number, lines: number): number {
  let at = lineStart;
  for (let k = 0; k < lines; k++) {
    const nl = s.indexOf('\n', at);
    if (nl === -1) return s.length;
    at = nl + 1;
  }
  return at;
}

/**
 * A unified diff of the whole file. Only the lines from the first to the last difference
 * (with their context) go through the diff algorithm: with one block added or replaced in a
 * config of 10,000 hosts, diffing the whole file was most of plan's time. The common head and
 * tail are found on the texts themselves (no array of every line), then cut at whole lines.
 */
export function unifiedDiff(file: string, before: string, after: string, existed: boolean): string {
  const header = existed ? 'before' : 'does not exist yet';
  const min = Math.min(before.length, after.length);
  const p = commonPrefix(before, after, min);
  // Whole lines only: a line is common when it ends (with its newline) inside the prefix.
  const headEnd = p === before.length && p === after.length ? p : p === 0 ? 0 : before.lastIndexOf('\n', p - 1) + 1;
  const sfx = commonSuffix(before, after, min - headEnd);
  // ...and in the tail, when it starts inside the suffix at a line start in both texts.
  let tailStart = before.length - sfx;
  const atLineStart = (s: string, i: number) => i === 0 || s.charCodeAt(i - 1) === 0x0a;
  if (!(atLineStart(before, tailStart) && atLineStart(after, after.length - sfx))) {
    const nl = before.indexOf('\n', tailStart);
    tailStart = nl === -1 ? before.length : nl + 1;
  }
  // Keep DIFF_CONTEXT common lines on each side, as context.
  const cutHead = backLines(before, headEnd, DIFF_CONTEXT);
  const cutTailBefore = forwardLines(before, tailStart, DIFF_CONTEXT);
  const keptTail = before.length - cutTailBefore;
  if (cutHead === 0 && keptTail === 0) return createTwoFilesPatch(file, file, before, after, header, 'after', { context: DIFF_CONTEXT });
  const skipHead = countLines(before, cutHead);
  const patch = structuredPatch(file, file, before.slice(cutHead, before.length - keptTail), after.slice(cutHead, after.length - keptTail), header, 'after', { context: DIFF_CONTEXT });
  for (const h of patch.hunks) {
    h.oldStart += skipHead;
    h.newStart += skipHead;
  }
  return formatPatch(patch);
}
