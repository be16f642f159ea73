/**
 * The web host's Content-Security-Policy: same rules as the desktop window, plus the
 * web socket back to this very origin ('self' covers ws: on the same host in CSP3).
 */
export function webCsp(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
