import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '../../src/engine/files/fs-layer.js';
import { resolveIncludeArg } from '../../src/engine/config/includes.js';
import { scanLines } from '../../src/engine/config/scan.js';

/**
 * Differential test: for each odd Include line, what OpenSSH itself reads (each file adds
 * its own `SendEnv MARK_<id>`, which accumulates, so `ssh -G` lists every file it read, in
 * order) against what mila-onboard resolves. No `Match exec` here: nothing runs.
 */

const home = os.userInfo().homedir;
let dir = '';
/** A folder under the real ~/.ssh for relative Includes (OpenSSH resolves them there); removed after. */
let relDir = '';
let relName = '';
const ids = new Map<string, string>();
let n = 0;

function put(folder: string, name: string): void {
  const id = `MARK_${++n}`;
  const p = path.join(folder, name);
  writeFileSync(p, `SendEnv ${id}\n`, { mode: 0o600 });
  ids.set(p, id);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mila-onboard-glob-'));
  for (const name of ['incx', 'inc\\x', 'a*', 'ab', 'a?', 'q1', 'q22', '.hidden', 'sp ace', 'tail\\', 'é.conf']) put(dir, name);
  mkdirSync(path.join(dir, 'only'));
  put(path.join(dir, 'only'), 'y\\z'); // no "yz" beside it: glob finds nothing, OpenSSH opens the pattern as given
  mkdirSync(path.join(dir, 'sub1'));
  mkdirSync(path.join(dir, 'sub2'));
  put(path.join(dir, 'sub1'), 'c.conf');
  put(path.join(dir, 'sub2'), 'c.conf');
  mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  relDir = mkdtempSync(path.join(home, '.ssh', 'mila-onboard-glob-test-'));
  relName = path.basename(relDir);
  put(relDir, 'r1.conf');
  put(relDir, 'r\\2.conf');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-cfg`, { force: true });
  if (relDir) rmSync(relDir, { recursive: true, force: true });
});

/** What `ssh -G` read for a config made of this one line. */
function openSshReads(line: string): string[] {
  const cfg = `${dir}-cfg`;
  writeFileSync(cfg, `${line}\n`, { mode: 0o600 });
  const out = execFileSync('ssh', ['-G', '-F', cfg, 'somehost'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  return out
    .split('\n')
    .filter((l) => l.startsWith('sendenv '))
    .map((l) => l.slice('sendenv '.length));
}

/** What mila-onboard resolves for the same line: the files (that exist) it would read, in order. */
async function weRead(line: string): Promise<string[]> {
  const d = scanLines(Buffer.from(`${line}\n`, 'utf8').toString('latin1'))[0]!.directive!;
  expect(d.keyword).toBe('include');
  const out: string[] = [];
  for (const arg of d.args) {
    const r = await resolveIncludeArg(arg, home, nodeFs);
    if ('risk' in r) throw new Error(`risky: ${r.risk}`);
    for (const p of r.paths) {
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      out.push(text.trim().slice('SendEnv '.length));
    }
  }
  return out;
}

describe('Include resolution matches OpenSSH (ssh -G) on odd names', () => {
  const lines = (): string[] => [
    `Include ${dir}/inc\\x`,
    `Include ${dir}/inc\\\\x`,
    `Include "${dir}/inc\\x"`,
    `Include '${dir}/inc\\\\x'`,
    `Include ${dir}/a\\*`,
    `Include ${dir}/a*`,
    `Include ${dir}/a\\?`,
    `Include ${dir}/a?`,
    `Include ${dir}/q?`,
    `Include ${dir}/q*`,
    `Include ${dir}/*`,
    `Include ${dir}/.h*`,
    `Include ${dir}/\\.h*`,
    `Include "${dir}/sp ace"`,
    `Include ${dir}/sp\\ ace`,
    `Include ${dir}/tail\\`,
    `Include ${dir}/only/y\\z`,
    `Include ${dir}/only/*`,
    `Include ${dir}/sub*/c.conf`,
    `Include ${dir}/s?b?/*.conf`,
    `Include ${dir}/*.conf`,
    `Include ${dir}/nothing*`,
    `Include ${dir}/inc\\?`,
    `Include ${dir}//incx ${dir}/./ab`,
    `Include ${relName}/r1.conf`,
    `Include ${relName}/*`,
    `Include ${relName}/r\\2.conf`,
    `Include ~/.ssh/${relName}/r*`,
    `Include ~/.ssh/${relName}/r\\1.conf`,
  ];

  it('reads the same files, in the same order, for every line', async () => {
    const mismatches: string[] = [];
    let nonEmpty = 0;
    for (const line of lines()) {
      const theirs = openSshReads(line);
      const ours = await weRead(line);
      if (theirs.length > 0) nonEmpty++;
      if (JSON.stringify(theirs) !== JSON.stringify(ours)) mismatches.push(`${line}\n  OpenSSH: ${theirs.join(' ')}\n  ours:    ${ours.join(' ')}`);
    }
    expect(mismatches).toEqual([]);
    // The cases really include files (a broken fixture would compare empty with empty).
    expect(nonEmpty).toBeGreaterThan(20);
  }, 60_000);
});
