import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyConfig, PlanCache, planConfig, type SshRunner } from '../../src/engine/config/index.js';
import { defaultSshRunner } from '../../src/engine/config/verify.js';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-reuse-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'config'), 'Host a\n  HostName a.example\nHost b\n  HostName b.example\nHost c\n  User z\n', { mode: 0o600 });
  let calls = 0;
  const runSsh: SshRunner = (args) => {
    calls++;
    return defaultSshRunner(args);
  };
  return { dir, ctx: createContext({ sshDir: dir, profile: builtInProfile() }), runSsh, calls: () => calls };
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
