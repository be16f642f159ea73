/**
 * Issue #14: on an Alliance cluster's tab the wizard names that cluster, never "Mila" (the app's
 * own name, Mila Onboard, aside), and says no Mila-only fact (the onboarding form, 48 hours).
 * Pure texts, in both languages, for every diagnosis code the engine can give.
 */
import { describe, expect, it } from 'vitest';
import { builtInProfile } from '../../src/engine/profile/load.js';
import { otherClusterWords } from '../../src/renderer/cluster-words.js';
import { diagnosisTexts } from '../../src/renderer/components/diagnosis-text.js';
import { DiagnosisSchema } from '../../src/shared/contract/connect.js';
import { wizardTranslator } from '../fixtures/translator.js';

const narval = {
  name: 'Narval (Alliance)',
  primary: false,
  account: { id: 'alliance', name: 'Digital Research Alliance of Canada', names: { en: 'Digital Research Alliance of Canada', fr: 'Alliance de recherche numérique du Canada' } },
  keyRegistration: { kind: 'ccdb' as const, url: 'https://ccdb.alliancecan.ca/ssh_authorized_keys', delayMinutes: { typical: 5, max: 30 } },
};
/** A text with the app's own name taken out: what is left must not say Mila. */
const withoutAppName = (s: string) => s.replaceAll('Mila Onboard', '');

describe('words for a cluster other than the primary', () => {
  const tr = wizardTranslator();
  const values = { user: 'alice', key: '/home/a/.ssh/id_ed25519_alliance', host: 'narval.alliancecan.ca', port: '22', failures: '2', previousUser: 'alice2', keyAccepted: 'yes' };

  it('the account and the wait come from the cluster, in the user’s language; none for the primary', () => {
    expect(otherClusterWords(narval, 'fr')).toEqual({ name: 'Narval (Alliance)', account: 'Alliance de recherche numérique du Canada', maxMinutes: 30 });
    expect(otherClusterWords(narval, 'en')?.account).toBe('Digital Research Alliance of Canada');
    expect(otherClusterWords({ ...narval, keyRegistration: { kind: 'ccdb', delayMinutes: { max: 45 } } }, 'en')?.maxMinutes).toBe(45);
    expect(otherClusterWords({ ...narval, primary: true }, 'en')).toBeUndefined();
    // The built-in narval profile really has the delay the texts say.
    expect(builtInProfile('narval').keys.registration?.delayMinutes?.max).toBe(30);
  });

  for (const lang of ['en', 'fr'] as const) {
    for (const code of DiagnosisSchema.shape.code.options) {
      it(`${lang}, ${code}: no Mila, no 48 hours, no onboarding form on narval's tab`, () => {
        tr.use(lang);
        const d = diagnosisTexts(tr.t, { code, message: 'engine text', next: 'engine next', alarming: false, values }, otherClusterWords(narval, lang));
        for (const s of [d.message, d.next]) {
          expect(withoutAppName(s)).not.toMatch(/Mila/);
          expect(s).not.toMatch(/48|onboarding form|formulaire d’accueil/);
          expect(s).not.toContain('{{');
        }
      });
    }

    it(`${lang}: key-refused names the account, CCDB and its 30 minutes`, () => {
      tr.use(lang);
      const d = diagnosisTexts(tr.t, { code: 'key-refused', message: '', next: '', alarming: false, values }, otherClusterWords(narval, lang));
      expect(d.next).toContain(lang === 'fr' ? 'Alliance de recherche numérique du Canada' : 'Digital Research Alliance of Canada');
      expect(d.next).toContain('CCDB');
      expect(d.next).toMatch(lang === 'fr' ? /30\u00a0minutes/ : /30 minutes/);
      // The primary's words stay Mila's.
      expect(diagnosisTexts(tr.t, { code: 'key-refused', message: '', next: '', alarming: false, values: { ...values, hours: '48' } }).next).toContain('48');
    });

    it(`${lang}: the key form's and the prompt's texts for another cluster name it, not Mila`, () => {
      tr.use(lang);
      const texts = [
        tr.t('otherCluster.ed25519About', { name: narval.name }),
        tr.t('otherCluster.noPassphraseWarning'),
        tr.t('otherCluster.passphraseHelp', { account: 'X' }),
        tr.t('otherCluster.passwordWarning', { name: narval.name, account: 'X' }),
      ];
      for (const s of texts) {
        expect(s).not.toMatch(/Mila|\{\{/);
      }
      expect(texts[0]).toContain('Narval (Alliance)');
      // The primary's own text does say Mila: this test would catch the form using it on narval's tab.
      expect(tr.t('create.ed25519.about')).toMatch(/Mila/);
    });
  }
});
