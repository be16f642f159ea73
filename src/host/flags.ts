/**
 * The one way this project's programs read their flags (the mila-onboard CLI keeps commander,
 * which also writes its help): node:util's parseArgs, in the two situations there are.
 *
 *   - readOwnFlags: the whole command line is the program's own (the web host, the benchmark).
 *     Strict: an unknown or misspelt flag, or one missing its value, stops the program with
 *     node's message and the usage line, rather than being ignored.
 *   - pickFlags: the command line is shared with others (Electron's and Chromium's switches
 *     and the app path around the desktop app's flags; the utility process's own arguments
 *     around the engine host's). Only the named flags are read; everything else is left alone.
 *
 * No Electron, no engine: main, the engine host, the web host and bench/ all import it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OwnOptions = NonNullable<ParseArgsConfig['options']>;
type OwnValues<O extends OwnOptions> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>['values'];

/** `--name value`, `--name=value` and booleans `--name`, exactly as `options` declares them. Throws with `usage` on anything else. */
export function readOwnFlags<const O extends OwnOptions>(argv: readonly string[], options: O, usage: string): OwnValues<O> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}.\nUsage: ${usage}`, { cause: err });
  }
}

/**
 * The string flags `names` (`--name value` or `--name=value`) out of a command line others
 * share. The last occurrence wins; an empty value (`--name=`) counts as absent; nothing after
 * `--` is read. A flag directly followed by another flag (`--ssh-dir --profile x`) has no
 * value: the following flag is read as a flag, not taken as the value (parseArgs alone,
 * lenient, would take it).
 */
export function pickFlags<const N extends string>(argv: readonly string[], names: readonly N[]): Partial<Record<N, string>> {
  const options: Record<string, { type: 'string' }> = Object.fromEntries(names.map((n) => [n, { type: 'string' }]));
  const isName = (name: string): name is N => (names as readonly string[]).includes(name);
  const found: Partial<Record<N, string>> = {};
  let args = [...argv];
  read: for (;;) {
    for (const t of parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true }).tokens) {
      if (t.kind === 'option-terminator') break read;
      if (t.kind !== 'option' || !isName(t.name) || typeof t.value !== 'string') continue;
      if (!t.inlineValue && t.value.startsWith('--')) {
        args = args.slice(t.index + 1); // read again from the flag that was taken for a value
        continue read;
      }
      found[t.name] = t.value;
    }
    break;
  }
  for (const n of names) if (found[n] === '') delete found[n];
  return found;
}
