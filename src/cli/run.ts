import { reportError } from './output.js';

/** Runs a command body and turns any failure into a plain message and an exit code. */
export async function run(opts: { json?: boolean }, body: () => Promise<void | number>): Promise<void> {
  try {
    const code = await body();
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    process.exitCode = reportError(err, opts.json);
  }
}
