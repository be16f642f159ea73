import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI as it ships: bundled by esbuild (node-pty external, found through NODE_PATH), run by node.
const repo = path.resolve(__dirname, '../..');
// Built inside node_modules/.cache: node-pty (loaded with import()) resolves from there; NODE_PATH does not apply to import().
mkdirSync(path.resolve('node_modules/.cache'), { recursive: true });
const root = mkdtempSync(path.join(path.resolve('node_modules/.cache'), 'keys-cli-'));
const cli = path.join(root, 'mila-onboard.cjs');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await build({
    entryPoints: [path.join(repo, 'src/cli/mila-onboard.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['node-pty', 'electron'],
    logLevel: 'error',
  });
});

function mila(args: string[], input = '') {
  const res = spawnSync(process.execPath, [cli, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') },
    timeout: 20_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const unlocks = (file: string, passphrase: string) => spawnSync('ssh-keygen', ['-y', '-P', passphrase, '-f', file]).status === 0;

describe('mila-onboard output', () => {
  it('a reader that closes the pipe early (| head) ends the command quietly', () => {
    const dir = path.join(root, 'pipe');
    const quoted = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    // config plan prints a 40-line diff; head takes one line and closes the pipe.
    const res = spawnSync('bash', ['-c', `set -o pipefail; ${quoted(process.execPath)} ${quoted(cli)} config plan --user alice --ssh-dir ${quoted(dir)} | head -n 1`], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') },
      timeout: 20_000,
    });
    expect(res.stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(res.stdout.split('\n')).toHaveLength(2);
    expect(res.status).toBe(0);
  });
});

describe('mila-onboard keys', () => {
  it('create --no-passphrase --json', () => {
    const dir = path.join(root, 'a');
    const r = mila(['keys', 'create', '--ssh-dir', dir, '--no-passphrase', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: 'id_ed25519_mila', key: { encrypted: false, type: 'ED25519' } });
    expect(out.randomart).toHaveLength(11);
    expect(unlocks(path.join(dir, 'id_ed25519_mila'), '')).toBe(true);
  });

  it('create with a piped passphrase (asked twice), RSA', () => {
    const dir = path.join(root, 'b');
    const r = mila(['keys', 'create', '--ssh-dir', dir, '--type', 'rsa', '--name', 'mykey', '--comment', 'me@home'], 'piped pass phrase\npiped pass phrase\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Passphrase for the new key: ');
    expect(r.stderr).toContain('Enter the same passphrase again: ');
    expect(r.stderr).not.toContain('piped pass phrase');
    expect(r.stdout).not.toContain('piped pass phrase');
    expect(r.stdout).toMatch(/^ssh-rsa AAAA\S+ me@home$/m);
    expect(unlocks(path.join(dir, 'mykey'), 'piped pass phrase')).toBe(true);
    expect(unlocks(path.join(dir, 'mykey'), 'wrong')).toBe(false);

    const pub = mila(['keys', 'public', 'mykey', '--ssh-dir', dir]);
    expect(pub.code).toBe(0);
    expect(pub.stdout.trim()).toBe(readFileSync(path.join(dir, 'mykey.pub'), 'utf8').trim());

    const list = JSON.parse(mila(['keys', 'list', '--ssh-dir', dir, '--json']).stdout);
    expect(list.keys).toEqual([expect.objectContaining({ file: 'mykey', encrypted: true, bits: 3072 })]);

    const inspect = mila(['keys', 'inspect', 'mykey', '--ssh-dir', dir, '--json']);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ type: 'RSA', fingerprint: list.keys[0].fingerprint });
  });

  it('refuses mismatched passphrases and bad names, with exit codes and nothing created', () => {
    const dir = path.join(root, 'c');
    const mismatch = mila(['keys', 'create', '--ssh-dir', dir], 'one\ntwo\n');
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/do not match/);
    const bad = mila(['keys', 'create', '--ssh-dir', dir, '--name', '../x', '--no-passphrase', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { code: 'unsafe-path', nothingChanged: true } });
    const opt = mila(['keys', 'create', '--ssh-dir', dir, '--name=-rf', '--no-passphrase']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/starts with "-"/);
    const usage = mila(['keys', 'create', '--ssh-dir', dir, '--type', 'dsa', '--no-passphrase']);
    expect(usage.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root)).not.toContain('x');
  });

  it('protect asks for consent, then the new passphrase twice', () => {
    const dir = path.join(root, 'd');
    expect(mila(['keys', 'create', '--ssh-dir', dir, '--no-passphrase', '--name', 'k']).code).toBe(0);
    const declined = mila(['keys', 'protect', 'k', '--ssh-dir', dir], 'n\n');
    expect(declined.code).toBe(1);
    expect(unlocks(path.join(dir, 'k'), '')).toBe(true);
    const r = mila(['keys', 'protect', 'k', '--ssh-dir', dir], 'y\nnew pass\nnew pass\n');
    expect(r.code).toBe(0);
    expect(unlocks(path.join(dir, 'k'), 'new pass')).toBe(true);
  });

  it('on a terminal, reads the passphrase twice without echo (Backspace edits)', async () => {
    const dir = path.join(root, 'tty');
    const term = pty.spawn(process.execPath, [cli, 'keys', 'create', '--ssh-dir', dir, '--name', 'ttykey'], {
      name: 'xterm',
      cols: 200,
      rows: 30,
      env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') } as Record<string, string>,
    });
    let out = '';
    let step = 0;
    const code = await new Promise<number>((resolve) => {
      term.onData((d) => {
        out += d;
        if (step === 0 && out.includes('Passphrase for the new key: ')) {
          step = 1;
          term.write('tty secretX\x7f\r');
        } else if (step === 1 && out.includes('Enter the same passphrase again: ')) {
          step = 2;
          term.write('tty secret\r');
        }
      });
      term.onExit(({ exitCode }) => resolve(exitCode));
    });
    expect(code).toBe(0);
    expect(out).not.toContain('tty secret');
    expect(out).toContain('Created');
    expect(unlocks(path.join(dir, 'ttykey'), 'tty secret')).toBe(true);
  });
});
