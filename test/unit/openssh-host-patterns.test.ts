/**
 * The engine's one copy of OpenSSH's host patterns (src/engine/openssh/host-patterns.ts),
 * each case of the table checked against OpenSSH itself: `ssh -G -F FILE NAME` with a
 * config whose only section is the line under test (does OpenSSH take the section for that
 * name?). The known_hosts side (the same lists, read by ssh-keygen -F) is checked in
 * test/integration/trust-known-hosts.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileHostLine, hostLineMatches, matchHostList, matchPattern } from '../../src/engine/openssh/host-patterns.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-host-patterns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether OpenSSH applies the one section of `config` to `name`: the section sets a user nobody else has. */
function opensshTakes(config: string, name: string): boolean {
  const file = path.join(dir, 'config');
  writeFileSync(file, `${config}\n  User patternhit\n`);
  const r = spawnSync('ssh', ['-G', '-F', file, name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh -G ${name} failed: ${r.stderr}`);
  return /^user patternhit$/m.test(r.stdout);
}

/** `Host` lines: whitespace-separated patterns, compared with the name as typed. */
const HOST_LINES: Array<[patterns: string[], names: string[]]> = [
  [['mila'], ['mila', 'Mila', 'mila2', 'amila']],
  [['cn-????'], ['cn-a001', 'cn-a0011', 'cn-a01', 'CN-A001']],
  [['CN-????'], ['cn-a001', 'CN-A001', 'Cn-a001']],
  [['*.server.mila.quebec', '!*login.server.mila.quebec'], ['a.server.mila.quebec', 'login-1.login.server.mila.quebec', 'login.server.mila.quebec', 'server.mila.quebec']],
  [['!*login.server.mila.quebec', '*.server.mila.quebec'], ['cn-a001.server.mila.quebec', 'x.login.server.mila.quebec']],
  [['!mila', '*'], ['mila', 'mila-cpu', 'other']],
  [['!foo'], ['foo', 'bar']],
  [['*'], ['anything', 'x']],
  [['a*b*c'], ['abc', 'aXbYc', 'acb', 'abcabc', 'ab']],
  [['mila?'], ['mila1', 'mila', 'mila12']],
  [['*abd'], ['abcabd', 'abd', 'abdx']],
  [['mila', 'mila-cpu'], ['mila-cpu', 'mila-gpu']],
  [['nc?????', 'ng?????'], ['nc10101', 'ng20202', 'nc1010', 'nl10101']],
];

/** `Match host` lists: one comma-separated list, compared case-insensitively (as known_hosts fields are). */
const MATCH_LISTS: Array<[list: string, names: string[]]> = [
  ['!*login.server.mila.quebec,*.server.mila.quebec', ['cn-a001.server.mila.quebec', 'login-2.login.server.mila.quebec', 'CN-B002.SERVER.MILA.QUEBEC']],
  ['MX*', ['mx1', 'MX2', 'my1']],
  ['x*,!xy*', ['x1', 'xy1', 'XY2', 'y']],
  ['cn-????,mila', ['cn-a001', 'CN-A001', 'mila', 'milax']],
];

describe('Host lines, as ssh -G reads them', () => {
  for (const [patterns, names] of HOST_LINES) {
    it(`Host ${patterns.join(' ')}`, () => {
      const config = `Host ${patterns.join(' ')}`;
      for (const name of names) expect({ name, ours: hostLineMatches(patterns, name) }).toEqual({ name, ours: opensshTakes(config, name) });
    });
  }
});

describe('Match host lists, as ssh -G reads them', () => {
  for (const [list, names] of MATCH_LISTS) {
    it(`Match host ${list}`, () => {
      for (const name of names) expect({ name, ours: matchHostList(list, name) }).toEqual({ name, ours: opensshTakes(`Match host ${list}`, name) });
    });
  }
});

describe('the pieces', () => {
  it('a Host line is case-sensitive, a host list is not (what the table above found OpenSSH doing)', () => {
    expect(hostLineMatches(['CN-????'], 'cn-a001')).toBe(false);
    expect(hostLineMatches(['CN-????'], 'CN-A001')).toBe(true);
    expect(matchHostList('CN-????', 'cn-a001')).toBe(true);
    expect(matchPattern('File', 'file', true)).toBe(false);
    expect(matchPattern('File', 'file')).toBe(true);
  });

  it('the compiled list ignores case by default (the name passed lower-cased), as the config planner uses it', () => {
    expect(compileHostLine(['CN-????'])('cn-a001')).toBe(true);
    expect(compileHostLine(['CN-????'], { ignoreCase: false })('cn-a001')).toBe(false);
    // Literal and *suffix patterns take shortcuts; they must agree with the glob.
    for (const [p, s] of [['abc', 'abc'], ['*bc', 'abc'], ['*bc', 'bca'], ['a*', 'abc'], ['*', '']] as const) {
      expect(compileHostLine([p])(s)).toBe(matchPattern(s, p));
    }
  });
});
