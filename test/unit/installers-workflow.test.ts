/**
 * .github/workflows/installers.yml cannot run here; what can be checked here is that it is
 * valid, that its shell scripts pass shellcheck (scripts/lint-workflows.mjs; actionlint runs
 * too when installed: `npm run lint:workflows`), and that it runs the steps docs/platforms.md
 * says it runs, on the OSes it names, in that order.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  shell?: string;
}
interface Job {
  'runs-on': string;
  container?: string;
  strategy?: { matrix: { os: string[] } };
  steps: Step[];
}
const wf = yaml.load(readFileSync(path.join(root, '.github/workflows/installers.yml'), 'utf8')) as { jobs: Record<string, Job> };

/** Index of the first step whose run command contains `text`. */
const at = (job: Job, text: string): number => job.steps.findIndex((s) => s.run?.includes(text));

describe('the installers workflow', () => {
  it('its run scripts pass shellcheck', async () => {
    const { stdout } = await run(process.execPath, [path.join(root, 'scripts/lint-workflows.mjs'), '--shellcheck-only'], { cwd: root });
    expect(stdout).toContain('Workflows OK');
  });

  it('proves each of macOS, Windows and Ubuntu 24.04: npm ci, the pty tests, the installer, then the smoke test in real Electron', () => {
    const job = wf.jobs.os!;
    expect(job.strategy!.matrix.os).toEqual(['ubuntu-24.04', 'macos-14', 'windows-latest']);
    const order = ['npm ci', 'npm run build', 'test/integration/pty-every-os.test.ts', 'npm run dist', 'npm run dist:test', 'npm run test:electron -- --packaged'].map((t) => at(job, t));
    expect(order.every((i) => i >= 0), JSON.stringify(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the login through the pty to a throwaway sshd: macOS and Linux (their runners ship sshd)
    const login = job.steps[at(job, 'test/integration/pty-login-every-os.test.ts')]!;
    expect(login.if).toBe("runner.os != 'Windows'");
    // the packaged-app smoke test runs on every OS
    expect(job.steps.filter((s) => s.run?.includes('npm run test:electron -- --packaged')).map((s) => s.if).sort()).toEqual(["runner.os != 'Linux'", "runner.os == 'Linux'"]);
  });

  it('says plainly whether the build is signed and notarised', () => {
    const step = wf.jobs.os!.steps.find((s) => s.name?.startsWith('Signing and notarisation'))!;
    expect(step.run).toContain('the installer is NOT signed');
    expect(step.run).toContain('this build is NOT notarised');
    expect(step.run).toContain('CSC_IDENTITY_AUTO_DISCOVERY=false');
    expect(at(wf.jobs.os!, 'npm run dist')).toBeGreaterThan(wf.jobs.os!.steps.indexOf(step));
  });

  it('builds the Linux installers on Ubuntu 20.04 and checks pty.node needs at most glibc 2.31', () => {
    const job = wf.jobs['linux-release']!;
    expect(job.container).toBe('ubuntu:20.04');
    expect(at(job, 'GLIBC_2.31')).toBeGreaterThan(at(job, 'npm ci'));
    expect(at(job, 'npm run dist')).toBeGreaterThan(at(job, 'GLIBC_2.31'));
    // and the Linux artifact users download comes from there, not from the ubuntu-24.04 job
    const uploads = wf.jobs.os!.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact') && s.name?.startsWith('Upload the installer'));
    expect(uploads.map((s) => s.if)).toEqual(["runner.os != 'Linux'"]);
  });
});
