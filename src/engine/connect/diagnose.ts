/**
 * Turns what OpenSSH printed into a diagnosis a newcomer can act on. Pure, so it is
 * tested on the real texts; the order matters: the most specific cause wins.
 */
export type DiagnosisCode =
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'key-permissions'
  | 'config-permissions'
  | 'wrong-passphrase'
  | 'mfa-rejected'
  | 'key-refused'
  | 'too-many-keys'
  | 'connection-refused'
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
}

interface Rule {
  code: DiagnosisCode;
  test: (out: string, ctx: DiagnoseContext) => boolean;
  message: string;
  next: string;
  alarming?: boolean;
}

export interface DiagnoseContext {
  /** A one-time code was typed during this attempt. */
  answeredCode: boolean;
  supportUrl: string;
  accessDelayHours?: number | undefined;
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
    test: (o) => /incorrect passphrase supplied|Bad passphrase/.test(o),
    message: 'The passphrase did not unlock your key.',
    next: 'Type the passphrase you chose when you created this key. It is not your Mila password.',
  },
  {
    code: 'mfa-rejected',
    test: (o, c) => c.answeredCode && /Permission denied \([^)]*keyboard-interactive[^)]*\)|Authentication failed/.test(o),
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
    code: 'key-refused',
    test: (o) => /Permission denied \(publickey/.test(o),
    message: 'The cluster did not accept your key. Either it is not registered yet, or this is not the key you gave Mila.',
    next: 'If you just sent your public key with the onboarding form, wait: access can take up to {{hours}} hours. Otherwise check that the fingerprint matches the key you submitted.',
  },
  {
    code: 'connection-refused',
    test: (o) => /Connection refused/.test(o),
    message: 'The cluster refused the connection. After several failed logins, the cluster blocks your internet address for about an hour.',
    next: 'Wait an hour, then try again once. If it still fails, contact IT support.',
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
    next: 'Check your internet connection. Some networks (hotels, some campuses) block SSH: try another network or a VPN.',
  },
  {
    code: 'dns',
    test: (o) => /Could not resolve hostname|Name or service not known|nodename nor servname provided|Temporary failure in name resolution/.test(o),
    message: 'This computer could not find the cluster’s address.',
    next: 'Check that you are connected to the internet, then try again.',
  },
  {
    code: 'network',
    test: (o) => /Network is unreachable|No route to host/.test(o),
    message: 'This computer has no network route to the cluster.',
    next: 'Check your internet connection (Wi-Fi, VPN), then try again.',
  },
  {
    code: 'config-error',
    test: (o) => /Bad configuration option|bad configuration options|Can't open user config file|garbage at end of line|Unsupported option/.test(o),
    message: 'OpenSSH could not read your SSH settings file.',
    next: 'Open the “Connection settings” step: it shows the problem line and can undo Mila Onboard’s changes.',
  },
];

export function diagnose(output: string, ctx: DiagnoseContext): Diagnosis {
  for (const rule of RULES) {
    if (rule.test(output, ctx)) {
      return {
        code: rule.code,
        message: rule.message,
        next: rule.next.replace('{{hours}}', String(ctx.accessDelayHours ?? 48)),
        alarming: rule.alarming ?? false,
      };
    }
  }
  return {
    code: 'unknown',
    message: 'The connection failed for a reason Mila Onboard does not recognise. OpenSSH’s own message is shown below.',
    next: `Try again. If it keeps failing, send the message below to IT support (${ctx.supportUrl}).`,
    alarming: false,
  };
}
