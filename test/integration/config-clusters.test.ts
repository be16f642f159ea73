/**
 * One managed block per cluster, each with its own undo: Mila and two Alliance clusters
 * written side by side in one real file (plan + apply, verified by ssh -G), then one
 * cluster undone while the others stay byte for byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { revertClusterBlock } from '../../src/engine/config/revert-block.js';
import { createContext } from '../../src/engine/context.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { sshGValues, testSandbox } from '../fixtures/configs/helpers.js';

const ctxOf = (sshDir: string, id: string) => createContext({ sshDir, profile: builtInProfile(id), platform: 'linux', stateDir: `${sshDir}/../state` });

async function write(sshDir: string, id: string, user: string): Promise<void> {
  const ctx = ctxOf(sshDir, id);
  const plan = await planConfig(ctx, { user }, { controlDir: null });
  expect(plan.canApply, plan.problems.join('; ')).toBe(true);
  await applyConfig(ctx, { user, expectedHash: plan.hash }, { controlDir: null });
}

/** The block of `id` in the text, markers included ('' when absent). */
function blockOf(text: string, id: string): string {
  const b = text.indexOf(`# >>> mila-onboard (${id}) >>>`);
  const end = `# <<< mila-onboard (${id}) <<<\n`;
  const e = text.indexOf(end);
  return b < 0 || e < 0 ? '' : text.slice(b, e + end.length);
}

describe('one block per cluster', () => {
  it('mila, narval and rorqual side by side; each alias resolves to its own cluster; undoing narval leaves the others byte for byte', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    await write(sb.sshDir, 'mila', 'mila_user');
    await write(sb.sshDir, 'narval', 'ccdb_user');
    await write(sb.sshDir, 'rorqual', 'ccdb_user');
    const all = readFileSync(sb.config, 'utf8');
    for (const id of ['mila', 'narval', 'rorqual']) expect(blockOf(all, id), id).not.toBe('');
    expect(all.endsWith('Host foo\n  User bob\n')).toBe(true);
    const g = (h: string, k: string) => sshGValues(sb.config, h).get(k)?.[0];
    expect([g('mila', 'user'), g('narval', 'user'), g('narval', 'hostname'), g('nc10101', 'proxyjump'), g('rc12345', 'proxyjump'), g('cn-a001', 'proxyjump')]).toEqual([
      'mila_user',
      'ccdb_user',
      'narval.alliancecan.ca',
      'narval',
      'rorqual',
      'mila',
    ]);

    // narval was not the last change (rorqual was): only its block goes.
    const r = await revertClusterBlock(ctxOf(sb.sshDir, 'narval'));
    expect(r.message).toMatch(/Narval .* taken out/);
    const after = readFileSync(sb.config, 'utf8');
    expect(blockOf(after, 'narval')).toBe('');
    expect(after).toBe(all.replace(blockOf(all, 'narval'), ''));
    expect(g('nc10101', 'proxyjump')).toBeUndefined();
    expect(g('rc12345', 'proxyjump')).toBe('rorqual');
    expect(g('mila', 'user')).toBe('mila_user');

    // That undo is a change of its own: undoing narval again brings its block back exactly.
    await revertClusterBlock(ctxOf(sb.sshDir, 'narval'));
    expect(readFileSync(sb.config, 'utf8')).toBe(all);

    // Mila's own undo, with two blocks written after it, takes out Mila's block only.
    await revertClusterBlock(ctxOf(sb.sshDir, 'mila'));
    const noMila = readFileSync(sb.config, 'utf8');
    expect(noMila).toBe(all.replace(blockOf(all, 'mila'), ''));
    expect(g('narval', 'user')).toBe('ccdb_user');
  }, 120_000);

  it('a cluster never written has nothing to undo, and nothing changes', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    await write(sb.sshDir, 'mila', 'mila_user');
    const before = readFileSync(sb.config);
    await expect(revertClusterBlock(ctxOf(sb.sshDir, 'fir'))).rejects.toThrow(/has not changed the Fir \(Alliance\) block/);
    expect(readFileSync(sb.config).equals(before)).toBe(true);
  }, 60_000);
});
