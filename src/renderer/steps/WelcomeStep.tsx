import { lazy, Suspense, useState } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { useProgress } from '../progress.js';
import type { StepProps } from './registry.js';

// Only a host serving clusters of other accounts (the Alliance's) asks about them: loaded then, not on every first screen.
const AccountsChoice = lazy(() => import('../components/AccountsChoice.js').then((m) => ({ default: m.AccountsChoice })));

export function WelcomeStep({ info, goNext, goTo }: StepProps) {
  const { t } = useTranslation();
  const { markDone } = useProgress();
  const [access, setAccess] = useState<'yes' | 'no' | null>(null);
  const command = `ssh ${info.profile.alias}`;
  return (
    <section aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">{t('welcome.heading')}</h2>
      <p>{t('welcome.intro', { command })}</p>
      <h3>{t('welcome.willDo')}</h3>
      <ol className="plan">
        <li>{t('welcome.doKeys')}</li>
        <li>{t('welcome.doPublic')}</li>
        <li>{t('welcome.doConfig', { alias: info.profile.alias })}</li>
        <li>{t('welcome.doTrust')}</li>
        <li>{t('welcome.doLogin')}</li>
      </ol>
      <p className="notice notice-info">{t('welcome.changes')}</p>
      <h3>{t('welcome.who')}</h3>
      <p>{t('welcome.whoText')}</p>
      <fieldset className="quiz">
        <legend>{t('welcome.accessQuestion')}</legend>
        <label className="check">
          <input type="radio" name="access" checked={access === 'yes'} onChange={() => setAccess('yes')} /> {t('welcome.accessYes')}
        </label>
        <label className="check">
          <input type="radio" name="access" checked={access === 'no'} onChange={() => setAccess('no')} /> {t('welcome.accessNo')}
        </label>
        {access === 'yes' && (
          <p role="status">
            {t('welcome.accessYesText')}{' '}
            <button type="button" className="small-button" onClick={() => goTo('keys')}>
              {t('welcome.accessYesButton')}
            </button>
          </p>
        )}
        {access === 'no' && (
          <div role="status">
            <p>{t('welcome.accessNoText')}</p>
            <ol>
              <li>{t('welcome.needAccount')}</li>
              <li>{t('welcome.needTraining')}</li>
              <li>{t('welcome.needKey')}</li>
            </ol>
          </div>
        )}
      </fieldset>
      {info.clusters.length > 1 && (
        <Suspense fallback={null}>
          <AccountsChoice info={info} />
        </Suspense>
      )}
      <ul className="links">
        {info.profile.onboardingTraining && (
          <li>
            <a href={info.profile.onboardingTraining} target="_blank" rel="noreferrer">
              {t('welcome.training')}
            </a>
          </li>
        )}
        <li>
          <a href={info.profile.support} target="_blank" rel="noreferrer">
            {t('welcome.support')}
          </a>
        </li>
      </ul>
      <p className="muted">{t('welcome.folder', { path: info.sshDir })}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => {
            markDone('welcome');
            goNext();
          }}
        >
          {t('welcome.start')}
        </button>
      </div>
    </section>
  );
}
