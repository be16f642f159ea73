import { getApi } from '../api/client.js';
import type { ClusterInfo } from '../clusters.js';
import { useTranslation } from '../i18n/use-translation.js';
import { useAsync } from '../useAsync.js';
import { CheckItem } from './CheckItem.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * The doctor's checks for each chosen cluster besides the primary (issue #15): the Done step's
 * own list is the primary's, so without these an Alliance cluster's settings, identity and
 * network would go unchecked. One section per cluster, each its own `doctor.run`.
 */
export function OtherClusterChecks({ clusters }: { clusters: readonly ClusterInfo[] }) {
  const others = clusters.filter((c) => !c.primary);
  return (
    <>
      {others.map((c) => (
        <ClusterChecks key={c.id} cluster={c} />
      ))}
    </>
  );
}

function ClusterChecks({ cluster }: { cluster: ClusterInfo }) {
  const { t } = useTranslation();
  const [state, reload] = useAsync(() => getApi()['doctor.run']({ cluster: cluster.id }));
  const headingId = `checks-${cluster.id}`;
  return (
    <section aria-labelledby={headingId} data-cluster-checks={cluster.id}>
      <h3 id={headingId}>{t('doneClusters.checksTitle', { name: cluster.name })}</h3>
      {state.status === 'loading' && <p role="status">{t('done.checking')}</p>}
      {state.status === 'failed' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.status === 'done' && (
        <>
          <p className={`notice ${state.value.overall === 'fail' ? 'notice-warn' : 'notice-ok'}`}>{t(`done.overall.${state.value.overall}`)}</p>
          <ul className="checklist">
            {state.value.checks.map((c) => (
              <CheckItem key={c.id} check={c} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
