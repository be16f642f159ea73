/**
 * The config step's "checked partly" notes (issue #14, item 3): the engine gives what its check
 * copies left out as codes and values, and the wizard says them in English and French. Before,
 * the notes were the engine's English sentences, shown as they were in the French wizard.
 */
import { describe, expect, it } from 'vitest';
import { toBin } from '../../src/engine/config/bytes.js';
import { scanLines } from '../../src/engine/config/scan.js';
import { leftOutFor } from '../../src/engine/config/verify.js';
import { leftOutText } from '../../src/renderer/components/left-out-text.js';
import { wizardTranslator } from '../fixtures/translator.js';

const config = ['Host *', '  ServerAliveInterval 60', 'Match exec "test -f /tmp/vpn"', '  ProxyJump gw', 'Include ~/.ssh/conf.d/*', 'Match exec "true"', ''].join('\n');

describe('what the config check left out, from codes and values', () => {
  const leftOut = leftOutFor({ bom: false, lines: scanLines(toBin(Buffer.from(config))) }, new Map([['Include ~/.ssh/conf.d/*  ', 'it names a folder that others can change']]), {
    risky: new Map(),
    files: [{ path: '/home/a/.ssh/extra', lines: [{ start: 0, text: 'Match exec "x"', eol: '\n', index: 4, directive: { keyword: 'match', args: ['exec', 'x'] } }], via: 'Include extra' }],
    resolved: new Map(),
    refused: [],
  } as never);

  it('the engine names the lines, the included file and the Include line as values', () => {
    expect(leftOut).toEqual([
      { kind: 'match-exec', where: '3, 6' },
      { kind: 'match-exec-included', where: '/home/a/.ssh/extra line 5' },
      { kind: 'include', where: 'Include ~/.ssh/conf.d/*' },
    ]);
  });

  it('the wizard says each in English and in French, every value in place', () => {
    const tr = wizardTranslator();
    tr.use('en');
    const english = leftOut.map((i) => leftOutText(tr.t, i));
    tr.use('fr');
    const french = leftOut.map((i) => leftOutText(tr.t, i));
    expect(english[0]).toContain('(lines 3, 6)');
    expect(french[0]).toContain('(lignes 3, 6)');
    expect(french[1]).toContain('/home/a/.ssh/extra line 5');
    expect(french[2]).toContain('«\u00a0Include ~/.ssh/conf.d/*\u00a0»');
    for (const [i, s] of french.entries()) {
      expect(s).not.toBe(english[i]);
      expect(s).not.toMatch(/\{\{|was left out|never runs|assumed to succeed/);
    }
    tr.use('en');
    expect(leftOutText(tr.t, { kind: 'match-exec', where: '3' })).toContain('(line 3)');
  });
});
