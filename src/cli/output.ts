import { EngineError, toErrorPayload } from '../engine/errors.js';

/** Exit codes: 0 done, 1 refused or failed (nothing changed unless said), 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Prints an engine failure the way a person (or a script with --json) needs it; never a stack trace. */
export function reportError(err: unknown, json: boolean | undefined): number {
  const payload = toErrorPayload(err);
  if (json) {
    printJson({ ok: false, error: payload });
  } else {
    process.stderr.write(`Error: ${payload.message}\n`);
    if (payload.hint) process.stderr.write(`What to do: ${payload.hint}\n`);
    process.stderr.write(payload.nothingChanged ? 'Nothing was changed.\n' : 'Some files were changed; see above.\n');
  }
  return err instanceof EngineError && err.code === 'invalid-input' ? EXIT.usage : EXIT.failed;
}
