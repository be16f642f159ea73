/**
 * The Electron entry: creates the one window, applies the security policy from
 * security.ts and binds the contract to the engine through ipc.ts. Everything that can
 * be decided without Electron is decided in those (unit-tested) modules; this file only
 * wires them up. Bundled to dist/main/main.cjs (CommonJS, so __dirname is dist/main).
 *
 * The engine itself does not run here: every contract call is forwarded to the engine
 * host (dist/desktop/engine-host.cjs, from src/host/desktop/), a separate process, through
 * engine-client.ts.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell, utilityProcess } from 'electron';
import { createContext, type EngineContext } from '../engine/context.js';
import type { ClusterProfile } from '../engine/profile/schema.js';
import { launchOptions } from './args.js';
import { EngineClient } from '../host/desktop/engine-client.js';
import { engineHostArgs, forkEngine, type EngineChild } from '../host/desktop/engine-transport.js';
import { registerIpcHandlers, senderIsApp } from './ipc.js';
import { menuTemplate } from './menu.js';
import { utilityEngine } from './utility-engine.js';
import {
  allowedHostsFromProfiles,
  DEFAULT_WINDOW_HEIGHT,
  DEFAULT_WINDOW_WIDTH,
  guardWebContents,
  MIN_WINDOW_HEIGHT,
  MIN_WINDOW_WIDTH,
  openExternalIfAllowed,
  permissionDecision,
  windowOptions,
  withCspHeader,
} from './security.js';
import { placeWindow, readWindowState, WINDOW_STATE_FILE, writeWindowState, type Placement } from './window-state.js';
import { WindowWork } from './window-work.js';

const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
const INDEX_HTML = path.join(RENDERER_DIR, 'index.html');
const PRELOAD = path.join(__dirname, '..', 'preload', 'preload.cjs');
// Beside dist/web/web-host.cjs, as its source is beside the web host's (src/host/desktop/).
const ENGINE_HOST = path.join(__dirname, '..', 'desktop', 'engine-host.cjs');

let mainWindow: BrowserWindow | null = null;
let started = false;
let engine: EngineClient | null = null;
/** The window's running tasks: a reload, a crash or closing the window stops them, and the next page is told (window-work.ts). */
const windowWork = new WindowWork((taskId) => void engine?.call('task.cancel', { taskId }).catch(() => undefined));

function endPageWork(): void {
  windowWork.pageGone();
}
let engineStopped = false;

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

function windowStateFile(): string {
  return path.join(app.getPath('userData'), WINDOW_STATE_FILE);
}

/** Last run's size and position, fitted to today's displays; undefined means the defaults. */
function restoredPlacement(): Placement | undefined {
  try {
    const primary = screen.getPrimaryDisplay();
    const others = screen.getAllDisplays().filter((d) => d.id !== primary.id);
    return placeWindow(readWindowState(windowStateFile()), [primary.workArea, ...others.map((d) => d.workArea)], {
      defaultSize: { width: DEFAULT_WINDOW_WIDTH, height: DEFAULT_WINDOW_HEIGHT },
      minSize: { width: MIN_WINDOW_WIDTH, height: MIN_WINDOW_HEIGHT },
    });
  } catch {
    return undefined; // never worth failing the start over
  }
}

function createWindow(): BrowserWindow {
  const placement = restoredPlacement();
  const win = new BrowserWindow(windowOptions(PRELOAD, { devTools: !app.isPackaged, ...(placement ? { bounds: placement } : {}) }));
  win.once('ready-to-show', () => {
    if (placement?.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      writeWindowState(windowStateFile(), { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch {
      // losing the position is not worth an error
    }
  });
  win.on('closed', () => {
    endPageWork();
    if (mainWindow === win) mainWindow = null;
  });
  win.loadFile(INDEX_HTML).catch((err: unknown) => {
    fail('Mila Onboard could not open its window', `${INDEX_HTML} could not be loaded (${err instanceof Error ? err.message : String(err)}). Run "npm run build" first.`);
  });
  return win;
}

function applySessionPolicy(): void {
  const ses = session.defaultSession;
  // The URL of the frame asking (not its origin, which for file:// pages is just "file://"):
  // only the app's own pages get clipboard writing, and nothing else is ever granted.
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionDecision(permission, details?.requestingUrl, RENDERER_DIR)));
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) => permissionDecision(permission, details?.requestingUrl, RENDERER_DIR));
  // file:// responses carry no headers to rewrite, so index.html also has the policy in a
  // <meta> tag; this covers anything the session does fetch over a network scheme.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}

/**
 * How the engine host is started: as an Electron utility process; under plain Node (main.ts
 * run with a stand-in electron module, as the wiring test does) there is no utilityProcess,
 * and the same child module runs under child_process.fork instead.
 */
function engineSpawner(args: string[]): () => EngineChild {
  if (typeof utilityProcess?.fork === 'function') {
    return () => utilityEngine(utilityProcess.fork.bind(utilityProcess), ENGINE_HOST, args);
  }
  return () => forkEngine(ENGINE_HOST, args);
}

async function start(): Promise<void> {
  const opts = launchOptions(process.argv, process.env);
  // Loaded here, not at the top: the profile's schema (zod) is the largest module main has,
  // and nothing before the ready event needs it.
  const { BUILT_IN_PROFILES, builtInProfile, loadProfile } = await import('../engine/profile/load.js');
  const profile: ClusterProfile = await loadProfile(opts.profile);
  const ctx: EngineContext = createContext({ sshDir: opts.sshDir, profile });
  // The host loads the same profile again: a built-in name as is, a file by absolute path.
  const profileRef = Object.prototype.hasOwnProperty.call(BUILT_IN_PROFILES, opts.profile) ? opts.profile : path.resolve(opts.profile);
  engine = new EngineClient(engineSpawner(engineHostArgs({ sshDir: ctx.sshDir, profile: profileRef, platform: ctx.platform })), {
    onUnexpectedExit: ({ code, failedCalls }) =>
      console.error(`Mila Onboard: the engine host stopped (exit code ${code ?? 'none'}, ${failedCalls} call(s) failed); it restarts on the next request.`),
    onHang: ({ failedCalls }) =>
      console.error(`Mila Onboard: the engine host stopped answering and was ended (${failedCalls} call(s) failed); it restarts on the next request.`),
  });
  const client = engine;
  // The engine host serves the built-in clusters besides this profile (host/clusters.ts): their links open too.
  const allowedHosts = allowedHostsFromProfiles([profile, ...Object.keys(BUILT_IN_PROFILES).map((name) => builtInProfile(name))]);
  const openExternal = (url: string): void => {
    shell.openExternal(url).catch(() => undefined);
  };

  applySessionPolicy();

  // Every webContents ever created (not only the main window's) gets the navigation guards.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { appRoot: RENDERER_DIR, allowedHosts, openExternal });
    // Work follows the page: a new document (a reload) or a gone renderer ends the window's tasks.
    const isMain = () => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents === contents;
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument && isMain()) endPageWork();
    });
    contents.on('render-process-gone', () => isMain() && endPageWork());
    // The new page's scripts have run (they listen for 'page.interrupted'): it hears what became of the old page's work.
    contents.on('did-finish-load', () => isMain() && windowWork.pageLoaded(contents));
  });

  const isApp = senderIsApp(RENDERER_DIR);
  registerIpcHandlers(ipcMain, {
    isTrusted: (event) => mainWindow !== null && event.sender === mainWindow.webContents && isApp(event),
    // Runs in the engine host; its events come back to the webContents that asked.
    dispatch: (channel, input, scope) => windowWork.follow(String(channel), input, client.call(String(channel), input, (event, payload) => scope.emit(event, payload))),
    context: () => ctx,
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        clusterName: profile.name,
        openDocs: () => void openExternalIfAllowed(profile.links.docs, allowedHosts, openExternal),
        openSupport: () => void openExternalIfAllowed(profile.links.support, allowedHosts, openExternal),
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

  // Quitting waits for the engine host (and so every program it started) to end.
  app.on('will-quit', (event) => {
    if (engineStopped || !engine) return;
    event.preventDefault();
    void engine.stop().finally(() => {
      engineStopped = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail('Mila Onboard could not start', err));
}
