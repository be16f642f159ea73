import { describe, expect, it } from 'vitest';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { ErrorReasonSchema } from '../../src/shared/contract/common.js';
import { ConfigNoticeSchema, ConfigProblemSchema } from '../../src/shared/contract/config.js';
import { DiagnosisSchema, DoctorCheckSchema } from '../../src/shared/contract/connect.js';
import { TaskProgressEventSchema } from '../../src/shared/contract/events.js';
import { KeyProblemSchema } from '../../src/shared/contract/keys.js';

// Two checks that used to read the renderer's and the engine's source with regular expressions
// are the compiler's now (src/renderer/i18n/translator.ts types t()'s keys from en.ts): a key
// the renderer asks for that en.ts lacks, and an error code without its errors.codes sentence
// (ErrorNotice builds that key from the contract's ErrorCode), both fail `npm run typecheck`.

function leaves(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const enKeys = leaves(en);
const frKeys = leaves(fr);

describe('translations', () => {
  it('French has exactly the English keys, none empty', () => {
    expect([...frKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
    for (const [key, value] of frKeys) expect(value.trim(), key).not.toBe('');
  });

  it('French keeps every {{placeholder}} of the English text', () => {
    for (const [key, value] of enKeys) {
      const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(placeholders(frKeys.get(key)!), key).toEqual(placeholders(value));
    }
  });

  it('French follows Quebec usage from words.md for the words we use', () => {
    const all = [...frKeys.values()].join('\n');
    expect(all).toContain('phrase de passe');
    expect(all).toContain('grappe');
    expect(all).not.toMatch(/mot de passe de la clé|cluster/i);
  });

  it('every diagnosis, progress phase and doctor check the engine can report has a translation', () => {
    for (const code of DiagnosisSchema.shape.code.options) {
      expect(enKeys.has(`diagnosis.codes.${code}.message`), code).toBe(true);
      expect(enKeys.has(`diagnosis.codes.${code}.next`), code).toBe(true);
    }
    for (const phase of TaskProgressEventSchema.shape.phase.options) expect(enKeys.has(`progress.${phase}`), phase).toBe(true);
    for (const id of DoctorCheckSchema.shape.id.options) {
      expect(enKeys.has(`done.check.${id}`), id).toBe(true);
      for (const status of DoctorCheckSchema.shape.status.options) expect(enKeys.has(`done.checkText.${id}.${status}`), `${id}.${status}`).toBe(true);
    }
    for (const code of ConfigNoticeSchema.shape.code.def.innerType.options) expect(enKeys.has(`config.notice.${code}`), code).toBe(true);
    for (const code of ConfigProblemSchema.shape.code.options) expect(enKeys.has(`config.problem.${code}`), code).toBe(true);
  });

  it('every error reason the engine can give has a translation with its values', () => {
    for (const code of ErrorReasonSchema.shape.code.options) expect(enKeys.has(`errors.reason.${code}`), code).toBe(true);
    expect(enKeys.get('errors.reason.user-too-long')).toMatch(/\{\{length\}\}.*\{\{max\}\}/);
    expect(enKeys.get('errors.reason.user-char')).toContain('{{char}}');
  });

  it('every key problem code the engine can report has a translation', () => {
    for (const code of KeyProblemSchema.shape.code.options) expect(enKeys.has(`keys.problem.${code}`), code).toBe(true);
  });
});

describe('French typography (words.md)', () => {
  it('puts a non-breaking space inside « » and before : ; ? !', () => {
    for (const [key, value] of frKeys) {
      expect(value, key).not.toMatch(/« | »| [:;?!](\s|$)/);
    }
  });
});
