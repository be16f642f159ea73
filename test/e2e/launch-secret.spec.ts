// The launch secret: what reaches the browser opener opens the app once; the page then holds a
// session secret that is in no URL, history entry, performance entry, log or command line.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { launchSecretOf, startBuiltWebHost, type RunningWebHost } from './web-host.js';

let sshDir: string;
let binDir: string;
let host: RunningWebHost;

test.beforeAll(async () => {
  sshDir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-launch-'));
  // The opener: no desktop here to open a browser, so a stand-in xdg-open records what it was handed
  // (its argv, the thing other users can read in the process list) and stays alive like a browser would.
  binDir = mkdtempSync(path.join(os.tmpdir(), 'mila-e2e-opener-'));
  writeFileSync(path.join(binDir, 'xdg-open'), `#!/bin/sh\necho $$ > "${binDir}/pid"\nprintf '%s\\n' "$@" > "${binDir}/opened"\nsleep 60\n`);
  chmodSync(path.join(binDir, 'xdg-open'), 0o755);
  host = await startBuiltWebHost(['--ssh-dir', sshDir, '--open'], { env: { ...process.env, PATH: `${binDir}:${process.env.PATH}` } });
});
test.afterAll(async () => {
  await host?.stop();
  try {
    process.kill(Number(readFileSync(path.join(binDir, 'pid'), 'utf8')));
  } catch {
    // it had ended
  }
  rmSync(sshDir, { recursive: true, force: true });
  rmSync(binDir, { recursive: true, force: true });
  rmSync(host.stateDir, { recursive: true, force: true });
});

/** Every process's command line on this machine, joined (what any local user can read). */
function everyCommandLine(): string {
  let all = '';
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      all += readFileSync(`/proc/${pid}/cmdline`, 'utf8') + '\n';
    } catch {
      // ended meanwhile
    }
  }
  return all;
}

/** What the page itself can tell of its address, history and loads. */
const pageTraces = (page: Page) =>
  page.evaluate(() => ({
    href: location.href,
    historyLength: history.length,
    entries: performance.getEntries().map((e) => e.name),
    session: sessionStorage.getItem('mila-onboard.session') ?? '',
  }));

async function openedAddress(): Promise<string> {
  await expect.poll(() => readdirSync(binDir).includes('opened'), { timeout: 10_000 }).toBe(true);
  return readFileSync(path.join(binDir, 'opened'), 'utf8').trim();
}

test('the address handed to the opener opens the app once; the session secret is nowhere else', async ({ page, browser }) => {
  const opened = await openedAddress();
  expect(opened).toBe(host.firstUrl);
  const launch = launchSecretOf(opened);
  expect(launch).toMatch(/^[\w-]{32}$/);
  // The opener's argv holds the launch secret (any local user can read it): that is why it works once.
  expect(everyCommandLine()).toContain(launch);

  await page.goto(opened);
  await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
  const traces = await pageTraces(page);
  expect(traces.session).toMatch(/^[\w-]{32}$/);
  const session = traces.session;
  // Out of the address bar at once, and never in it again.
  expect(page.url()).toBe(`${host.origin}/`);
  expect(traces.href).toBe(`${host.origin}/`);
  for (const name of traces.entries) expect(name).not.toContain(session);
  // The navigation entry of this load keeps the address as it was opened (the page cannot edit
  // it): the launch secret, already spent by then. Nothing else holds it.
  expect(traces.entries.filter((n) => n.includes(launch))).toEqual([opened]);
  // The socket's URL (a resource entry, if any) never carries a secret either.
  expect(traces.entries.filter((n) => n.includes('/rpc')).join()).not.toMatch(/launch|session|token/);

  // A reload in the same tab still works: the session secret, not the spent launch secret.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome to Mila Onboard' })).toBeVisible();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { name: 'What an SSH key is' })).toBeVisible();
  const after = await pageTraces(page);
  expect(after.href).toBe(`${host.origin}/`);
  expect(after.session).toBe(session);
  for (const name of after.entries) {
    expect(name).not.toContain(session);
    expect(name).not.toContain(launch);
  }

  // The session secret is in no process's command line, and not in anything the host printed.
  expect(everyCommandLine()).not.toContain(session);
  expect(host.output()).not.toContain(session);

  // Someone who read the opener's command line and comes second gets nothing (another tab, another
  // context: no sessionStorage), and is told why in plain words.
  const other = await browser.newContext();
  const thief = await other.newPage();
  await thief.goto(opened);
  await expect(thief.getByText('This address was used already: each address Mila Onboard prints opens it once.')).toBeVisible();
  expect(await thief.evaluate(() => sessionStorage.getItem('mila-onboard.session'))).toBeNull();
  await expect.poll(() => host.output()).toContain('Someone tried an address that was already used');
  await other.close();

  // The same from Node, with the right origin forged: the spent launch secret opens no socket.
  const { openSocket } = await import('./web-host.js');
  expect(await openSocket(host, ['mila-onboard', `mila-launch.${launch}`])).toBe('refused');

  // The terminal holds a new single-use address for another window; it works, once.
  expect(host.url).not.toBe(opened);
  const second = await browser.newContext();
  const tab = await second.newPage();
  const next = host.url;
  await tab.goto(next);
  // The wizard's saved progress comes back: the step left in the first tab.
  await expect(tab.getByRole('heading', { name: 'What an SSH key is' })).toBeVisible();
  expect(tab.url()).toBe(`${host.origin}/`);
  await second.close();
  expect(await openSocket(host, ['mila-onboard', `mila-launch.${launchSecretOf(next)}`])).toBe('refused');
});

test('a page with no secret, or an unknown one, is told to open the address the app printed', async ({ page }) => {
  await page.goto(`${host.origin}/`);
  await expect(page.getByText('This page is not connected to Mila Onboard (it may have been stopped or started again).')).toBeVisible();
  await page.goto(`${host.origin}/#launch=not-a-secret-of-this-run`);
  await expect(page.getByText('This address was used already: each address Mila Onboard prints opens it once.')).toBeVisible();
  expect(page.url()).toBe(`${host.origin}/`);
});

test.describe('in French', () => {
  test.use({ locale: 'fr-CA' });
  test('the refusals are said in French', async ({ page }) => {
    await page.goto(`${host.origin}/`);
    await expect(page.getByText('Cette page n’est pas connectée à Mila Onboard', { exact: false })).toBeVisible();
    await page.goto(`${host.origin}/#launch=not-a-secret-of-this-run`);
    await expect(page.getByText('Cette adresse a déjà servi', { exact: false })).toBeVisible();
  });
});
