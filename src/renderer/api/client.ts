import { buildBridge, unwrapBridge, type Bridge, type MilaApi } from '../../shared/api.js';
import { listenForInterruptions } from './interrupted.js';
import { webSocketTransport, type WebSocketTransport } from './web-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the web host serves the page. */
    milaOnboard?: Bridge;
  }
}

let bridge: Bridge | undefined;
let api: MilaApi | undefined;
let web: WebSocketTransport | undefined;

/**
 * The front's bridge: the preload's in the desktop app, one over the web socket otherwise.
 * Its events are unchecked: page code subscribes through onEvent (events.ts), which checks them.
 */
export function getBridge(): Bridge {
  bridge ??= window.milaOnboard ?? buildBridge((web = webSocketTransport(window.location)));
  return bridge;
}

/** The one API renderer code talks to, whichever front serves the page. */
export function getApi(): MilaApi {
  if (!api) {
    api = unwrapBridge(getBridge());
    // Electron: listen now, as the page's first module runs: main sends 'page.interrupted' only
    // once the page has loaded, so nothing is missed. (The web host tells the socket instead.)
    if (window.milaOnboard) listenForInterruptions(window.milaOnboard);
  }
  return api;
}

/** Web front: connect now, with the calls asked so far (see web-transport.ts). Electron: nothing to do. */
export function connectNow(): void {
  web?.connect();
}
