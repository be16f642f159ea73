/**
 * The remote script of the compute-node check and fix, run here with the shells a cluster
 * account may have, on a temp "home": quoting, idempotence, and the exact-commands report.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assess, computeCommand, parseScriptOutput, shellQuote, shPipeline } from '../../src/engine/compute/script.js';
import { hostnameAfterMarker } from '../../src/engine/connect/connect.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'compute-script-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PWNED = path.join(root, 'pwned');
// A comment built to break naive quoting: quotes, $(), backticks, ;, globbing, a backslash.
const KEY = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl it's "me" $(touch ${PWNED}) \`touch ${PWNED}\`; touch ${PWNED} * \\n`;
const SHELLS = ['sh', 'bash', 'dash', 'zsh', 'csh', 'tcsh', 'fish'].filter((s) => spawnSync('which', [s]).status === 0);
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

/** What sshd does with a remote command: `<login shell> -c <command>`. */
function remote(shell: string, home: string, command: string) {
  const r = spawnSync(shell, ['-c', command], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe('the compute-node script', () => {
  it.each(SHELLS)('check then fix twice under %s: the key lands verbatim, nothing is executed, the second run changes nothing', (shell) => {
    const home = mkdtempSync(path.join(root, `${shell}-`));
    chmodSync(home, 0o775);
    const check = remote(shell, home, computeCommand('check', KEY, '~/.ssh'));
    expect(check.code).toBe(0);
    const before = parseScriptOutput(check.output)!;
    expect(before).toMatchObject({ home, homeMode: '775', sshDir: `${home}/.ssh`, sshExists: false, akExists: false, hasKey: false, did: [] });
    const a = assess(before, KEY);
    expect(a.ok).toBe(false);
    expect(a.commands).toEqual([`chmod go-w ${home}`, `mkdir -p -m 700 ${home}/.ssh`, `(umask 077 && : > ${home}/.ssh/authorized_keys)`, `printf '%s\\n' ${shellQuote(KEY)} >> ${home}/.ssh/authorized_keys`]);

    const fix = parseScriptOutput(remote(shell, home, computeCommand('fix', KEY, '~/.ssh')).output)!;
    expect(fix.did).toEqual(['home-mode', 'mkdir', 'create-ak', 'add-key']);
    const ak = path.join(home, '.ssh', 'authorized_keys');
    expect(readFileSync(ak, 'utf8')).toBe(`${KEY}\n`);
    expect([mode(home), mode(path.join(home, '.ssh')), mode(ak)]).toEqual(['755', '700', '600']);
    expect(assess(fix, KEY)).toMatchObject({ ok: true, commands: [] });

    const again = parseScriptOutput(remote(shell, home, computeCommand('fix', KEY, '~/.ssh')).output)!;
    expect(again.did).toEqual([]);
    expect(readFileSync(ak, 'utf8')).toBe(`${KEY}\n`);
    expect(existsSync(PWNED)).toBe(false);

    // The commands printed for the user do what the script does (run them by hand on a fresh home).
    const manual = mkdtempSync(path.join(root, `${shell}-manual-`));
    chmodSync(manual, 0o775);
    const cmds = assess(parseScriptOutput(remote('sh', manual, computeCommand('check', KEY, '~/.ssh')).output)!, KEY).commands;
    expect(spawnSync('sh', ['-c', cmds.join('\n')]).status).toBe(0);
    expect(readFileSync(path.join(manual, '.ssh', 'authorized_keys'), 'utf8')).toBe(`${KEY}\n`);
    expect(existsSync(PWNED)).toBe(false);
  });

  it('fixes loose modes and an absolute folder; refuses a relative one', () => {
    const home = mkdtempSync(path.join(root, 'abs-'));
    const ssh = path.join(home, 'dot ssh');
    const ak = path.join(ssh, 'authorized_keys');
    spawnSync('mkdir', ['-m', '777', ssh]);
    writeFileSync(ak, `${KEY}\n`, { mode: 0o666 });
    chmodSync(ak, 0o666);
    const r = parseScriptOutput(remote('sh', '/nonexistent', computeCommand('fix', KEY, ssh)).output)!;
    expect(r.did).toEqual(['ssh-mode', 'ak-mode']);
    expect([mode(ssh), mode(ak)]).toEqual(['700', '600']);
    expect(parseScriptOutput(remote('sh', home, computeCommand('check', KEY, 'relative/.ssh')).output)?.error).toBe('bad-folder');
  });

  it('only shell-inert words travel unquoted', () => {
    expect(() => shPipeline('true', ['a b'])).toThrow();
    expect(() => shPipeline('true', ["'"])).toThrow();
    expect(shPipeline('echo hi', ['x'])).toMatch(/^echo [A-Za-z0-9+/=]+ \| base64 -d \| sh -s -- x$/);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(() => computeCommand('check', 'a\nb', '~/.ssh')).toThrow();
  });

  it('parses the hostname after the marker', () => {
    expect(hostnameAfterMarker('banner\nmila-onboard-ok\nlogin-3\n')).toBe('login-3');
    expect(hostnameAfterMarker('nothing')).toBeNull();
  });
});
