import { buildBridge, unwrapBridge, type Bridge, type MilaApi } from '../../shared/api.js';
import { webSocketTransport } from './web-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the web host serves the page. */
    milaOnboard?: Bridge;
  }
}

let api: MilaApi | undefined;

/** The one API renderer code talks to, whichever front serves the page. */
export function getApi(): MilaApi {
  api ??= unwrapBridge(window.milaOnboard ?? buildBridge(webSocketTransport(window.location)));
  return api;
}
