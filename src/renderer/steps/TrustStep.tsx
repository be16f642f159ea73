import { useRef, useState } from 'react';
import type { ClusterInfo } from '../clusters.js';
import { ClusterStepFrame } from './ClusterStepFrame.js';
import { useTranslation } from '../i18n/use-translation.js';
import type { OutputOf } from '../../shared/contract/index.js';
import { getApi } from '../api/client.js';
import { ActionOutcome } from '../components/ActionOutcome.js';
import { FingerprintCompare } from '../components/Fingerprint.js';
import { useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';
import { useFocusAfter } from '../useFocusAfter.js';
import type { StepProps } from './registry.js';

type Plan = OutputOf<'trust.plan'>;

/**
 * The seed says: if the fingerprints do not match, do not trust them. The program compares; the user sees it.
 * One panel per chosen cluster (a tab each when there are several): Mila's keys are checked against
 * its published fingerprints, an Alliance cluster's are shown and recorded only once the user confirms.
 */
export function TrustStep({ info, goNext }: StepProps) {
  const { t } = useTranslation();
  return (
    <ClusterStepFrame info={info} step="trust" heading={t('trust.heading')} goNext={goNext} continueMarksDone>
      {(cluster, marks) => <TrustPanel cluster={cluster} onRecorded={marks.markDone} onContinue={marks.next} />}
    </ClusterStepFrame>
  );
}

function TrustPanel({ cluster, onRecorded, onContinue }: { cluster: ClusterInfo; onRecorded(c: ClusterInfo): void; onContinue(c: ClusterInfo): void }) {
  const { t } = useTranslation();
  const [status, reloadStatus] = useAsync(() => getApi()['trust.status']({ cluster: cluster.id }));
  const [plan, setPlan] = useState<Plan | null>(null);
  const [removeStale, setRemoveStale] = useState(true);
  const { busy, error, run } = useAction();
  const [message, setMessage] = useState<string | null>(null);
  const focusOn = useFocusAfter();
  const planRef = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);

  async function check() {
    setMessage(null);
    setConfirmed(false);
    const p = await run(() => getApi()['trust.plan']({ cluster: cluster.id }));
    setPlan(p);
    focusOn(p ? planRef : errorRef);
  }

  // No published fingerprints: recorded only once the user has looked and confirmed.
  const [confirmed, setConfirmed] = useState(false);

  async function apply() {
    if (!plan) return;
    const acceptUnverified = plan.unverified ? plan.verdicts.map((v) => v.presented) : undefined;
    if (plan.unverified && !confirmed) return;
    const r = await run(() => getApi()['trust.apply']({ cluster: cluster.id, removeStale, expectedHash: plan.hash, ...(acceptUnverified ? { acceptUnverified } : {}) }));
    if (!r) return focusOn(errorRef);
    setMessage(r.changed ? (r.backupPath ? t('trust.writtenWithBackup', { backup: r.backupPath }) : t('trust.written')) : t('trust.alreadyRecorded'));
    onRecorded(cluster);
    setPlan(null);
    reloadStatus();
    focusOn(messageRef);
  }

  async function revert() {
    if (!(await run(() => getApi()['trust.revert']({ cluster: cluster.id })))) return focusOn(errorRef);
    setMessage(t('trust.reverted'));
    reloadStatus();
    focusOn(messageRef);
  }

  const trusted = status.status === 'done' && status.value.login.trusted;
  const removable = plan?.stale.filter((s) => s.removable) ?? [];
  return (
    <>
      {cluster.fingerprintsPublished === false ? (
        <>
          <p>{t('trust.introUnpublished', { name: cluster.name })}</p>
          <p className="muted">{t('trust.howUnpublished')}</p>
        </>
      ) : (
        <>
          <p>{t('trust.intro', { name: cluster.name })}</p>
          <p className="muted">{t('trust.how')}</p>
        </>
      )}
      {trusted && !plan && (
        <p className="notice notice-ok" role="status">
          {t('trust.alreadyTrusted')}
        </p>
      )}
      <div className="actions">
        <button type="button" className={trusted ? '' : 'primary'} onClick={() => void check()} disabled={busy}>
          {busy && !plan ? t('trust.checking') : t('trust.check')}
        </button>
        {status.status === 'done' && status.value.canRevert && (
          <button type="button" onClick={() => void revert()} disabled={busy}>
            {t('trust.undo')}
          </button>
        )}
      </div>
      <ActionOutcome error={error} errorRef={errorRef} message={message} messageRef={messageRef} />
      {plan && (
        <div className="plan-result">
          <h3 ref={planRef}>{plan.unverified ? t('trust.presentsTitle', { host: plan.host, port: plan.port }) : t('trust.compareTitle', { host: plan.host, port: plan.port, name: cluster.name })}</h3>
          {plan.verdicts.map((v) => (
            <FingerprintCompare key={v.type} label={v.type} presented={v.presented} published={v.published} randomart={v.randomart} publisher={cluster.name} noPublisher={plan.unverified} />
          ))}
          {plan.mismatch ? (
            <div className="notice notice-error alarm" role="alert">
              <h3>{t('trust.mismatchTitle')}</h3>
              <p>{t('trust.mismatchText', { name: cluster.name })}</p>
              <p>
                <a href={plan.supportUrl} target="_blank" rel="noreferrer">
                  {t('welcome.support')}
                </a>
              </p>
            </div>
          ) : plan.unverified ? (
            <div className="notice notice-warn" data-testid="trust-unverified">
              <h3>{t('trust.unverifiedTitle')}</h3>
              <p>{t('trust.unverifiedText', { name: cluster.name, host: plan.host })}</p>
              <p>{t('trust.unverifiedCompare')}</p>
              {plan.alreadyTrusted ? (
                <p role="status">{t('trust.nothingToDo')}</p>
              ) : (
                <>
                  <label className="check">
                    <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t('trust.unverifiedConfirm')}
                  </label>
                  <div className="actions">
                    <button type="button" className="primary" onClick={() => void apply()} disabled={busy || !confirmed}>
                      {t('trust.unverifiedRecord')}
                    </button>
                  </div>
                </>
              )}
            </div>
          ) : !plan.trusted ? (
            <p className="notice notice-error" role="alert">
              {t('trust.noneVerified')}
            </p>
          ) : (
            <>
              <p className="ok" role="status">
                {t('trust.allMatch')}
              </p>
              {plan.stale.length > 0 && (
                <div className="notice notice-warn">
                  <p>{t('trust.staleIntro', { file: plan.knownHostsPath, name: cluster.name })}</p>
                  <pre className="mono details">{plan.stale.map((s) => `${s.line}: ${s.text}`).join('\n')}</pre>
                  {removable.length > 0 && (
                    <label className="check">
                      <input type="checkbox" checked={removeStale} onChange={(e) => setRemoveStale(e.target.checked)} /> {t('trust.removeStale')}
                    </label>
                  )}
                </div>
              )}
              <p>{plan.alreadyTrusted ? t('trust.nothingToDo') : t('trust.willWrite', { count: plan.toAddCount, file: plan.knownHostsPath })}</p>
              <div className="actions">
                <button type="button" className="primary" onClick={() => void apply()} disabled={busy}>
                  {t('trust.record')}
                </button>
              </div>
            </>
          )}
        </div>
      )}
      {trusted && !plan && (
        <div className="actions">
          <button type="button" onClick={() => onContinue(cluster)}>
            {t('trust.continue')}
          </button>
        </div>
      )}
      {cluster.fingerprintsPublished !== false && <p className="muted small">{t('trust.profileNote', { name: cluster.name })}</p>}
    </>
  );
}
