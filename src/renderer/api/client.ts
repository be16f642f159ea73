import { buildBridge, unwrapBridge, type Bridge, type MilaApi } from '../../shared/api.js';
import { listenForInterruptions } from './interrupted.js';
import { webSocketTransport, type WebSocketTransport } from './web-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the web host serves the page. */
    milaOnboard?: Bridge;
  }
}

let api: MilaApi | undefined;
let web: WebSocketTransport | undefined;

/** The one API renderer code talks to, whichever front serves the page. */
export function getApi(): MilaApi {
  if (!api) {
    if (window.milaOnboard) {
      api = unwrapBridge(window.milaOnboard);
      // Now, as the page's first module runs: main sends only once the page has loaded, so nothing is missed.
      listenForInterruptions(window.milaOnboard);
    }
    else api = unwrapBridge(buildBridge((web = webSocketTransport(window.location))));
  }
  return api;
}

/** Web front: connect now, with the calls asked so far (see web-transport.ts). Electron: nothing to do. */
export function connectNow(): void {
  web?.connect();
}
