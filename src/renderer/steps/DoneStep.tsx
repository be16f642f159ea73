import { useRef, useState } from 'react';
import type { OutputOf } from '../../shared/contract/index.js';
import { useTranslation } from '../i18n/use-translation.js';
import { getApi } from '../api/client.js';
import { ClusterStates } from '../components/ClusterStates.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { refusalText } from '../components/reason-text.js';
import { CheckItem } from '../components/CheckItem.js';
import { OtherClusterChecks } from '../components/OtherClusterChecks.js';
import { chosenClusters, primaryOf } from '../clusters.js';
import { useProgress } from '../progress.js';
import { useAsync } from '../useAsync.js';
import { useFocusAfter } from '../useFocusAfter.js';
import { AgentPanel } from './AgentPanel.js';
import type { StepProps } from './registry.js';

export function DoneStep({ info }: StepProps) {
  const { t } = useTranslation();
  const focusOn = useFocusAfter();
  const undoButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const undoResult = useRef<HTMLDivElement>(null);
  const { progress, update } = useProgress();
  const clusters = chosenClusters(info, progress);
  const [state, reload] = useAsync(async () => {
    const [config, trust, doctor, key, keys, agent] = await Promise.all([
      getApi()['config.status']({}),
      getApi()['trust.status']({}),
      getApi()['doctor.run']({}),
      progress.keyFile ? getApi()['keys.public']({ file: progress.keyFile }).catch(() => null) : Promise.resolve(null),
      progress.keyFile ? getApi()['keys.list']({}).catch(() => null) : Promise.resolve(null),
      progress.keyFile ? getApi()['agent.status']({}).catch(() => null) : Promise.resolve(null),
    ]);
    // Whether the key asks for a passphrase at all decides what the agent can do for it.
    const encrypted = keys?.keys.find((k) => k.file === progress.keyFile)?.encrypted ?? null;
    return { config, trust, doctor, key, encrypted, agent };
  });
  // After the key goes into the agent the checks are run again, so the list agrees with the panel.
  const [recheck, setRecheck] = useState<OutputOf<'doctor.run'> | null>(null);
  const [agentNow, setAgentNow] = useState<OutputOf<'agent.status'> | null>(null);
  function agentChanged() {
    void getApi()['doctor.run']({}).then(setRecheck, () => undefined);
    void getApi()['agent.status']({}).then(setAgentNow, () => undefined);
  }

  /**
   * The agent row is about the key chosen here, as the panel below is. (The doctor asks about
   * the key the settings file names, which is none before the settings are written: it would
   * say "add your key" next to a panel saying the key is in.)
   */
  function agentRow(): { status: 'ok' | 'warn'; text: string } | null {
    if (state.status !== 'done' || !progress.keyFile) return null;
    if (state.value.encrypted === false) return { status: 'ok', text: t('done.checkText.agent.noPassphrase') };
    const agent = agentNow ?? state.value.agent;
    const fingerprint = state.value.key?.fingerprint;
    if (!agent || !fingerprint) return null;
    if (!agent.reachable) return { status: 'warn', text: t('done.checkText.agent.unreachable') };
    return agent.keys.some((k) => k.fingerprint === fingerprint) ? { status: 'ok', text: t('done.checkText.agent.ok') } : { status: 'warn', text: t('done.checkText.agent.warn') };
  }
  const ownAgentRow = agentRow();
  const [confirming, setConfirming] = useState(false);
  /** What undo did, kept as the engine said it (counts, codes and values): said in the language of the moment, at each render. */
  const [undoOutcome, setUndoOutcome] = useState<OutputOf<'changes.undoAll'> | null>(null);
  const [undoError, setUndoError] = useState<unknown>(null);
  /** How many permissions the fix changed (said at each render, so a language switch says it again). */
  const [fixedCount, setFixedCount] = useState<number | null>(null);
  const [fixError, setFixError] = useState<unknown>(null);
  const alias = info.profile.alias;
  const vscode = JSON.stringify({ 'remote.SSH.connectTimeout': 60, ...(info.platform === 'win32' ? { 'remote.SSH.showLoginTerminal': true } : {}) }, null, 2);

  /** The user's click is the consent: removes group/other write, then checks again. */
  async function fixPermissions() {
    setFixError(null);
    try {
      const r = await getApi()['doctor.fixPermissions']({});
      setFixedCount(r.changed.length);
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
      // Why each thing is left comes as a code and values: said in the user's language, like the rest.
      setUndoOutcome(r);
      // "Back as they were" only when nothing was left: a file kept because it was edited since is not back.
      setUndone(r.left.length === 0);
      setRecheck(null);
      update({ done: {}, clusterDone: {} });
      reload();
    } catch (err) {
      setUndoError(err);
    }
    focusOn(undoResult);
  }

  const [undone, setUndone] = useState(false);
  const doctor = recheck ?? (state.status === 'done' ? state.value.doctor : null);
  // The heading says what is true now: set up, not yet, or put back as it was.
  const heading = undone ? t('done.headingUndone') : doctor?.overall === 'fail' ? t('done.headingNotYet') : t('done.heading');

  return (
    <section aria-labelledby="done-heading">
      <h2 id="done-heading">{heading}</h2>
      {state.status === 'loading' && <p role="status">{t('done.checking')}</p>}
      {state.status === 'failed' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.status === 'done' && doctor && (
        <>
          <p className={`notice ${doctor.overall === 'fail' ? 'notice-warn' : 'notice-ok'}`} role="status">
            {t(`done.overall.${doctor.overall}`)}
          </p>
          {/* Several clusters: this list is the primary's; each other cluster's follows the states below. */}
          <h3>{clusters.length > 1 ? t('doneClusters.checksTitle', { name: primaryOf(info).name }) : t('done.checksTitle')}</h3>
          <ul className="checklist">
            {doctor.checks.map((c) => (
              <CheckItem key={c.id} check={c} own={c.id === 'agent' ? ownAgentRow : null} />
            ))}
          </ul>
          {fixError !== null && <ErrorNotice error={fixError} />}
          {fixedCount !== null && (
            <p className="notice notice-ok" role="status">
              {t('done.fixedPermissions', { count: fixedCount })}
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
          <AgentPanel keyFile={progress.keyFile} fingerprint={state.value.key?.fingerprint ?? null} encrypted={state.value.encrypted} onAdded={agentChanged} />
        </>
      )}
      {/* Several clusters: each one's settings, identity and first login (issue #15). */}
      <ClusterStates key={undone ? 'undone' : 'set'} info={info} />
      <OtherClusterChecks key={undone ? 'other-checks-undone' : 'other-checks'} clusters={clusters} />
      <h3>{t('done.useTitle')}</h3>
      <pre className="mono commands">
        {`ssh ${alias}\nscp file-to-upload.zip ${alias}:scratch/uploaded.zip\nrsync -avz ${alias}:my/remote/sourcecode/ downloaded-source/\nssh mila-cpu`}
        {/* Each other cluster chosen is reached the same way, by its own name. */}
        {clusters
          .filter((c) => c.alias !== alias)
          .map((c) => `\nssh ${c.alias}`)
          .join('')}
      </pre>
      <h3>{t('done.vscodeTitle')}</h3>
      <p>{t('done.vscodeText')}</p>
      <pre className="mono commands" aria-label={t('done.vscodeTitle')}>
        {vscode}
      </pre>
      <h3>{t('done.undoTitle')}</h3>
      <p>{t('done.undoText')}</p>
      <div ref={undoResult} className="result-region">
        {undoError !== null && <ErrorNotice error={undoError} />}
        {undoOutcome && (
          <div className="notice notice-ok" role="status">
            {t('done.undone', { count: undoOutcome.undone })}
            {undoOutcome.left.length > 0 && ` ${t('done.leftSome', { count: undoOutcome.left.length })}`}
            {undoOutcome.left.length > 0 && (
              <ul>
                {undoOutcome.left.map((english, i) => {
                  const why = undoOutcome.leftReasons[i];
                  return (
                    <li key={english}>
                      {/* Only a failure nobody foresaw has no reason: its English sentence, as such. */}
                      {why ? (
                        refusalText(why, t)
                      ) : (
                        <details className="inline-details">
                          <summary>{t('errors.original')}</summary>
                          <span lang="en">{english}</span>
                        </details>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
      </div>
      {confirming ? (
        <div className="notice notice-warn" role="alertdialog" aria-labelledby="confirm-undo">
          <p id="confirm-undo">{t('done.confirm')}</p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void undo()}>
              {t('done.confirmYes')}
            </button>
            <button
              type="button"
              ref={keepButton}
              onClick={() => {
                setConfirming(false);
                focusOn(undoButton);
              }}
            >
              {t('done.confirmNo')}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            ref={undoButton}
            onClick={() => {
              // The question takes focus on its safe answer; otherwise the clicked button vanishes and focus with it.
              setConfirming(true);
              focusOn(keepButton);
            }}
          >
            {t('done.undo')}
          </button>
        </div>
      )}
    </section>
  );
}
