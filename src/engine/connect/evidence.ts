/**
 * What OpenSSH's own debug log (`ssh -vv -E FILE`) says about one login attempt: where it
 * connected, as whom, which keys it offered and what the server answered. Pure, so it is
 * tested on the real lines OpenSSH 9.2 writes; the diagnosis uses it to tell a wrong
 * passphrase, a refused key and a missing key apart, which the last error line alone cannot.
 *
 * The log is never shown as such: only the lines a person can act on go into the
 * "What OpenSSH said" details (see `openSshWords`).
 */

export interface OfferedKey {
  /** The key file (or, for an agent key, its comment), as OpenSSH names it. */
  file: string;
  type: string;
  fingerprint: string;
  /** OpenSSH took it from the SSH agent. */
  agent: boolean;
  /** The server said it would accept this key ("Server accepts key"): it is registered. */
  accepted: boolean;
}

export interface LoginEvidence {
  /** The host and port OpenSSH connected to (after the config's HostName/Port). */
  host: string | null;
  port: number | null;
  /** The username OpenSSH logged in as. */
  user: string | null;
  offered: OfferedKey[];
  /** `no such identity: F`: an IdentityFile that does not exist. */
  missingIdentities: string[];
  /** How many passphrases OpenSSH said were wrong ("bad passphrase given"). */
  badPassphrases: number;
  /** The key was accepted and signed, and the server wants a second factor. */
  partialSuccess: boolean;
  /** Fully logged in. */
  authenticated: boolean;
  /** The server's last list of methods that can continue. */
  methodsLeft: string[];
}

const OFFER = /^debug1: Offering public key: (.+) (\S+) (SHA256:[A-Za-z0-9+/=]+)((?: [a-z-]+)*)\s*$/;
const ACCEPT = /^debug1: Server accepts key: (.+) (\S+) (SHA256:[A-Za-z0-9+/=]+)((?: [a-z-]+)*)\s*$/;

export function parseEvidence(log: string): LoginEvidence {
  const ev: LoginEvidence = {
    host: null,
    port: null,
    user: null,
    offered: [],
    missingIdentities: [],
    badPassphrases: 0,
    partialSuccess: false,
    authenticated: false,
    methodsLeft: [],
  };
  let m: RegExpExecArray | null;
  for (const raw of log.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if ((m = /^debug1: Connecting to (\S+) \[[^\]]*\] port (\d+)\.$/.exec(line))) {
      ev.host = m[1]!;
      ev.port = Number(m[2]);
    } else if ((m = /^debug1: Authenticating to (\S+):(\d+) as '(.*)'$/.exec(line))) {
      ev.host ??= m[1]!;
      ev.port ??= Number(m[2]);
      ev.user = m[3]!;
    } else if ((m = OFFER.exec(line))) {
      ev.offered.push({ file: m[1]!, type: m[2]!, fingerprint: m[3]!, agent: /\bagent\b/.test(m[4] ?? ''), accepted: false });
    } else if ((m = ACCEPT.exec(line))) {
      const fp = m[3]!;
      const known = ev.offered.find((k) => k.fingerprint === fp);
      if (known) known.accepted = true;
      else ev.offered.push({ file: m[1]!, type: m[2]!, fingerprint: fp, agent: /\bagent\b/.test(m[4] ?? ''), accepted: true });
    } else if ((m = /^no such identity: (.+): No such file or directory$/.exec(line))) {
      ev.missingIdentities.push(m[1]!);
    } else if (/^debug2: bad passphrase given/.test(line)) {
      ev.badPassphrases++;
    } else if (/^Authenticated using "publickey" with partial success\.?$/.test(line)) {
      ev.partialSuccess = true;
    } else if (/^Authenticated to \S+ .*using "/.test(line)) {
      ev.authenticated = true;
    } else if ((m = /^debug1: Authentications that can continue: (.*)$/.exec(line))) {
      ev.methodsLeft = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
    } else if ((m = /^(\S+)@(\S+): Permission denied \(/.exec(line))) {
      ev.user ??= m[1]!;
    }
  }
  return ev;
}

/** The key the server accepted, else the first key offered. */
export function keyUsed(ev: LoginEvidence): OfferedKey | null {
  return ev.offered.find((k) => k.accepted) ?? ev.offered[0] ?? null;
}

/**
 * The lines of the log a person (or IT support) can use: OpenSSH's errors and warnings, and
 * the few debug lines that say which key was offered and what the server answered. The rest
 * of the debug log (key exchange, channels) stays out of the interface.
 */
export function openSshWords(log: string): string {
  const keep = /^debug1: (Connecting to|Authenticating to|Offering public key|Server accepts key|Authentications that can continue|Trying private key|No more authentication methods)/;
  return log
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '' && (!/^debug\d: /.test(l) || keep.test(l)) && !/^OpenSSH_\S+ /.test(l) && !/^(Transferred|Bytes per second): /.test(l))
    .join('\n');
}
