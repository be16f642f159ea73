import { describe, expect, it } from 'vitest';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';

/**
 * French typography over every French string (words.md; Office québécois de la langue
 * française): a non-breaking space (U+00A0) or a narrow one (U+202F) before : ; ? ! and
 * inside « », so the sign never starts a line; a decimal comma; plurals through _one/_other,
 * never "(s)".
 */
function leaves(obj: unknown, prefix = ''): [string, string][] {
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'string' ? [[key, v] as [string, string]] : leaves(v, key);
  });
}
const NBSP = '[\\u00a0\\u202f]';
/** What is not prose: placeholders, and code or paths a user types or reads as is. */
function prose(s: string): string {
  return s.replace(/\{\{\w+\}\}/g, 'X').replace(/https?:\/\/\S+/g, 'URL');
}

export function typographyFaults(s: string): string[] {
  const p = prose(s);
  const faults: string[] = [];
  // A sign that ends a clause: followed by a space, the end, a closing quote or a line break.
  for (const m of p.matchAll(new RegExp(`(?<!${NBSP})[:;?!](?=[\\s»]|$)`, 'g'))) faults.push(`no non-breaking space before "${m[0]}" at ${m.index}`);
  for (const m of p.matchAll(new RegExp(`«(?!${NBSP})`, 'g'))) faults.push(`no non-breaking space after « at ${m.index}`);
  for (const m of p.matchAll(new RegExp(`(?<!${NBSP})»`, 'g'))) faults.push(`no non-breaking space before » at ${m.index}`);
  for (const m of p.matchAll(/\d\.\d/g)) faults.push(`decimal point instead of comma at ${m.index}`);
  for (const m of p.matchAll(/\w\((s|e|es|x)\)/g)) faults.push(`"${m[0]}": use _one/_other plurals at ${m.index}`);
  return faults;
}

const frLeaves = leaves(fr);

describe('French typography', () => {
  it('the rule catches each fault it names (it can fail)', () => {
    expect(typographyFaults('Annulé : fait')).toHaveLength(1);
    expect(typographyFaults('Annulé: fait')).toHaveLength(1);
    expect(typographyFaults('Prêt ?')).toHaveLength(1);
    expect(typographyFaults('« oui »')).toHaveLength(2);
    expect(typographyFaults('6.2 s')).toHaveLength(1);
    expect(typographyFaults('1 modification(s)')).toHaveLength(1);
    expect(typographyFaults('Annulé\u00a0: fait\u202f; «\u00a0oui\u00a0» 6,2\u00a0s https://x.y/a:b {{file}}\u00a0:')).toEqual([]);
  });

  it('every French string has non-breaking spaces before : ; ? ! and inside « », a decimal comma, no "(s)"', () => {
    const faults = frLeaves.flatMap(([key, value]) => typographyFaults(value).map((f) => `${key}: ${f} — ${JSON.stringify(value)}`));
    expect(faults).toEqual([]);
  });

  it('French keeps English’s plural forms: a key with _one/_other in English has both in French', () => {
    const frKeys = new Set(frLeaves.map(([k]) => k));
    for (const [key] of leaves(en)) if (/_(one|other)$/.test(key)) expect(frKeys.has(key), key).toBe(true);
  });
});
