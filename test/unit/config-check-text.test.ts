import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOM_BIN } from '../../src/engine/config/bytes.js';
import { neutralise, neutraliseText } from '../../src/engine/config/neutralise.js';
import { scanLines } from '../../src/engine/config/scan.js';
import { currentText, parseConfig, spliceBlock, splicedLines } from '../../src/engine/config/splice.js';

/**
 * The plan scans the user's config once and hands the checks lines, not bytes: the file after
 * the change is the user's scanned lines around the block's. Both must be exactly what the
 * bytes give (spliceBlock's result, neutralise() of the bytes), whatever the file holds.
 */

const BEGIN = '# >>> mila-onboard (mila) >>> managed block';
const END = '# <<< mila-onboard (mila) <<<';

const piece = fc.constantFrom(
  'Host a',
  'Host mila b',
  '  User x',
  'Include /nowhere/x',
  'Include ~/.ssh/conf.d/*',
  'Match exec "true" host a',
  'match !EXEC x',
  'Match host a',
  '# note',
  '',
  '\t',
  'HostName=%h.example',
  BEGIN,
  END,
);
const fileArb = fc.record({
  lines: fc.array(piece, { maxLength: 12 }),
  crlf: fc.array(fc.boolean(), { maxLength: 12 }),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
});

function fileOf(f: { lines: string[]; crlf: boolean[]; finalNewline: boolean; bom: boolean }): string {
  const body = f.lines.map((l, i) => l + (i < f.lines.length - 1 || f.finalNewline ? (f.crlf[i] ? '\r\n' : '\n') : '')).join('');
  return (f.bom ? BOM_BIN : '') + body;
}

const blockArb = fc.constantFrom(`${BEGIN}\nHost mila\n  User alice\nHost *\n${END}\n`, `${BEGIN}\r\nMatch exec "x" host y\r\n  Port 1\r\nHost *\r\n${END}\r\n`);

const joined = (t: { bom: boolean; lines: ReadonlyArray<{ text: string; eol: string }> }) => (t.bom ? BOM_BIN : '') + t.lines.map((l) => l.text + l.eol).join('');

describe('the checks read lines scanned once', () => {
  it('the file after the change, as lines, is spliceBlock’s bytes', () => {
    fc.assert(
      fc.property(fileArb, blockArb, fc.boolean(), (f, block, removeBom) => {
        const parsed = parseConfig(fileOf(f), 'mila');
        if (parsed.markerProblems.length > 0) return;
        const spliced = spliceBlock(parsed, block, { removeBom });
        expect(joined(splicedLines(parsed, scanLines(block), { removeBom }))).toBe(spliced.after);
        expect(joined(currentText(parsed))).toBe(parsed.bin);
      }),
      { numRuns: 300 },
    );
  });

  it('neutralising the scanned lines gives what neutralising the bytes gives (with and without the bytes at hand)', () => {
    fc.assert(
      fc.property(fileArb, fc.boolean(), fc.boolean(), (f, assumeSuccess, riskyFirst) => {
        const bin = fileOf(f);
        const parsed = parseConfig(bin, 'mila');
        const riskyIncludes = new Map(riskyFirst ? [['Include /nowhere/x', 'left out']] : []);
        const targets = (_i: number, text: string) => (text.includes('conf.d') ? ['/copies/a b', '/copies/c*'] : undefined);
        const opts = { assumeSuccess, riskyIncludes, includeTargets: targets };
        const expected = neutralise(bin, opts);
        expect(neutraliseText(currentText(parsed), opts)).toBe(expected);
        expect(neutraliseText({ bom: parsed.bom, lines: parsed.lines }, opts)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
