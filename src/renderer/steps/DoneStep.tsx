import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { getApi } from '../api/client.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useProgress } from '../progress.js';
import { useAsync } from '../useAsync.js';
import { AgentPanel } from './AgentPanel.js';
import type { StepProps } from './registry.js';

export function DoneStep({ info }: StepProps) {
  const { t, i18n } = useTranslation();
  const { progress, update } = useProgress();
  const english = i18n.language === 'en';
  const [state, reload] = useAsync(async () => {
    const [config, trust, doctor, key] = await Promise.all([
      getApi()['config.status']({}),
      getApi()['trust.status']({}),
      getApi()['doctor.run']({}),
      progress.keyFile ? getApi()['keys.public']({ file: progress.keyFile }).catch(() => null) : Promise.resolve(null),
    ]);
    return { config, trust, doctor, key };
  });
  const [confirming, setConfirming] = useState(false);
  const [undoMessage, setUndoMessage] = useState<string | null>(null);
  const [undoError, setUndoError] = useState<unknown>(null);
  const [fixMessage, setFixMessage] = useState<string | null>(null);
  const [fixError, setFixError] = useState<unknown>(null);
  const alias = info.profile.alias;
  const vscode = JSON.stringify({ 'remote.SSH.connectTimeout': 60, ...(info.platform === 'win32' ? { 'remote.SSH.showLoginTerminal': true } : {}) }, null, 2);

  /** The user's click is the consent: removes group/other write, then checks again. */
  async function fixPermissions() {
    setFixError(null);
    try {
      const r = await getApi()['doctor.fixPermissions']({});
      setFixMessage(t('done.fixedPermissions', { count: r.changed.length }));
      reload();
    } catch (err) {
      setFixError(err);
    }
  }

  async function undo() {
    setConfirming(false);
    setUndoError(null);
    try {
      const r = await getApi()['changes.undoAll']({});
      setUndoMessage(t('done.undone', { count: r.undone }) + (r.left.length ? ` ${r.left.join(' ')}` : ''));
      update({ done: {} });
      reload();
    } catch (err) {
      setUndoError(err);
    }
  }

  return (
    <section aria-labelledby="done-heading">
      <h2 id="done-heading">{t('done.heading')}</h2>
      {state.status === 'loading' && <p role="status">{t('done.checking')}</p>}
      {state.status === 'failed' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.status === 'done' && (
        <>
          <p className={`notice ${state.value.doctor.overall === 'fail' ? 'notice-warn' : 'notice-ok'}`} role="status">
            {t(`done.overall.${state.value.doctor.overall}`)}
          </p>
          <h3>{t('done.checksTitle')}</h3>
          <ul className="checklist">
            {state.value.doctor.checks.map((c) => (
              <li key={c.id} className={c.status === 'ok' ? 'ok' : c.status === 'warn' ? 'warn-soft' : 'warn'}>
                <strong>{t(`done.check.${c.id}`)}:</strong>{' '}
                {english ? (
                  <>
                    {c.message} {c.next && <em>{c.next}</em>}
                  </>
                ) : (
                  <>
                    {t(`done.checkText.${c.id}.${c.status}`)}{' '}
                    <details className="inline-details">
                      <summary>{t('errors.original')}</summary>
                      <span lang="en">
                        {c.message} {c.next}
                      </span>
                    </details>
                  </>
                )}
              </li>
            ))}
          </ul>
          {fixError !== null && <ErrorNotice error={fixError} />}
          {fixMessage && (
            <p className="notice notice-ok" role="status">
              {fixMessage}
            </p>
          )}
          {state.value.doctor.checks.some((c) => c.id === 'permissions' && c.status === 'fail') && (
            <div className="actions">
              <button type="button" onClick={() => void fixPermissions()}>
                {t('done.fixPermissions')}
              </button>
            </div>
          )}
          <h3>{t('done.changesTitle')}</h3>
          <ul>
            {progress.keyFile && <li>{t('done.changeKey', { file: progress.keyFile, dir: info.sshDir })}</li>}
            {state.value.config.block && <li>{t('done.changeConfig', { file: state.value.config.configPath, backup: state.value.config.lastApply?.backupPath ?? t('done.noBackup') })}</li>}
            {state.value.trust.lastChange && <li>{t('done.changeKnownHosts', { file: state.value.trust.knownHostsPath, backup: state.value.trust.lastChange.backupPath ?? t('done.noBackup') })}</li>}
            {progress.done.compute && <li>{t('done.changeCluster')}</li>}
          </ul>
        </>
      )}
      {progress.keyFile && state.status === 'done' && (
        <>
          <h3>{t('agent.title')}</h3>
          <AgentPanel keyFile={progress.keyFile} fingerprint={state.value.key?.fingerprint ?? null} />
        </>
      )}
      <h3>{t('done.useTitle')}</h3>
      <pre className="mono commands">{`ssh ${alias}\nscp file-to-upload.zip ${alias}:scratch/uploaded.zip\nrsync -avz ${alias}:my/remote/sourcecode/ downloaded-source/\nssh mila-cpu`}</pre>
      <h3>{t('done.vscodeTitle')}</h3>
      <p>{t('done.vscodeText')}</p>
      <pre className="mono commands" aria-label={t('done.vscodeTitle')}>
        {vscode}
      </pre>
      <h3>{t('done.undoTitle')}</h3>
      <p>{t('done.undoText')}</p>
      {undoError !== null && <ErrorNotice error={undoError} />}
      {undoMessage && (
        <p className="notice notice-ok" role="status">
          {undoMessage}
        </p>
      )}
      {confirming ? (
        <div className="notice notice-warn" role="alertdialog" aria-labelledby="confirm-undo">
          <p id="confirm-undo">{t('done.confirm')}</p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void undo()}>
              {t('done.confirmYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('done.confirmNo')}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setConfirming(true)}>
            {t('done.undo')}
          </button>
        </div>
      )}
    </section>
  );
}
