import { applyPatch, parsePatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/engine/config/plan.js';

/**
 * unifiedDiff trims the common head and tail before diffing (speed on large configs). Where
 * several alignments are equally short it may pick another than a whole-file diff would,
 * so the property is the one that matters: the diff is valid and turns before into after.
 */
describe('unifiedDiff', () => {
  const line = fc.constantFrom('Host a\n', '  User x\n', '\n', '# c\n', 'Host b\r\n', '  Port 22\n', 'Match all\n');
  const text = fc.array(line, { maxLength: 40 }).map((l) => l.join(''));
  it('is a valid patch from before to after, whatever the texts', () => {
    fc.assert(
      fc.property(text, text, text, text, fc.constantFrom('', 'Host z', '\n', '  User y'), fc.boolean(), (head, removed, added, tail, end, existed) => {
        const before = head + removed + tail + end;
        const after = head + added + tail + end;
        const patch = unifiedDiff('f', before, after, existed);
        expect(parsePatch(patch)).toHaveLength(1);
        expect(applyPatch(before, patch)).toBe(after);
      }),
      { numRuns: 2000 },
    );
  });

  it('is a valid patch on texts larger than the comparison chunks', () => {
    const filler = Array.from({ length: 800 }, (_, i) => `Host h${i}\n  User u${i % 7}\n`).join('');
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: filler.length }), fc.integer({ min: 0, max: filler.length }), (removed, added, cutA, cutB) => {
        const head = filler.slice(0, cutA);
        const tail = filler.slice(cutB);
        const before = head + removed + tail;
        const after = head + added + tail;
        const patch = unifiedDiff('f', before, after, true);
        expect(applyPatch(before, patch)).toBe(after);
        // Only the change and its context are in the patch, not the whole 20 kB.
        if (before !== after) expect(patch.length).toBeLessThan(removed.length + added.length + 2000);
      }),
      { numRuns: 300 },
    );
  });

  it('shows the unchanged lines around a change as context, with line numbers of the whole file', () => {
    const before = Array.from({ length: 50 }, (_, i) => `Host h${i}\n`).join('');
    const after = before.replace('Host h25\n', 'Host h25\n  User x\n');
    const patch = unifiedDiff('f', before, after, true);
    expect(patch).toContain('@@ -24,6 +24,7 @@');
    expect(patch).toContain(' Host h23\n Host h24\n Host h25\n+  User x\n Host h26\n');
  });
});
