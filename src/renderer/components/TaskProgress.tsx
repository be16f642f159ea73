import { useEffect, useState, type Ref } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { onEvent } from '../api/events.js';
import type { TaskProgressEvent } from '../../shared/contract/events.js';

type Phase = TaskProgressEvent['phase'];

/** Follows the progress events of one task and shows its phase; announced to screen readers. */
export function useTaskPhase(taskId: string | null): Phase | null {
  const [phase, setPhase] = useState<Phase | null>(null);
  useEffect(() => {
    if (!taskId) return;
    setPhase(null);
    return onEvent('task.event', (e) => {
      if (e.taskId === taskId && e.type === 'progress') setPhase(e.phase);
    });
  }, [taskId]);
  return phase;
}

export function TaskProgress({ phase, onCancel, ref }: { phase: Phase | null; onCancel?: () => void; ref?: Ref<HTMLDivElement> }) {
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
