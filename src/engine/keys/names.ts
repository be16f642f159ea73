import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, reason } from '../errors.js';
import { pathExists } from '../files/exists.js';


/**
 * Key file names. Every operation takes a plain file name inside the SSH folder and checks
 * it again here, whatever the front already checked: a name is never a path, never an
 * option (`-rf`), never something that breaks a line of output or config.
 */

export type KeyType = 'ed25519' | 'rsa';

export const KEY_NAME_MAX = 100;

/** Files that belong to OpenSSH itself and must never be taken for (or overwritten as) a key. */
const RESERVED = new Set(['config', 'known_hosts', 'known_hosts.old', 'authorized_keys', 'authorized_keys2', 'environment', 'rc']);
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
const NEW_NAME_CHARS = /^[A-Za-z0-9._@+-]+$/;

const EXAMPLE = 'id_ed25519_mila';

function isAbsoluteAnywhere(p: string): boolean {
  return path.isAbsolute(p) || path.posix.isAbsolute(p) || path.win32.isAbsolute(p);
}

/**
 * Checks the rules every key name follows, and reduces an absolute path that points
 * directly inside the SSH folder to its file name. Returns the plain name.
 */
function checkCommon(sshDir: string, input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new EngineError('invalid-input', 'The key name is empty. Give a file name such as ' + EXAMPLE + '.', { reason: reason('key-name-empty', { example: EXAMPLE }) });
  }
  if (CONTROL.test(input)) {
    throw new EngineError('invalid-input', 'The key name contains a line break or another control character. Give a plain file name such as ' + EXAMPLE + '.', {
      reason: reason('key-name-control', { example: EXAMPLE }),
    });
  }
  let name = input;
  if (isAbsoluteAnywhere(name)) {
    const resolved = path.resolve(name);
    if (path.dirname(resolved) !== path.resolve(sshDir)) {
      throw new EngineError('unsafe-path', `"${input}" is outside the SSH folder (${sshDir}). Keys live only inside that folder: give a plain file name such as ${EXAMPLE}.`, {
        reason: reason('key-name-path', { example: EXAMPLE }),
      });
    }
    name = path.basename(resolved);
  }
  if (name.includes('/') || name.includes('\\')) {
    throw new EngineError('unsafe-path', `"${input}" is a path, not a file name. Give a plain file name inside the SSH folder, such as ${EXAMPLE}.`, { reason: reason('key-name-path', { example: EXAMPLE }) });
  }
  if (name === '.' || name === '..') {
    throw new EngineError('unsafe-path', `"${input}" is not a file name. Give a plain file name inside the SSH folder, such as ${EXAMPLE}.`, { reason: reason('key-name-path', { example: EXAMPLE }) });
  }
  if (name.startsWith('-')) {
    throw new EngineError('invalid-input', `The key name "${input}" starts with "-", which programs would read as an option. Choose a name that starts with a letter or digit.`, {
      reason: reason('key-name-dash'),
    });
  }
  if (name.length > KEY_NAME_MAX) {
    throw new EngineError('invalid-input', `The key name is too long (at most ${KEY_NAME_MAX} characters).`, { reason: reason('key-name-too-long', { max: String(KEY_NAME_MAX) }) });
  }
  if (RESERVED.has(name)) {
    throw new EngineError('invalid-input', `"${name}" is one of OpenSSH's own files, not a key.`, { reason: reason('key-name-reserved', { name }) });
  }
  return name;
}

/** The name for a key about to be created. Throws 'invalid-input' or 'unsafe-path' with a plain reason. */
export function validateNewKeyName(sshDir: string, input: unknown): string {
  const name = checkCommon(sshDir, input);
  if (name.toLowerCase().endsWith('.pub')) {
    throw new EngineError('invalid-input', `Give the private key's name without ".pub" (for example ${name.slice(0, -4) || EXAMPLE}); the public half is written beside it as NAME.pub.`, {
      reason: reason('key-name-pub', { example: name.slice(0, -4) || EXAMPLE }),
    });
  }
  if (!NEW_NAME_CHARS.test(name)) {
    throw new EngineError('invalid-input', `The key name "${name}" may use only letters, digits and . _ - @ + (no spaces).`, { reason: reason('key-name-chars') });
  }
  if (WINDOWS_DEVICE.test(name)) {
    throw new EngineError('invalid-input', `"${name}" is a reserved device name on Windows. Choose another name.`, { reason: reason('key-name-reserved', { name }) });
  }
  return name;
}

/**
 * The name of an existing file in the SSH folder (a key found by listKeys). Looser than a
 * new name (any file name the user already has), but never a path or an option.
 */
export async function resolveExistingKeyFile(
  sshDir: string,
  input: unknown,
  opts: { allowPublic?: boolean } = {},
): Promise<{ name: string; path: string }> {
  const name = checkCommon(sshDir, input);
  if (!opts.allowPublic && name.toLowerCase().endsWith('.pub')) {
    throw new EngineError('invalid-input', `"${name}" is a public key; give the private key's name (${name.slice(0, -4)}).`, { reason: reason('key-is-public', { name, private: name.slice(0, -4) }) });
  }
  const full = path.join(sshDir, name);
  const st = await lstat(full).catch(() => null);
  if (!st) throw new EngineError('not-found', `There is no file named "${name}" in the SSH folder (${sshDir}).`, { reason: reason('key-file-missing', { name, dir: sshDir }) });
  if (st.isDirectory()) throw new EngineError('invalid-input', `"${name}" is a folder, not a key file.`, { reason: reason('key-is-folder', { name }) });
  return { name, path: full };
}

/** The profile's default name adapted to the key type: id_ed25519_mila → id_rsa_mila. */
export function defaultKeyName(type: KeyType, profileDefault: string = EXAMPLE): string {
  if (/ed25519|rsa|ecdsa|dsa/.test(profileDefault)) return profileDefault.replace(/ed25519|rsa|ecdsa|dsa/, type);
  return type === 'ed25519' ? profileDefault : `${profileDefault}_${type}`;
}

/** A free name: the default, else the default with `_2`, `_3`... (neither the file nor its .pub may exist). */
export async function suggestKeyName(sshDir: string, type: KeyType = 'ed25519', profileDefault: string = EXAMPLE): Promise<string> {
  const base = defaultKeyName(type, profileDefault);
  for (let i = 1; i < 1000; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!(await pathExists(path.join(sshDir, name))) && !(await pathExists(path.join(sshDir, `${name}.pub`)))) return name;
  }
  throw new EngineError('busy', 'Could not find a free key name in the SSH folder.', { reason: reason('key-no-free-name', { dir: sshDir }) });
}
