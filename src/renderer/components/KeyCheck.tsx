import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ClusterInfo } from '../clusters.js';
import type { KeyCheckResultDto } from '../../shared/contract/connect.js';
import { getApi } from '../api/client.js';
import { useTranslation } from '../i18n/use-translation.js';
import { useAction } from '../useAction.js';
import { Diagnosis } from './Diagnosis.js';
import { otherClusterWords } from '../cluster-words.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * Not more often: each refused check is a failed login for the cluster, and repeated
 * failures get an address blocked for about an hour.
 */
export const RECHECK_MS = 10 * 60_000;

/** Tells the desktop user the key turned green, if notifications are allowed (nothing otherwise). */
function notify(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body });
  } catch {
    // Some browsers only allow notifications from a service worker: the page says it anyway.
  }
}

/**
 * "Check whether my key works yet": asks the engine (keys.check: ssh in BatchMode, nothing
 * is ever asked) and says the answer plainly; optionally checks again every 10 minutes
 * while the window is open, and notifies once when the key starts working.
 */
export function KeyCheck({
  supportUrl,
  onWorks,
  cluster,
}: {
  supportUrl: string;
  onWorks?: (() => void) | undefined;
  /** Which cluster to ask (the host's primary when absent), and how its second factor is named. */
  cluster?: Pick<ClusterInfo, 'id' | 'name' | 'mfaKind' | 'primary' | 'account' | 'keyRegistration'> | undefined;
}) {
  const { t, i18n } = useTranslation();
  // Several checks can be on one page (one per account's tab): each heading has its own id.
  const headingId = useId();
  const duo = cluster?.mfaKind === 'duo';
  // The Alliance's second factor is Duo, not a one-time code: those verdicts say so.
  const verdictText = (v: KeyCheckResultDto['verdict']) => (duo && (v === 'code-needed' || v === 'accepted-locked') ? t(`clusters.keyCheck.duo.${v}`) : t(`keyCheck.verdict.${v}`));
  const { busy, error, run } = useAction();
  const [result, setResult] = useState<KeyCheckResultDto | null>(null);
  const [auto, setAuto] = useState(false);
  // Only say a notification will come when the browser (or the desktop app) allows one.
  const [canNotify, setCanNotify] = useState(() => typeof Notification !== 'undefined' && Notification.permission === 'granted');
  const worked = useRef(false);
  const heading = useRef<HTMLParagraphElement>(null);

  const check = useCallback(
    async (fromTimer: boolean) => {
      const r = await run(() => getApi()['keys.check'](cluster ? { cluster: cluster.id } : {}));
      if (!r) return;
      setResult(r);
      if (r.works && !worked.current) {
        worked.current = true;
        if (fromTimer) notify(cluster && !cluster.primary ? t('clusters.keyCheck.notifyTitle', { name: cluster.name }) : t('keyCheck.notifyTitle'), t('keyCheck.notifyBody'));
        onWorks?.();
      }
      if (!fromTimer) heading.current?.focus();
    },
    [run, t, onWorks, cluster],
  );

  useEffect(() => {
    if (!auto) return;
    const id = setInterval(() => void check(true), RECHECK_MS);
    return () => clearInterval(id);
  }, [auto, check]);

  function toggleAuto(on: boolean) {
    setAuto(on);
    if (on && typeof Notification !== 'undefined' && Notification.permission === 'default') {
      void Notification.requestPermission()
        .then((p) => setCanNotify(p === 'granted'))
        .catch(() => undefined);
    }
  }

  const time = result ? new Date(result.checkedAt).toLocaleTimeString(i18n.language === 'fr' ? 'fr-CA' : 'en-CA', { hour: '2-digit', minute: '2-digit' }) : '';
  return (
    <section className="key-check" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('keyCheck.title')}</h3>
      <p>{t('keyCheck.intro')}</p>
      <div className="actions">
        <button type="button" onClick={() => void check(false)} disabled={busy}>
          {result ? t('keyCheck.again') : t('keyCheck.button')}
        </button>
      </div>
      <label className="check">
        <input type="checkbox" checked={auto} onChange={(e) => toggleAuto(e.target.checked)} /> {t('keyCheck.auto')}
      </label>
      <p className="muted">
        {t('keyCheck.autoHelp')}
        {auto && canNotify && ` ${t('keyCheck.notifyOn')}`}
      </p>
      <div role="status" aria-live="polite">
        {busy && <p>{t('keyCheck.checking')}</p>}
        {!busy && result && (
          <div className={`notice ${result.works ? 'notice-ok' : 'notice-warn'}`} data-verdict={result.verdict}>
            <p ref={heading} tabIndex={-1}>
              <strong>{verdictText(result.verdict)}</strong>
            </p>
            {result.user && result.key && <p className="mono">{t('keyCheck.used', { user: result.user, key: result.key.file, fingerprint: result.key.fingerprint })}</p>}
            <p className="muted">{t('keyCheck.checkedAt', { time })}</p>
          </div>
        )}
      </div>
      {!busy && result?.failure && <Diagnosis diagnosis={result.failure.diagnosis} details={result.failure.details} supportUrl={supportUrl} other={otherClusterWords(cluster, i18n.language)} />}
      {error !== null && <ErrorNotice error={error} onRetry={() => void check(false)} />}
    </section>
  );
}
