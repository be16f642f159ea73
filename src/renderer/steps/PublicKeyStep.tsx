import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { ApiError } from '../../shared/api.js';
import type { KeyEntry } from '../../shared/contract/keys.js';
import { getApi } from '../api/client.js';
import { chosenAccounts, useClusterSteps, withAccount, type Account, type ClusterInfo } from '../clusters.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { KeyCheck } from '../components/KeyCheck.js';
import { Field } from '../components/Field.js';
import { useProgress } from '../progress.js';
import { useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';
import { CreateKeyForm } from './CreateKeyStep.js';
import type { StepProps } from './registry.js';
import { TabbedStep } from './TabbedStep.js';

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

/**
 * One account per tab when the user has several (Mila's, the Alliance's). Each account has
 * its own key, registered in its own place: Mila's onboarding form, the Alliance's CCDB page.
 */
export function PublicKeyStep({ info, goTo, goNext }: StepProps) {
  const { t, i18n } = useTranslation();
  const { progress } = useProgress();
  const steps = useClusterSteps(info);
  const accounts = chosenAccounts(info, progress, i18n.language);
  const accountDone = (a: Account) => a.clusters.every((c) => steps.isDone(c, 'public'));
  return (
    <TabbedStep id="public" heading={t('public.heading')} tabsLabel={t('clusters.accountTabs')} items={accounts} isDone={accountDone} goNext={goNext}>
      {(account, next) =>
        account.id === accounts[0]!.id ? (
          <PrimaryKeyPanel cluster={account.clusters[0]!} others={accounts.slice(1)} goTo={goTo} onCopied={() => steps.markDone(account.clusters, 'public')} onContinue={() => next(account)} />
        ) : (
          <AccountKeyPanel account={account} primaryName={accounts[0]!.name} onCopied={() => steps.markDone(account.clusters, 'public')} onContinue={() => next(account)} />
        )
      }
    </TabbedStep>
  );
}

/** The primary's key: the one chosen on the keys step, for the primary's registration (Mila's onboarding form). */
function PrimaryKeyPanel({ cluster, others, goTo, onCopied, onContinue }: { cluster: ClusterInfo; others: Account[]; goTo(id: string): void; onCopied(): void; onContinue(): void }) {
  const { t } = useTranslation();
  const { progress } = useProgress();
  const file = progress.keyFile;
  if (!file) {
    return (
      <>
        <p>{t('public.noKey')}</p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => goTo('keys')}>
            {t('public.chooseKey')}
          </button>
        </div>
      </>
    );
  }
  return (
    <>
      {others.map((a) => (
        <p key={a.id} className="notice notice-info">
          {t('clusters.public.ownKeyEach', { account: a.name })}
        </p>
      ))}
      <PublicKeyView cluster={cluster} file={file} onCopied={onCopied} onContinue={onContinue} />
    </>
  );
}

/** A key can serve an account when it is a readable private key OpenSSH understands. */
function usable(k: KeyEntry): boolean {
  return k.kind === 'private' && k.type !== null;
}

/**
 * Another account's key (the Alliance's). It is a second key, never Mila's: milatools keeps the
 * two apart too ("This should not be the same SSH key as the one used for the Mila cluster!",
 * init_command.py), for these reasons, which the panel tells the user:
 * - one lost or replaced key means one registration to redo, not two, and a key Mila must
 *   revoke does not lock the user out of the Alliance (or the reverse);
 * - Mila accepts at most 4 public keys per person: the Alliance's key does not use one;
 * - each key's IdentityFile names one account, so `ssh narval` never offers Mila's key to the
 *   Alliance (nor the reverse), and a refusal points at the right registration.
 * One key serves every cluster of the account (CCDB sends it to all of them). Only public keys
 * are shown or copied; a private key is never copied anywhere.
 */
function AccountKeyPanel({ account, primaryName, onCopied, onContinue }: { account: Account; primaryName: string; onCopied(): void; onContinue(): void }) {
  const { t } = useTranslation();
  const { progress, change } = useProgress();
  // The account's facts (registration page, suggested key name) are the same for each of its clusters.
  const cluster = account.clusters[0]!;
  const [keys, reloadKeys] = useAsync(() => getApi()['keys.list']({}));
  const [choosing, setChoosing] = useState(false);
  const list = keys.status === 'done' ? keys.value.keys : [];
  const primaryKey = list.find((k) => k.file === progress.keyFile);
  const isPrimaryKey = (k: Pick<KeyEntry, 'file' | 'fingerprint'>) => k.file === progress.keyFile || (primaryKey?.fingerprint != null && k.fingerprint === primaryKey.fingerprint);
  const candidates = list.filter((k) => usable(k) && !isPrimaryKey(k));
  const saved = progress.accounts?.[account.id]?.keyFile ?? null;
  const savedIsPrimary = saved !== null && isPrimaryKey(list.find((k) => k.file === saved) ?? { file: saved, fingerprint: null });
  // Until the user picks one: the key the profile names (id_ed25519_alliance) when it is here.
  const file = saved !== null && !savedIsPrimary ? saved : saved === null ? (candidates.find((k) => k.file === cluster.keyName)?.file ?? null) : null;
  const setKey = (keyFile: string | null) => change((p) => withAccount(p, cluster, { keyFile }));

  return (
    <>
      <h3>{t('clusters.public.title', { account: account.name })}</h3>
      <p className="notice notice-info">{t('clusters.public.why', { primary: primaryName })}</p>
      {keys.status === 'loading' && <p role="status">{t('keys.loading')}</p>}
      {keys.status === 'failed' && <ErrorNotice error={keys.error} onRetry={reloadKeys} />}
      {savedIsPrimary && (
        <p className="notice notice-warn" role="alert">
          {t('clusters.public.sameKey', { file: saved, primary: primaryName, account: account.name })}
        </p>
      )}
      {keys.status === 'done' && (file === null || choosing) && (
        <>
          {candidates.length > 0 && (
            <>
              <h4>{t('clusters.public.useExisting')}</h4>
              <ul className="plain-list">
                {candidates.map((k) => (
                  <li key={k.file}>
                    <button
                      type="button"
                      className="small-button"
                      onClick={() => {
                        setKey(k.file);
                        setChoosing(false);
                      }}
                    >
                      {t('clusters.public.useKey', { file: k.file, account: account.name })}
                    </button>{' '}
                    <span className="mono muted small">{k.fingerprint}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h4>{t('clusters.public.createTitle', { account: account.name })}</h4>
          <CreateKeyForm
            cluster={cluster.id}
            // One key serves every chosen cluster of the account: the form names them all.
            clusterName={cluster.primary ? undefined : account.clusters.map((c) => c.name).join(', ')}
            onCreated={(created) => {
              setKey(created.file);
              setChoosing(false);
              reloadKeys();
            }}
          />
        </>
      )}
      {keys.status === 'done' && file !== null && !choosing && (
        <PublicKeyView
          cluster={cluster}
          file={file}
          explained
          onCopied={() => {
            // Copying says "this is the key": remembered, so the settings step names it.
            if (saved !== file) setKey(file);
            onCopied();
          }}
          onContinue={onContinue}
          otherActions={
            <button type="button" onClick={() => setChoosing(true)}>
              {t('clusters.public.change')}
            </button>
          }
        />
      )}
    </>
  );
}

/**
 * One public key, ready to copy, and where it goes: Mila's onboarding form, or the Alliance's
 * CCDB page with its delay. The step's "Continue" (after a panel's own buttons) comes last,
 * once the key is shown.
 */
function PublicKeyView({
  cluster,
  file,
  onCopied,
  onContinue,
  otherActions,
  explained = false,
}: {
  cluster: ClusterInfo;
  file: string;
  onCopied(): void;
  onContinue(): void;
  otherActions?: ReactNode;
  explained?: boolean;
}) {
  const { t } = useTranslation();
  const [state, reload] = useAsync(() => getApi()['keys.public']({ file }));
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  // The Alliance: the key goes to CCDB (its own page, a delay in minutes), not to Mila's form.
  const reg = cluster.keyRegistration;
  const ccdb = reg.kind === 'ccdb' && reg.url ? { url: reg.url, delayMinutes: reg.delayMinutes } : null;

  const missing = state.status === 'failed' && state.error instanceof ApiError && state.error.code === 'not-found';
  const line = state.status === 'done' ? state.value.line : '';
  const download = line ? `data:text/plain;charset=utf-8,${encodeURIComponent(line + '\n')}` : undefined;

  return (
    <>
      <p>{ccdb ? t('public.introCcdb', { name: cluster.name }) : t('public.intro')}</p>
      {state.status === 'loading' && <p role="status">{t('public.loading')}</p>}
      {missing && <RecoverForm file={file} onDone={reload} />}
      {state.status === 'failed' && !missing && <ErrorNotice error={state.error} onRetry={reload} />}
      {line && state.status === 'done' && (
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
                  if (ok) onCopied();
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
              {/* Another account's panel already said why its key is its own, above. */}
              {!explained && <p className="notice notice-info">{t('public.ccdbKeys')}</p>}
            </>
          ) : (
            <>
              <ol>
                <li>
                  {t('public.next1')}{' '}
                  {cluster.onboardingTraining && (
                    <a href={cluster.onboardingTraining} target="_blank" rel="noreferrer">
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
          <KeyCheck supportUrl={cluster.support} cluster={cluster} />
          <div className="actions">
            {otherActions}
            <button type="button" onClick={onContinue}>
              {t('public.continue')}
            </button>
          </div>
        </>
      )}
    </>
  );
}
