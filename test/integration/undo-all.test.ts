import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyConfig, planConfig } from '../../src/engine/config/index.js';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { undoAll } from '../../src/engine/undo.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-undo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('undo every change', () => {
  it('walks the journal back to the exact original bytes, then has nothing left to do', async () => {
    const original = 'Host a   # mine\r\n\tUser b\r\n';
    writeFileSync(path.join(dir, 'config'), original, { mode: 0o600 });
    const ctx = createContext({ sshDir: dir, profile: builtInProfile() });
    for (const user of ['alice', 'bob']) {
      const plan = await planConfig(ctx, { user }, { controlDir: null });
      await applyConfig(ctx, { user, expectedHash: plan.hash }, { controlDir: null });
    }
    expect(readFileSync(path.join(dir, 'config'), 'utf8')).toContain('User bob');
    expect(await undoAll(ctx)).toEqual({ undone: 2, left: [], leftReasons: [] });
    expect(readFileSync(path.join(dir, 'config'), 'utf8')).toBe(original);
    expect(await undoAll(ctx)).toEqual({ undone: 0, left: [], leftReasons: [] });
  });

  it('leaves a file edited by hand since, and says why', async () => {
    const ctx = createContext({ sshDir: dir, profile: builtInProfile() });
    const plan = await planConfig(ctx, { user: 'carol' }, { controlDir: null });
    await applyConfig(ctx, { user: 'carol', expectedHash: plan.hash }, { controlDir: null });
    writeFileSync(path.join(dir, 'config'), readFileSync(path.join(dir, 'config'), 'utf8') + 'Host hand-edit\n');
    const r = await undoAll(ctx);
    expect(r.undone).toBe(0);
    expect(r.left.join(' ')).toContain('edited after');
    // The wizard says the same from a code and values: which file, and where its version from before is.
    expect(r.leftReasons).toEqual([{ code: 'file-edited-since', params: { path: path.join(dir, 'config'), backup: expect.stringContaining(path.join(dir, 'mila-onboard-backups')) } }]);
    expect(readFileSync(path.join(dir, 'config'), 'utf8')).toContain('Host hand-edit');
  });
});
