import { describe, expect, it } from 'vitest';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { Translator } from '../../src/renderer/i18n/translator.js';

function make(): Translator {
  const t = new Translator();
  t.add('en', { a: { b: 'Hello {{name}}', plain: 'Plain' }, keys: { count_one: '{{count}} key found', count_other: '{{count}} keys found' }, only_other: 'x', n_other: '{{count}} items' });
  t.add('fr', { a: { b: 'Bonjour {{name}}' }, keys: { count_one: '{{count}} clé trouvée', count_other: '{{count}} clés trouvées' } });
  return t;
}

describe('the translator', () => {
  it('walks nested keys and fills values; a missing value stays visible, a missing key gives the default or the key', () => {
    const t = make();
    expect(t.t('a.b', { name: 'Ada' })).toBe('Hello Ada');
    expect(t.t('a.plain')).toBe('Plain');
    expect(t.t('a.b')).toBe('Hello {{name}}');
    expect(t.t('a.missing', { defaultValue: 'Fallback' })).toBe('Fallback');
    expect(t.t('a.missing')).toBe('a.missing');
    expect(t.t('a')).toBe('a'); // a branch is not a message
    expect(t.t('a.b.c')).toBe('a.b.c');
  });

  it('picks plurals by each language’s own rule: 0 is plural in English and singular in French', () => {
    const t = make();
    expect([0, 1, 2].map((count) => t.t('keys.count', { count }))).toEqual(['0 keys found', '1 key found', '2 keys found']);
    t.use('fr');
    expect([0, 1, 2].map((count) => t.t('keys.count', { count }))).toEqual(['0 clé trouvée', '1 clé trouvée', '2 clés trouvées']);
    // Only an _other form: it serves every count.
    t.use('en');
    expect(t.t('n', { count: 1 })).toBe('1 items');
  });

  it('switches language, tells its listeners once per change, and refuses a language it has no messages for', () => {
    const t = make();
    let heard = 0;
    const stop = t.onChange(() => heard++);
    t.use('fr');
    t.use('fr');
    expect(heard).toBe(1);
    expect(t.language).toBe('fr');
    expect(t.t('a.b', { name: 'Ada' })).toBe('Bonjour Ada');
    stop();
    t.use('en');
    expect(heard).toBe(1);
    expect(() => t.use('de')).toThrow(/No messages/);
    expect(t.language).toBe('en');
  });

  it('says the wizard’s real strings: every plural pair and placeholder of en and fr comes out filled', () => {
    for (const [lang, messages] of [['en', en], ['fr', fr]] as const) {
      const t = new Translator();
      t.add(lang, messages);
      t.use(lang);
      expect(t.t('keys.count', { count: 1 })).not.toMatch(/\{\{|keys\.count/);
      expect(t.t('keys.count', { count: 3 })).toContain('3');
      expect(t.t('errors.reason.user-char', { char: '$' })).toContain('$');
      expect(t.t('errors.reason.user-char', { char: '$' })).not.toContain('{{');
    }
  });
});
