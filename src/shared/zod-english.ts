// zod's English refusal texts ("Too small: expected string to have >=1 characters"), for zod/mini.
// Classic zod registers its English locale by itself; zod/mini does not, and without a locale
// every issue says only "Invalid input". People read those texts: host/dispatch.ts,
// engine/config/plan.ts and engine/profile/load.ts print `issue.message`. So every schema file
// imports this module for its side effect (test/unit/zod-mini-only.test.ts checks it): the
// locale is set before any of its schemas can parse. The one exception is contract/events.ts,
// which the page bundles on its own and whose refusals nobody reads (readEvent keeps only
// success): the page does not carry the English texts for nothing.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
