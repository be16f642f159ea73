import { useEffect, useState } from 'react';
import { onInterrupted, takeInterrupted, type InterruptedTask } from '../api/interrupted.js';
import { useTranslation } from '../i18n/use-translation.js';

const WORK = { 'keys.create': 'create', 'connect.start': 'login' } as const;

/**
 * Says what became of this step's work when the page went away in the middle of it (a reload,
 * a closed tab): the host stopped it and reported its real outcome (see api/interrupted.ts).
 */
export function InterruptedNotice({ channel }: { channel: keyof typeof WORK }) {
  const { t } = useTranslation();
  const [task, setTask] = useState<InterruptedTask | null>(() => takeInterrupted([channel]));
  useEffect(
    () =>
      onInterrupted(() => {
        const next = takeInterrupted([channel]);
        if (next) setTask(next);
      }),
    [channel],
  );
  if (!task) return null;
  return (
    <p className={`notice ${task.outcome === 'failed' ? 'notice-warn' : 'notice-info'}`} role="status">
      {t(`interrupted.${WORK[channel]}.${task.outcome}`)}
    </p>
  );
}
