/**
 * Issue #16, the last wrong words: on an Alliance cluster's tab the settings step names that
 * cluster, never Mila ("Move the Mila entry to the top", « les autres entrées Mila »), for every
 * conflict, notice and problem code, in both languages, through the functions the step uses.
 * The trust step's texts and the username refusals, which also reach that tab, too.
 */
import { describe, expect, it } from 'vitest';
import { conflictText, noticeText, problemText } from '../../src/renderer/components/config-plan-text.js';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { Translator } from '../../src/renderer/i18n/translator.js';
import { builtInProfile } from '../../src/engine/profile/load.js';
import type { ConfigConflict, ConfigNotice, ConfigProblem } from '../../src/shared/contract/config.js';

/** The name the wizard shows on narval's tab: its profile's own. */
const narval = builtInProfile('narval').name;
const mila = builtInProfile('mila').name;
/** A text with the app's own name taken out: what is left must not say Mila. */
const withoutAppName = (s: string) => s.replaceAll('Mila Onboard', '');
/** Every value any of these texts can take, as the engine gives them (strings). */
const params = {
  alias: 'narval',
  file: '/home/a/.ssh/config',
  line: '3',
  lines: '3, 9',
  count: '2',
  max: '200',
  link: '/home/a/.ssh/config',
  target: '/home/a/dotfiles/ssh_config',
  dir: '/home/a/.cache/ssh',
  options: 'user alice ≠ bob',
  mode: '0666',
  uid: '1000',
  start: '9',
  end: '3',
  profile: 'narval',
};

// Every code the step can show, from the English messages: the compiler holds them to the contract's codes.
const kinds = Object.keys(en.config.conflictKind) as ConfigConflict['kind'][];
const choices = Object.keys(en.config.conflictThen) as Array<keyof typeof en.config.conflictThen>;
const notices = Object.keys(en.config.notice) as Array<NonNullable<ConfigNotice['code']>>;
const problems = Object.keys(en.config.problem) as Array<ConfigProblem['code']>;

describe('the settings step on another cluster’s tab', () => {
  const tr = new Translator();
  tr.add('en', en);
  tr.add('fr', fr);

  it('has codes to check', () => {
    expect(kinds.length).toBe(3);
    expect(choices).toEqual(['refuse', 'keep-mine', 'use-ours']);
    expect(notices).toContain('keep-own-alias');
    expect(problems).toContain('alias-overridden');
  });

  for (const lang of ['en', 'fr'] as const) {
    const all = (name: string) => {
      tr.use(lang);
      return [
        ...kinds.flatMap((kind) => choices.map((choice) => [`conflict ${kind}/${choice}`, conflictText(tr.t, { kind, alias: 'narval', file: params.file, line: 3 }, choice, name)] as const)),
        ...notices.map((code) => [`notice ${code}`, noticeText(tr.t, { code, params, text: 'engine text' }, name)] as const),
        ...problems.map((code) => [`problem ${code}`, problemText(tr.t, { code, params }, name)] as const),
      ];
    };

    it(`${lang}: no conflict, notice or problem says Mila on narval's tab, and none leaves a {{value}}`, () => {
      const wrong = all(narval).filter(([, s]) => /Mila/.test(withoutAppName(s)) || s.includes('{{'));
      expect(wrong).toEqual([]);
    });

    it(`${lang}: the texts about the block name narval's, as the same texts name Mila's on Mila's tab`, () => {
      const aboutTheBlock = ['notice bom-removed', 'notice keep-own-alias', 'problem alias-overridden', 'problem markers-start-repeated', 'problem markers-end-repeated', 'problem marker-end-missing', 'problem marker-start-missing', 'problem markers-order', 'conflict matched/use-ours'];
      const onNarval = new Map<string, string>(all(narval));
      const onMila = new Map<string, string>(all(mila));
      for (const what of aboutTheBlock) {
        expect(onNarval.get(what), what).toContain(narval);
        expect(withoutAppName(onMila.get(what)!), what).toContain(mila);
      }
    });

    it(`${lang}: a notice without a code is the engine's own sentence`, () => {
      tr.use(lang);
      expect(noticeText(tr.t, { code: null, params: {}, text: 'ssh was not found' }, narval)).toBe('ssh was not found');
    });

    it(`${lang}: the trust step's words for a cluster that publishes fingerprints name it`, () => {
      tr.use(lang);
      const texts = [
        tr.t('trust.intro', { name: narval }),
        tr.t('trust.compareTitle', { host: 'narval.alliancecan.ca', port: '22', name: narval }),
        tr.t('trust.mismatchText', { name: narval }),
        tr.t('trust.staleIntro', { file: '~/.ssh/known_hosts', name: narval }),
        tr.t('visual.published', { name: narval }),
      ];
      for (const s of texts) {
        expect(withoutAppName(s)).not.toMatch(/Mila|\{\{/);
        expect(s).toContain(narval);
      }
    });

    it(`${lang}: the username and host-key refusals, said on any cluster's tab, do not say Mila`, () => {
      tr.use(lang);
      const texts = [
        tr.t('errors.reason.user-empty'),
        tr.t('errors.reason.user-blank'),
        tr.t('errors.reason.user-uppercase', { user: 'JDoe', lower: 'jdoe' }),
        tr.t('errors.codes.host-key-mismatch'),
      ];
      for (const s of texts) expect(withoutAppName(s)).not.toMatch(/Mila|\{\{/);
    });
  }
});
