import { useEffect, useRef, useState } from 'react';
import type { ClusterInfo } from '../clusters.js';
import { ClusterStepFrame } from './ClusterStepFrame.js';
import { useTranslation } from '../i18n/use-translation.js';
import type { OutputOf } from '../../shared/contract/index.js';
import { getApi } from '../api/client.js';
import { Diagnosis } from '../components/Diagnosis.js';
import { otherClusterWords } from '../cluster-words.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { InterruptedNotice } from '../components/InterruptedNotice.js';
import { KeyCheck } from '../components/KeyCheck.js';
import { PromptForm } from '../components/PromptForm.js';
import { TaskProgress } from '../components/TaskProgress.js';
import { useFocusAfter } from '../useFocusAfter.js';
import { useTask } from '../useTask.js';
import type { StepProps } from './registry.js';

/**
 * The first login, as a new user does it: the key's passphrase, then the second factor (Mila's
 * one-time code, the Alliance's Duo). One panel per chosen cluster, a tab each when there are several.
 */
export function LoginStep({ info, goNext }: StepProps) {
  const { t } = useTranslation();
  // A login counts only when it worked: "Continue" after one does not mark anything itself.
  return (
    <ClusterStepFrame info={info} step="login" heading={t('login.heading')} goNext={goNext} continueMarksDone={false} above={<InterruptedNotice channel="connect.start" />}>
      {(cluster, marks) => <LoginPanel cluster={cluster} onLoggedIn={marks.markDone} onContinue={marks.next} />}
    </ClusterStepFrame>
  );
}

function LoginPanel({ cluster, onLoggedIn, onContinue }: { cluster: ClusterInfo; onLoggedIn(c: ClusterInfo): void; onContinue(c: ClusterInfo): void }) {
  const { t, i18n } = useTranslation();
  // 6.2 in English, 6,2 in French: the language's own decimal sign.
  const seconds = (ms: number) => new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000);
  const task = useTask<OutputOf<'connect.start'>>();
  // After "push to my phone": the server waits for the approval; say so until it answers.
  const [pushWaiting, setPushWaiting] = useState(false);
  useEffect(() => {
    if (task.prompt || !task.running) setPushWaiting(false);
  }, [task.prompt, task.running]);
  const focusOn = useFocusAfter();
  const resultRef = useRef<HTMLDivElement>(null);
  const progressRef = useRef<HTMLDivElement>(null);

  async function start() {
    const r = await task.run((taskId) => getApi()['connect.start']({ taskId, cluster: cluster.id }));
    if (r?.ok) onLoggedIn(cluster);
    // The success, the diagnosis or the error: each is drawn in the box below.
    focusOn(resultRef);
  }

  return (
    <>
      <p>{t('login.intro', { alias: cluster.alias })}</p>
      <ol>
        <li>{t('login.expectPassphrase')}</li>
        <li>{cluster.mfaKind === 'duo' ? t('login.expectDuo') : t('login.expectCode')}</li>
      </ol>
      <p className="muted">{cluster.mfaKind === 'duo' ? t('login.mfaHelpDuo') : t('login.mfaHelp')}</p>
      {!task.running && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void start()}>
            {task.result ? t('login.again') : t('login.start')}
          </button>
        </div>
      )}
      {task.running && <TaskProgress phase={task.phase} onCancel={task.cancel} ref={progressRef} />}
      {task.running && pushWaiting && !task.prompt && (
        <p className="notice" role="status" aria-live="polite">
          {t('duo.waiting')}
        </p>
      )}
      {/* Once an answer is sent its form goes away: focus waits on the progress until the next prompt or the result. */}
      {task.running && task.prompt && task.taskId && (
        <PromptForm
          taskId={task.taskId}
          prompt={task.prompt}
          other={otherClusterWords(cluster, i18n.language)}
          onAnswered={(how) => {
            setPushWaiting(how === 'push');
            focusOn(progressRef);
          }}
        />
      )}
      <div ref={resultRef} className="result-region">
      {task.error !== null && <ErrorNotice error={task.error} />}
      {task.result?.ok === true && (
        <div className="notice notice-ok" role="status">
          <h3>{t('login.success')}</h3>
          <p>{t('login.successText', { host: task.result.hostname ?? '?', seconds: seconds(task.result.elapsedMs) })}</p>
          <p>
            {t('login.fromNowOn')} <code className="mono">ssh {cluster.alias}</code>
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => onContinue(cluster)}>
              {t('login.continue')}
            </button>
          </div>
        </div>
      )}
      {task.result?.ok === false && <Diagnosis diagnosis={task.result.diagnosis} details={task.result.details} supportUrl={cluster.support} other={otherClusterWords(cluster, i18n.language)} />}
      {/* A refused key may just not be registered yet: let the user watch for it without a code. */}
      {task.result?.ok === false && task.result.diagnosis.code === 'key-refused' && !task.running && <KeyCheck supportUrl={cluster.support} cluster={cluster} />}
      </div>
    </>
  );
}
