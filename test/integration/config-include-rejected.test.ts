/**
 * A config whose included file OpenSSH 9.2 rejects (Mila's old `Match Host … !*login … exec`
 * line): plan refuses with the file and line OpenSSH names, apply writes nothing, "checked"
 * is never claimed, the exec never runs. An included file others can write (which OpenSSH
 * refuses even though our private copies would pass) is refused the same way. And a fully
 * readable config is "complete" only when nothing was left out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { doctor } from '../../src/engine/doctor/doctor.js';
import { ctxFor, includeOthersCanWrite, testSandbox } from '../fixtures/configs/helpers.js';
import { engineErrorOf } from '../fixtures/engine-error.js';

describe('"Checked with OpenSSH" only when OpenSSH parsed the whole configuration', () => {
  it('an Include OpenSSH cannot parse: refused with its file and line, nothing written, nothing run', async () => {
    const sb = testSandbox();
    const inc = path.join(sb.root, 'old-mila.conf');
    const marker = path.join(sb.root, 'exec-ran');
    writeFileSync(inc, `Host other\n  User x\nMatch Host *.server.mila.quebec !*login.server.mila.quebec exec "touch ${marker}"\n  User y\n`, { mode: 0o600 });
    const original = `Include ${inc}\nHost foo\n  User bob\n`;
    writeFileSync(sb.config, original, { mode: 0o600 });
    const ctx = ctxFor(sb.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    expect(plan.canApply).toBe(false);
    expect(plan.problems.join('\n')).toContain(`${inc} line 3: Bad Match condition`);
    expect(plan.verification.aliasCheck?.ok).not.toBe(true);
    await engineErrorOf(applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null }));
    expect(readFileSync(sb.config, 'utf8')).toBe(original);
    const d = await doctor(ctx, { reachTimeoutMs: 500 });
    const c = d.checks.find((x) => x.id === 'config')!;
    expect(c.status).toBe('fail');
    expect(c.message).toContain(`${inc} line 3: Bad Match condition`);
    expect(existsSync(marker)).toBe(false);
  });

  it('an included file others can change: OpenSSH refuses it, so plan does too', async () => {
    const sb = testSandbox();
    includeOthersCanWrite(sb);
    const plan = await planConfig(ctxFor(sb.sshDir), { user: 'alice' }, { controlDir: null });
    expect(plan.canApply).toBe(false);
    expect(plan.problems.join('\n')).toMatch(/shared\.conf \(mode 666.*Bad owner or permissions/);
    expect(plan.verification.complete).toBe(false);
  });

  it('complete only when nothing was left out of the check', async () => {
    const sb = testSandbox();
    const inc = path.join(sb.root, 'fine.conf');
    writeFileSync(inc, 'Host other\n  User x\n', { mode: 0o600 });
    writeFileSync(sb.config, `Include ${inc}\nHost foo\n  User bob\n`, { mode: 0o600 });
    const full = await planConfig(ctxFor(sb.sshDir), { user: 'alice' }, { controlDir: null });
    expect(full.canApply).toBe(true);
    expect(full.verification.complete).toBe(true);
    writeFileSync(sb.config, `Include ${inc}\nInclude %d/x\nHost foo\n  User bob\n`, { mode: 0o600 });
    const partial = await planConfig(ctxFor(sb.sshDir), { user: 'alice' }, { controlDir: null });
    expect(partial.verification.aliasCheck?.ok).toBe(true);
    expect(partial.verification.complete).toBe(false);
    expect(partial.verification.notes.join(' ')).toMatch(/left out of the check/);
  });
});
