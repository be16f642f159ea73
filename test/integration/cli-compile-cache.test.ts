/**
 * The CLI on the Node its users run (22+), with that Node's compile cache for real: kept in the
 * user's own cache folder and read back on the next run; never in a folder someone else made.
 * The unit tests (test/unit/cli-compile-cache.test.ts) cover each check; this proves Node uses it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeForUsers } from '../fixtures/node-for-users.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin', 'mila-onboard.cjs');
let node: string;
let home: string;

beforeAll(() => {
  node = nodeForUsers();
}, 300_000);
afterEach(() => rmSync(home, { recursive: true, force: true }));

function plan(): { code: number | null; log: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' };
  delete env.XDG_CACHE_HOME;
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(node, [CLI, 'config', 'plan', '--ssh-dir', path.join(home, '.ssh'), '--user', 'alice'], { env, encoding: 'utf8' });
  return { code: r.status, log: r.stderr };
}

describe(`the CLI's compile cache on Node ${process.versions.node.startsWith('2') ? process.version : '22 (fetched)'}`, () => {
  beforeAll(() => {
    expect(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v2[2-9]\./);
  });

  it("is written in the user's own cache folder, and read back on the next run", () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'mila-cc-home-'));
    const cache = path.join(home, '.cache', 'mila-onboard', 'compile');
    const first = plan();
    expect(first.code).toBe(0);
    expect(first.log).toContain(`[compile cache] resolved path ${cache}`);
    expect(readdirSync(cache).length).toBeGreaterThan(0);
    for (const p of [path.dirname(path.dirname(cache)), path.dirname(cache), cache]) expect(lstatSync(p).mode & 0o777).toBe(0o700);
    const second = plan();
    expect(second.code).toBe(0);
    expect(second.log).toMatch(/cache for file:\/\/\S+\/dist\/cli\/chunks\/config-\S+\.mjs was accepted/);
    // Every cache file Node read or wrote is below the private folder.
    const paths = [...second.log.matchAll(/reading cache from (\S+)/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.startsWith(cache + path.sep)).toBe(true);
  });

  it('is not used in a folder another user made: the CLI runs without a cache', () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'mila-cc-home-'));
    const cache = path.join(home, '.cache', 'mila-onboard', 'compile');
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    // As root (the build machines) the folder is given to "nobody", as a neighbour's would be;
    // as anyone else it is opened to everyone, which the same check refuses.
    if (process.getuid?.() === 0) chownSync(cache, 65534, 65534);
    else chmodSync(cache, 0o777);
    const r = plan();
    expect(r.code).toBe(0);
    expect(r.log).not.toContain('[compile cache]');
    expect(readdirSync(cache)).toEqual([]);
  });
});
