/**
 * The Electron entry: creates the one window, applies the security policy from
 * security.ts and binds the contract to the engine through ipc.ts. Everything that can
 * be decided without Electron is decided in those (unit-tested) modules; this file only
 * wires them up. Bundled to dist/main/main.cjs (CommonJS, so __dirname is dist/main).
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { createContext, type EngineContext } from '../engine/context.js';
import { loadProfile } from '../engine/profile/load.js';
import type { ClusterProfile } from '../engine/profile/schema.js';
import { dispatch } from '../host/dispatch.js';
import { launchOptions } from './args.js';
import { registerIpcHandlers, senderIsApp } from './ipc.js';
import { menuTemplate } from './menu.js';
import { allowedHostsFromProfile, guardWebContents, openExternalIfAllowed, permissionDecision, windowOptions, withCspHeader } from './security.js';

const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
const INDEX_HTML = path.join(RENDERER_DIR, 'index.html');
const PRELOAD = path.join(__dirname, '..', 'preload', 'preload.cjs');

let mainWindow: BrowserWindow | null = null;
let started = false;

function fail(title: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

function focusWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions(PRELOAD, { devTools: !app.isPackaged }));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadFile(INDEX_HTML).catch((err: unknown) => {
    fail('Mila Onboard could not open its window', `${INDEX_HTML} could not be loaded (${err instanceof Error ? err.message : String(err)}). Run "npm run build" first.`);
  });
  return win;
}

function applySessionPolicy(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  // file:// responses carry no headers to rewrite, so index.html also has the policy in a
  // <meta> tag; this covers anything the session does fetch over a network scheme.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}

async function start(): Promise<void> {
  const opts = launchOptions(process.argv, process.env);
  const profile: ClusterProfile = await loadProfile(opts.profile);
  const ctx: EngineContext = createContext({ sshDir: opts.sshDir, profile });
  const allowedHosts = allowedHostsFromProfile(profile);
  const openExternal = (url: string): void => {
    shell.openExternal(url).catch(() => undefined);
  };

  applySessionPolicy();

  // Every webContents ever created (not only the main window's) gets the navigation guards.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { appRoot: RENDERER_DIR, allowedHosts, openExternal });
  });

  const isApp = senderIsApp(RENDERER_DIR);
  registerIpcHandlers(ipcMain, {
    isTrusted: (event) => mainWindow !== null && event.sender === mainWindow.webContents && isApp(event),
    dispatch,
    context: () => ctx,
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        clusterName: profile.name,
        openDocs: () => void openExternalIfAllowed(profile.links.docs, allowedHosts, openExternal),
      }),
    ),
  );

  mainWindow = createWindow();
  started = true;
}

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another copy is running: it focuses its window (below) and this one leaves.
  app.quit();
} else {
  if (process.platform === 'win32') app.setAppUserModelId('quebec.mila.onboard');

  app.on('second-instance', () => {
    if (mainWindow) focusWindow(mainWindow);
  });

  app.on('activate', () => {
    if (started && !mainWindow) mainWindow = createWindow();
  });

  // A wizard has nothing to do without its window, on macOS too.
  app.on('window-all-closed', () => app.quit());

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail('Mila Onboard could not start', err));
}
