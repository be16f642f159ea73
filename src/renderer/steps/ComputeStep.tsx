import { useTranslation } from '../i18n/use-translation.js';
import type { OutputOf } from '../../shared/contract/index.js';
import { getApi } from '../api/client.js';
import { Diagnosis } from '../components/Diagnosis.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { PromptForm } from '../components/PromptForm.js';
import { TaskProgress } from '../components/TaskProgress.js';
import { useProgress } from '../progress.js';
import { useTask } from '../useTask.js';
import type { StepProps } from './registry.js';

type Check = OutputOf<'compute.check'>;
type Fix = OutputOf<'compute.fix'>;
type Report = Extract<Check, { ok: true }>['report'];

function ReportView({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <ul className="checklist">
      <li className={report.home.writableByOthers ? 'warn' : 'ok'}>{t(report.home.writableByOthers ? 'compute.homeBad' : 'compute.homeOk', { path: report.home.path })}</li>
      <li className={report.sshDir.ok ? 'ok' : 'warn'}>{t(report.sshDir.ok ? 'compute.dirOk' : 'compute.dirBad', { path: report.sshDir.path, mode: report.sshDir.mode ?? '—' })}</li>
      <li className={report.authorizedKeys.ok ? 'ok' : 'warn'}>{t(report.authorizedKeys.ok ? 'compute.keysOk' : 'compute.keysBad', { path: report.authorizedKeys.path })}</li>
    </ul>
  );
}

/** Compute nodes accept the same key through the login node once the cluster's authorized_keys holds it. */
export function ComputeStep({ info, goNext }: StepProps) {
  const { t } = useTranslation();
  const { progress, markDone } = useProgress();
  const check = useTask<Check>();
  const fix = useTask<Fix>();
  const learn = useTask<OutputOf<'compute.trust'>>();
  const user = progress.user || 'USERNAME';
  const report = fix.result?.ok ? fix.result.report : check.result?.ok ? check.result.report : null;
  const active = [check, fix, learn].find((x) => x.running);

  async function runCheck() {
    const r = await check.run((taskId) => getApi()['compute.check']({ taskId }));
    if (r?.ok && r.report.ok) markDone('compute');
  }
  async function runFix() {
    const r = await fix.run((taskId) => getApi()['compute.fix']({ taskId }));
    if (r?.ok && r.report.ok) markDone('compute');
  }

  const failure = [check.result, fix.result, learn.result].find((r) => r && !r.ok);
  const error = [check.error, fix.error, learn.error].find((e) => e !== null);

  return (
    <section aria-labelledby="compute-heading">
      <h2 id="compute-heading">{t('compute.heading')}</h2>
      <p>{t('compute.intro')}</p>
      <p>{t('compute.jump')}</p>
      <pre className="mono commands">{`ssh -J ${info.profile.alias} ${user}@cn-a001\nssh cn-a001            # ${t('compute.withSettings')}\nssh mila-cpu           # ${t('compute.milaCpu')}`}</pre>
      <p className="muted">{t('compute.needsKey')}</p>
      {!active && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void runCheck()}>
            {t('compute.check')}
          </button>
          <button type="button" onClick={() => void learn.run((taskId) => getApi()['compute.trust']({ taskId }))}>
            {t('compute.learn')}
          </button>
        </div>
      )}
      {active && <TaskProgress phase={active.phase} onCancel={active.cancel} />}
      {active?.prompt && active.taskId && <PromptForm taskId={active.taskId} prompt={active.prompt} />}
      {error !== undefined && <ErrorNotice error={error} />}
      {failure && !failure.ok && <Diagnosis diagnosis={failure.diagnosis} details={failure.details} supportUrl={info.profile.support} />}
      {learn.result?.ok && (
        <p className="notice notice-ok" role="status">
          {t('compute.learned', { patterns: learn.result.patterns.join(', ') })}
        </p>
      )}
      {report && (
        <div className="plan-result">
          <ReportView report={report} />
          {report.ok ? (
            <p className="notice notice-ok" role="status">
              {fix.result?.ok && fix.result.changed ? t('compute.fixed') : t('compute.allGood')}
            </p>
          ) : (
            <>
              <p>{t('compute.willRun')}</p>
              <pre className="mono commands">{report.commands.join('\n')}</pre>
              {!active && (
                <button type="button" className="primary" onClick={() => void runFix()}>
                  {t('compute.fix')}
                </button>
              )}
            </>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={goNext}>
          {t('compute.continue')}
        </button>
      </div>
    </section>
  );
}
