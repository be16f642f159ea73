import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ConfigInputSchema, TaskAnswerInputSchema } from '../../src/shared/contract/index.js';
import { ClusterProfileSchema } from '../../src/engine/profile/schema.js';
import { codeWithoutComments as code, sourceFilesUnder } from '../fixtures/source-files.js';

/**
 * One zod flavour, zod/mini, everywhere (issue #16). Classic zod's chainable API cannot be
 * tree-shaken and brings every locale: it made `mila-onboard config plan` load a 476 kB chunk
 * and spend about 80 ms importing it. A single classic import anywhere brings it all back, so
 * the sources are scanned for one, and the CLI is bundled to see what really gets in.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

// Written in pieces so this file's own examples are not what the scan finds.
const Q = "'";
const ZOD = 'zod';

/**
 * A static import/export, require() or import() of classic zod: the package root, or its
 * classic entries (`zod/v4`, `zod/v3`, `zod/v4/classic`). zod/mini, zod/v4/core and the English
 * locale are fine.
 */
const CLASSIC_ZOD = /(?:\bfrom\s*|^\s*import\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"`])zod(?:\/v4|\/v3|\/v4\/classic(?:\/[^'"`]*)?)?\1/m;
/** A value import of zod/mini (not `import type`): such a file builds schemas. */
const MINI_VALUE_IMPORT = /^(?!\s*(?:import|export)\s+type\b).*\bfrom\s*(['"])zod\/mini\1/m;
/** The module that gives zod/mini its English texts (src/shared/zod-english.ts). */
const ENGLISH_IMPORT = /^\s*import\s+['"](?:\.\.?\/)+(?:[\w-]+\/)*zod-english\.js['"];/m;

const scanned = ['src', 'test', 'bench', 'scripts'].flatMap((dir) => sourceFilesUnder(path.join(root, dir)));
const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');

describe('the detectors', () => {
  it.each([
    [`import { z } from ${Q}${ZOD}${Q};`, true],
    [`import type { z } from "${ZOD}";`, true],
    [`import { z, type core } from ${Q}${ZOD}${Q};`, true],
    [`export { z } from ${Q}${ZOD}${Q};`, true],
    [`const { z } = require(${Q}${ZOD}${Q});`, true],
    [`const z = await import(${Q}${ZOD}${Q});`, true],
    [`import * as z from ${Q}${ZOD}/v4${Q};`, true],
    [`import { z } from ${Q}${ZOD}/v4/classic${Q};`, true],
    [`import * as z from ${Q}${ZOD}/mini${Q};`, false],
    [`import type * as z from ${Q}${ZOD}/mini${Q};`, false],
    [`import en from ${Q}${ZOD}/v4/locales/en.js${Q};`, false],
    [`import type { core } from ${Q}${ZOD}/v4/core${Q};`, false],
    [`const s = ${Q}we use ${ZOD} here${Q};`, false],
  ])('classic zod: %s → %s', (line, expected) => {
    expect(CLASSIC_ZOD.test(line)).toBe(expected);
  });

  it.each([
    [`import * as z from ${Q}${ZOD}/mini${Q};`, true],
    [`import type * as z from ${Q}${ZOD}/mini${Q};`, false],
  ])('zod/mini value import: %s → %s', (line, expected) => {
    expect(MINI_VALUE_IMPORT.test(line)).toBe(expected);
  });
});

describe('zod/mini everywhere', () => {
  it('no file in src, test, bench or scripts imports classic zod', () => {
    expect(scanned.length).toBeGreaterThan(100); // the scan looks at the whole tree
    const found = scanned.filter((f) => CLASSIC_ZOD.test(code(f))).map(rel);
    expect(found).toEqual([]);
  });

  it('every file that builds schemas loads the English texts, but the events the page bundles', () => {
    const builders = scanned.filter((f) => rel(f).startsWith('src/') && MINI_VALUE_IMPORT.test(code(f))).map(rel);
    // The contract, the profile schema, the journals, the login history and the trust store at least.
    expect(builders.length).toBeGreaterThanOrEqual(15);
    const without = builders.filter((f) => !ENGLISH_IMPORT.test(code(path.join(root, f))));
    // events.ts is bundled by the page, which never shows a refusal's words (readEvent keeps
    // only success); zod-english.ts is the module itself.
    expect(without.sort()).toEqual(['src/shared/contract/events.ts', 'src/shared/zod-english.ts']);
  });
});

describe('refusals keep classic zod’s English words', () => {
  // The texts classic zod gave for these inputs (dispatch.ts, config plan and profile loading
  // print them); without the English locale zod/mini says only "Invalid input".
  const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    r.success ? 'accepted' : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const mila = JSON.parse(readFileSync(path.join(root, 'profiles/mila.json'), 'utf8'));

  it('in the contract', () => {
    expect(messages(ConfigInputSchema.safeParse({ user: 5 }))).toEqual(['user: Invalid input: expected string, received number']);
    expect(messages(ConfigInputSchema.safeParse({ user: 'x'.repeat(201) }))).toEqual(['user: Too big: expected string to have <=200 characters']);
    expect(messages(ConfigInputSchema.safeParse({ user: 'u', variant: 'fancy' }))).toEqual(['variant: Invalid option: expected one of "simple"|"advanced"']);
    expect(messages(TaskAnswerInputSchema.safeParse({ taskId: 'nope', promptId: '', answer: 'a', more: 1 }))).toEqual([
      'taskId: Invalid UUID',
      'promptId: Too small: expected string to have >=1 characters',
      ': Unrecognized key: "more"',
    ]);
  });

  it('in a cluster profile', () => {
    expect(messages(ClusterProfileSchema.safeParse(mila))).toBe('accepted');
    expect(messages(ClusterProfileSchema.safeParse({ ...mila, login: { ...mila.login, port: 0 } }))).toEqual(['login.port: Too small: expected number to be >=1']);
    expect(messages(ClusterProfileSchema.safeParse({ ...mila, links: { ...mila.links, docs: 'not a url' } }))).toEqual(['links.docs: Invalid URL']);
    expect(messages(ClusterProfileSchema.safeParse({ ...mila, compute: { ...mila.compute, remoteSshDir: '~/../x' } }))).toEqual(['compute.remoteSshDir: no ".." in the path']);
  });
});

describe('the CLI bundle', () => {
  it('carries zod/mini and the English texts, not classic zod nor its other locales', async () => {
    const result = await build({
      entryPoints: [path.join(root, 'src/cli/mila-onboard.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      splitting: true,
      outdir: path.join(root, 'dist/zod-mini-test'), // required by splitting; nothing is written
      write: false,
      metafile: true,
      external: ['node-pty', 'electron'],
      logLevel: 'silent',
    });
    // What the written chunks hold (metafile.inputs also lists files esbuild read and then shook out).
    const zodInputs = Object.values(result.metafile.outputs)
      .flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([p]) => p.split(path.sep).join('/')))
      .filter((p) => p.includes('node_modules/zod/'))
      .map((p) => p.slice(p.indexOf('node_modules/zod/') + 'node_modules/zod/'.length));
    // The scan must see zod at all: the contract's schemas are in the bundle, through mini.
    expect(zodInputs.some((p) => p.startsWith('v4/mini/'))).toBe(true);
    expect(zodInputs).toContain('v4/locales/en.js');
    expect(zodInputs.filter((p) => p.startsWith('v4/classic/') || (p.startsWith('v4/locales/') && p !== 'v4/locales/en.js'))).toEqual([]);
  });
});
