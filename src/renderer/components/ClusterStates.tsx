import { getApi } from '../api/client.js';
import { accountOf, useClusterSteps } from '../clusters.js';
import { useProgress } from '../progress.js';
import { useTranslation } from '../i18n/use-translation.js';
import type { AppInfo } from '../steps/types.js';
import { useAsync } from '../useAsync.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * The Done step's summary when several clusters were set up: for each, whether its settings
 * are written, its identity recorded (verified, or confirmed by the user) and its first login
 * worked, read from the engine (settings, known_hosts) and the progress (the login).
 */
export function ClusterStates({ info }: { info: AppInfo }) {
  const steps = useClusterSteps(info);
  // One cluster: the step's own checks say it all.
  return steps.clusters.length < 2 ? null : <StatesList {...steps} />;
}

function StatesList({ clusters, isDone }: Pick<ReturnType<typeof useClusterSteps>, 'clusters' | 'isDone'>) {
  const { t } = useTranslation();
  const { progress } = useProgress();
  const [state, reload] = useAsync(() =>
    Promise.all(clusters.map(async (c) => ({ config: await getApi()['config.status']({ cluster: c.id }), trust: await getApi()['trust.status']({ cluster: c.id }) }))),
  );
  return (
    <section aria-labelledby="cluster-states-heading">
      <h3 id="cluster-states-heading">{t('clusters.done.title')}</h3>
      {state.status === 'loading' && <p role="status">{t('done.checking')}</p>}
      {state.status === 'failed' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.status === 'done' && (
        <ul className="checklist cluster-states">
          {clusters.map((c, i) => {
            const s = state.value[i]!;
            const block = s.config.block;
            const trusted = s.trust.login.trusted;
            const loggedIn = isDone(c, 'login');
            const all = block !== null && trusted && loggedIn;
            return (
              <li key={c.id} className={all ? 'ok' : 'warn-soft'} data-cluster={c.id}>
                <strong>{c.name}</strong> <code className="mono">ssh {c.alias}</code>
                <ul>
                  <li>{block ? t('clusters.done.configYes', { user: block.user ?? '?' }) : t('clusters.done.configNo')}</li>
                  <li>{trusted ? (s.trust.login.unverified ? t('clusters.done.trustConfirmed') : t('clusters.done.trustVerified')) : t('clusters.done.trustNo')}</li>
                  <li>{loggedIn ? t('clusters.done.loginYes') : t('clusters.done.loginNo')}</li>
                  {/* The primary's key is in the list of changes above; another account's key is said here. */}
                  {!c.primary && accountOf(progress, c).keyFile && <li>{t('clusters.done.key', { file: accountOf(progress, c).keyFile! })}</li>}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
