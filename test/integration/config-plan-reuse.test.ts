import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig, PlanCache, planConfig } from '../../src/engine/config/index.js';
import { configOnlyFolder, countedSshRunner } from '../fixtures/configs/helpers.js';

/** A folder with only this config, and ssh -G counted. */
function setup() {
  return { ...configOnlyFolder('mila-reuse-', 'Host a\n  HostName a.example\nHost b\n  HostName b.example\nHost c\n  User z\n'), ...countedSshRunner() };
}

describe('apply right after plan reuses the plan (the user waits once for ssh -G, not twice)', () => {
  it('runs fewer ssh -G after a plan of the same bytes and inputs, with the same result', async () => {
    const input = { user: 'alice', identity: 'id_ed25519' };
    const fresh = setup();
    const deps = { runSsh: fresh.runSsh, controlDir: null, plans: new PlanCache() };
    const plan = await planConfig(fresh.ctx, input, deps);
    const afterPlan = fresh.calls();
    await applyConfig(fresh.ctx, { ...input, expectedHash: plan.hash }, deps);
    const reused = fresh.calls() - afterPlan;

    const cold = setup();
    const coldDeps = { runSsh: cold.runSsh, controlDir: null, plans: new PlanCache() };
    const coldPlan = await planConfig(cold.ctx, { ...input, user: 'bob' }, coldDeps); // a different plan is remembered
    const before = cold.calls();
    await applyConfig(cold.ctx, { ...input, expectedHash: coldPlan.hash }, coldDeps);
    const recomputed = cold.calls() - before;

    expect(reused).toBeLessThan(recomputed);
    const written = (dir: string) => readFileSync(path.join(dir, 'config'), 'utf8').replaceAll(dir, 'DIR');
    expect(written(fresh.dir)).toBe(written(cold.dir));
  });
});
