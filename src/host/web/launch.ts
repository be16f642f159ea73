import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The web host's two kinds of secret.
 *
 * A launch secret goes where other local users may read it (the browser opener's command
 * line, the terminal, the address bar, the browser's history), so it opens the app once:
 * the first page that presents it gets a session secret in exchange, and it is spent.
 * The session secret travels only inside the web socket (the host's first message, then
 * the page's Sec-WebSocket-Protocol header when it reconnects after a reload): never in a
 * URL, a command line or a log. The page keeps it in sessionStorage, which belongs to that
 * one tab, dies with it, and is never sent anywhere by the browser on its own.
 */
export const APP_PROTOCOL = 'mila-onboard';
const LAUNCH_PREFIX = 'mila-launch.';
const SESSION_PREFIX = 'mila-session.';

export type Credential = { kind: 'launch' | 'session'; secret: string } | { kind: 'none' };

/** What the page offered in Sec-WebSocket-Protocol: the app's protocol plus at most one secret. */
export function parseProtocols(header: string | undefined): Credential {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(APP_PROTOCOL)) return { kind: 'none' };
  for (const p of offered) {
    if (p.startsWith(LAUNCH_PREFIX)) return { kind: 'launch', secret: p.slice(LAUNCH_PREFIX.length) };
    if (p.startsWith(SESSION_PREFIX)) return { kind: 'session', secret: p.slice(SESSION_PREFIX.length) };
  }
  return { kind: 'none' };
}

const newSecret = (): string => randomBytes(24).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Secrets {
  private readonly launches = new Set<string>();
  private readonly spent = new Set<string>();
  private readonly sessions = new Set<string>();

  /** A new single-use launch secret. */
  issueLaunch(secret: string = newSecret()): string {
    this.launches.add(secret);
    return secret;
  }

  /**
   * Spends a launch secret: a new session secret when it was issued and never used; 'spent'
   * when it was used already (someone else may have read it: worth telling the user); null otherwise.
   */
  redeemLaunch(secret: string): string | 'spent' | null {
    for (const l of this.launches) {
      if (same(l, secret)) {
        this.launches.delete(l);
        this.spent.add(l);
        const session = newSecret();
        this.sessions.add(session);
        return session;
      }
    }
    for (const l of this.spent) if (same(l, secret)) return 'spent';
    return null;
  }

  isSession(secret: string): boolean {
    for (const s of this.sessions) if (same(s, secret)) return true;
    return false;
  }
}
