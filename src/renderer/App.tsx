import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from './api/client.js';
import { ErrorNotice } from './components/ErrorNotice.js';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { STEPS } from './steps/registry.js';
import { useAsync } from './useAsync.js';

export function App() {
  const { t } = useTranslation();
  const [info, reloadInfo] = useAsync(() => getApi()['app.info']({}));
  const [index, setIndex] = useState(0);
  const headingRef = useRef<HTMLDivElement>(null);
  const step = STEPS[index]!;

  // Move focus to the new step so keyboard and screen-reader users land on its content.
  useEffect(() => {
    const h2 = headingRef.current?.querySelector<HTMLElement>('h2');
    h2?.setAttribute('tabindex', '-1');
    h2?.focus();
  }, [index]);

  const goTo = (i: number) => setIndex(Math.max(0, Math.min(STEPS.length - 1, i)));

  return (
    <div className="app">
      <header className="topbar">
        <div>
          <h1>{t('app.title')}</h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <div className="layout">
        <nav aria-label={t('app.steps')} className="steps">
          <ol>
            {STEPS.map((s, i) => (
              <li key={s.id}>
                <button type="button" className={i === index ? 'current' : ''} aria-current={i === index ? 'step' : undefined} onClick={() => goTo(i)}>
                  <span className="step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {t(s.titleKey)}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <main className="content" ref={headingRef}>
          <p className="muted step-of">{t('app.stepOf', { current: index + 1, total: STEPS.length })}</p>
          {info.status === 'failed' && <ErrorNotice error={info.error} onRetry={reloadInfo} />}
          {info.status === 'done' && <step.Component info={info.value} goNext={() => goTo(index + 1)} />}
          <div className="step-nav">
            <button type="button" onClick={() => goTo(index - 1)} disabled={index === 0}>
              {t('app.back')}
            </button>
            <button type="button" onClick={() => goTo(index + 1)} disabled={index === STEPS.length - 1}>
              {t('app.next')}
            </button>
          </div>
          {info.status === 'done' && info.value.front === 'web' && <p className="muted small">{t('app.webFront')}</p>}
        </main>
      </div>
    </div>
  );
}
