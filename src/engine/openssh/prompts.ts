/**
 * Recognising what an OpenSSH program running in a pty is asking for. A pure function of
 * the output seen since the last answer was typed, so every real prompt text is tested
 * without starting a process (test/unit/keys-prompts.test.ts holds the texts OpenSSH
 * 9.2 prints). The program's locale is forced to C (see pty-session.ts), so the texts
 * are English.
 */

export type PromptKind =
  /** ssh-keygen asks for a new passphrase: `Enter passphrase (empty for no passphrase): ` or `Enter new passphrase (empty for no passphrase): `. */
  | 'new-passphrase'
  /** `Enter same passphrase again: ` */
  | 'confirm-passphrase'
  /** The passphrase of an existing key: `Enter passphrase: `, `Enter passphrase for key 'F': `, `Enter passphrase for F: ` (ssh-add), `Enter old passphrase: `. */
  | 'passphrase'
  /** `Overwrite (y/n)? ` after `F already exists.` */
  | 'overwrite'
  /** `Are you sure you want to continue connecting (yes/no/[fingerprint])? ` */
  | 'host-key'
  /** A keyboard-interactive one-time code: `(user@host) please enter otp:`, `(root@127.0.0.1) One-time password (OATH) for `root': `. */
  | 'otp'
  /**
   * Duo's menu (the Alliance's login nodes): info lines `Duo two-factor login for NAME`,
   * `Enter a passcode or select one of the following options:`, ` 1. Duo Push to My phone (iOS)`,
   * then `Passcode or option (1-1): `. Answered with an option's number (push: approve on the
   * phone, then the server goes on) or a passcode (Duo Mobile, or a YubiKey touch).
   */
  | 'duo-menu'
  /** A password prompt (`user@host's password: `, `(user@host) Password: `). Mila no longer accepts passwords. */
  | 'password'
  /** Something that looks like a question but is none of the above: shown verbatim, never answered blindly. */
  | 'unknown'
  /** Notice, not a prompt: the passphrase given for an existing key was wrong and the program gave up. */
  | 'wrong-passphrase'
  /** Notice, not a prompt: `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!` */
  | 'host-key-changed';

export interface Prompt {
  kind: PromptKind;
  /** The prompt line (or notice line) as the program printed it, control sequences removed, trailing space kept. */
  text: string;
  /** True when the program is waiting for an answer; false for notices. */
  awaitsAnswer: boolean;
  /** True when the answer should be masked on screen (passphrases, passwords). */
  secret: boolean;
  /** True when the program says the previous answer was rejected (mismatch, bad passphrase, wrong code). */
  retry: boolean;
  /** The key file named in the prompt, when there is one. */
  keyFile?: string;
  /** For host-key prompts: the fingerprint the server presented, and the host as ssh names it. */
  fingerprint?: string;
  keyType?: string;
  host?: string;
  /** For keyboard-interactive prompts: the `user@host` ssh puts in front of the server's text. */
  account?: string;
  /** For the Duo menu: its numbered options (`1` → `Duo Push to My phone (iOS)`), in order. */
  options?: DuoOption[];
}

export interface DuoOption {
  /** What to type to choose it: `1`. */
  key: string;
  /** As the server words it: `Duo Push to My phone (iOS)`. */
  label: string;
  /** What choosing it does: a push waits for approval on the phone; a phone call or SMS sends something. */
  action: 'push' | 'phone' | 'sms' | 'other';
}

export interface RecogniseOptions {
  /**
   * True once the program has printed nothing for a while. Only then is an unknown line
   * ending in ': ' or '? ' taken for a prompt (it might otherwise be half of a longer line).
   */
  quiet?: boolean;
}

// CSI and OSC sequences, and single-character escapes. A pty may wrap output in them.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Output as lines: escapes removed, CRLF (and the CR CR LF OpenSSH prints) made LF, and a bare CR taken as "start the line again". */
export function normaliseOutput(raw: string): string {
  return raw
    .replace(ANSI, '')
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      const i = line.lastIndexOf('\r');
      return i < 0 ? line : line.slice(i + 1);
    })
    .join('\n');
}

/** Texts that mean the last answer was refused. */
const REJECTED = [
  /Passphrases do not match\.\s+Try again\./,
  /incorrect passphrase supplied to decrypt private key/,
  /^Bad passphrase/m,
  /Permission denied, please try again\./,
  /Please type 'yes', 'no' or the fingerprint/,
  // Duo, after a wrong passcode (the menu is then shown again).
  /Invalid passcode, please try again\./,
];

const WRONG_PASSPHRASE = /incorrect passphrase supplied to decrypt private key|^Bad passphrase\.?\s*$/m;
const HOST_CHANGED = /REMOTE HOST IDENTIFICATION HAS CHANGED!/;

/** Words servers use for one-time codes in keyboard-interactive prompts. */
const OTP_WORDS = /\b(otp|one[- ]time|verification code|passcode|token|two[- ]factor|2fa|mfa|authenticator|oath|totp|hotp|security code|code)\b/i;

function base(kind: PromptKind, text: string, retry: boolean, extra: Partial<Prompt> = {}): Prompt {
  const secret = kind === 'new-passphrase' || kind === 'confirm-passphrase' || kind === 'passphrase' || kind === 'password';
  const awaitsAnswer = kind !== 'wrong-passphrase' && kind !== 'host-key-changed';
  return { kind, text, awaitsAnswer, secret, retry, ...extra };
}

const DUO_PROMPT = /^(?:\(([^()\s]+@[^()\s]+)\) )?Passcode or option \((\d+)-(\d+)\):$/;
const DUO_INTRO = /Enter a passcode or select one of the following options:/;

/** The numbered options listed after Duo's "select one of the following options" line. */
function duoOptions(before: string): DuoOption[] {
  const lines = before.split('\n');
  let start = -1;
  lines.forEach((l, i) => {
    if (DUO_INTRO.test(l)) start = i;
  });
  const options: DuoOption[] = [];
  for (const l of start < 0 ? [] : lines.slice(start + 1)) {
    const m = /^\s*(\d+)\.\s+(.+?)\s*$/.exec(l);
    if (!m) continue;
    const label = m[2]!;
    const action = /\bpush\b/i.test(label) ? 'push' : /\bphone call\b|\bcall\b/i.test(label) ? 'phone' : /\bSMS\b|text message/i.test(label) ? 'sms' : 'other';
    options.push({ key: m[1]!, label, action });
  }
  return options;
}

function hostKeyDetails(before: string): Partial<Prompt> {
  const out: Partial<Prompt> = {};
  const fp = /(\S+) key fingerprint is (SHA256:[A-Za-z0-9+/=]+|MD5:[0-9a-f:]+)\.?/.exec(before);
  if (fp) {
    out.keyType = fp[1];
    out.fingerprint = fp[2];
  }
  const host = /The authenticity of host '([^']+)' can't be established\./.exec(before);
  if (host) out.host = host[1];
  return out;
}

/**
 * What the program is asking, given the output since the last answer (or since it
 * started). Returns null when it is not (yet) asking anything recognisable.
 * Known prompts are recognised as soon as their text is complete; an unknown
 * question only with `quiet: true`.
 */
export function recognisePrompt(tail: string, opts: RecogniseOptions = {}): Prompt | null {
  const text = normaliseOutput(tail);
  const nl = text.lastIndexOf('\n');
  const before = nl < 0 ? '' : text.slice(0, nl);
  const last = nl < 0 ? text : text.slice(nl + 1);
  const retry = REJECTED.some((re) => re.test(before));
  const line = last.trimEnd();

  if (line === '') {
    // Nothing is being asked on the current line; report what just happened, if it matters.
    if (HOST_CHANGED.test(before)) {
      const l = before.split('\n').find((x) => HOST_CHANGED.test(x)) ?? 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!';
      return base('host-key-changed', l.trim(), false);
    }
    const wrong = before.split('\n').reverse().find((x) => WRONG_PASSPHRASE.test(x));
    if (wrong !== undefined) return base('wrong-passphrase', wrong.trim(), true);
    return null;
  }

  let m: RegExpExecArray | null;
  if (/^Enter (?:new )?passphrase \(empty for no passphrase\):$/.test(line)) return base('new-passphrase', last, retry);
  if (line === 'Enter same passphrase again:') return base('confirm-passphrase', last, retry);
  if (line === 'Enter passphrase:' || line === 'Enter old passphrase:') return base('passphrase', last, retry);
  if ((m = /^Enter passphrase for key '(.*)':$/.exec(line))) return base('passphrase', last, retry, { keyFile: m[1]! });
  // ssh-add: `Enter passphrase for F: `, then `Bad passphrase, try again for F: ` (each optionally "(will confirm each use)").
  if ((m = /^Enter passphrase for (.+?)(?: \(will confirm each use\))?:$/.exec(line))) return base('passphrase', last, retry, { keyFile: m[1]! });
  if ((m = /^Bad passphrase, try again for (.+?)(?: \(will confirm each use\))?:$/.exec(line))) return base('passphrase', last, true, { keyFile: m[1]! });
  if (/^Overwrite \(y\/n\)\?$/.test(line)) {
    const exists = /^(.*) already exists\.$/m.exec(before);
    return base('overwrite', last, false, exists ? { keyFile: exists[1]! } : {});
  }
  if (/^Are you sure you want to continue connecting \(yes\/no(?:\/\[fingerprint\])?\)\?$/.test(line) || /^Please type 'yes', 'no' or the fingerprint:$/.test(line)) {
    return base('host-key', last, /^Please type/.test(line), hostKeyDetails(text));
  }
  if (/^\S+@\S+'s password:$/.test(line)) return base('password', last, retry);

  // Duo's menu, before the one-time-code words below (they would take "Passcode" for a code prompt).
  if ((m = DUO_PROMPT.exec(line))) {
    const intro = /^(?:\(([^()\s]+@[^()\s]+)\) )?Duo two-factor login for /m.exec(before);
    const account = m[1] ?? intro?.[1];
    // The whole menu is the prompt: the user must see what each number does.
    const menuStart = before.lastIndexOf('Duo two-factor login for');
    const shown = menuStart < 0 ? last : text.slice(before.lastIndexOf('\n', menuStart) + 1);
    return base('duo-menu', shown, retry, { options: duoOptions(before), ...(account ? { account } : {}) });
  }

  // Keyboard-interactive prompts: OpenSSH 8.9+ puts `(user@host) ` in front of the server's text.
  m = /^\(([^()\s]+@[^()\s]+)\) (.*)$/.exec(line);
  const account = m ? m[1]! : undefined;
  const body = m ? m[2]! : line;
  if (/[:?]$/.test(line)) {
    if (/^(?:password|passwd)(?: for \S+)?:$/i.test(body)) return base('password', last, retry, account ? { account } : {});
    if (OTP_WORDS.test(body) && /:$/.test(body)) return base('otp', last, retry, account ? { account } : {});
  }

  // Anything else that ends like a question is a prompt only once the program has gone quiet.
  if (opts.quiet && /[:?] ?$/.test(last)) return base('unknown', last, retry, account ? { account } : {});
  return null;
}
