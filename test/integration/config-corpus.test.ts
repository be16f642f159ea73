import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { revertConfig } from '../../src/engine/config/revert.js';
import { EngineError } from '../../src/engine/errors.js';
import type { ConfigConflictChoice } from '../../src/shared/contract/config.js';
import { aliasesOf, ctxFor, expectMilaEntry, fixtureBytes, fixtureNames, modeOf, outsideBlock, sshG, sshGValues, testSandbox } from '../fixtures/configs/helpers.js';

interface Case {
  file: string;
  expect?: 'ok' | 'conflict' | 'problem';
  onConflict?: ConfigConflictChoice;
  removeBom?: boolean;
  /** Aliases the user chose about: their resolution may change. */
  exempt?: string[];
  /** The user keeps their own entry for the profile alias. */
  keepsMila?: boolean;
  /** The fixture has a Match exec somewhere: the test itself must not run ssh -G on it either. */
  exec?: boolean;
  /** Aliases from included files to check as well. */
  extraAliases?: string[];
  conflicts?: string[];
}

const special: Case[] = [
  { file: 'bom.conf', expect: 'problem' },
  { file: 'bom.conf', removeBom: true },
  { file: 'existing-host-mila.conf', expect: 'conflict', conflicts: ['mila'] },
  { file: 'existing-host-mila.conf', onConflict: 'use-ours', exempt: ['mila'] },
  { file: 'existing-host-mila.conf', onConflict: 'keep-mine', keepsMila: true },
  { file: 'milatools-style.conf', expect: 'conflict', conflicts: ['mila', 'mila-cpu'] },
  { file: 'milatools-style.conf', onConflict: 'use-ours', exempt: ['mila', 'mila-cpu'] },
  { file: 'milatools-style.conf', onConflict: 'keep-mine', keepsMila: true },
  { file: 'compute-alias.conf', expect: 'conflict', conflicts: ['cn-a001'] },
  { file: 'compute-alias.conf', onConflict: 'keep-mine' },
  { file: 'compute-alias.conf', onConflict: 'use-ours', exempt: ['cn-a001'] },
  { file: 'user-server-alias.conf', expect: 'conflict', conflicts: ['myjob.server.mila.quebec'] },
  { file: 'user-server-alias.conf', onConflict: 'keep-mine' },
  { file: 'include-defines-mila.conf', expect: 'conflict', conflicts: ['mila'] },
  { file: 'include-defines-mila.conf', onConflict: 'use-ours', exempt: ['mila'] },
  { file: 'malformed-markers.conf', expect: 'problem' },
  { file: 'bad-option.conf', expect: 'problem' },
  { file: 'match-exec.conf', exec: true },
  { file: 'match-exec-negated.conf', exec: true },
  { file: 'include-with-exec.conf', exec: true },
  { file: 'include-absolute.conf', extraAliases: ['included'] },
  { file: 'include-in-host.conf', extraAliases: ['included'] },
];
const covered = new Set(special.map((c) => c.file));
const cases: Case[] = [...fixtureNames().filter((f) => !covered.has(f)).map((file) => ({ file })), ...special];

function label(c: Case): string {
  return `${c.file}${c.onConflict ? ` --on-conflict ${c.onConflict}` : ''}${c.removeBom ? ' --remove-bom' : ''} → ${c.expect ?? 'ok'}`;
}

describe('config corpus: tricky existing configs', () => {
  it('has at least 30 fixtures', () => {
    expect(fixtureNames().length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    it(label(c), async () => {
      const sb = testSandbox();
      const s = sb;
      const original = fixtureBytes(c.file, s);
      writeFileSync(s.config, original);
      chmodSync(s.config, 0o640);
      const ctx = ctxFor(s.sshDir);
      const deps = { controlDir: s.controlDir };
      const input = { user: 'alice', onConflict: c.onConflict ?? 'refuse', removeBom: c.removeBom ?? false } as const;
      const userAliases = [...aliasesOf(Buffer.from(outsideBlock(original), 'latin1')), ...(c.extraAliases ?? [])];
      const beforeG = new Map(c.exec ? [] : userAliases.map((a) => [a, sshG(s.config, a)]));

      const plan = await planConfig(ctx, input, deps);
      const expectation = c.expect ?? 'ok';

      if (expectation !== 'ok') {
        expect(plan.canApply).toBe(false);
        if (expectation === 'conflict') {
          expect(plan.problems).toEqual([]);
          expect(plan.conflicts.map((x) => x.alias).sort()).toEqual([...(c.conflicts ?? [])].sort());
          for (const x of plan.conflicts) expect(x.text.length).toBeGreaterThan(0);
        } else {
          expect(plan.problems.length).toBeGreaterThan(0);
        }
        const err = await applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EngineError);
        expect((err as EngineError).code).toBe(expectation === 'conflict' ? 'already-exists' : 'verification-failed');
        expect(readFileSync(s.config).equals(original)).toBe(true);
        expect(existsSync(s.marker)).toBe(false);
        return;
      }

      expect(plan.problems).toEqual([]);
      expect(plan.canApply).toBe(true);
      expect(plan.changed).toBe(true);
      expect(plan.verification.ran).toBe(true);
      const result = await applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps);
      expect(result.changed).toBe(true);
      const after = readFileSync(s.config);

      // Every byte outside the block is kept (a BOM only goes when asked to).
      expect(outsideBlock(after, { dropBom: c.removeBom })).toBe(outsideBlock(original, { dropBom: c.removeBom }));
      expect(modeOf(s.config)).toBe(0o640);
      // The block uses the file's own line ending.
      if (original.includes('\r\n') && plan.lineEnding === 'crlf') expect(plan.blockText.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);

      if (!c.exec) {
        if (!c.keepsMila) {
          expectMilaEntry(s);
        }
        for (const [alias, before] of beforeG) {
          if (c.exempt?.includes(alias)) continue;
          expect({ alias, ...sshG(s.config, alias) }).toEqual({ alias, ...before });
        }
      } else {
        expect(result.verification.notes.join(' ')).toMatch(/Match exec|left out/);
      }

      // Idempotent: planning again changes nothing; applying again writes the same bytes.
      const again = await planConfig(ctx, input, deps);
      expect(again.changed).toBe(false);
      const second = await applyConfig(ctx, { ...input, expectedHash: again.hash }, deps);
      expect(second.changed).toBe(false);
      expect(readFileSync(s.config).equals(after)).toBe(true);

      // Revert restores the exact bytes and the mode.
      const rev = await revertConfig(ctx, deps);
      expect(rev.reverted).toBe(true);
      expect(readFileSync(s.config).equals(original)).toBe(true);
      expect(modeOf(s.config)).toBe(0o640);

      // Nothing from the user's config was ever executed.
      expect(existsSync(s.marker)).toBe(false);
    });
  }

  it('missing file: creates it (600, folder 700), and revert deletes it', async () => {
    const sb = testSandbox();
    const s = sb;
    const sshDir = `${s.root}/fresh/.ssh`;
    const ctx = ctxFor(sshDir);
    const deps = { controlDir: s.controlDir };
    const plan = await planConfig(ctx, { user: 'alice' }, deps);
    expect(plan.exists).toBe(false);
    expect(plan.hash).toBe('absent');
    expect(plan.before).toBe('');
    expect(plan.after).toBe(plan.blockText);
    const r = await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, deps);
    expect(r.backupPath).toBeNull();
    expect(modeOf(`${sshDir}/config`)).toBe(0o600);
    expect(modeOf(sshDir)).toBe(0o700);
    expect(r.createdControlDir).toBe(s.controlDir);
    expect(modeOf(s.controlDir)).toBe(0o700);
    expect(sshGValues(`${sshDir}/config`, 'mila').get('user')?.[0]).toBe('alice');
    const rev = await revertConfig(ctx, deps);
    expect(rev.removed).toBe(true);
    expect(existsSync(`${sshDir}/config`)).toBe(false);
  });

  it('keep-mine leaves the user\'s own "mila" entry in charge', async () => {
    const sb = testSandbox();
    const s = sb;
    writeFileSync(s.config, fixtureBytes('existing-host-mila.conf', s));
    const ctx = ctxFor(s.sshDir);
    const before = sshG(s.config, 'mila');
    const plan = await planConfig(ctx, { user: 'alice', onConflict: 'keep-mine' }, { controlDir: null });
    expect(plan.blockText).not.toMatch(/^Host mila$/m);
    expect(plan.blockText).toMatch(/^Host mila-cpu$/m);
    await applyConfig(ctx, { user: 'alice', onConflict: 'keep-mine', expectedHash: plan.hash }, { controlDir: null });
    expect(sshG(s.config, 'mila')).toEqual(before);
    expect(sshGValues(s.config, 'mila-cpu').get('user')?.[0]).toBe('alice');
  });

  it('use-ours puts the block first: its values win, the user\'s extra options still apply', async () => {
    const sb = testSandbox();
    const s = sb;
    writeFileSync(s.config, fixtureBytes('existing-host-mila.conf', s));
    const ctx = ctxFor(s.sshDir);
    const plan = await planConfig(ctx, { user: 'alice', onConflict: 'use-ours' }, { controlDir: null });
    expect(plan.conflicts[0]?.message).toMatch(/values win/);
    await applyConfig(ctx, { user: 'alice', onConflict: 'use-ours', expectedHash: plan.hash }, { controlDir: null });
    const g = sshGValues(s.config, 'mila');
    expect(g.get('hostname')?.[0]).toBe('login.server.mila.quebec');
    expect(g.get('user')?.[0]).toBe('alice');
    expect(g.get('localforward')?.[0]).toContain('8888');
    expect(readFileSync(s.config, 'utf8')).toContain('  HostName old-login.example.com\n');
  });

  it('replaces an older block in place, not at the top', async () => {
    const sb = testSandbox();
    const s = sb;
    const original = fixtureBytes('older-block-middle.conf', s);
    writeFileSync(s.config, original);
    const ctx = ctxFor(s.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    expect(plan.blockAction).toBe('replace');
    expect(plan.after.startsWith('Host foo\n  User bob\n# >>> mila-onboard (mila)')).toBe(true);
    expect(plan.after.endsWith('# <<< mila-onboard (mila) <<<\nHost bar\n  User carol\n')).toBe(true);
  });
});
