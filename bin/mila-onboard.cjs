#!/usr/bin/env node
// The CLI is one bundled file (fast start-up); `npm ci` builds it through the "prepare" script.
require('../dist/cli/mila-onboard.cjs');
