import type { Ref } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { ApiError } from '../../shared/api.js';
import { OpenSshOutput } from './OpenSshOutput.js';
import { refusalText } from './reason-text.js';

/**
 * A failure in plain words: what happened, whether anything changed, what to do next.
 * Never a stack trace. A refusal the engine foresaw comes with a code and values (its
 * `reason`) and is said in the user's language, OpenSSH's own words beside it as OpenSSH's.
 * Only a failure nobody foresaw has no reason: then English leads with the engine's own
 * sentence, and other languages with the translated meaning of its code, the English
 * sentence one click away.
 */
export function ErrorNotice({ error, onRetry, ref }: { error: unknown; onRetry?: () => void; ref?: Ref<HTMLDivElement> }) {
  const { t, i18n } = useTranslation();
  const api = error instanceof ApiError ? error : null;
  const english = i18n.language === 'en';
  const summary = api ? t(`errors.codes.${api.code}`, { defaultValue: t('errors.codes.internal') }) : t('errors.codes.internal');
  const detail = api?.message ?? String((error as Error)?.message ?? error);
  const reason = api?.reason ? refusalText(api.reason, t) : null;
  return (
    <div className="notice notice-error" role="alert" ref={ref}>
      <h3>{t('errors.heading')}</h3>
      <p>{reason ?? (english ? detail : summary)}</p>
      {api?.reason?.openssh && <OpenSshOutput text={api.reason.openssh} />}
      {english && !reason && api?.hint && <p>{api.hint}</p>}
      <p className="muted">{api && !api.nothingChanged ? t('errors.somethingChanged') : t('errors.nothingChanged')}</p>
      {/* A refusal with a reason is already said in full in this language; other failures keep the engine's sentence at hand. */}
      {!english && !reason && (
        <details>
          <summary>{t('errors.original')}</summary>
          <p lang="en">{detail}</p>
          {api?.hint && <p lang="en">{api.hint}</p>}
        </details>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('errors.tryAgain')}
        </button>
      )}
    </div>
  );
}
