import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { ApiError } from '../../shared/api.js';
import { getApi } from '../api/client.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { KeyCheck } from '../components/KeyCheck.js';
import { Field } from '../components/Field.js';
import { useProgress } from '../progress.js';
import { useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';
import type { StepProps } from './registry.js';

/** Copies text: the async clipboard API where allowed, else the selection of the text box. */
async function copyText(text: string, box: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!box) return false;
    box.focus();
    box.select();
    return document.execCommand('copy');
  }
}

function RecoverForm({ file, onDone }: { file: string; onDone(): void }) {
  const { t } = useTranslation();
  const [pass, setPass] = useState('');
  const { busy, error, run } = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const passphrase = pass;
    setPass('');
    if (await run(() => getApi()['keys.recoverPublic']({ taskId: crypto.randomUUID(), file, passphrase }))) onDone();
  }
  return (
    <form onSubmit={submit} className="form">
      <p>{t('public.missing', { file })}</p>
      <Field label={t('public.recoverPassphrase')} help={t('public.recoverHelp')}>
        <input type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="current-password" />
      </Field>
      {error !== null && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('public.recover')}
        </button>
      </div>
    </form>
  );
}

export function PublicKeyStep({ info, goTo, goNext }: StepProps) {
  const { t } = useTranslation();
  const { progress, markDone } = useProgress();
  const file = progress.keyFile;
  const [state, reload] = useAsync(() => (file ? getApi()['keys.public']({ file }) : Promise.resolve(null)));
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  // The Alliance: the key goes to CCDB (its own page, a delay in minutes), not to Mila's form.
  const reg = info.profile.keyRegistration;
  const ccdb = reg?.kind === 'ccdb' && reg.url ? { url: reg.url, delayMinutes: reg.delayMinutes } : null;

  if (!file) {
    return (
      <section aria-labelledby="public-heading">
        <h2 id="public-heading">{t('public.heading')}</h2>
        <p>{t('public.noKey')}</p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => goTo('keys')}>
            {t('public.chooseKey')}
          </button>
        </div>
      </section>
    );
  }
  const missing = state.status === 'failed' && state.error instanceof ApiError && state.error.code === 'not-found';
  const line = state.status === 'done' && state.value ? state.value.line : '';
  const download = line ? `data:text/plain;charset=utf-8,${encodeURIComponent(line + '\n')}` : undefined;

  return (
    <section aria-labelledby="public-heading">
      <h2 id="public-heading">{t('public.heading')}</h2>
      <p>{ccdb ? t('public.introCcdb', { name: info.profile.name }) : t('public.intro')}</p>
      {state.status === 'loading' && <p role="status">{t('public.loading')}</p>}
      {missing && <RecoverForm file={file} onDone={reload} />}
      {state.status === 'failed' && !missing && <ErrorNotice error={state.error} onRetry={reload} />}
      {line && state.status === 'done' && state.value && (
        <>
          <Field label={t('public.label', { file: state.value.file })}>
            <textarea ref={box} className="mono public-key" readOnly value={line} rows={Math.min(16, Math.max(3, Math.ceil(line.length / 60)))} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
          </Field>
          <p className="muted">{t('public.fingerprint', { fingerprint: state.value.fingerprint })}</p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              onClick={() =>
                void copyText(line, box.current).then((ok) => {
                  setCopied(ok);
                  if (ok) markDone('public');
                })
              }
            >
              {t('public.copy')}
            </button>
            <a className="button" href={download} download={state.value.file}>
              {t('public.save')}
            </a>
          </div>
          <p role="status" aria-live="polite" className="ok">
            {copied ? (ccdb ? t('public.copiedCcdb') : t('public.copied')) : ''}
          </p>
          <h3>{t('public.nextTitle')}</h3>
          {ccdb ? (
            <>
              <ol>
                <li>
                  {t('public.ccdb1')}{' '}
                  <a href={ccdb.url} target="_blank" rel="noreferrer">
                    {ccdb.url}
                  </a>
                </li>
                <li>{t('public.ccdb2', { typical: String(ccdb.delayMinutes?.typical ?? 5), max: String(ccdb.delayMinutes?.max ?? 30) })}</li>
                <li>{t('public.next3')}</li>
              </ol>
              <p className="notice notice-info">{t('public.ccdbKeys')}</p>
            </>
          ) : (
          <>
          <ol>
            <li>
              {t('public.next1')}{' '}
              {info.profile.onboardingTraining && (
                <a href={info.profile.onboardingTraining} target="_blank" rel="noreferrer">
                  {t('welcome.training')}
                </a>
              )}
            </li>
            <li>{t('public.next2')}</li>
            <li>{t('public.next3')}</li>
          </ol>
          <p className="notice notice-info">{t('public.limit')}</p>
          </>
          )}
          <p className="notice notice-warn">{t('public.onlyPublic')}</p>
          <KeyCheck supportUrl={info.profile.support} />
          <div className="actions">
            <button type="button" onClick={goNext}>
              {t('public.continue')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
