import { useState } from 'react';
import type { Messages } from '../i18n/en.js';
import { useTranslation } from '../i18n/use-translation.js';
import { useProgress } from '../progress.js';
import type { StepProps } from './registry.js';

const EXAMPLES: { id: keyof Messages['rules']['examples']; ok: boolean }[] = [
  { id: 'training', ok: false },
  { id: 'download', ok: true },
  { id: 'submitit', ok: true },
  { id: 'compile', ok: false },
  { id: 'editors', ok: true },
  { id: 'copy', ok: true },
  { id: 'computeSsh', ok: true },
  { id: 'tmux', ok: true },
  { id: 'vscode', ok: false },
];

const QUESTIONS: { id: 'q1' | 'q2'; answer: 'yes' | 'no' }[] = [
  { id: 'q1', answer: 'no' },
  { id: 'q2', answer: 'yes' },
];

/** The seed's rules for login nodes, with its own examples, and a two-question check. */
export function RulesStep({ goNext }: StepProps) {
  const { t } = useTranslation();
  const { markDone } = useProgress();
  const [answers, setAnswers] = useState<Record<string, 'yes' | 'no'>>({});
  const allRight = QUESTIONS.every((q) => answers[q.id] === q.answer);

  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t('rules.heading')}</h2>
      <p>{t('rules.intro')}</p>
      <p className="notice notice-info">{t('rules.rule')}</p>
      <table className="compare-table">
        <caption className="visually-hidden">{t('rules.examplesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rules.example')}</th>
            <th scope="col">{t('rules.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {EXAMPLES.map((e) => (
            <tr key={e.id}>
              <td>
                {t(`rules.examples.${e.id}.text`)}
                <br />
                <small className="muted">{t(`rules.examples.${e.id}.why`)}</small>
              </td>
              <td className={e.ok ? 'ok' : 'warn'}>{e.ok ? t('rules.ok') : t('rules.notOk')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('rules.checkTitle')}</h3>
      {QUESTIONS.map((q) => (
        <fieldset key={q.id} className="quiz">
          <legend>{t(`rules.${q.id}.question`)}</legend>
          {(['yes', 'no'] as const).map((a) => (
            <label key={a} className="check">
              <input
                type="radio"
                name={q.id}
                checked={answers[q.id] === a}
                onChange={() => {
                  const next = { ...answers, [q.id]: a };
                  setAnswers(next);
                  if (QUESTIONS.every((qq) => next[qq.id] === qq.answer)) markDone('rules');
                }}
              />{' '}
              {t(`rules.${a}`)}
            </label>
          ))}
          {answers[q.id] && (
            <p role="status" className={answers[q.id] === q.answer ? 'ok' : 'warn'}>
              {answers[q.id] === q.answer ? t('rules.right') : t('rules.wrong')} {t(`rules.${q.id}.explain`)}
            </p>
          )}
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className={allRight ? 'primary' : ''} onClick={goNext}>
          {t('rules.continue')}
        </button>
      </div>
    </section>
  );
}
