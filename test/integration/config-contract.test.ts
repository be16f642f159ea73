import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { configHandlers } from '../../src/host/handlers/config.js';
import type { HandlerScope } from '../../src/host/handlers/scope.js';
import { configChannels } from '../../src/shared/contract/config.js';
import { ctxFor, sandbox, sshGValues, testSandbox } from '../fixtures/configs/helpers.js';

describe('config contract and handlers', () => {
  it('plan, status and revert answer in the shapes the contract declares', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\r\n  User bob\r\n');
    const scope: HandlerScope = { ctx: ctxFor(sb.sshDir), front: 'web', emit: () => undefined };
    const input = configChannels['config.plan'].input.parse({ user: 'alice' });
    const plan = configChannels['config.plan'].output.parse(await configHandlers['config.plan'](input, scope));
    expect(plan).toMatchObject({ changed: true, canApply: true, lineEnding: 'crlf', blockAction: 'insert', conflicts: [] });
    expect(plan.diff).toContain('+Host mila');
    const empty = configChannels['config.status'].input.parse({});
    expect(configChannels['config.status'].output.parse(await configHandlers['config.status'](empty, scope))).toMatchObject({ block: null, canRevert: false });

    await applyConfig(scope.ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null });
    const status = configChannels['config.status'].output.parse(await configHandlers['config.status'](empty, scope));
    expect(status.block).toMatchObject({ user: 'alice', variant: 'simple', startLine: 1 });
    const rev = configChannels['config.revert'].output.parse(await configHandlers['config.revert'](empty, scope));
    expect(rev.reverted).toBe(true);
    expect(readFileSync(sb.config, 'utf8')).toBe('Host foo\r\n  User bob\r\n');
  });

  it('apply input needs the plan hash; plan input rejects unknown variants', () => {
    expect(configChannels['config.apply'].input.safeParse({ user: 'alice' }).success).toBe(false);
    expect(configChannels['config.plan'].input.safeParse({ user: 'alice', variant: 'fancy' }).success).toBe(false);
    expect(configChannels['config.plan'].input.parse({ user: 'a' })).toEqual({ user: 'a', variant: 'simple', onConflict: 'refuse', removeBom: false });
  });
});

describe('connection sharing', () => {
  it('a name too long for a Unix socket is written as the hash %C, which OpenSSH expands to a path that fits', async () => {
    const sb = testSandbox();
    const ctx = ctxFor(sb.sshDir, 'linux');
    // A long but real-looking account name: user@login-1...:2222 would not fit in the folder given.
    const user = 'jean-philippe.tremblay-lavoie';
    const controlDir = path.join(sb.root, 'cm');
    const plan = await planConfig(ctx, { user, variant: 'advanced' }, { controlDir });
    expect(plan.canApply).toBe(true);
    expect(plan.after).toContain(`    ControlPath ${controlDir}/%C\n`);
    await applyConfig(ctx, { user, variant: 'advanced', expectedHash: plan.hash }, { controlDir });
    for (const alias of ['mila', 'mila1']) {
      const expanded = sshGValues(sb.config, alias).get('controlpath')?.[0] ?? '';
      expect(expanded).toMatch(new RegExp(`^${controlDir}/[0-9a-f]{40}$`));
      expect(Buffer.byteLength(expanded) + 17).toBeLessThanOrEqual(107);
    }
    // A short name keeps Mila's documented form.
    const short = await planConfig(ctxFor(sb.sshDir, 'linux'), { user: 'al' }, { controlDir: sb.controlDir });
    expect(short.after).toContain(`    ControlPath ${sb.controlDir}/%r@%h:%p\n`);
  });
});

describe('config for other platforms', () => {
  it('Windows: no connection sharing, no folder created, ssh -G still right', async () => {
    const sb = testSandbox();
    const ctx = ctxFor(sb.sshDir, 'win32');
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: sb.controlDir });
    expect(plan.connectionSharing).toBe(false);
    expect(plan.after).not.toMatch(/Control/);
    const r = await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: sb.controlDir });
    expect(r.createdControlDir).toBeNull();
    expect(sshGValues(sb.config, 'mila').get('port')?.[0]).toBe('2222');
  });

  it('macOS advanced: UseKeychain only when the local ssh knows it', async () => {
    const sb = testSandbox();
    const ctx = ctxFor(sb.sshDir, 'darwin');
    const plan = await planConfig(ctx, { user: 'alice', variant: 'advanced' }, { controlDir: null });
    // This machine's OpenSSH is not Apple's: the option is left out, and the plan says why.
    expect(plan.after).not.toMatch(/UseKeychain/);
    expect(plan.warnings.join(' ')).toMatch(/UseKeychain yes" was left out/);
    expect(plan.canApply).toBe(true);
    const apple = await planConfig(ctx, { user: 'alice', variant: 'advanced' }, { controlDir: null, runSsh: null });
    expect(apple.after).toMatch(/ {4}UseKeychain yes/);
  });

  it('advanced variant resolves every login node and compute nodes with ssh -G', async () => {
    const sb = testSandbox();
    const ctx = ctxFor(sb.sshDir);
    const plan = await planConfig(ctx, { user: 'alice', variant: 'advanced' }, { controlDir: null });
    await applyConfig(ctx, { user: 'alice', variant: 'advanced', expectedHash: plan.hash }, { controlDir: null });
    for (let i = 1; i <= 5; i++) {
      const g = sshGValues(sb.config, `mila${i}`);
      expect([g.get('hostname')?.[0], g.get('port')?.[0], g.get('user')?.[0]]).toEqual([`login-${i}.login.server.mila.quebec`, '2222', 'alice']);
    }
    const cn = sshGValues(sb.config, 'cn-a001');
    expect([cn.get('hostname')?.[0], cn.get('proxyjump')?.[0], cn.get('user')?.[0], cn.get('port')?.[0]]).toEqual(['cn-a001.server.mila.quebec', 'mila', 'alice', '22']);
    const simple = sandbox();
    try {
      const c2 = ctxFor(simple.sshDir);
      const p2 = await planConfig(c2, { user: 'alice' }, { controlDir: null });
      await applyConfig(c2, { user: 'alice', expectedHash: p2.hash }, { controlDir: null });
      const node = sshGValues(simple.config, 'cn-b002');
      expect([node.get('hostname')?.[0], node.get('proxyjump')?.[0], node.get('user')?.[0]]).toEqual(['cn-b002.server.mila.quebec', 'mila', 'alice']);
      const fq = sshGValues(simple.config, 'cn-b002.server.mila.quebec');
      expect([fq.get('hostname')?.[0], fq.get('proxyjump')?.[0]]).toEqual(['cn-b002.server.mila.quebec', 'mila']);
      const login = sshGValues(simple.config, 'login-1.login.server.mila.quebec');
      expect(login.get('proxyjump')).toBeUndefined();
      const cpu = sshGValues(simple.config, 'mila-cpu');
      expect(cpu.get('requesttty')?.[0]).toBe('force');
    } finally {
      simple.cleanup();
    }
  });
});
