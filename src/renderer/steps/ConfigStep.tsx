import { useEffect, useRef, useState } from 'react';
import { accountOf, withAccount, type ClusterInfo } from '../clusters.js';
import { ClusterStepFrame } from './ClusterStepFrame.js';
import { useTranslation } from '../i18n/use-translation.js';
import type { OutputOf } from '../../shared/contract/index.js';
import { getApi } from '../api/client.js';
import { DiffView } from '../components/DiffView.js';
import { ActionOutcome } from '../components/ActionOutcome.js';
import { OpenSshOutput } from '../components/OpenSshOutput.js';
import { Field } from '../components/Field.js';
import { useProgress } from '../progress.js';
import { useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';
import { useFocusAfter } from '../useFocusAfter.js';
import type { StepProps } from './registry.js';
import { leftOutText } from '../components/left-out-text.js';
import { conflictText, noticeText, problemText } from '../components/config-plan-text.js';

type Plan = OutputOf<'config.plan'>;
type Choice = 'refuse' | 'keep-mine' | 'use-ours';

/**
 * One block per chosen cluster in ~/.ssh/config (a tab each when there are several), each with
 * its own preview, write and undo. The primary's username is asked here; another account's
 * (the Alliance's CCDB username) was asked on the welcome step and can be corrected here.
 */
export function ConfigStep({ info, goNext }: StepProps) {
  const { t } = useTranslation();
  return (
    <ClusterStepFrame info={info} step="config" heading={t('config.heading')} goNext={goNext} continueMarksDone>
      {(cluster, marks) => <ConfigPanel info={info} cluster={cluster} onWritten={marks.markDone} onUndone={marks.clearDone} onContinue={marks.next} />}
    </ClusterStepFrame>
  );
}

function ConfigPanel({
  info,
  cluster,
  onWritten,
  onUndone,
  onContinue,
}: {
  info: StepProps['info'];
  cluster: ClusterInfo;
  onWritten(c: ClusterInfo): void;
  onUndone(c: ClusterInfo): void;
  onContinue(c: ClusterInfo): void;
}) {
  const { t, i18n } = useTranslation();
  const { progress, update, change } = useProgress();
  const [status, reloadStatus] = useAsync(() => getApi()['config.status']({ cluster: cluster.id }));
  const account = accountOf(progress, cluster);
  const [user, setUser] = useState(account.user);
  const [onConflict, setOnConflict] = useState<Choice>('refuse');
  const [plan, setPlan] = useState<Plan | null>(null);
  const { busy, error, run, clearError } = useAction();
  const [message, setMessage] = useState<string | null>(null);
  // Another account's clusters get the simple entries: the advanced template is Mila's manual one.
  const variant = cluster.primary ? progress.variant : 'simple';
  const focusOn = useFocusAfter();
  const planRef = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);

  // A preview (and its "Checked with OpenSSH") describes the inputs it was made from: once they
  // change it is stale, and writing it would write what is no longer on screen.
  function inputsChanged() {
    setPlan(null);
    clearError();
  }

  // An earlier run's block tells us the user name and variant already chosen.
  useEffect(() => {
    if (status.status === 'done' && status.value.block && !user) {
      if (status.value.block.user) setUser(status.value.block.user);
      if (status.value.block.variant && cluster.primary) update({ variant: status.value.block.variant });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status.status]);

  const input = () => ({ cluster: cluster.id, user: user.trim(), variant, onConflict, ...(account.keyFile ? { identity: account.keyFile } : {}) });

  async function preview() {
    setMessage(null);
    change((p) => withAccount(p, cluster, { user: user.trim() }));
    const p = await run(() => getApi()['config.plan'](input()));
    setPlan(p);
    focusOn(p ? planRef : errorRef);
  }

  async function apply() {
    if (!plan) return;
    const result = await run(() => getApi()['config.apply']({ ...input(), expectedHash: plan.hash }));
    if (!result) return focusOn(errorRef);
    setMessage(result.backupPath ? t('config.writtenWithBackup', { backup: result.backupPath }) : t('config.written'));
    setPlan(null);
    onWritten(cluster);
    reloadStatus();
    focusOn(messageRef);
  }

  async function revert() {
    const result = await run(() => getApi()['config.revert']({ cluster: cluster.id }));
    if (!result) return focusOn(errorRef);
    setMessage(result.removed ? t('config.revertedRemoved') : t('config.reverted'));
    setPlan(null);
    onUndone(cluster);
    reloadStatus();
    focusOn(messageRef);
  }

  // The user's own entries that the new block competes with, in the file the diff is about.
  const yours = (plan?.conflicts ?? []).filter((c) => c.file === plan?.configPath).map((c) => ({ from: c.line, to: c.line + c.text.split('\n').length - 1 }));

  const platform = info.platform === 'win32' ? 'win32' : info.platform === 'darwin' ? 'darwin' : 'linux';
  // Duo is approved, not typed: one approval serves the shared connection (not on Windows).
  const platformNote = cluster.mfaKind === 'duo' ? t(`clusters.config.platform.${platform}`) : t(`config.platform.${platform}`);
  // A cluster whose profile says what its username is (the Alliance's: the CCDB username) gets
  // its own words and that hint, whether it is the primary or not; Mila's profile keeps Mila's.
  const hint = cluster.account.usernameHint;
  const own = cluster.primary && !hint;

  return (
    <>
      <p>{t('config.intro', { alias: cluster.alias })}</p>
      {status.status === 'done' && status.value.block && (
        <p className="notice notice-info">
          {own ? t('config.alreadyThere', { user: status.value.block.user ?? '?' }) : t('clusters.config.alreadyThere', { name: cluster.name, user: status.value.block.user ?? '?' })}
        </p>
      )}
      <div className="form">
        <Field
          label={own ? t('config.user') : t('clusters.config.user', { name: cluster.name })}
          help={own ? t('config.userHelp') : (hint ? (i18n.language === 'fr' ? hint.fr : hint.en) : t('clusters.config.userHelp'))}
        >
          <input
            value={user}
            onChange={(e) => {
              setUser(e.target.value);
              inputsChanged();
            }}
            autoComplete="username" spellCheck={false} />
        </Field>
        {own && (
        <fieldset>
          <legend>{t('config.variant')}</legend>
          {(['simple', 'advanced'] as const).map((v) => (
            <label key={v} className="check">
              <input type="radio" name={`variant-${cluster.id}`} checked={variant === v} onChange={() => {
                  update({ variant: v });
                  inputsChanged();
                }}
              />
              <span>
                <strong>{t(`config.${v}.name`)}</strong> — {t(`config.${v}.about`)}
              </span>
            </label>
          ))}
        </fieldset>
        )}
        <p className="muted">{platformNote}</p>
        <p className="muted">{account.keyFile ? t('config.keyChosen', { file: account.keyFile }) : own ? t('config.noKey') : t('clusters.config.noKey', { file: cluster.keyName })}</p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => void preview()} disabled={busy || user.trim() === ''}>
            {t('config.preview')}
          </button>
          {status.status === 'done' && status.value.canRevert && (
            <button type="button" onClick={() => void revert()} disabled={busy}>
              {t('config.undo')}
            </button>
          )}
        </div>
      </div>
      <ActionOutcome error={error} errorRef={errorRef} message={message} messageRef={messageRef} />
      {plan && (
        <div className="plan-result">
          <h3 ref={planRef}>{t('config.changesTitle', { file: plan.configPath })}</h3>
          {!plan.changed ? (
            <p role="status">{t('config.nothingToDo')}</p>
          ) : (
            <>
              <p>{plan.exists ? t('config.changesExisting') : t('config.changesNew')}</p>
              {yours.length > 0 && (
                <p className="diff-legend">
                  <span className="diff-swatch" aria-hidden="true" />
                  {t('config.diffYours')}
                </p>
              )}
              <DiffView
                diff={plan.diff}
                label={t('config.diffLabel')}
                yours={yours}
                yoursLabel={t('config.diffYoursLine')}
                headers={{ before: t('config.diffBefore'), after: t('config.diffAfter'), 'does not exist yet': t('config.diffMissing') }}
              />
            </>
          )}
          {plan.conflicts.length > 0 && (
            <div className="notice notice-warn" role="alert">
              <h4>{t('config.conflictsTitle')}</h4>
              {plan.conflicts.map((c) => (
                <div key={`${c.alias}-${c.line}`}>
                  <p>{conflictText(t, c, plan.inputs.onConflict, cluster.name)}</p>
                  <pre className="mono">{c.text}</pre>
                </div>
              ))}
              <fieldset>
                <legend>{t('config.conflictChoice')}</legend>
                {(['keep-mine', 'use-ours'] as const).map((c) => (
                  <label key={c} className="check">
                    <input type="radio" name={`conflict-${cluster.id}`} checked={onConflict === c} onChange={() => setOnConflict(c)} /> {t(`config.conflict.${c}`)}
                  </label>
                ))}
              </fieldset>
              <button type="button" onClick={() => void preview()} disabled={busy || onConflict === 'refuse'}>
                {t('config.previewAgain')}
              </button>
            </div>
          )}
          {plan.notices.map((n) => (
            <p key={n.text} className="notice notice-info">
              {noticeText(t, n, cluster.name)}
            </p>
          ))}
          {plan.problems.length > 0 && (
            <div className="notice notice-error" role="alert">
              <p>{t('config.problemsIntro')}</p>
              {/* Each reason in the user's language from its code and values; OpenSSH's own words apart, as its. */}
              <ul>
                {plan.problemReasons.map((p) => (
                  <li key={p.text}>
                    {problemText(t, p, cluster.name)}
                    {p.openssh && <OpenSshOutput text={p.openssh} />}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {plan.verification.ran && plan.verification.aliasCheck?.ok && !plan.verification.complete && (
            <div className="notice notice-info">
              <p>{t('config.verifiedPartly', { alias: cluster.alias })}</p>
              {/* Said from codes and values; an older engine's English notes only when it gave none. */}
              {plan.verification.leftOut ? (
                <ul>
                  {plan.verification.leftOut.map((item) => (
                    <li key={`${item.kind} ${item.where}`}>{leftOutText(t, item)}</li>
                  ))}
                </ul>
              ) : (
                <ul lang="en">
                  {plan.verification.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {plan.verification.ran && plan.verification.aliasCheck?.ok && plan.verification.complete && (
            <p className="ok">
              {plan.verification.checkedAliases.length === 0
                ? t('config.verifiedAlone', { alias: cluster.alias })
                : t('config.verified', { alias: cluster.alias, count: plan.verification.checkedAliases.length })}
            </p>
          )}
          {plan.changed && (
            <div className="actions">
              <button type="button" className="primary" onClick={() => void apply()} disabled={busy || !plan.canApply}>
                {t('config.write')}
              </button>
            </div>
          )}
        </div>
      )}
      {status.status === 'done' && status.value.block && !plan && (
        <div className="actions">
          <button type="button" onClick={() => onContinue(cluster)}>
            {t('config.continue')}
          </button>
        </div>
      )}
    </>
  );
}
