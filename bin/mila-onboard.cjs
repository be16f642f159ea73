#!/usr/bin/env node
// The CLI is bundled into dist/cli (ESM, split so each command loads only its own code);
// `npm ci` builds it through the "prepare" script. `--version` alone is answered here, before
// any of it loads: it is what scripts call to check the tool is there.
'use strict';
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  import('../dist/cli/mila-onboard.mjs').catch((err) => {
    process.stderr.write(
      err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('mila-onboard.mjs')
        ? 'Error: the CLI is not built. Run "npm run build:node" (npm ci does it) and try again.\n'
        : `Error: ${err && err.message ? err.message : String(err)}\n`,
    );
    process.exitCode = 1;
  });
}
