import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import type { KeyEntry } from '../../shared/contract/keys.js';
import { getApi } from '../api/client.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useProgress } from '../progress.js';
import { useAsync } from '../useAsync.js';
import { ProtectKeyForm } from './ProtectKeyForm.js';
import type { StepProps } from './registry.js';

function KeyCard({ k, selected, onUse, onChanged }: { k: KeyEntry; selected: boolean; onUse?: (() => void) | undefined; onChanged(): void }) {
  const { t } = useTranslation();
  const title = k.type ? `${k.type}${k.bits ? ` · ${k.bits}` : ''}` : '';
  const badge = k.kind === 'public-only' ? t('keys.kindPublicOnly') : k.kind === 'unusable' ? t('keys.kindUnusable') : null;
  const perm = k.permissions.mode === null ? t('keys.permissionsNotApplicable') : k.permissions.tooOpen ? t('keys.permissionsTooOpen', { mode: k.permissions.mode }) : t('keys.permissionsFine', { mode: k.permissions.mode });
  return (
    <li className={`key-card key-${k.kind}${selected ? ' key-selected' : ''}`} aria-label={k.file} data-testid="key-card">
      <div className="key-head">
        <span className="key-file">{k.file}</span>
        {title && <span className="chip">{title}</span>}
        {badge && <span className="chip chip-warn">{badge}</span>}
        {selected && <span className="chip chip-ok">{t('keys.chosen')}</span>}
        {onUse && !selected && (
          <button type="button" className="small-button" onClick={onUse} aria-label={t('keys.useNamed', { file: k.file })}>
            {t('keys.use')}
          </button>
        )}
      </div>
      <dl className="facts">
        {k.fingerprint && (
          <>
            <dt>{t('keys.fingerprint')}</dt>
            <dd className="mono">{k.fingerprint}</dd>
          </>
        )}
        {k.comment && (
          <>
            <dt>{t('keys.comment')}</dt>
            <dd>{k.comment}</dd>
          </>
        )}
        {k.kind === 'private' && (
          <>
            <dt>{t('keys.passphrase')}</dt>
            <dd className={k.encrypted === false ? 'warn' : ''}>
              {k.encrypted === null ? t('keys.unknownProtection') : k.encrypted ? t('keys.protected') : t('keys.unprotected')}
            </dd>
            <dt>{t('keys.publicHalf')}</dt>
            <dd>{k.hasPublic ? t('keys.publicPresent', { file: `${k.file}.pub` }) : t('keys.publicMissing')}</dd>
          </>
        )}
        {k.kind !== 'unusable' && (
          <>
            <dt>{t('keys.permissions')}</dt>
            <dd className={k.permissions.tooOpen ? 'warn' : ''}>{perm}</dd>
          </>
        )}
      </dl>
      {k.problems.length > 0 && (
        <ul className="problems">
          {k.problems.map((p) => (
            <li key={p.code}>{t(`keys.problem.${p.code}`)}</li>
          ))}
        </ul>
      )}
      {k.kind === 'private' && k.encrypted === false && <ProtectKeyForm file={k.file} onDone={onChanged} />}
    </li>
  );
}

/** A key can be used for the cluster when it is a readable private key OpenSSH understands. */
function usable(k: KeyEntry): boolean {
  return k.kind === 'private' && k.type !== null;
}

export function KeysStep({ goTo }: StepProps) {
  const { t } = useTranslation();
  const { progress, update, markDone } = useProgress();
  const [state, reload] = useAsync(() => getApi()['keys.list']({}));
  const [fixError, setFixError] = useState<unknown>(null);
  const tooOpen = state.status === 'done' && (state.value.folder.permissions.tooOpen || state.value.keys.some((k) => k.kind === 'private' && k.permissions.tooOpen));
  async function fixPermissions() {
    setFixError(null);
    try {
      await getApi()['keys.fixPermissions']({});
      reload();
    } catch (err) {
      setFixError(err);
    }
  }
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('keys.heading')}</h2>
      <p>{t('keys.intro')}</p>
      <p className="notice notice-info">{t('keys.neverPrivate')}</p>
      {state.status === 'loading' && (
        <p role="status" aria-live="polite">
          {t('keys.loading')}
        </p>
      )}
      {state.status === 'failed' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.status === 'done' && (
        <>
          <p className="muted">{t('keys.folder', { path: state.value.folder.path })}</p>
          {!state.value.folder.exists && <p>{t('keys.folderMissing')}</p>}
          {state.value.folder.permissions.tooOpen && <p className="notice notice-warn">{t('keys.folderTooOpen', { mode: state.value.folder.permissions.mode })}</p>}
          {tooOpen && (
            <div className="notice notice-warn">
              <p>{t('keys.fixExplain')}</p>
              <button type="button" onClick={() => void fixPermissions()}>
                {t('keys.fix')}
              </button>
            </div>
          )}
          {fixError !== null && <ErrorNotice error={fixError} />}
          {state.value.folder.exists && state.value.keys.length === 0 && <p>{t('keys.none')}</p>}
          {state.value.keys.length > 0 && (
            <>
              <p role="status" aria-live="polite">
                {t('keys.count', { count: state.value.keys.length })}
              </p>
              <ul className="key-list">
                {state.value.keys.map((k) => (
                  <KeyCard
                    key={k.file}
                    k={k}
                    selected={progress.keyFile === k.file}
                    onChanged={reload}
                    onUse={
                      usable(k)
                        ? () => {
                            update({ keyFile: k.file });
                            markDone('keys');
                            goTo('public');
                          }
                        : undefined
                    }
                  />
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            <button type="button" className={state.value.keys.some(usable) ? '' : 'primary'} onClick={() => goTo('create')}>
              {t('keys.createNew')}
            </button>
            <button type="button" onClick={reload}>
              {t('keys.refresh')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
