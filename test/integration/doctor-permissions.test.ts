/**
 * Unsafe modes (0666 config and known_hosts, 0777 SSH folder): doctor reports them (new
 * `permissions` check), the fix removes group/other write only with consent (CLI --fix
 * asks, --yes does it), and what apply writes is never left writable by others.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as pty from 'node-pty';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { doctor } from '../../src/engine/doctor/doctor.js';
import { fixSshModes } from '../../src/engine/doctor/ssh-modes.js';
import { writeVerifiedKeys } from '../../src/engine/trust/store.js';
import { connectChannels } from '../../src/shared/contract/connect.js';
import { buildCli, type CliHarness } from '../fixtures/cli-harness.js';
import { ctxFor, testSandbox, type Sandbox } from '../fixtures/configs/helpers.js';

const mode = (p: string): number => statSync(p).mode & 0o777;
let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli?.dispose());

function open(): { sb: Sandbox; kh: string } {
  const sb = testSandbox();
  const kh = path.join(sb.sshDir, 'known_hosts');
  writeFileSync(sb.config, 'Host foo\n  User bob\n');
  writeFileSync(kh, '');
  chmodSync(sb.config, 0o666);
  chmodSync(kh, 0o666);
  chmodSync(sb.sshDir, 0o777);
  return { sb, kh };
}

describe('unsafe modes', () => {
  it('doctor reports the SSH folder, config and known_hosts writable by others; the fix removes only that', async () => {
    const { sb, kh } = open();
    const ctx = ctxFor(sb.sshDir);
    const r = await doctor(ctx, { reachTimeoutMs: 500 });
    connectChannels['doctor.run'].output.parse(r);
    const p = r.checks.find((c) => c.id === 'permissions')!;
    expect(p.status).toBe('fail');
    expect(p.message).toContain(`SSH folder ${sb.sshDir} (mode 777)`);
    expect(p.message).toContain(`SSH config ${sb.config} (mode 666)`);
    expect(p.message).toContain(`known_hosts ${kh} (mode 666)`);
    expect(p.next).toMatch(/doctor --fix/);
    // Doctor only looks.
    expect([mode(sb.sshDir), mode(sb.config), mode(kh)]).toEqual([0o777, 0o666, 0o666]);

    const fixed = await fixSshModes(sb.sshDir);
    expect(fixed.changed.map((c) => [c.from, c.to])).toEqual([
      ['777', '755'],
      ['666', '644'],
      ['666', '644'],
    ]);
    expect([mode(sb.sshDir), mode(sb.config), mode(kh)]).toEqual([0o755, 0o644, 0o644]);
    expect((await doctor(ctx, { reachTimeoutMs: 500 })).checks.find((c) => c.id === 'permissions')!.status).toBe('ok');
  });

  it('CLI: doctor --fix without a terminal refuses and changes nothing; with --yes it fixes', async () => {
    const { sb, kh } = open();
    const refused = await cli.run(['doctor', '--fix', '--ssh-dir', sb.sshDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no terminal to ask/);
    expect([mode(sb.sshDir), mode(sb.config), mode(kh)]).toEqual([0o777, 0o666, 0o666]);
    const r = await cli.run(['doctor', '--fix', '--yes', '--ssh-dir', sb.sshDir]);
    expect(r.stdout).toContain(`Fixed: ${sb.config} 666 → 644`);
    expect(r.stdout).toMatch(/\[ok {2}\] permissions:/);
    expect([mode(sb.sshDir), mode(sb.config), mode(kh)]).toEqual([0o755, 0o644, 0o644]);
  });

  // The list of what would change goes to stdout; a yes/no asked on the terminal about a list
  // that went into a file (or a pipe) would be a yes to something nobody saw.
  it('CLI: doctor --fix with stdout in a file, at a terminal otherwise, refuses and changes nothing', async () => {
    const { sb, kh } = open();
    const outFile = path.join(sb.root, 'out.txt');
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const term = pty.spawn('/bin/sh', ['-c', `exec ${quote(process.execPath)} ${quote(cli.path)} doctor --fix --ssh-dir ${quote(sb.sshDir)} > ${quote(outFile)}`], {
      name: 'xterm',
      cols: 200,
      rows: 30,
      env: { ...process.env } as Record<string, string>,
    });
    let seen = '';
    const code = await new Promise<number>((resolve) => {
      term.onData((d) => {
        seen += d;
        // Had it asked, the answer is "no": the command would then say "Nothing was changed." instead.
        if (seen.includes('[y/N]')) term.write('n\r');
      });
      term.onExit(({ exitCode }) => resolve(exitCode));
    });
    expect(seen).toMatch(/Not changed: there is no terminal to ask for confirmation/);
    expect(seen).not.toContain('[y/N]');
    expect(code).toBe(1);
    expect([mode(sb.sshDir), mode(sb.config), mode(kh)]).toEqual([0o777, 0o666, 0o666]);
  });

  it('apply never leaves the config it wrote writable by others (0666 → 0644); known_hosts likewise', async () => {
    const sb = testSandbox();
    writeFileSync(sb.config, 'Host foo\n  User bob\n');
    chmodSync(sb.config, 0o666);
    const ctx = ctxFor(sb.sshDir);
    const plan = await planConfig(ctx, { user: 'alice' }, { controlDir: null });
    await applyConfig(ctx, { user: 'alice', expectedHash: plan.hash }, { controlDir: null });
    expect(readFileSync(sb.config, 'utf8')).toContain('Host mila');
    expect(mode(sb.config)).toBe(0o644);

    const kh = path.join(sb.sshDir, 'known_hosts');
    writeFileSync(kh, '# mine\n');
    chmodSync(kh, 0o666);
    await writeVerifiedKeys(ctx, {
      names: ['[example.org]:2222'],
      verified: [{ type: 'ED25519', algorithm: 'ssh-ed25519', blob: 'AAAAC3NzaC1lZDI1NTE5AAAAIHb2yJ1a8xXqkM6h0a9iS3hYzVtq0Jx3o2r8mN2w1f0T' }],
      comment: 'test',
      removeStale: false,
      purpose: 'login',
    });
    expect(readFileSync(kh, 'utf8')).toContain('[example.org]:2222 ssh-ed25519');
    expect(mode(kh)).toBe(0o644);
  });
});
