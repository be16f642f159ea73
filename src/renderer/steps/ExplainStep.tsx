import { useTranslation } from '../i18n/use-translation.js';
import { useProgress } from '../progress.js';
import type { StepProps } from './registry.js';

/** The seed's "SSH key authentication" in five sentences, with the one rule that matters most. */
export function ExplainStep({ goNext }: StepProps) {
  const { t } = useTranslation();
  const { markDone } = useProgress();
  return (
    <section aria-labelledby="explain-heading">
      <h2 id="explain-heading">{t('explain.heading')}</h2>
      <p>{t('explain.pair')}</p>
      <div className="two-cards">
        <div className="card">
          <h3>{t('explain.privateTitle')}</h3>
          <p>{t('explain.privateText')}</p>
        </div>
        <div className="card">
          <h3>{t('explain.publicTitle')}</h3>
          <p>{t('explain.publicText')}</p>
        </div>
      </div>
      <p className="notice notice-warn">{t('explain.never')}</p>
      <p>{t('explain.passphrase')}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => {
            markDone('explain');
            goNext();
          }}
        >
          {t('explain.continue')}
        </button>
      </div>
    </section>
  );
}
