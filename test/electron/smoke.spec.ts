/**
 * Smoke test of the desktop app in a real Electron, driven by Playwright's _electron.
 * Start it with `npm run test:electron` (scripts/test-electron.mjs): that finds the binary
 * — the development Electron, or with --packaged the test build — or reports in one line
 * that there is none on this machine. The installers workflow runs it on macOS, Windows
 * and Linux.
 *
 * Each launch gets a throwaway SSH folder and a throwaway user-data folder, so the test
 * never reads the machine's ~/.ssh nor leaves window state behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { channelNames } from '../../src/shared/contract/index.js';
import { pidAlive } from '../fixtures/processes.js';

const executablePath = process.env.MILA_ONBOARD_SMOKE_EXECUTABLE;
const appArgs = JSON.parse(process.env.MILA_ONBOARD_SMOKE_APP_ARGS ?? '[]') as string[];
/** A public key made once with `ssh-keygen -t ed25519 -C smoke@test` (its private half was thrown away). */
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMdphY2BdSE/iS75XBO75TSpvW2J/KR0hl0pN2Uoscx3 smoke@test\n';

let sshDir: string;
let userData: string;

test.beforeAll(() => {
  if (!executablePath) throw new Error('Start the smoke test with `npm run test:electron`: it finds the Electron binary.');
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-smoke-ssh-'));
  writeFileSync(path.join(sshDir, 'smoke_test.pub'), PUBLIC_KEY);
  userData = mkdtempSync(path.join(os.tmpdir(), 'mila-smoke-userdata-'));
});

test.afterAll(() => {
  for (const dir of [sshDir, userData]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function launch(dir: string = sshDir): Promise<ElectronApplication> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  // Linux keeps userData under XDG_CONFIG_HOME; --user-data-dir covers every OS.
  Object.assign(env, { MILA_ONBOARD_SSH_DIR: dir, XDG_CONFIG_HOME: userData });
  return electron.launch({ executablePath: executablePath!, args: [...appArgs, `--user-data-dir=${userData}`], env, timeout: 60_000 });
}

test('opens on the welcome step and walks to the keys step, with the engine in a utility process', async () => {
  const app = await launch();
  let enginePid: number | undefined;
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();

    // Checklist 2: no Node in the page; the bridge has exactly the contract's keys.
    expect(await page.evaluate(() => [typeof (globalThis as Record<string, unknown>).require, typeof (globalThis as Record<string, unknown>).process])).toEqual([
      'undefined',
      'undefined',
    ]);
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as Record<string, object | undefined>).milaOnboard ?? {}).sort())).toEqual([...channelNames, 'on'].sort());

    await page.getByRole('button', { name: 'Start' }).click();
    const keysHeading = page.getByRole('heading', { name: 'Your SSH keys' });
    // The wizard may explain SSH keys first ("What an SSH key is"); walk through it if so.
    const findMyKeys = page.getByRole('button', { name: 'Find my keys' });
    await expect(keysHeading.or(findMyKeys)).toBeVisible();
    if (await findMyKeys.isVisible()) await findMyKeys.click();
    await expect(keysHeading).toBeVisible();
    // Listed by the engine host from the throwaway folder.
    await expect(page.getByRole('listitem', { name: 'smoke_test.pub' })).toBeVisible();

    const metrics = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ type: m.type, pid: m.pid, name: m.serviceName ?? m.name ?? '' })));
    const engine = metrics.find((m) => m.type === 'Utility' && m.name === 'Mila Onboard engine');
    expect(engine, JSON.stringify(metrics)).toBeDefined();
    enginePid = engine!.pid;
  } finally {
    await app.close();
  }
  // Quitting waited for the engine host to end.
  expect(pidAlive(enginePid!)).toBe(false);
});

test('remembers the window size between runs', async () => {
  let app = await launch();
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ width: 1000, height: 700 }));
  } finally {
    await app.close();
  }
  app = await launch();
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
    const bounds = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getNormalBounds());
    expect(Math.abs(bounds.width - 1000)).toBeLessThanOrEqual(2);
    expect(Math.abs(bounds.height - 700)).toBeLessThanOrEqual(2);
  } finally {
    await app.close();
  }
});

/**
 * The core path on this OS, in the real app: the engine host (a utility process) loads node-pty
 * (from app.asar.unpacked in the packaged app), starts ssh-keygen in a pseudo-terminal and types
 * the passphrase at its prompt. On macOS this is what node-pty's spawn-helper without its run
 * bit broke; on Windows it goes through node-pty's conpty.dll. Then the copy button writes the
 * public key through navigator.clipboard (the one permission the window is granted).
 */
test('creates a key with a passphrase through the window, shows its fingerprint, and copies the public key', async () => {
  const PASSPHRASE = 'purple tulips under snow';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-smoke-create-'));
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  const app = await launch(dir);
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
    await page.getByRole('button', { name: 'Start' }).click();
    const findMyKeys = page.getByRole('button', { name: 'Find my keys' });
    const create = page.getByRole('button', { name: 'Create a new key' });
    await expect(create.or(findMyKeys)).toBeVisible();
    if (await findMyKeys.isVisible()) await findMyKeys.click();
    await create.click();

    await expect(page.getByRole('heading', { name: 'Create a key' })).toBeVisible();
    await expect(page.getByLabel('File name')).toHaveValue('id_ed25519_mila');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create the key' }).click();

    await expect(page.getByRole('heading', { name: 'Your key is ready' })).toBeVisible({ timeout: 60_000 });
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'id_ed25519_mila.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    expect(fingerprint).toMatch(/^SHA256:/);
    await expect(page.getByText(fingerprint)).toBeVisible();
    // The real key, protected by exactly that passphrase.
    expect(spawnSync('ssh-keygen', ['-y', '-P', PASSPHRASE, '-f', path.join(dir, 'id_ed25519_mila')]).status).toBe(0);
    expect(spawnSync('ssh-keygen', ['-y', '-P', 'wrong', '-f', path.join(dir, 'id_ed25519_mila')]).status).not.toBe(0);

    await page.getByRole('button', { name: 'Show my public key' }).click();
    const line = readFileSync(path.join(dir, 'id_ed25519_mila.pub'), 'utf8').trim();
    await page.getByRole('button', { name: 'Copy the public key' }).click();
    await expect(page.getByText('Copied. Paste it into the onboarding form.')).toBeVisible();
    expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe(line);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
