import * as z from 'zod/mini';
import '../zod-english.js';

/**
 * Every code a failed request can carry (ErrorPayloadSchema's `code`), listed once: the engine
 * throws the first list (src/engine/errors.ts takes its type from here), the hosts and the page
 * produce the second for failures around the engine rather than in it. The page says each code
 * in both languages (`errors.codes.<code>` in i18n/en.ts and fr.ts): the compiler refuses a code
 * without its sentence, since ErrorNotice looks the sentence up by the code's type.
 */
export const engineErrorCodes = [
  'invalid-input',
  'not-found',
  'openssh-missing',
  'permission-denied',
  'disk-full',
  'read-only',
  'busy',
  'changed-underneath',
  'cancelled',
  'timeout',
  'wrong-passphrase',
  'already-exists',
  'unsafe-path',
  'verification-failed',
  'host-key-mismatch',
  /** A config or known_hosts that holds private-key text or NUL bytes: never shown, never planned. */
  'unsafe-content',
  /** The SSH folder or the backups folder is a link, someone else's, or writable by others. */
  'unsafe-folder',
  /** The backups journal holds an entry mila-onboard did not write (bad name, path outside, wrong hash). */
  'unsafe-journal',
  'internal',
] as const;

export const hostErrorCodes = [
  /** Desktop: the engine host process ended while the call ran (src/host/desktop/engine-client.ts). */
  'helper-stopped',
  /** Desktop: the engine host stopped answering its heartbeat and was ended. */
  'helper-hung',
  /** Desktop: the engine host keeps ending; it is not started again for a while. */
  'helper-failing',
  /** Web page: the socket to the web host closed (renderer/api/web-transport.ts). */
  'disconnected',
  /** Web page: the single-use launch address was used already. */
  'launch-used',
  /** Web page: no valid secret to connect with (the host was restarted, or the tab is new). */
  'not-signed-in',
] as const;

export const ErrorCodeSchema = z.enum([...engineErrorCodes, ...hostErrorCodes]);
/** A code the engine's EngineError can carry. */
export type EngineErrorCode = (typeof engineErrorCodes)[number];
/** Any code a failed request can carry. */
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
