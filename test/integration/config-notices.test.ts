import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planConfig } from '../../src/engine/config/index.js';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-notices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plan warnings come with codes the wizard translates', () => {
  it('gives each warning its code and values, in the same order as the English sentences', async () => {
    const ctx = createContext({ sshDir: path.join(dir, 'ssh'), profile: builtInProfile(), platform: 'linux' });
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: path.join(dir, 'no-such-control-dir') });
    expect(plan.notices.map((n) => n.text)).toEqual(plan.warnings);
    expect(plan.notices.map((n) => n.code)).toEqual(['key-missing', 'folder-created', 'control-dir-created']);
    expect(plan.notices[2]!.params).toEqual({ dir: path.join(dir, 'no-such-control-dir') });
  });
});
