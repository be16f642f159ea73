import { Suspense, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from './i18n/use-translation.js';
import { appInfo, type Boot } from './api/prefetch.js';
import { ErrorNotice } from './components/ErrorNotice.js';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { EMPTY_PROGRESS, ProgressContext, saveProgress, type Progress, type ProgressApi } from './progress.js';
import { STEPS, type StepId } from './steps/registry.js';
import { useAsync } from './useAsync.js';

/**
 * Moves focus to the step's heading once the step is on screen (steps load lazily), so
 * keyboard and screen-reader users land on the new content.
 */
function FocusHeading({ container }: { container: RefObject<HTMLElement | null> }) {
  useEffect(() => {
    const h2 = container.current?.querySelector<HTMLElement>('h2');
    h2?.setAttribute('tabindex', '-1');
    h2?.focus();
  }, [container]);
  return null;
}

/** `boot`: app.info and the saved progress, fetched before the first render (api/prefetch.ts). */
export function App({ boot }: { boot: Boot }) {
  const { t } = useTranslation();
  const [info, reloadInfo] = useAsync(appInfo, boot.info);
  const [progress, setProgress] = useState<Progress>(boot.progress ?? EMPTY_PROGRESS);
  const contentRef = useRef<HTMLElement>(null);
  const index = Math.max(0, STEPS.findIndex((s) => s.id === progress.stepId));
  const step = STEPS[index]!;

  // The first value is what was just loaded: only changes are saved.
  const saved = useRef(progress);
  useEffect(() => {
    if (saved.current === progress) return;
    saved.current = progress;
    saveProgress(progress);
  }, [progress]);

  // The first step shown after start-up keeps the page's natural focus; later ones take it.
  const [moved, setMoved] = useState(false);
  const update = useCallback((patch: Partial<Progress>) => setProgress((p) => ({ ...p, ...patch })), []);
  const markDone = useCallback((id: StepId) => setProgress((p) => (p.done[id] ? p : { ...p, done: { ...p.done, [id]: true } })), []);
  const change = useCallback((next: (p: Progress) => Progress) => setProgress(next), []);
  const progressApi = useMemo<ProgressApi>(() => ({ progress, update, markDone, change }), [progress, update, markDone, change]);
  const goTo = useCallback(
    (id: string) => {
      setMoved(true);
      update({ stepId: STEPS.some((s) => s.id === id) ? id : 'welcome' });
    },
    [update],
  );
  const goIndex = (i: number) => goTo(STEPS[Math.max(0, Math.min(STEPS.length - 1, i))]!.id);

  return (
    <ProgressContext.Provider value={progressApi}>
      <div className="app">
        {/* Past the top bar and the twelve steps, straight to the step's own content (WCAG 2.4.1). */}
        <a
          className="skip-link"
          href="#content"
          onClick={(e) => {
            // Focus moves without changing the address (a #content entry would add a history step).
            e.preventDefault();
            const main = contentRef.current;
            const h2 = main?.querySelector<HTMLElement>('h2');
            const target = h2 ?? main;
            if (target && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
            target?.focus();
          }}
        >
          {t('app.skip')}
        </a>
        <header className="topbar">
          <div>
            <h1>{t('app.title')}</h1>
            {/* The cluster this window sets up (an Alliance profile is not "the Mila cluster"). */}
            <p className="tagline">{t('app.tagline', { name: info.status === 'done' ? info.value.profile.name : 'Mila' })}</p>
          </div>
          <LanguageSwitch />
        </header>
        <div className="layout">
          {/* The saved progress is in before the first render (main.tsx), so no click can be overwritten by it. */}
          <nav aria-label={t('app.steps')} className="steps">
            <ol>
              {STEPS.map((s, i) => (
                <li key={s.id}>
                  <button type="button" className={i === index ? 'current' : ''} aria-current={i === index ? 'step' : undefined} onClick={() => goTo(s.id)}>
                    <span className={`step-number${progress.done[s.id] ? ' step-done' : ''}`} aria-hidden="true">
                      {progress.done[s.id] ? '✓' : i + 1}
                    </span>
                    <span>
                      {t(s.titleKey)}
                      {progress.done[s.id] && <span className="visually-hidden"> ({t('app.done')})</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <main className="content" id="content" ref={contentRef}>
            <p className="muted step-of">{t('app.stepOf', { current: index + 1, total: STEPS.length })}</p>
            {info.status === 'failed' && <ErrorNotice error={info.error} onRetry={reloadInfo} />}
            {info.status === 'done' && (
              // A step's code arrives on first visit (steps/registry.ts); the frame stays meanwhile.
              <Suspense fallback={null}>
                <step.Component key={step.id} info={info.value} goNext={() => goIndex(index + 1)} goTo={goTo} />
                {moved && <FocusHeading key={`focus-${step.id}`} container={contentRef} />}
              </Suspense>
            )}
            <div className="step-nav">
              <button type="button" onClick={() => goIndex(index - 1)} disabled={index === 0}>
                {t('app.back')}
              </button>
              <button type="button" onClick={() => goIndex(index + 1)} disabled={index === STEPS.length - 1}>
                {t('app.next')}
              </button>
            </div>
            {info.status === 'done' && info.value.front === 'web' && <p className="muted small">{t('app.webFront')}</p>}
          </main>
        </div>
      </div>
    </ProgressContext.Provider>
  );
}
