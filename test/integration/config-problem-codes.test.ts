import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planConfig } from '../../src/engine/config/plan.js';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { ctxFor, includeOthersCanWrite, testSandbox } from '../fixtures/configs/helpers.js';

/**
 * Every reason apply would refuse comes with a code and values (what the wizard says, in the
 * user's language): `problems` is `problemReasons`' texts, one for one. An included file
 * OpenSSH refuses for its mode was the one reason without a code: the wizard showed an empty
 * list under "will not write your settings file while this is so".
 */

describe('plan problems are codes', () => {
  it('an included file others can change: code include-refused, with the file, its mode and owner', async () => {
    const sb = testSandbox();
    const inc = includeOthersCanWrite(sb);
    const plan = await planConfig(ctxFor(sb.sshDir), { user: 'alice' }, { controlDir: null });
    expect(plan.canApply).toBe(false);
    expect(plan.problemReasons.map((p) => p.text)).toEqual(plan.problems);
    const refused = plan.problemReasons.find((p) => p.code === 'include-refused');
    expect(refused, JSON.stringify(plan.problemReasons)).toBeDefined();
    expect(refused!.params).toEqual({ file: inc, mode: '666', uid: String(statSync(inc).uid) });
    // The wizard says it in both languages, with the file named.
    for (const messages of [en, fr]) expect(messages.config.problem['include-refused']).toContain('{{file}}');
  });
});
