import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomartOf } from '../../src/engine/keys/inspect.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-art-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('randomart of a key given by value (host keys)', () => {
  it('is the picture ssh-keygen draws for the same key in a file', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', path.join(dir, 'k')]);
    const [algorithm, blob] = readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ');
    const fromFile = execFileSync('ssh-keygen', ['-lv', '-E', 'sha256', '-f', path.join(dir, 'k.pub')], { encoding: 'utf8' }).trim().split('\n').slice(1);
    const art = await randomartOf(algorithm!, blob!);
    expect(art).toEqual(fromFile);
    expect(art[0]).toContain('[ECDSA 256]');
    expect(await randomartOf('ssh-ed25519', 'bm90IGEga2V5')).toEqual([]);
  });
});
