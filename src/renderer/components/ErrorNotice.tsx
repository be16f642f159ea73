import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api.js';

/** A failure in plain words: what happened, whether anything changed, what to do next. Never a stack trace. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const api = error instanceof ApiError ? error : null;
  return (
    <div className="notice notice-error" role="alert">
      <h3>{t('errors.heading')}</h3>
      <p>{api?.message ?? String((error as Error)?.message ?? error)}</p>
      {api?.hint && <p>{api.hint}</p>}
      <p className="muted">{api && !api.nothingChanged ? t('errors.somethingChanged') : t('errors.nothingChanged')}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('errors.tryAgain')}
        </button>
      )}
    </div>
  );
}
