import { useTranslation } from '../i18n/use-translation.js';
import { compareFingerprints, type FingerprintSegment } from '../../shared/fingerprint-compare.js';

/** A fingerprint with its randomart: the picture makes two keys easy to tell apart at a glance. */
export function Fingerprint({ fingerprint, randomart, label }: { fingerprint: string; randomart?: readonly string[] | undefined; label?: string }) {
  const { t } = useTranslation();
  return (
    <figure className="fingerprint">
      {randomart && randomart.length > 0 && (
        <pre className="randomart" aria-label={t('visual.randomartLabel')}>
          {randomart.join('\n')}
        </pre>
      )}
      <figcaption>
        <span className="muted">{label ?? t('keys.fingerprint')}</span>
        <code className="mono">{fingerprint}</code>
      </figcaption>
    </figure>
  );
}

/** Two fingerprints side by side, differing characters highlighted: nobody should compare them by eye. */
export function FingerprintCompare({
  label,
  presented,
  published,
  randomart,
  publisher,
  noPublisher = false,
}: {
  label: string;
  presented: string;
  published: string | null;
  randomart?: readonly string[] | undefined;
  /** Who published `published`: the cluster whose tab this is ("Published by Mila"). */
  publisher: string;
  /** The cluster publishes no fingerprints at all. */
  noPublisher?: boolean;
}) {
  const { t } = useTranslation();
  const cmp = published === null ? null : compareFingerprints(presented, published);
  const equal = cmp?.equal ?? false;
  const show = (segments: FingerprintSegment[]) =>
    segments.map((r, i) => (
      <span key={i} className={r.same ? '' : 'diff-char'}>
        {r.text}
      </span>
    ));
  return (
    <div className={`compare ${published === null ? 'compare-none' : equal ? 'compare-ok' : 'compare-bad'}`} role="group" aria-label={label}>
      <div className="compare-head">
        <strong>{label}</strong>
        <span className="compare-verdict">{published === null ? t('visual.notPublished') : equal ? t('visual.match') : t('visual.mismatch')}</span>
      </div>
      {randomart && randomart.length > 0 && (
        <pre className="randomart compare-art" aria-label={t('visual.randomartLabel')}>
          {randomart.join('\n')}
        </pre>
      )}
      <div className="compare-row">
        <span className="muted">{t('visual.presented')}</span>
        <code className="mono">{cmp ? show(cmp.segments) : presented}</code>
      </div>
      {/* A cluster that publishes nothing (the Alliance's): no "published by" row to claim. */}
      {!noPublisher && (
        <div className="compare-row">
          <span className="muted">{t('visual.published', { name: publisher })}</span>
          <code className="mono">{cmp ? show(cmp.other) : '—'}</code>
        </div>
      )}
    </div>
  );
}
