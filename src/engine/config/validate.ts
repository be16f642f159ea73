import path from 'node:path';
import type { ErrorReasonDto } from '../../shared/contract/common.js';
import { EngineError, reason } from '../errors.js';

/** Longest user name Linux accepts (useradd's limit); the cluster's accounts are shorter. */
export const MAX_USER_LENGTH = 32;

function bad(message: string, hint?: string, why?: ErrorReasonDto): EngineError {
  return new EngineError('invalid-input', message, { ...(hint ? { hint } : {}), ...(why ? { reason: why } : {}) });
}


function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (code < 0x20 || code === 0x7f) return `a control character (code ${code})`;
  return `"${ch}"`;
}

/**
 * A cluster user name as it goes after `User` in the SSH config. OpenSSH would split on
 * spaces, expand `%` tokens and stop at `#`; quotes, shell characters and a leading `-`
 * are never part of an account name and could change what a command means.
 */
export function validateUser(user: string): string {
  if (user === '') throw bad('Enter your cluster user name (the one in your account e-mail).', undefined, reason('user-empty'));
  if (user.trim() === '') throw bad('The user name is only spaces; enter your cluster user name.', undefined, reason('user-blank'));
  if (user.length > MAX_USER_LENGTH)
    throw bad(`The user name is ${user.length} characters long; account names have at most ${MAX_USER_LENGTH}.`, undefined, reason('user-too-long', { length: String(user.length), max: String(MAX_USER_LENGTH) }));
  if (user.startsWith('-')) throw bad('A user name cannot start with "-".', undefined, reason('user-leading-dash'));
  if (user.startsWith('.')) throw bad('A user name cannot start with ".".', undefined, reason('user-leading-dot'));
  for (const ch of user) {
    if (!/[A-Za-z0-9._-]/.test(ch)) {
      const what = describeChar(ch);
      const extra =
        ch === '@' ? ' Enter only the user name, without "@" and the server.' : ch === '%' ? ' OpenSSH would read "%" as the start of a token.' : '';
      const code = ch === '@' ? 'user-at' : ch === ' ' || ch === '\t' ? 'user-space' : what.startsWith('"') ? 'user-char' : 'user-control';
      throw bad(`The user name contains ${what}, which an account name never has.${extra}`, 'Use letters, digits, ".", "_" and "-" only, as in your account e-mail.', reason(code, code === 'user-char' ? { char: ch } : {}));
    }
  }
  // Cluster accounts are lowercase; OpenSSH would send "JDoe" as typed and the server would
  // refuse it as an unknown user, which looks exactly like an unregistered key.
  if (user !== user.toLowerCase())
    throw bad(`The user name "${user}" has capital letters; cluster user names are all lowercase.`, `Type it in lowercase: ${user.toLowerCase()}`, reason('user-uppercase', { user, lower: user.toLowerCase() }));
  return user;
}

export interface IdentityChoice {
  /** Absolute path on this computer. */
  path: string;
  /** The value written after `IdentityFile` (quoted when needed). */
  configValue: string;
  /** What `ssh -G` prints for it (the value without quotes or escapes). */
  sshValue: string;
}

/**
 * Resolves the key the config should name. A bare file name is looked up in the SSH
 * folder, `~/` is the home folder, other relative paths are relative to the SSH folder.
 * The value is written with `~/` when it lies in the home folder (so the config still
 * works if the home moves), `%` doubled (OpenSSH expands tokens in IdentityFile), and
 * quoted when it has spaces.
 */
export function resolveIdentity(input: string | undefined, opts: { sshDir: string; home: string; defaultName: string; platform: NodeJS.Platform }): IdentityChoice {
  const raw = input ?? opts.defaultName;
  if (raw.trim() === '') throw bad('The key path is empty.');
  if (/[\r\n\0]/.test(raw)) throw bad('The key path contains a line break or a NUL character.');
  for (const ch of raw) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) throw bad(`The key path contains ${describeChar(ch)}.`);
  }
  if (raw.includes('"') || raw.includes("'")) throw bad('The key path contains a quote, which the SSH config cannot hold safely.', 'Rename or move the key to a path without quotes.');
  if (raw.includes('$')) throw bad('The key path contains "$", which OpenSSH would read as an environment variable.', 'Rename or move the key to a path without "$".');
  let abs: string;
  if (raw === '~' || raw.startsWith('~/') || raw.startsWith('~\\')) abs = path.join(opts.home, raw.slice(1));
  else if (raw.startsWith('~')) throw bad('Paths like "~name/..." are not supported here; give the full path.');
  else if (path.isAbsolute(raw)) abs = path.normalize(raw);
  else abs = path.resolve(opts.sshDir, raw);
  if (abs.endsWith('.pub')) throw bad(`"${abs}" is a public key; the SSH config names the private key (the same path without ".pub").`);

  let logical: string;
  const rel = path.relative(opts.home, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) logical = '~/' + rel.split(path.sep).join('/');
  else logical = abs;
  if (opts.platform === 'win32') logical = logical.replace(/\\/g, '/');
  const sshValue = logical.replace(/%/g, '%%');
  const needsQuotes = /[\s#\\=]/.test(sshValue);
  const configValue = needsQuotes ? `"${sshValue.replace(/\\/g, '\\\\')}"` : sshValue;
  return { path: abs, configValue, sshValue };
}
