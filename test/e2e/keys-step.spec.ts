import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startBuiltWebHost, type RunningWebHost } from './web-host.js';

/** A throwaway SSH folder holding real keys made by ssh-keygen, and the odd files users have. */
function makeSshDir(): { dir: string; fingerprints: Record<string, string> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-ssh-'));
  chmodSync(dir, 0o700);
  const keygen = (...args: string[]) => execFileSync('ssh-keygen', ['-q', ...args]);
  keygen('-t', 'ed25519', '-N', '', '-C', 'student@laptop', '-f', path.join(dir, 'id_ed25519'));
  keygen('-t', 'ecdsa', '-N', 'correct horse', '-C', 'lab key', '-f', path.join(dir, 'lab_ecdsa'));
  unlinkSync(path.join(dir, 'lab_ecdsa.pub'));
  writeFileSync(path.join(dir, 'id_rsa'), 'this is not a key\n', { mode: 0o600 });
  copyFileSync(path.join(dir, 'id_ed25519.pub'), path.join(dir, 'old_laptop.pub'));
  writeFileSync(path.join(dir, 'config'), 'Host example\n  HostName example.org\n');
  const fp = (file: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, file)], { encoding: 'utf8' }).split(' ')[1]!;
  return { dir, fingerprints: { id_ed25519: fp('id_ed25519.pub'), lab_ecdsa: fp('lab_ecdsa') } };
}

let host: RunningWebHost;
let ssh: ReturnType<typeof makeSshDir>;

test.beforeAll(async () => {
  ssh = makeSshDir();
  host = await startBuiltWebHost(['--ssh-dir', ssh.dir]);
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(ssh.dir, { recursive: true, force: true });
});

test('the keys step shows the real keys of the SSH folder', async ({ page }) => {
  host.resetProgress();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { name: 'What an SSH key is' })).toBeFocused();
  await expect(page.getByText('Mila will never ask for your private key')).toBeVisible();
  await page.getByRole('button', { name: 'Find my keys' }).click();
  await expect(page.getByRole('heading', { name: 'Your SSH keys' })).toBeFocused();
  await expect(page.getByText('4 keys found')).toBeVisible();

  const ed = page.getByRole('listitem', { name: 'id_ed25519' });
  await expect(ed).toContainText('ED25519 · 256');
  await expect(ed).toContainText(ssh.fingerprints.id_ed25519!);
  await expect(ed).toContainText('student@laptop');
  await expect(ed).toContainText('No passphrase');

  const ecdsa = page.getByRole('listitem', { name: 'lab_ecdsa' });
  await expect(ecdsa).toContainText('ECDSA · 256');
  await expect(ecdsa).toContainText(ssh.fingerprints.lab_ecdsa!);
  await expect(ecdsa).toContainText('Protected by a passphrase');
  await expect(ecdsa).toContainText('The public half is missing');

  await expect(page.getByRole('listitem', { name: 'id_rsa' })).toContainText('does not contain one');
  await expect(page.getByRole('listitem', { name: 'old_laptop.pub' })).toContainText('Only the public half is here');
  // The config file is not a key and is not listed.
  await expect(page.getByRole('listitem', { name: 'config' })).toHaveCount(0);

  await page.screenshot({ path: 'docs/screenshots/keys-en.png', fullPage: true });
});

test.describe('on a computer set to French', () => {
  test.use({ locale: 'fr-CA' });
  test('the same step in French, and a key that appears is found on "look again"', async ({ page }) => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Vos clés SSH' }).click();
    await expect(page.getByRole('heading', { name: 'Vos clés SSH' })).toBeVisible();
    await expect(page.getByText('4 clés trouvées')).toBeVisible();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'new', '-f', path.join(ssh.dir, 'id_new')]);
    await page.getByRole('button', { name: 'Chercher de nouveau' }).click();
    await expect(page.getByText('5 clés trouvées')).toBeVisible();
    await expect(page.getByRole('listitem', { name: 'id_new' })).toContainText('Aucune phrase de passe');
    await page.screenshot({ path: 'docs/screenshots/keys-fr.png', fullPage: true });
    rmSync(path.join(ssh.dir, 'id_new'));
    rmSync(path.join(ssh.dir, 'id_new.pub'));
  });
});

test('the web host refuses sockets without a secret or from another origin', async ({ page }) => {
  await page.goto(host.url);
  const results = await page.evaluate(async (origin) => {
    const tryOpen = (url: string, protocols: string[]) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, protocols);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    const wsBase = origin.replace('http', 'ws');
    return {
      noSecret: await tryOpen(`${wsBase}/rpc`, ['mila-onboard']),
      badSecret: await tryOpen(`${wsBase}/rpc`, ['mila-onboard', 'mila-session.nope']),
      oldToken: await tryOpen(`${wsBase}/rpc?token=nope`, []),
    };
  }, host.origin);
  expect(results).toEqual({ noSecret: 'refused', badSecret: 'refused', oldToken: 'refused' });

  // A page on another origin (here: about:blank's opaque origin) cannot connect even with an unused launch secret.
  const launch = new URL(host.url).hash.split('launch=')[1]!;
  await page.goto('about:blank');
  const foreign = await page.evaluate(async ([origin, secret]) => {
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`${origin!.replace('http', 'ws')}/rpc`, ['mila-onboard', `mila-launch.${secret}`]);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  }, [host.origin, launch]);
  expect(foreign).toBe('refused');
});

test('the welcome step asks whether you already have access, and branches', async ({ page }) => {
  host.resetProgress();
  await page.goto(host.url);
  await page.getByLabel('No, or I am not sure').check();
  await expect(page.getByText('The IT Onboarding Training: you submit your public key there.')).toBeVisible();
  await page.getByLabel('Yes: I have an account').check();
  await page.getByRole('button', { name: 'Go to my keys' }).click();
  await expect(page.getByRole('heading', { name: 'Your SSH keys' })).toBeFocused();
});
