/**
 * The Electron security policy as pure functions: no `electron` import (only erased type
 * imports), so every decision is unit-tested with plain values and small fakes, the way
 * Teleport Connect tests its navigation handler. main.ts only wires these to Electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions, HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import type { ClusterProfile } from '../engine/profile/schema.js';
import { buildCsp } from '../shared/csp.js';

/** The minimum window size at which every wizard step fits without horizontal scrolling. */
export const MIN_WINDOW_WIDTH = 900;
export const MIN_WINDOW_HEIGHT = 600;

export const DEFAULT_WINDOW_WIDTH = 1100;
export const DEFAULT_WINDOW_HEIGHT = 760;

/**
 * Options for the one app window. Every web preference that matters for security is set
 * explicitly (even where it matches Electron's default), so a test can read the policy here.
 * `bounds` is where the window was last time (window-state.ts); without it, the default
 * size, centred.
 */
export function windowOptions(
  preloadPath: string,
  opts: { devTools?: boolean; bounds?: { x?: number; y?: number; width: number; height: number } } = {},
): BrowserWindowConstructorOptions {
  const b = opts.bounds;
  return {
    width: b?.width ?? DEFAULT_WINDOW_WIDTH,
    height: b?.height ?? DEFAULT_WINDOW_HEIGHT,
    ...(b?.x !== undefined && b.y !== undefined ? { x: b.x, y: b.y } : {}),
    minWidth: MIN_WINDOW_WIDTH,
    minHeight: MIN_WINDOW_HEIGHT,
    title: 'Mila Onboard',
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#0b1f3a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Off in packaged builds; main.ts turns it on only when running unpackaged.
      devTools: opts.devTools ?? false,
    },
  };
}

/** Parses a URL, or returns null: no decision below ever trusts a string it could not parse. */
function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for a file:// URL naming a file inside `appRoot` (the built renderer folder).
 * `..` segments (also percent-encoded ones, which the URL parser normalises), encoded
 * slashes, and file URLs with a host (UNC shares on Windows) are all refused.
 */
export function isAppUrl(url: unknown, appRoot: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed || parsed.protocol !== 'file:') return false;
  if (parsed.host !== '' || parsed.username !== '' || parsed.password !== '') return false;
  let filePath: string;
  try {
    filePath = fileURLToPath(parsed);
  } catch {
    return false; // e.g. %2F in the path, or a non-absolute path on Windows
  }
  const root = path.resolve(appRoot);
  const relative = path.relative(root, path.resolve(filePath));
  if (relative === '') return false; // the folder itself is not a page
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

export type NavigationDecision = 'allow' | 'deny';

/** The window may only ever show the app's own pages; everything else is denied. */
export function navigationDecision(url: unknown, appRoot: string): NavigationDecision {
  return isAppUrl(url, appRoot) ? 'allow' : 'deny';
}

/**
 * Whether a link may be handed to the system browser: https only, a host on the exact
 * allow-list (parsed by URL, so `docs.mila.quebec.evil.com`, `docs.mila.quebec@evil.com`
 * and `evil.com/?docs.mila.quebec` all fail), no credentials, no explicit port.
 */
export function externalLinkDecision(url: unknown, allowedHosts: Iterable<string>): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.port !== '') return false;
  const host = parsed.hostname.toLowerCase();
  for (const allowed of allowedHosts) {
    if (host === allowed.toLowerCase()) return true;
  }
  return false;
}

/** IPC is answered only for frames showing the app's own pages. */
export function isTrustedSender(senderFrameUrl: string | null | undefined, appRoot: string): boolean {
  return isAppUrl(senderFrameUrl, appRoot);
}

export { buildCsp };

/** The header form of the policy, ready for `session.webRequest.onHeadersReceived`. */
export const CONTENT_SECURITY_POLICY = buildCsp();

/**
 * Response headers with the app's CSP set, replacing any CSP header already present
 * (whatever its capitalisation), leaving the other headers untouched.
 */
export function withCspHeader(
  headers: Record<string, string | string[]> | undefined,
  csp: string = CONTENT_SECURITY_POLICY,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/**
 * The two permissions the window is granted, only for the app's own pages: writing text to
 * the clipboard (`navigator.clipboard.writeText`, Electron's 'clipboard-sanitized-write') for
 * the copy buttons, and 'notifications', so the key check that re-runs on its own can say
 * "your key works now" while the window is in the background. Reading the clipboard
 * ('clipboard-read', 'deprecated-sync-clipboard-read'), camera, microphone, geolocation, …:
 * the wizard needs none of them, so all are denied.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'notifications'];

/**
 * Whether `permission`, asked by the frame showing `requestingUrl`, is granted: only a
 * permission in GRANTED_PERMISSIONS (exact name), only for a page of the app (isAppUrl).
 */
export function permissionDecision(permission: string, requestingUrl: unknown, appRoot: string): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl, appRoot);
}

/**
 * The https hosts the app may open in the system browser: those of the cluster profile's
 * links (docs, support, onboarding training, MFA portal, key registration page). Non-https links add nothing.
 */
export function allowedHostsFromProfile(profile: Pick<ClusterProfile, 'links' | 'mfa'> & { keys?: Partial<Pick<ClusterProfile['keys'], 'registration'>> }): string[] {
  const urls: Array<string | undefined> = [
    profile.links.docs,
    profile.links.support,
    profile.links.onboardingTraining,
    profile.links.mfaPortal,
    profile.mfa.portal,
    // Where the public-key step sends the key (CCDB for the Alliance's clusters).
    profile.keys?.registration?.url,
  ];
  const hosts = new Set<string>();
  for (const url of urls) {
    const parsed = parseUrl(url);
    if (!parsed || parsed.protocol !== 'https:' || parsed.username || parsed.password) continue;
    hosts.add(parsed.hostname.toLowerCase());
  }
  return [...hosts];
}

/**
 * The hosts of every served cluster's links: the desktop app serves the built-in clusters
 * besides its own (host/clusters.ts), so the Alliance's pages (CCDB's key page, its docs)
 * open in the browser as Mila's do.
 */
export function allowedHostsFromProfiles(profiles: Iterable<Parameters<typeof allowedHostsFromProfile>[0]>): string[] {
  const hosts = new Set<string>();
  for (const profile of profiles) for (const host of allowedHostsFromProfile(profile)) hosts.add(host);
  return [...hosts];
}

/** The slice of WebContents the guards need, so a fake can stand in for it in tests. */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { url?: string; preventDefault(): void }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse): void;
}

export interface GuardOptions {
  /** The built renderer folder: the only place the window may navigate to. */
  appRoot: string;
  allowedHosts: readonly string[];
  /** shell.openExternal in the app; only ever called with an allow-listed https URL. */
  openExternal(url: string): void;
}

/**
 * Opens `url` in the system browser if it is allow-listed; returns whether it did.
 * The one place links leave the app.
 */
export function openExternalIfAllowed(url: unknown, allowedHosts: readonly string[], openExternal: (url: string) => void): boolean {
  if (!externalLinkDecision(url, allowedHosts)) return false;
  openExternal(new URL(url as string).href);
  return true;
}

/**
 * Attaches the navigation policy to a webContents: navigation and redirects away from
 * the app are prevented, new windows are always denied, <webview> is never attached.
 * An allow-listed https link (clicked, or opened with window.open / target=_blank) goes
 * to the system browser instead; any other link goes nowhere.
 */
export function guardWebContents(contents: GuardableContents, opts: GuardOptions): void {
  const onNavigate = (event: { url?: string; preventDefault(): void }, legacyUrl?: string): void => {
    const url = event.url ?? legacyUrl;
    if (navigationDecision(url, opts.appRoot) === 'allow') return;
    event.preventDefault();
    openExternalIfAllowed(url, opts.allowedHosts, opts.openExternal);
  };
  contents.on('will-navigate', onNavigate);
  // A redirect is never a link the user chose: it is only ever stopped, never opened.
  contents.on('will-redirect', (event, legacyUrl) => {
    if (navigationDecision(event.url ?? legacyUrl, opts.appRoot) !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, opts.allowedHosts, opts.openExternal);
    return { action: 'deny' };
  });
}
