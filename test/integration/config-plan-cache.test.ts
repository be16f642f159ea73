import { describe, expect, it } from 'vitest';
import { applyConfig, PlanCache, planConfig } from '../../src/engine/config/index.js';
import { configOnlyFolder, countedSshRunner } from '../fixtures/configs/helpers.js';

/**
 * The plan cache is an object its caller owns (the host, the CLI's `config apply`): a plan is
 * reused only through the cache it was put in, never through anything shared by the process.
 */

/** A folder with only this config, and ssh -G counted. */
function setup() {
  return { ...configOnlyFolder('mila-plan-cache-', 'Host a\n  HostName a.example\nHost cn-a001\n  User z\n'), ...countedSshRunner() };
}

/** ssh -G runs of an apply right after a plan, with these caches for each. */
async function applyAfterPlan(caches: { plan?: PlanCache; apply?: PlanCache }): Promise<number> {
  const s = setup();
  const input = { user: 'alice', onConflict: 'use-ours' as const };
  const plan = await planConfig(s.ctx, input, { runSsh: s.runSsh, controlDir: null, plans: caches.plan });
  const before = s.calls();
  const result = await applyConfig(s.ctx, { ...input, expectedHash: plan.hash }, { runSsh: s.runSsh, controlDir: null, plans: caches.apply });
  expect(result.changed).toBe(true);
  return s.calls() - before;
}

describe('a plan is reused only through its caller’s cache', () => {
  it('with the same cache, apply only checks the written file; without one, or with another, it plans again', async () => {
    const shared = new PlanCache();
    const reused = await applyAfterPlan({ plan: shared, apply: shared });
    // Two aliases are asked about (mila, and cn-a001 that the block catches): once each on the written file.
    expect(reused).toBe(2);
    // Nothing is kept by the process between calls that pass no cache (the old module-level cache did).
    // Planned again in apply (cn-a001 before and after, mila after), then the written file: 5.
    expect(await applyAfterPlan({})).toBe(5);
    expect(await applyAfterPlan({ plan: new PlanCache(), apply: new PlanCache() })).toBe(5);
  });

  it('a remembered plan expires', async () => {
    let now = 1_000_000;
    const cache = new PlanCache(60_000, () => now);
    const s = setup();
    const input = { user: 'alice', onConflict: 'use-ours' as const };
    const deps = { runSsh: s.runSsh, controlDir: null, plans: cache };
    const plan = await planConfig(s.ctx, input, deps);
    now += 60_001;
    const before = s.calls();
    await applyConfig(s.ctx, { ...input, expectedHash: plan.hash }, deps);
    // Planned again (cn-a001 before and after, mila after: it resolves as expected), then the written file checked.
    expect(s.calls() - before).toBe(5);
  });
});
