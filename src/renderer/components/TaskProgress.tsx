import { useEffect, useState, type Ref } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { getApi } from '../api/client.js';

/** Follows the progress events of one task and shows its phase; announced to screen readers. */
export function useTaskPhase(taskId: string | null): string | null {
  const [phase, setPhase] = useState<string | null>(null);
  useEffect(() => {
    if (!taskId) return;
    setPhase(null);
    return getApi().on('task.event', (payload) => {
      const e = payload as { taskId?: string; type?: string; phase?: string };
      if (e.taskId === taskId && e.type === 'progress' && e.phase) setPhase(e.phase);
    });
  }, [taskId]);
  return phase;
}

export function TaskProgress({ phase, onCancel, ref }: { phase: string | null; onCancel?: () => void; ref?: Ref<HTMLDivElement> }) {
  const { t } = useTranslation();
  return (
    <div className="progress" role="status" aria-live="polite" ref={ref}>
      <span className="spinner" aria-hidden="true" />
      <span>{t(`progress.${phase ?? 'starting'}`)}</span>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {t('progress.cancel')}
        </button>
      )}
    </div>
  );
}
