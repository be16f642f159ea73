import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { launchOptions } from '../../src/main/args.js';
import { menuTemplate } from '../../src/main/menu.js';
import {
  CONTENT_SECURITY_POLICY,
  allowedHostsFromProfile,
  allowedHostsFromProfiles,
  buildCsp,
  externalLinkDecision,
  guardWebContents,
  isAppUrl,
  isTrustedSender,
  navigationDecision,
  openExternalIfAllowed,
  permissionDecision,
  windowOptions,
  withCspHeader,
  type GuardableContents,
} from '../../src/main/security.js';

const appRoot = path.resolve(os.tmpdir(), 'mila-onboard-app', 'dist', 'renderer');
const fileUrl = (...parts: string[]): string => pathToFileURL(path.join(appRoot, ...parts)).href;
const rootUrl = pathToFileURL(appRoot).href; // no trailing slash
const indexUrl = fileUrl('index.html');

const MILA_HOSTS = ['docs.mila.quebec', 'it-support.mila.quebec', 'sites.google.com', 'mfa.mila.quebec'];

describe('windowOptions', () => {
  const opts = windowOptions('/app/dist/preload/preload.cjs');
  const prefs = opts.webPreferences ?? {};

  it.each([
    ['contextIsolation', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['sandbox', true],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['spellcheck', false],
    ['navigateOnDragDrop', false],
    ['devTools', false],
  ] as const)('webPreferences.%s is %s', (key, expected) => {
    expect(prefs[key]).toBe(expected);
  });

  it('loads the given preload script', () => {
    expect(prefs.preload).toBe('/app/dist/preload/preload.cjs');
  });

  it('has a minimum size of 900×600 and a default size above it', () => {
    expect(opts.minWidth).toBe(900);
    expect(opts.minHeight).toBe(600);
    expect(opts.width).toBeGreaterThanOrEqual(900);
    expect(opts.height).toBeGreaterThanOrEqual(600);
  });

  it('stays hidden until ready-to-show', () => {
    expect(opts.show).toBe(false);
  });

  it('enables developer tools only when asked (unpackaged runs)', () => {
    expect(windowOptions('/p.cjs', { devTools: true }).webPreferences?.devTools).toBe(true);
  });
});

describe('navigation policy', () => {
  const cases: Array<[string, unknown, 'allow' | 'deny']> = [
    ['the app page', indexUrl, 'allow'],
    ['the app page with a hash route', `${indexUrl}#/keys`, 'allow'],
    ['the app page with a query', `${indexUrl}?lang=fr`, 'allow'],
    ['an app asset', fileUrl('assets', 'index-abc123.js'), 'allow'],
    ['the renderer folder itself', `${rootUrl}/`, 'deny'],
    ['a file outside the renderer folder', pathToFileURL(path.join(appRoot, '..', 'main', 'main.cjs')).href, 'deny'],
    ['a file elsewhere on disk', 'file:///etc/passwd', 'deny'],
    ['a ../ escape in the URL', `${rootUrl}/../main/main.cjs`, 'deny'],
    ['a percent-encoded ../ escape', `${rootUrl}/%2e%2e/main/main.cjs`, 'deny'],
    ['an encoded slash', `${rootUrl}/..%2fmain%2fmain.cjs`, 'deny'],
    ['a sibling folder sharing the prefix', pathToFileURL(`${appRoot}-evil${path.sep}index.html`).href, 'deny'],
    ['a file URL with a host (UNC share)', 'file://evil.example.com/share/index.html', 'deny'],
    ['http on loopback', 'http://127.0.0.1:5173/index.html', 'deny'],
    ['http', 'http://docs.mila.quebec/', 'deny'],
    ['https, even an allow-listed host', 'https://docs.mila.quebec/Userguide.html', 'deny'],
    ['ws', 'ws://127.0.0.1:1234/', 'deny'],
    ['data:', 'data:text/html,<script>alert(1)</script>', 'deny'],
    ['javascript:', 'javascript:alert(1)', 'deny'],
    ['about:blank', 'about:blank', 'deny'],
    ['devtools:', 'devtools://devtools/bundled/inspector.html', 'deny'],
    ['chrome:', 'chrome://gpu', 'deny'],
    ['an empty string', '', 'deny'],
    ['not a URL', 'index.html', 'deny'],
    ['undefined', undefined, 'deny'],
    ['null', null, 'deny'],
  ];

  it.each(cases)('%s → %s', (_name, url, expected) => {
    expect(navigationDecision(url, appRoot)).toBe(expected);
    expect(isAppUrl(url, appRoot)).toBe(expected === 'allow');
  });

  it('accepts a root given with a trailing separator or unnormalised', () => {
    expect(isAppUrl(indexUrl, `${appRoot}${path.sep}`)).toBe(true);
    expect(isAppUrl(indexUrl, path.join(appRoot, '..', 'renderer'))).toBe(true);
  });
});

describe('externalLinkDecision', () => {
  const cases: Array<[unknown, boolean]> = [
    ['https://docs.mila.quebec/Userguide.html', true],
    ['https://it-support.mila.quebec/', true],
    ['https://sites.google.com/mila.quebec/mila-intranet/it-infrastructure/it-onboarding-training', true],
    ['https://mfa.mila.quebec', true],
    ['HTTPS://DOCS.MILA.QUEBEC/Userguide.html', true],
    ['https://docs.mila.quebec:443/', true], // the default port, normalised away
    ['http://docs.mila.quebec/', false],
    ['javascript:alert(1)', false],
    ['javascript://docs.mila.quebec/%0aalert(1)', false],
    ['https://mila.quebec.evil.com/', false],
    ['https://docs.mila.quebec.evil.com/', false],
    ['https://evil-docs.mila.quebec/', false],
    ['https://mila.quebec/', false], // parent of allowed hosts is not itself allowed
    ['https://evil.com/?next=docs.mila.quebec', false],
    ['https://evil.com/#docs.mila.quebec', false],
    ['https://docs.mila.quebec@evil.com/', false],
    ['https://user:secret@docs.mila.quebec/', false],
    ['https://user@docs.mila.quebec/', false],
    ['https://docs.mila.quebec:8443/', false],
    ['https://docs.mila.quebec./', false],
    ['https://dоcs.mila.quebec/', false], // Cyrillic "о": becomes xn--…
    ['https://sites.google.com.evil.com/mila.quebec', false],
    ['file:///etc/passwd', false],
    ['data:text/html,hi', false],
    ['mailto:it-support@mila.quebec', false],
    ['ftp://docs.mila.quebec/', false],
    ['ssh://login.server.mila.quebec', false],
    ['//docs.mila.quebec/', false],
    ['docs.mila.quebec', false],
    ['', false],
    [undefined, false],
    [42, false],
  ];

  it.each(cases)('%s → %s', (url, expected) => {
    expect(externalLinkDecision(url, MILA_HOSTS)).toBe(expected);
  });

  it('allows nothing with an empty allow-list', () => {
    expect(externalLinkDecision('https://docs.mila.quebec/', [])).toBe(false);
  });

  it('opens only allow-listed links, normalised', () => {
    const open = vi.fn();
    expect(openExternalIfAllowed('HTTPS://Docs.Mila.Quebec/Userguide.html', MILA_HOSTS, open)).toBe(true);
    expect(open).toHaveBeenCalledWith('https://docs.mila.quebec/Userguide.html');
    expect(openExternalIfAllowed('https://evil.com/', MILA_HOSTS, open)).toBe(false);
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('allowedHostsFromProfile', () => {
  it('lists the built-in Mila profile hosts exactly', () => {
    expect(allowedHostsFromProfile(builtInProfile('mila')).sort()).toEqual([...MILA_HOSTS].sort());
  });

  it('allows the key registration page of a profile (CCDB for the Alliance)', () => {
    const narval = builtInProfile('narval');
    expect(allowedHostsFromProfile({ ...narval, mfa: { ...narval.mfa, portal: undefined } })).toContain('ccdb.alliancecan.ca');
    expect(allowedHostsFromProfile({ ...narval, mfa: { ...narval.mfa, portal: undefined }, keys: { ...narval.keys, registration: { kind: 'authorized-keys' } } })).not.toContain('ccdb.alliancecan.ca');
  });

  it('leaves out links that are not https', () => {
    const hosts = allowedHostsFromProfile({
      links: { docs: 'http://docs.example.org/', support: 'https://help.example.org/x', onboardingTraining: undefined, mfaPortal: undefined },
      mfa: { enabled: false, kind: 'none', portal: 'ftp://mfa.example.org' },
    });
    expect(hosts).toEqual(['help.example.org']);
  });
});

describe('allowedHostsFromProfiles (every cluster the desktop app serves)', () => {
  it('covers Mila and every built-in Alliance profile: the CCDB key page and the Alliance docs open; nothing else is added', async () => {
    const { BUILT_IN_PROFILES } = await import('../../src/engine/profile/load.js');
    const served = Object.keys(BUILT_IN_PROFILES).map((name) => builtInProfile(name));
    const hosts = allowedHostsFromProfiles(served);
    for (const host of [...MILA_HOSTS, 'ccdb.alliancecan.ca', 'docs.alliancecan.ca']) expect(hosts).toContain(host);
    for (const p of served) for (const url of [p.links.docs, p.links.support, p.keys.registration.url, p.links.mfaPortal, p.mfa.portal]) if (url) expect(externalLinkDecision(url, hosts), url).toBe(true);
    expect(hosts.sort()).toEqual([...MILA_HOSTS, 'ccdb.alliancecan.ca', 'docs.alliancecan.ca'].sort());
    // Mila's own list alone would refuse the Alliance's pages: the desktop app must pass them all.
    expect(externalLinkDecision('https://ccdb.alliancecan.ca/ssh_authorized_keys', allowedHostsFromProfile(builtInProfile('mila')))).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it.each<[unknown, boolean]>([
    [indexUrl, true],
    [`${indexUrl}#/done`, true],
    ['file:///etc/index.html', false],
    ['https://docs.mila.quebec/', false],
    ['http://127.0.0.1:8080/', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['', false],
    [null, false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isTrustedSender(url as string | null | undefined, appRoot)).toBe(expected);
  });
});

describe('Content-Security-Policy', () => {
  const csp = buildCsp();
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it.each([
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
  ])('%s is %j', (name, values) => {
    expect(directives.get(name)).toEqual(values);
  });

  it('has no unsafe-eval anywhere and no unsafe-inline in script-src', () => {
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp).not.toMatch(/wasm-unsafe-eval/);
    expect(directives.get('script-src')?.join(' ')).not.toMatch(/unsafe-inline/);
    expect(csp).not.toMatch(/unsafe-inline/);
  });

  it('allows no remote origins (no http:, https:, ws: or * sources)', () => {
    expect(csp).not.toMatch(/\bhttps?:|\bwss?:|\*/);
  });

  it('is the exported header constant', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(csp);
  });

  it('is, in its meta form, the text of the source index.html (which the Electronegativity scan reads; the build writes it from buildCsp)', () => {
    const source = readFileSync(fileURLToPath(new URL('../../src/renderer/index.html', import.meta.url)), 'utf8');
    expect(/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(source)?.[1]).toBe(buildCsp({ meta: true }));
  });

  it('has a <meta> variant without frame-ancestors and otherwise the same', () => {
    const meta = buildCsp({ meta: true });
    expect(meta).not.toMatch(/frame-ancestors/);
    expect(meta).toBe(csp.replace("; frame-ancestors 'none'", ''));
  });

  it('replaces any CSP header a response carries, keeping the others', () => {
    const headers = withCspHeader({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html', 'X-A': ['1', '2'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'X-A': ['1', '2'], 'Content-Security-Policy': [csp] });
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [csp] });
  });
});

describe('permissionDecision: clipboard writing and notifications for the app\'s own pages, nothing else', () => {
  const outside = pathToFileURL(path.join(appRoot, '..', 'other', 'index.html')).href;
  const denied = ['media', 'geolocation', 'clipboard-read', 'deprecated-sync-clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'display-capture', 'local-fonts', 'unknown', ''];
  it.each([
    // the grants: navigator.clipboard.writeText and Notification from the app's window
    ['clipboard-sanitized-write', indexUrl, true],
    ['notifications', indexUrl, true],
    ['notifications', 'https://docs.mila.quebec/', false],
    ['notifications', outside, false],
    ['clipboard-sanitized-write', fileUrl('assets', 'page.html'), true],
    // the same permission from anywhere else
    ['clipboard-sanitized-write', 'https://docs.mila.quebec/', false],
    ['clipboard-sanitized-write', outside, false],
    ['clipboard-sanitized-write', rootUrl, false],
    ['clipboard-sanitized-write', `${indexUrl}/../../../etc/passwd`, false],
    ['clipboard-sanitized-write', 'file://evil-host/share/index.html', false],
    ['clipboard-sanitized-write', undefined, false],
    ['clipboard-sanitized-write', '', false],
    // names that only look like it
    ['Clipboard-Sanitized-Write', indexUrl, false],
    ['clipboard-sanitized-write ', indexUrl, false],
    ['clipboard-write', indexUrl, false],
    // everything else, even from the app's own page
    ...denied.map((p) => [p, indexUrl, false] as const),
  ] as const)('%j from %j → %j', (permission, url, expected) => {
    expect(permissionDecision(permission, url, appRoot)).toBe(expected);
  });
});

describe('guardWebContents', () => {
  type Listener = (event: { url?: string; preventDefault(): void }, url?: string) => void;
  function fakeContents() {
    const listeners = new Map<string, Listener>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on(event: string, listener: Listener) {
        listeners.set(event, listener);
        return contents;
      },
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
        openHandler = handler;
      },
    };
    const opened: string[] = [];
    guardWebContents(contents as unknown as GuardableContents, { appRoot, allowedHosts: MILA_HOSTS, openExternal: (u) => opened.push(u) });
    const fire = (event: string, url?: string, legacyUrl?: string) => {
      const preventDefault = vi.fn();
      listeners.get(event)!({ url, preventDefault }, legacyUrl);
      return preventDefault;
    };
    return { listeners, fire, opened, openWindow: (url: string) => openHandler!({ url }) };
  }

  it('registers will-navigate, will-redirect, will-attach-webview and a window-open handler', () => {
    const { listeners, openWindow } = fakeContents();
    expect([...listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    expect(openWindow('about:blank')).toEqual({ action: 'deny' });
  });

  it.each<[string, string, boolean, boolean]>([
    // url, description, prevented, opened externally
    [indexUrl, 'the app itself', false, false],
    ['https://docs.mila.quebec/Userguide.html', 'an allow-listed link', true, true],
    ['https://evil.com/', 'another https site', true, false],
    ['http://docs.mila.quebec/', 'plain http', true, false],
    ['file:///etc/passwd', 'a file outside the app', true, false],
    ['javascript:alert(1)', 'javascript:', true, false],
  ])('will-navigate to %s (%s): prevented=%s, opened=%s', (url, _d, prevented, opened) => {
    const c = fakeContents();
    expect(c.fire('will-navigate', url)).toHaveBeenCalledTimes(prevented ? 1 : 0);
    expect(c.opened).toEqual(opened ? [url] : []);
  });

  it('reads the deprecated url argument when the event has none', () => {
    const c = fakeContents();
    expect(c.fire('will-navigate', undefined, 'https://evil.com/')).toHaveBeenCalled();
    expect(c.fire('will-navigate', undefined, indexUrl)).not.toHaveBeenCalled();
  });

  it('stops redirects away from the app without opening them', () => {
    const c = fakeContents();
    expect(c.fire('will-redirect', 'https://docs.mila.quebec/')).toHaveBeenCalled();
    expect(c.opened).toEqual([]);
  });

  it('always denies new windows, opening allow-listed links in the browser', () => {
    const c = fakeContents();
    expect(c.openWindow('https://it-support.mila.quebec/')).toEqual({ action: 'deny' });
    expect(c.openWindow('https://evil.com/')).toEqual({ action: 'deny' });
    expect(c.openWindow(indexUrl)).toEqual({ action: 'deny' });
    expect(c.opened).toEqual(['https://it-support.mila.quebec/']);
  });

  it('prevents every <webview> from attaching', () => {
    const c = fakeContents();
    expect(c.fire('will-attach-webview')).toHaveBeenCalled();
  });
});

describe('launchOptions (desktop command line)', () => {
  it.each<[string[], Record<string, string>, { sshDir: string | undefined; profile: string }]>([
    [['/usr/bin/electron', '/app'], {}, { sshDir: undefined, profile: 'mila' }],
    [['electron', '.', '--ssh-dir', '/tmp/ssh'], {}, { sshDir: '/tmp/ssh', profile: 'mila' }],
    [['app', '--ssh-dir=/tmp/ssh', '--profile=./other.json'], {}, { sshDir: '/tmp/ssh', profile: './other.json' }],
    [['app', '--enable-logging', '--profile', 'mila', '--no-sandbox'], {}, { sshDir: undefined, profile: 'mila' }],
    [['app', '--ssh-dir', '--profile', 'x.json'], {}, { sshDir: undefined, profile: 'x.json' }], // flag without value
    [['app', '--ssh-dir='], {}, { sshDir: undefined, profile: 'mila' }],
    [['app'], { MILA_ONBOARD_SSH_DIR: '/env/ssh', MILA_ONBOARD_PROFILE: 'env.json' }, { sshDir: '/env/ssh', profile: 'env.json' }],
    [['app', '--ssh-dir', '/flag'], { MILA_ONBOARD_SSH_DIR: '/env/ssh' }, { sshDir: '/flag', profile: 'mila' }],
    [['app', '--', '--ssh-dir', '/after-dashes'], {}, { sshDir: undefined, profile: 'mila' }],
  ])('%j %j', (argv, env, expected) => {
    expect(launchOptions(argv, env)).toEqual(expected);
  });
});

describe('menuTemplate', () => {
  it('has a Help item that opens the cluster documentation, and no View menu', () => {
    const openDocs = vi.fn();
    const template = menuTemplate({ platform: 'linux', clusterName: 'Mila', openDocs });
    const roles = template.map((m) => m.role);
    expect(roles).toEqual(['fileMenu', 'editMenu', 'windowMenu', 'help']);
    expect(JSON.stringify(template)).not.toMatch(/toggleDevTools|reload|viewMenu/i);
    const help = template.find((m) => m.role === 'help')!;
    const item = (help.submenu as Array<{ label?: string; click?: () => void }>)[0]!;
    expect(item.label).toBe('Mila documentation');
    item.click!();
    expect(openDocs).toHaveBeenCalledTimes(1);
  });

  it('starts with the app menu on macOS', () => {
    expect(menuTemplate({ platform: 'darwin', clusterName: 'Mila', openDocs: () => {} })[0]?.role).toBe('appMenu');
  });
});

/**
 * main.ts itself, run under Node with a fake `electron` module: bundled in memory by
 * esbuild (as scripts/build-node.mjs does), then evaluated with a require that hands out
 * the fake. Checks that the thin entry really wires the policy above into Electron.
 */
describe('main.ts wiring (fake electron module)', () => {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
  const distMain = path.join(repoRoot, 'dist', 'main');

  function fakeElectron(opts: { lock?: boolean } = {}) {
    const appListeners = new Map<string, (...args: unknown[]) => void>();
    const windows: Array<{ options: unknown; loaded: string[]; webContents: object; focused: number; listeners: Map<string, () => void> }> = [];
    const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
    const session = {
      permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void, details?: { requestingUrl?: string }) => void),
      permissionCheck: undefined as undefined | ((wc: unknown, p: string, origin: string, details: { requestingUrl?: string }) => boolean),
      headers: undefined as undefined | ((details: unknown, cb: (r: unknown) => void) => void),
    };
    const electron = {
      app: {
        isPackaged: false,
        enableSandbox: vi.fn(),
        requestSingleInstanceLock: vi.fn(() => opts.lock ?? true),
        setAppUserModelId: vi.fn(),
        quit: vi.fn(),
        exit: vi.fn(),
        on: (event: string, fn: (...args: unknown[]) => void) => void appListeners.set(event, fn),
        whenReady: vi.fn(() => Promise.resolve()),
      },
      BrowserWindow: class {
        webContents = { id: windows.length + 1 };
        private record;
        constructor(options: unknown) {
          this.record = { options, loaded: [] as string[], webContents: this.webContents, focused: 0, listeners: new Map<string, () => void>() };
          windows.push(this.record);
        }
        once(event: string, fn: () => void) {
          this.record.listeners.set(event, fn);
        }
        on(event: string, fn: () => void) {
          this.record.listeners.set(event, fn);
        }
        loadFile(file: string) {
          this.record.loaded.push(file);
          return Promise.resolve();
        }
        isMinimized() {
          return false;
        }
        isDestroyed() {
          return false;
        }
        restore() {}
        show() {}
        focus() {
          this.record.focused++;
        }
      },
      dialog: { showErrorBox: vi.fn() },
      ipcMain: { handle: (channel: string, fn: (...args: unknown[]) => unknown) => void ipcHandlers.set(channel, fn) },
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (fn: typeof session.permissionRequest) => void (session.permissionRequest = fn),
          setPermissionCheckHandler: (fn: typeof session.permissionCheck) => void (session.permissionCheck = fn),
          webRequest: { onHeadersReceived: (fn: typeof session.headers) => void (session.headers = fn) },
        },
      },
      shell: { openExternal: vi.fn(async () => undefined) },
    };
    return { electron, appListeners, windows, ipcHandlers, session };
  }

  let bundled: string | undefined;
  async function runMain(fake: ReturnType<typeof fakeElectron>) {
    bundled ??= (
      await build({
        entryPoints: [path.join(repoRoot, 'src/main/main.ts')],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        external: ['electron', 'node-pty'],
        write: false,
        logLevel: 'silent',
      })
    ).outputFiles[0]!.text;
    const realRequire = createRequire(path.join(distMain, 'main.cjs'));
    const fakeRequire = (id: string) => (id === 'electron' ? fake.electron : realRequire(id));
    const module = { exports: {} };
    new Function('require', 'module', 'exports', '__dirname', '__filename', bundled)(fakeRequire, module, module.exports, distMain, path.join(distMain, 'main.cjs'));
  }

  async function started() {
    const fake = fakeElectron();
    vi.stubEnv('MILA_ONBOARD_SSH_DIR', path.join(os.tmpdir(), 'mila-onboard-main-wiring-ssh'));
    vi.stubEnv('MILA_ONBOARD_PROFILE', '');
    try {
      await runMain(fake);
      await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    } finally {
      vi.unstubAllEnvs();
    }
    return fake;
  }

  it('enables the sandbox for all renderers and takes the single-instance lock', async () => {
    const fake = await started();
    expect(fake.electron.app.enableSandbox).toHaveBeenCalled();
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('creates the window with windowOptions and loads the built index.html', async () => {
    const fake = await started();
    const preload = path.join(repoRoot, 'dist', 'preload', 'preload.cjs');
    expect(fake.windows[0]!.options).toEqual(windowOptions(preload, { devTools: true }));
    expect(fake.windows[0]!.loaded).toEqual([path.join(repoRoot, 'dist', 'renderer', 'index.html')]);
  });

  it('denies every permission request and check but clipboard writing and notifications from its own page, and sets the CSP header', async () => {
    const fake = await started();
    const page = pathToFileURL(path.join(repoRoot, 'dist', 'renderer', 'index.html')).href;
    const granted = vi.fn();
    fake.session.permissionRequest!({}, 'media', granted, { requestingUrl: page });
    expect(granted).toHaveBeenLastCalledWith(false);
    fake.session.permissionRequest!({}, 'clipboard-sanitized-write', granted, { requestingUrl: page });
    expect(granted).toHaveBeenLastCalledWith(true);
    fake.session.permissionRequest!({}, 'clipboard-sanitized-write', granted, { requestingUrl: 'https://evil.example/' });
    expect(granted).toHaveBeenLastCalledWith(false);
    fake.session.permissionRequest!({}, 'clipboard-sanitized-write', granted, undefined);
    expect(granted).toHaveBeenLastCalledWith(false);
    expect(fake.session.permissionCheck!({}, 'notifications', 'file://', { requestingUrl: page })).toBe(true);
    expect(fake.session.permissionCheck!({}, 'notifications', 'https://evil.example', { requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(fake.session.permissionCheck!({}, 'clipboard-read', 'file://', { requestingUrl: page })).toBe(false);
    expect(fake.session.permissionCheck!({}, 'clipboard-sanitized-write', 'file://', { requestingUrl: page })).toBe(true);
    expect(fake.session.permissionCheck!({}, 'clipboard-sanitized-write', 'file://', {})).toBe(false);
    const cb = vi.fn();
    fake.session.headers!({ responseHeaders: { 'content-type': ['text/html'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('guards every webContents created', async () => {
    const fake = await started();
    const on = vi.fn();
    const setWindowOpenHandler = vi.fn();
    fake.appListeners.get('web-contents-created')!({}, { on, setWindowOpenHandler });
    // The navigation guards, (main.ts) the two events that end the window's tasks (a new document, a gone renderer),
    // and the one that tells the new page what became of them (its document has loaded).
    expect(on.mock.calls.map((c) => c[0]).sort()).toEqual(['did-finish-load', 'did-start-navigation', 'render-process-gone', 'will-attach-webview', 'will-navigate', 'will-redirect']);
    expect(setWindowOpenHandler).toHaveBeenCalledTimes(1);
  });

  it('a reload stops the page’s key creation in the engine host, and the reloaded page is told once it has loaded', async () => {
    const fake = await started();
    const win = fake.windows[0]!;
    const appPage = pathToFileURL(path.join(repoRoot, 'dist', 'renderer', 'index.html')).href;
    const sshDir = path.join(os.tmpdir(), 'mila-onboard-main-wiring-ssh');
    const contentsEvents = new Map<string, (...args: unknown[]) => void>();
    const sent: Array<[string, unknown]> = [];
    Object.assign(win.webContents, {
      on: (event: string, fn: (...args: unknown[]) => void) => void contentsEvents.set(event, fn),
      setWindowOpenHandler: () => undefined,
      send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
      isDestroyed: () => false,
    });
    fake.appListeners.get('web-contents-created')!({}, win.webContents);
    try {
      const name = `id_rsa_reload_${process.pid}`;
      // RSA 4096 takes seconds: long enough to reload in the middle of it.
      const answer = fake.ipcHandlers.get('keys.create')!(
        { sender: win.webContents, senderFrame: { url: appPage, parent: null } },
        { taskId: randomUUID(), type: 'rsa', bits: 4096, name, passphrase: '', allowEmptyPassphrase: true },
      ) as Promise<{ ok: boolean; error?: { code: string } }>;
      await vi.waitFor(() => expect(sent.some(([c, p]) => c === 'task.event' && (p as { phase?: string }).phase === 'generating')).toBe(true), { timeout: 20_000 });
      contentsEvents.get('did-start-navigation')!({ isMainFrame: true, isSameDocument: false });
      expect(await answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      expect(sent.filter(([c]) => c === 'page.interrupted')).toEqual([]);
      contentsEvents.get('did-finish-load')!();
      expect(sent.filter(([c]) => c === 'page.interrupted')).toEqual([['page.interrupted', { interrupted: [{ channel: 'keys.create', outcome: 'stopped' }] }]]);
      // ssh-keygen was ended and its staging folder removed: nothing of the key is left.
      expect(existsSync(sshDir) ? readdirSync(sshDir).filter((f) => f.includes(name) || f.startsWith('.mila-onboard-keygen-')) : []).toEqual([]);
    } finally {
      // Ends the engine host (and every program it started).
      fake.appListeners.get('will-quit')!({ preventDefault: () => undefined });
      rmSync(sshDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('answers IPC from the app window only', async () => {
    const fake = await started();
    const win = fake.windows[0]!;
    const appPage = pathToFileURL(path.join(repoRoot, 'dist', 'renderer', 'index.html')).href;
    const info = fake.ipcHandlers.get('app.info')!;
    const fromWindow = { sender: Object.assign(win.webContents, { send: vi.fn() }), senderFrame: { url: appPage, parent: null } };
    expect(await info(fromWindow, {})).toMatchObject({ ok: true, value: { front: 'desktop', profile: { id: 'mila' } } });
    const otherContents = { sender: { send: vi.fn() }, senderFrame: { url: appPage, parent: null } };
    expect(await info(otherContents, {})).toMatchObject({ ok: false, error: { message: 'Unknown sender.' } });
    const otherPage = { sender: win.webContents, senderFrame: { url: 'https://evil.example.com/', parent: null } };
    expect(await info(otherPage, {})).toMatchObject({ ok: false, error: { message: 'Unknown sender.' } });
  });

  it('quits when the window closes, focuses it on a second launch, opens the docs from Help', async () => {
    const fake = await started();
    fake.appListeners.get('second-instance')!();
    expect(fake.windows[0]!.focused).toBe(1);
    fake.appListeners.get('window-all-closed')!();
    expect(fake.electron.app.quit).toHaveBeenCalled();
    const template = fake.electron.Menu.setApplicationMenu.mock.calls[0]![0] as Array<{ role?: string; submenu?: Array<{ click?: () => void }> }>;
    template.find((m) => m.role === 'help')!.submenu![0]!.click!();
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://docs.mila.quebec/Userguide.html');
  });

  it('leaves at once when another copy holds the lock', async () => {
    const fake = fakeElectron({ lock: false });
    await runMain(fake);
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.electron.app.whenReady).not.toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
  });
});
