import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enablePrivateCompileCache } from '../../src/cli/compile-cache.js';
import { defaultCacheDir } from '../../src/engine/context.js';

// The CLI's compile cache holds code the CLI will run: it must live where only its user can
// write. Each case below is what a neighbour on a shared computer could set up.
describe('the CLI compile cache goes only in a private folder', () => {
  let home: string;
  let enabled: string[];
  const enable = (dir: string) => void enabled.push(dir);
  const uid = process.getuid!();
  const linux = (over: Record<string, unknown> = {}) => ({ platform: 'linux' as const, env: {}, home, uid, enable, ...over });

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'mila-cc-'));
    chmodSync(home, 0o700);
    enabled = [];
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('creates ~/.cache/mila-onboard/compile, mode 700, and turns the cache on there', () => {
    expect(enablePrivateCompileCache(linux())).toBe('enabled');
    const dir = path.join(home, '.cache', 'mila-onboard', 'compile');
    expect(enabled).toEqual([dir]);
    for (const p of [path.join(home, '.cache'), path.dirname(dir), dir]) expect(lstatSync(p).mode & 0o777).toBe(0o700);
  });

  it('does nothing on a Node without a compile cache (Node 20): no folder is made', () => {
    expect(enablePrivateCompileCache(linux({ enable: undefined }))).toBe('unavailable');
    expect(() => lstatSync(path.join(home, '.cache'))).toThrow();
  });

  it('refuses a cache folder that is a link to somewhere else', () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'mila-cc-other-'));
    try {
      mkdirSync(path.join(home, '.cache', 'mila-onboard'), { recursive: true, mode: 0o700 });
      symlinkSync(elsewhere, path.join(home, '.cache', 'mila-onboard', 'compile'));
      expect(enablePrivateCompileCache(linux())).toBe('refused');
      expect(enabled).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("refuses a folder another user made (the neighbour's planted cache)", () => {
    const dir = path.join(home, '.cache', 'mila-onboard', 'compile');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // As root here, the folder can be given away; as any other user, pretend to be someone else.
    if (uid === 0) chownSync(dir, 65534, 65534);
    expect(enablePrivateCompileCache(linux(uid === 0 ? {} : { uid: uid + 1 }))).toBe('refused');
    expect(enabled).toEqual([]);
  });

  it('refuses a cache root anyone can write to (XDG_CACHE_HOME pointed at a shared folder)', () => {
    const shared = path.join(home, 'shared');
    mkdirSync(shared, { mode: 0o700 });
    chmodSync(shared, 0o1777);
    expect(enablePrivateCompileCache(linux({ env: { XDG_CACHE_HOME: shared } }))).toBe('refused');
    expect(enabled).toEqual([]);
  });

  it('refuses an app folder others can write to', () => {
    const app = path.join(home, '.cache', 'mila-onboard');
    mkdirSync(app, { recursive: true, mode: 0o700 });
    chmodSync(app, 0o775);
    expect(enablePrivateCompileCache(linux())).toBe('refused');
    expect(enabled).toEqual([]);
  });

  it("each OS's own cache folder", () => {
    expect(defaultCacheDir('linux', {}, '/home/a')).toBe('/home/a/.cache/mila-onboard');
    expect(defaultCacheDir('linux', { XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/x/mila-onboard');
    expect(defaultCacheDir('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Caches/Mila Onboard');
    expect(defaultCacheDir('win32', { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'C:\\Users\\a')).toBe(path.join('C:\\Users\\a\\AppData\\Local', 'Mila Onboard', 'Cache'));
  });
});
