import { keyUsed, type LoginEvidence } from './evidence.js';

/**
 * Turns what OpenSSH printed into a diagnosis a newcomer can act on. Pure, so it is
 * tested on the real texts; the order matters: the most specific cause wins.
 *
 * "Permission denied (publickey)" alone has several causes a newcomer cannot tell apart,
 * and the wrong one costs days (waiting 48 hours for a typo). So the login is run with
 * OpenSSH's debug log (see evidence.ts), and the diagnosis also uses what the engine saw:
 * how many passphrases were typed and refused, which key and username were offered and
 * what the server answered, and this app's own recent attempts (history.ts).
 */
export type DiagnosisCode =
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'key-permissions'
  | 'config-permissions'
  | 'wrong-passphrase'
  | 'mfa-rejected'
  | 'key-refused'
  | 'wrong-username'
  | 'key-not-offered'
  | 'too-many-keys'
  | 'connection-refused'
  | 'refused-after-failures'
  | 'connection-closed'
  | 'timeout'
  | 'dns'
  | 'network'
  | 'config-error'
  | 'unknown';

export interface Diagnosis {
  code: DiagnosisCode;
  /** What happened, in plain words. */
  message: string;
  /** What to do next. */
  next: string;
  /** A security alert, shown differently from an ordinary failure. */
  alarming: boolean;
  /**
   * The facts the texts name, so each front can say them in its language: `user` (the
   * username OpenSSH logged in as), `key` (the key file offered), `fingerprint`, `host`,
   * `port`, `hours`, `failures`, `previousUser`. Never a secret.
   */
  values: Record<string, string>;
}

interface Rule {
  code: DiagnosisCode;
  test: (out: string, ctx: DiagnoseContext) => boolean;
  message: string;
  next: string;
  alarming?: boolean;
}

const DENIED = /Permission denied \(/;

export interface DiagnoseContext {
  /** A one-time code was typed during this attempt. */
  answeredCode: boolean;
  supportUrl: string;
  accessDelayHours?: number | undefined;
  /** OpenSSH's debug log of the attempt, parsed (absent: only the last words are known). */
  evidence?: LoginEvidence | undefined;
  /** How many key passphrases were typed during this attempt. */
  passphraseAnswers?: number | undefined;
  /** Failed logins against this host in this app's recent history (see history.ts). */
  recentFailures?: number | undefined;
  /** Usernames the offered key was accepted with before, on this host (history.ts). */
  usersKeyWorkedWith?: string[] | undefined;
}

/** Every passphrase typed was refused, and the key never signed anything: it was never unlocked. */
function neverUnlocked(c: DiagnoseContext): boolean {
  const ev = c.evidence;
  if (!ev || !c.passphraseAnswers) return false;
  return ev.badPassphrases >= c.passphraseAnswers && !ev.partialSuccess && !ev.authenticated;
}

/** Keys were offered and the server accepted none of them. */
function offeredAndRefused(c: DiagnoseContext): boolean {
  const ev = c.evidence;
  return !!ev && ev.offered.length > 0 && !ev.offered.some((k) => k.accepted);
}

const RULES: Rule[] = [
  {
    code: 'host-key-changed',
    test: (o) => /REMOTE HOST IDENTIFICATION HAS CHANGED|POSSIBLE DNS SPOOFING DETECTED/.test(o),
    message: 'The server did not present the identity recorded for it. Someone may be pretending to be the cluster, or the cluster changed its keys.',
    next: 'Do not continue. Contact IT support and tell them you saw a host identification warning.',
    alarming: true,
  },
  {
    code: 'host-key-unknown',
    test: (o) => /Host key verification failed|No \S+ host key is known for/.test(o),
    message: 'This computer does not know the cluster’s identity yet, so OpenSSH refused to connect.',
    next: 'Go back to the “Trust the cluster” step and verify the cluster’s host keys.',
  },
  {
    code: 'key-permissions',
    test: (o) => /UNPROTECTED PRIVATE KEY FILE|Permissions 0\d+ for '.*' are too open/.test(o),
    message: 'Other users of this computer can read your private key, so OpenSSH refuses to use it.',
    next: 'Let Mila Onboard fix the permissions (only you will be able to read the key), then try again.',
  },
  {
    code: 'config-permissions',
    test: (o) => /Bad owner or permissions on/.test(o),
    message: 'Your SSH settings file can be changed by other users, so OpenSSH refuses to read it.',
    next: 'Let Mila Onboard fix the permissions of your SSH folder, then try again.',
  },
  {
    code: 'wrong-passphrase',
    test: (o, c) => /incorrect passphrase supplied|Bad passphrase/.test(o) || (DENIED.test(o) && neverUnlocked(c)),
    message: 'The passphrase did not unlock your key {{key}}, so it was never used.',
    next: 'Try again and type the passphrase you chose when you created this key (it is not your Mila password). If you have forgotten it, create a new key and send its public key to Mila.',
  },
  {
    code: 'mfa-rejected',
    test: (o, c) =>
      (c.answeredCode || !!c.evidence?.partialSuccess) && /Permission denied \([^)]*keyboard-interactive[^)]*\)|Authentication failed/.test(o),
    message: 'The one-time code was refused.',
    next: 'Wait for a new code and type it quickly. If codes keep failing, set your phone’s clock to automatic time.',
  },
  {
    code: 'too-many-keys',
    test: (o) => /Too many authentication failures/.test(o),
    message: 'OpenSSH offered too many keys before the right one, and the server stopped listening.',
    next: 'Let Mila Onboard write the connection settings: they tell OpenSSH to offer only your Mila key.',
  },
  {
    code: 'key-not-offered',
    test: (o, c) => DENIED.test(o) && !!c.evidence && c.evidence.offered.length === 0,
    message: 'OpenSSH had no key to offer the cluster: the key named in your connection settings could not be found or read.',
    next: 'Open the “Your SSH keys” step and check that your key is there, then write the connection settings again so that they name it.',
  },
  {
    code: 'wrong-username',
    test: (o, c) => DENIED.test(o) && offeredAndRefused(c) && (c.usersKeyWorkedWith ?? []).some((u) => u !== c.evidence?.user),
    message: 'The cluster refused your key for the username “{{user}}”, but it accepted the same key for “{{previousUser}}” before. The username in your connection settings is probably wrong.',
    next: 'Open the “Connection settings” step and write your Mila username (lowercase, as in your Mila account), then try again.',
  },
  {
    code: 'key-refused',
    test: (o) => /Permission denied \(publickey/.test(o),
    message: 'The cluster did not accept the key {{key}} for the username “{{user}}”. Either the key is not registered yet, or the username is not yours.',
    next: 'Check the username first: it must be your Mila username, in lowercase. If it is right and you sent this public key with the onboarding form, wait: access can take up to {{hours}} hours. Mila Onboard can check for you whether the key works yet, without a code.',
  },
  {
    code: 'refused-after-failures',
    test: (o, c) => /Connection refused/.test(o) && (c.recentFailures ?? 0) > 0,
    message: 'The cluster refused the connection, after {{failures}} failed login(s) from this computer in the last two hours. The cluster blocks an internet address for about an hour after repeated failed logins.',
    next: 'Wait an hour, then try again once, after fixing what made the login fail. If it still fails, contact IT support.',
  },
  {
    code: 'connection-refused',
    test: (o) => /Connection refused/.test(o),
    message: 'Nothing answered at the cluster’s address and port: the connection was refused. The port may be closed, or a firewall on your network may block it.',
    next: 'Try another network (some campus, hotel and public networks block {{portName}}), or turn your VPN on or off, then try again. If it fails everywhere, contact IT support.',
  },
  {
    code: 'connection-closed',
    test: (o) => /kex_exchange_identification|Connection closed by .* port|Connection reset by/.test(o),
    message: 'The cluster closed the connection before logging you in. This happens when your address is temporarily blocked, or during maintenance.',
    next: 'Wait a while, then try again. Login nodes restart on a schedule (first and last Tuesday of the month, 2 PM Eastern).',
  },
  {
    code: 'timeout',
    test: (o) => /Connection timed out|Operation timed out|timed out during banner exchange/.test(o),
    message: 'The cluster did not answer in time.',
    next: 'Check your internet connection. Some networks (hotels, some campuses) silently block {{portName}}: try another network, or turn your VPN on or off.',
  },
  {
    code: 'dns',
    test: (o) => /Could not resolve hostname|Name or service not known|nodename nor servname provided|Temporary failure in name resolution/.test(o),
    message: 'This computer could not find the cluster’s address.',
    next: 'Check that you are connected to the internet and that the cluster’s name in your settings is spelled right, then try again.',
  },
  {
    code: 'network',
    test: (o) => /Network is unreachable|No route to host/.test(o),
    message: 'This computer has no network route to the cluster.',
    next: 'Check your internet connection (Wi-Fi, cable). A VPN can cause this too: turn it on or off, then try again.',
  },
  {
    code: 'config-error',
    test: (o) => /Bad configuration option|bad configuration options|Can't open user config file|garbage at end of line|Unsupported option/.test(o),
    message: 'OpenSSH could not read your SSH settings file.',
    next: 'Open the “Connection settings” step: it shows the problem line and can undo Mila Onboard’s changes.',
  },
];

/** The facts a diagnosis names, from the evidence (values are plain strings, for any language). */
export function diagnosisValues(ctx: DiagnoseContext, output = ''): Record<string, string> {
  const v: Record<string, string> = { hours: String(ctx.accessDelayHours ?? 48) };
  const ev = ctx.evidence;
  const key = ev ? keyUsed(ev) : null;
  const denied = /(\S+)@\S+: Permission denied/.exec(output);
  const user = ev?.user ?? denied?.[1];
  if (user) v.user = user;
  if (key) {
    v.key = key.file;
    v.fingerprint = key.fingerprint;
    /** The server said it accepts this key: it is registered, whatever else failed. */
    v.keyAccepted = key.accepted ? 'yes' : 'no';
  }
  const at = /connect to host (\S+) port (\d+)/.exec(output);
  const host = ev?.host ?? at?.[1];
  const port = ev?.port ?? (at ? Number(at[2]) : null);
  if (host) v.host = host;
  if (port) v.port = String(port);
  if (ctx.recentFailures) v.failures = String(ctx.recentFailures);
  const previous = (ctx.usersKeyWorkedWith ?? []).filter((u) => u !== user).at(-1);
  if (previous) v.previousUser = previous;
  return v;
}

/** `{{name}}` filled from values; a value that is not known reads as a neutral word. */
function fill(text: string, values: Record<string, string>): string {
  const portName = values.port ? `port ${values.port}` : 'the SSH port';
  return text.replace(/\{\{(\w+)\}\}/g, (_w, name: string) => (name === 'portName' ? portName : (values[name] ?? '?')));
}

export function diagnose(output: string, ctx: DiagnoseContext): Diagnosis {
  const values = diagnosisValues(ctx, output);
  for (const rule of RULES) {
    if (rule.test(output, ctx)) {
      // A wrong passphrase is not a registration problem: say so when the server proved it.
      const registered = rule.code === 'wrong-passphrase' && values.keyAccepted === 'yes' ? ' The cluster did recognise the key: it is registered.' : '';
      return {
        code: rule.code,
        message: fill(rule.message, values) + registered,
        next: fill(rule.next, values),
        alarming: rule.alarming ?? false,
        values,
      };
    }
  }
  return {
    code: 'unknown',
    message: 'The connection failed for a reason Mila Onboard does not recognise. OpenSSH’s own message is shown below.',
    next: `Try again. If it keeps failing, send the message below to IT support (${ctx.supportUrl}).`,
    alarming: false,
    values,
  };
}
