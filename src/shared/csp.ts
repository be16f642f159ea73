/**
 * The app's Content-Security-Policy, the one source for all three places it is sent: the
 * Electron window's response header (src/main/security.ts), the web host's header
 * (src/host/web/server.ts) and the <meta> tag of the built index.html (vite.config.ts writes
 * it at build time). Scripts and styles come only from the app's own files: no 'unsafe-eval',
 * no 'unsafe-inline'. React's `style={...}` props are applied through the CSSOM
 * (element.style), which CSP does not govern, so style-src 'self' suffices. connect-src
 * 'self' covers the web front's socket back to its own origin (ws: on the same host, CSP3).
 * `frame-ancestors` is only honoured in a header; `{ meta: true }` leaves it out of the
 * <meta> copy, which would otherwise log a console warning.
 */
export function buildCsp(opts: { meta?: boolean } = {}): string {
  const directives: Array<[string, string]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self' data:"],
    ['font-src', "'self'"],
    ['connect-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['object-src', "'none'"],
  ];
  return directives
    .filter(([name]) => !(opts.meta && name === 'frame-ancestors'))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}
