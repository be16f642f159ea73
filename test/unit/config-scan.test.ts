import { describe, expect, it } from 'vitest';
import { argvSplit, detectEol, isLiteralAlias, isMatchExec, parseDirective, scanLines, splitLines } from '../../src/engine/config/scan.js';
import fc from 'fast-check';
import { compileHostLine, matchPattern } from '../../src/engine/openssh/host-patterns.js';
import { parseConfig, spliceBlock, userLines } from '../../src/engine/config/splice.js';
import { neutralise, neutraliseMatchLine } from '../../src/engine/config/verify.js';

describe('config scanner', () => {
  it('splits on LF only and keeps each terminator', () => {
    expect(splitLines('a\r\nb\nc')).toEqual([
      { start: 0, text: 'a', eol: '\r\n' },
      { start: 3, text: 'b', eol: '\n' },
      { start: 5, text: 'c', eol: '' },
    ]);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('x\r')).toEqual([{ start: 0, text: 'x\r', eol: '' }]);
  });

  it('reads keywords like OpenSSH: whitespace or one "=", any case', () => {
    expect(parseDirective('Host foo bar')).toEqual({ keyword: 'host', args: ['foo', 'bar'], badQuotes: false });
    expect(parseDirective('  HOST=foo')).toEqual({ keyword: 'host', args: ['foo'], badQuotes: false });
    expect(parseDirective('User = bob')?.args).toEqual(['bob']);
    expect(parseDirective('\tPort\t2222\r')?.args).toEqual(['2222']);
    expect(parseDirective('# comment')).toBeNull();
    expect(parseDirective('   ')).toBeNull();
    expect(parseDirective('')).toBeNull();
  });

  it('splits arguments like argv_split: quotes, escapes, trailing comments', () => {
    expect(argvSplit('alice   # note')).toEqual(['alice']);
    expect(argvSplit('"~/.ssh/my key" other')).toEqual(['~/.ssh/my key', 'other']);
    expect(argvSplit("'a b'\"c\"")).toEqual(['a bc']);
    expect(argvSplit('a\\ b')).toEqual(['a b']);
    expect(argvSplit('a#b')).toEqual(['a#b']);
    expect(argvSplit('"unterminated')).toBeNull();
    expect(parseDirective('User "bob')?.badQuotes).toBe(true);
  });

  it('finds Match exec in any spelling', () => {
    const lines = scanLines('Match exec "x"\nmatch  !EXEC y\nMatch host exec\nHost exec\nMatch=exec z\n');
    expect(lines.map(isMatchExec)).toEqual([true, true, true, false, true]);
  });

  it('knows literal aliases from patterns', () => {
    expect(['foo', 'a.b', 'cn-????', '*', '!x', 'we*b'].map(isLiteralAlias)).toEqual([true, true, false, false, false, false]);
  });

  it('uses the file\'s own line ending', () => {
    expect(detectEol(splitLines('a\r\nb\r\nc\n'))).toBe('\r\n');
    expect(detectEol(splitLines('a\nb\r\n'))).toBe('\n');
    expect(detectEol([])).toBe('\n');
  });
});

describe('host patterns', () => {
  it('matches * and ? case-insensitively', () => {
    expect(matchPattern('cn-a001', 'cn-????')).toBe(true);
    expect(matchPattern('cn-a0011', 'cn-????')).toBe(false);
    expect(matchPattern('Login.server.mila.quebec', '*login.server.mila.quebec')).toBe(true);
    expect(matchPattern('x', '*')).toBe(true);
    expect(matchPattern('abcabd', '*abd')).toBe(true);
    expect(matchPattern('File', 'file', true)).toBe(false);
  });
  it('applies negations like a Host line and a pattern list', () => {
    const ps = ['*.server.mila.quebec', '!*login.server.mila.quebec'];
    expect(compileHostLine(ps)('cn-a001.server.mila.quebec')).toBe(true);
    expect(compileHostLine(ps)('login-1.login.server.mila.quebec')).toBe(false);
    expect(compileHostLine(['!foo'])('foo')).toBe(false);
    expect(compileHostLine('*.server.mila.quebec,!*login.server.mila.quebec'.split(','))('a.server.mila.quebec')).toBe(true);
    // Patterns are compared case-insensitively (the name passed is already lower-cased).
    expect(compileHostLine(['CN-????'])('cn-a001')).toBe(true);
  });
  it('scanned lines (text, arguments cut on first use) read like splitLines + parseDirective', () => {
    const piece = fc.constantFrom('Host', 'HOSTNAME', ' ', '\t', '=', '"', "'", '\\', '#', 'a', 'b c', '\r', '\n', '\r\n', '\f', 'x=y');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), (text) => {
        const scanned = scanLines(text);
        const raw = splitLines(text);
        expect(scanned.length).toBe(raw.length);
        scanned.forEach((l, i) => {
          const r = raw[i]!;
          expect([l.index, l.start, l.text, l.eol]).toEqual([i, r.start, r.text, r.eol]);
          const d = parseDirective(r.text);
          expect(l.directive && { keyword: l.directive.keyword, args: l.directive.args, badQuotes: l.directive.badQuotes }).toEqual(d);
        });
      }),
      { numRuns: 2000 },
    );
  });
  it('compiled pattern lists (literal and *suffix fast paths) agree with the general matcher', () => {
    const part = fc.constantFrom('a', 'B', '.', '-', '*', '?', 'ab', 'login');
    const pattern = fc.array(part, { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
    const name = fc.array(fc.constantFrom('a', 'b', 'A', '.', '-', 'login', 'x'), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), pattern), { minLength: 1, maxLength: 4 }), name, (list, host) => {
        const patterns = list.map(([neg, p]) => (neg ? `!${p}` : p));
        const general =
          !patterns.some((p) => p.startsWith('!') && matchPattern(host, p.slice(1))) && patterns.some((p) => !p.startsWith('!') && matchPattern(host, p));
        expect(compileHostLine(patterns)(host.toLowerCase())).toBe(general);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('splicing the block', () => {
  const BLOCK = '# >>> mila-onboard (mila) >>> managed block\nHost mila\nHost *\n# <<< mila-onboard (mila) <<<\n';

  it('inserts at the very top, after a BOM', () => {
    const parsed = parseConfig('\xEF\xBB\xBFUser x\n', 'mila');
    const r = spliceBlock(parsed, BLOCK);
    expect(r.action).toBe('insert');
    expect(r.after).toBe('\xEF\xBB\xBF' + BLOCK + 'User x\n');
    expect(spliceBlock(parsed, BLOCK, { removeBom: true }).after).toBe(BLOCK + 'User x\n');
  });

  it('replaces an existing block in place, byte for byte around it', () => {
    const before = 'Host a\n  User b\n# >>> mila-onboard (mila) >>> old\nHost mila\n# <<< mila-onboard (mila) <<<\nHost c';
    const parsed = parseConfig(before, 'mila');
    expect(parsed.block).toMatchObject({ startLine: 2, endLine: 4 });
    expect(userLines(parsed).map((l) => l.text)).toEqual(['Host a', '  User b', 'Host c']);
    const r = spliceBlock(parsed, BLOCK);
    expect(r.action).toBe('replace');
    expect(r.after).toBe('Host a\n  User b\n' + BLOCK + 'Host c');
    expect(spliceBlock(parseConfig(r.after, 'mila'), BLOCK).action).toBe('none');
  });

  it('leaves other profiles\' blocks alone', () => {
    const parsed = parseConfig('# >>> mila-onboard (other) >>>\nHost o\n# <<< mila-onboard (other) <<<\n', 'mila');
    expect(parsed.block).toBeNull();
    expect(parsed.markerProblems).toEqual([]);
  });

  it('refuses to guess with unpaired or repeated markers', () => {
    expect(parseConfig('# >>> mila-onboard (mila) >>>\nHost x\n', 'mila').markerProblems[0]).toMatch(/end marker is missing/);
    expect(parseConfig('# <<< mila-onboard (mila) <<<\n', 'mila').markerProblems[0]).toMatch(/no start marker/);
    expect(parseConfig('# <<< mila-onboard (mila) <<<\n# >>> mila-onboard (mila) >>>\n', 'mila').markerProblems[0]).toMatch(/before its start/);
    expect(parseConfig('# >>> mila-onboard (mila)\n# >>> mila-onboard (mila)\n# <<< mila-onboard (mila)\n', 'mila').markerProblems[0]).toMatch(/2 .* start markers/);
  });
});

describe('neutralising Match exec for ssh -G', () => {
  it('replaces each exec criterion by a constant and keeps the others', () => {
    expect(neutraliseMatchLine('Match exec "touch /tmp/x"', true)).toBe('Match host *');
    expect(neutraliseMatchLine('Match exec "touch /tmp/x"', false)).toBe('Match host !*');
    expect(neutraliseMatchLine('  Match !exec "x y" host foo', true)).toBe('  Match !host * host foo');
    expect(neutraliseMatchLine('Match host a,b exec z user "me"', false)).toBe('Match host a,b host !* user me');
    expect(neutraliseMatchLine('Match canonical exec z', true)).toBe('Match canonical host *');
  });
  it('keeps what OpenSSH rejects rejected (so the check reports it), without any exec command', () => {
    // OpenSSH: "Missing Match criteria for exec" / "invalid quotes", on the original and the copy alike.
    expect(neutraliseMatchLine('Match exec', true)).toBe('Match exec');
    expect(neutraliseMatchLine('Match exec "unterminated', true)).toBe('Match "');
    expect(neutraliseMatchLine('Match=exec z', true)).toBe('Match host *');
    expect(neutraliseMatchLine('Match host execute', true)).toBe('Match host execute');
    // The line Mila's old docs had: OpenSSH 9.2 stops at "!*login" ("Unsupported Match attribute"); the copy stops there too.
    expect(neutraliseMatchLine('Match Host * !*login exec "touch /tmp/x"', false)).toBe('Match Host * !*login');
    expect(neutraliseMatchLine('Match newthing exec "touch /tmp/x"', false)).toBe('Match newthing');
  });
  it('keeps every line in place and turns risky Includes into comments', () => {
    const bin = '\xEF\xBB\xBFHost a\r\nMatch exec "x"\r\nInclude /tmp/risky\nInclude /tmp/fine';
    const out = neutralise(bin, { assumeSuccess: false, riskyIncludes: new Map([['Include /tmp/risky', 'why']]) });
    expect(out).toBe('\xEF\xBB\xBFHost a\r\nMatch host !*\r\n# (Include left out by mila-onboard while checking with ssh -G)\nInclude /tmp/fine');
  });
});
