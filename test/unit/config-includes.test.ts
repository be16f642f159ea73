import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFs } from '../../src/engine/config/fs-layer.js';
import { includeKey, inspectIncludes, resolveIncludeArg } from '../../src/engine/config/includes.js';
import { scanLines } from '../../src/engine/config/scan.js';

let home = '';
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'mila-onboard-inc-'));
  mkdirSync(path.join(home, '.ssh', 'config.d'), { recursive: true });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function put(rel: string, text: string): string {
  const p = path.join(home, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe('Include resolution (what ssh -G would read)', () => {
  it('resolves ~, relative paths (to ~/.ssh) and globs in lexical order, skipping dotfiles', async () => {
    const b = put('.ssh/config.d/b.conf', 'Host b\n');
    const a = put('.ssh/config.d/a.conf', 'Host a\n');
    put('.ssh/config.d/.hidden.conf', 'Host h\n');
    expect(await resolveIncludeArg('config.d/*', home, nodeFs)).toEqual({ paths: [a, b] });
    expect(await resolveIncludeArg('~/.ssh/config.d/a.conf', home, nodeFs)).toEqual({ paths: [a] });
    expect(await resolveIncludeArg(`${home}/.ssh/config.?/*.conf`, home, nodeFs)).toEqual({ paths: [a, b] });
    expect(await resolveIncludeArg('nothing-here-*', home, nodeFs)).toEqual({ paths: [] });
  });

  it('calls what it cannot resolve for certain risky', async () => {
    for (const arg of ['%d/x', '${HOME}/x', '~bob/x', 'config.d/[ab].conf']) expect('risk' in (await resolveIncludeArg(arg, home, nodeFs))).toBe(true);
  });

  it('follows nested includes, recording what each Include line reads (a Match exec file is followed: checks read a neutralised copy of it)', async () => {
    const one = put('.ssh/config.d/one.conf', 'Host one\nInclude config.d/deeper/*\n');
    const two = put('.ssh/config.d/deeper/two.conf', 'Host two\nMatch exec "rm -rf /"\n');
    const safe = put('.ssh/safe.conf', 'Host safe\n');
    const lines = scanLines('Include config.d/*.conf\nInclude safe.conf missing.conf\nHost top\n');
    const r = await inspectIncludes(lines, { home, fs: nodeFs });
    expect([...r.risky.keys()]).toEqual([]);
    expect(r.files.map((f) => path.basename(f.path))).toEqual(['one.conf', 'two.conf', 'safe.conf']);
    expect(r.resolved.get(includeKey(null, lines[0]!))).toEqual([one]);
    expect(r.resolved.get(includeKey(null, lines[1]!))).toEqual([safe]);
    expect(r.resolved.get(includeKey(one, { index: 1, text: 'Include config.d/deeper/*' }))).toEqual([two]);
  });

  it('stops at OpenSSH\'s depth limit on a loop', async () => {
    put('.ssh/loop.conf', 'Include loop.conf\n');
    const r = await inspectIncludes(scanLines('Include loop.conf\n'), { home, fs: nodeFs });
    expect(r.risky.get('Include loop.conf')).toMatch(/nested too deeply/);
  });
});
