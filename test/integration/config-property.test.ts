import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/engine/config/apply.js';
import { planConfig } from '../../src/engine/config/plan.js';
import { revertConfig } from '../../src/engine/config/revert.js';
import { aliasesOf, ctxFor, expectMilaEntry, outsideBlock, sandbox, sshG } from '../fixtures/configs/helpers.js';

/** ssh -G costs ~10 ms a call: a modest number of runs keeps the suite quick. */
const RUNS = Number(process.env.CONFIG_PROPERTY_RUNS ?? 25);

const aliasPool = ['foo', 'bar', 'web1', 'db.example.com', 'x-y', 'Alpha', 'mila', 'mila-cpu', 'cn-a001', 'gpu.server.mila.quebec', 'login.server.mila.quebec'];
const wildPool = ['*', '*.example.com', 'web?', '!bar', 'mila*', '*.server.mila.quebec', 'cn-*'];

const option = fc.oneof(
  fc.constantFrom('alice', 'bob', 'root', 'svc_1').map((v) => ['User', v] as const),
  fc.integer({ min: 22, max: 65000 }).map((v) => ['Port', String(v)] as const),
  fc.constantFrom('h.example.com', '10.0.0.1', '%h.internal', 'login.server.mila.quebec').map((v) => ['HostName', v] as const),
  fc.constantFrom('yes', 'no').map((v) => ['ForwardAgent', v] as const),
  fc.integer({ min: 1, max: 600 }).map((v) => ['ServerAliveInterval', String(v)] as const),
  fc.constantFrom('~/.ssh/id_work', '"~/.ssh/with space"', '/opt/keys/k').map((v) => ['IdentityFile', v] as const),
  fc.constantFrom('password', 'publickey', 'keyboard-interactive').map((v) => ['PreferredAuthentications', v] as const),
  fc.constantFrom('8080 localhost:80', '9000 127.0.0.1:9000').map((v) => ['LocalForward', v] as const),
  fc.constantFrom('foo', 'bar').map((v) => ['ProxyJump', v] as const),
  fc.constantFrom('LANG', 'LC_*').map((v) => ['SendEnv', v] as const),
);

const style = fc.record({
  indent: fc.constantFrom('', '  ', '    ', '\t', ' \t'),
  sep: fc.constantFrom(' ', '=', ' = ', '\t', '  '),
  comment: fc.constantFrom('', '', ' # note', '\t# élan ✓'),
  quote: fc.boolean(),
});

const optionLine = fc.tuple(option, style).map(([[k, v], st]) => {
  const value = st.quote && !/[\s"]/.test(v) ? `"${v}"` : v;
  const key = st.quote ? k.toLowerCase() : k;
  return `${st.indent}${key}${st.sep}${value}${st.comment}`;
});

const header = fc.oneof(
  fc.tuple(fc.uniqueArray(fc.constantFrom(...aliasPool), { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom(...wildPool), { nil: undefined }), style).map(
    ([as, w, st]) => `Host${st.sep === '=' ? '=' : ' '}${[...as, ...(w ? [w] : [])].join(' ')}${st.comment}`,
  ),
  fc.constantFrom('Host *', 'Match all', 'Match host *.example.com', 'Match originalhost foo', 'Match host *login.server.mila.quebec', 'match user root', 'Match canonical host bar'),
);

const section = fc.tuple(header, fc.array(optionLine, { maxLength: 4 })).map(([h, opts]) => [h, ...opts]);
const filler = fc.constantFrom('', '   ', '# a comment', '#', '\t# indented comment');

const configArb = fc
  .record({
    globals: fc.array(fc.oneof(optionLine, filler), { maxLength: 4 }),
    sections: fc.array(fc.tuple(section, fc.array(filler, { maxLength: 2 })), { maxLength: 6 }),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    onConflict: fc.constantFrom('use-ours', 'keep-mine') as fc.Arbitrary<'use-ours' | 'keep-mine'>,
    variant: fc.constantFrom('simple', 'advanced') as fc.Arbitrary<'simple' | 'advanced'>,
  })
  .map((r) => {
    const lines = [...r.globals, ...r.sections.flatMap(([s, f]) => [...s, ...f])];
    const eol = r.crlf ? '\r\n' : '\n';
    const text = lines.join(eol) + (r.finalNewline && lines.length > 0 ? eol : '');
    return { text, onConflict: r.onConflict, variant: r.variant };
  });

describe('config apply on generated configs (property)', () => {
  it(`keeps every alias, the bytes outside the block, idempotence and exact revert (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(configArb, async ({ text, onConflict, variant }) => {
        const sb = sandbox();
        try {
          const original = Buffer.from(text, 'utf8');
          writeFileSync(sb.config, original);
          const ctx = ctxFor(sb.sshDir);
          const deps = { controlDir: null };
          const aliases = aliasesOf(original);
          const before = new Map(aliases.map((a) => [a, sshG(sb.config, a)]));
          const readable = sshG(sb.config, 'mila').code === 0;

          const input = { user: 'alice', onConflict, variant };
          const plan = await planConfig(ctx, input, deps);
          if (!readable) {
            // OpenSSH already rejects this config: the plan must say so and apply must refuse.
            expect(plan.canApply).toBe(false);
            return;
          }
          expect(plan.problems).toEqual([]);
          expect(plan.canApply).toBe(true);
          const res = await applyConfig(ctx, { ...input, expectedHash: plan.hash }, deps);
          expect(res.changed).toBe(true);
          const after = readFileSync(sb.config);
          expect(outsideBlock(after)).toBe(outsideBlock(original));

          const conflicted = new Set(plan.conflicts.map((c) => c.alias.toLowerCase()));
          if (!(onConflict === 'keep-mine' && conflicted.has('mila'))) {
            expectMilaEntry(sb);
          }
          for (const [alias, was] of before) {
            // use-ours: the user chose that the block wins for its aliases.
            if (onConflict === 'use-ours' && conflicted.has(alias.toLowerCase())) continue;
            expect({ alias, ...sshG(sb.config, alias) }).toEqual({ alias, ...was });
          }

          const again = await planConfig(ctx, input, deps);
          expect(again.changed).toBe(false);
          await revertConfig(ctx);
          expect(readFileSync(sb.config).equals(original)).toBe(true);
        } finally {
          sb.cleanup();
        }
      }),
      { numRuns: RUNS, seed: process.env.CONFIG_PROPERTY_SEED ? Number(process.env.CONFIG_PROPERTY_SEED) : undefined },
    );
  }, 120_000);
});
