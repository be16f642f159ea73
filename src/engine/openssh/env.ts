/**
 * The one environment every OpenSSH child gets (pty or not): the parent's, without anything
 * that looks secret, without variables that would send prompts elsewhere or change their
 * language, with the locale forced to C so what OpenSSH prints is the English we recognise.
 */

/**
 * Environment variable names that may hold secrets: never passed to a child program.
 * SSH_AUTH_SOCK / SSH_AGENT_PID are locations, not secrets, and are kept.
 */
const SECRET_NAME = /(secret|token|passw|passphrase|pwd$|^pass$|_pass$|apikey|api_key|private|credential|cookie|session|auth(?!_sock)|signature|_key$|^key$|access_key|bearer|jwt|oauth|otp)/i;
const KEEP = new Set(['SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'PWD', 'OLDPWD', 'XDG_SESSION_TYPE', 'XDG_SESSION_ID']);
/** Variables that would send prompts somewhere other than our pty, or change the prompts' language. */
const DROP = new Set(['SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'DISPLAY_ASKPASS', 'LANGUAGE', 'LC_MESSAGES', 'LC_CTYPE', 'LANG', 'NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE']);

/** `base` filtered as above, then `extra` applied (a value sets, undefined removes). `extra` never holds secrets. */
export function childEnvironment(base: NodeJS.ProcessEnv = process.env, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (DROP.has(k.toUpperCase())) continue;
    if (!KEEP.has(k.toUpperCase()) && SECRET_NAME.test(k)) continue;
    env[k] = v;
  }
  env.LC_ALL = 'C';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}
