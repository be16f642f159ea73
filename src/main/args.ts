/**
 * The desktop app's own command-line options, parsed without Electron so it is testable.
 * The same flags as the CLI: `--ssh-dir DIR` and `--profile NAME-OR-FILE` (also written
 * `--ssh-dir=DIR`). The argv of an Electron app holds Electron's and Chromium's own
 * arguments too (the executable, the app path, `--some-switch`s), so unknown arguments
 * are ignored rather than refused (pickFlags).
 */
import { pickFlags } from '../host/flags.js';

export interface LaunchOptions {
  /** The SSH folder to work on; undefined means ~/.ssh. */
  sshDir: string | undefined;
  /** A built-in profile name or a profile file. */
  profile: string;
}

/**
 * Flags win; then MILA_ONBOARD_SSH_DIR / MILA_ONBOARD_PROFILE (handy for tests that start
 * the packaged app); then the defaults (~/.ssh and the built-in "mila" profile).
 */
export function launchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): LaunchOptions {
  const flags = pickFlags(argv, ['ssh-dir', 'profile']);
  const sshDir = flags['ssh-dir'] ?? (env.MILA_ONBOARD_SSH_DIR || undefined);
  const profile = flags.profile ?? (env.MILA_ONBOARD_PROFILE || undefined) ?? 'mila';
  return { sshDir, profile };
}
