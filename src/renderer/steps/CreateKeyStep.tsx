import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import type { OutputOf } from '../../shared/contract/index.js';
import { getApi } from '../api/client.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { InterruptedNotice } from '../components/InterruptedNotice.js';
import { TaskProgress, useTaskPhase } from '../components/TaskProgress.js';
import { useProgress } from '../progress.js';
import { passphraseStrength } from '../strength.js';
import { useFocusAfter } from '../useFocusAfter.js';
import type { StepProps } from './registry.js';

type Choice = 'ed25519' | 'rsa3072' | 'rsa4096';
type Created = OutputOf<'keys.create'>;

export function CreateKeyStep({ goTo }: StepProps) {
  const { t } = useTranslation();
  const { update, markDone } = useProgress();
  const [created, setCreated] = useState<Created | null>(null);
  const focusOn = useFocusAfter();
  const doneRef = useRef<HTMLHeadingElement>(null);

  if (created) {
    return (
      <section aria-labelledby="create-heading">
        <h2 id="create-heading" ref={doneRef}>
          {t('create.doneHeading')}
        </h2>
        <p role="status">{t('create.doneText', { file: created.file })}</p>
        <Fingerprint fingerprint={created.fingerprint} randomart={created.randomart} />
        <div className="actions">
          <button type="button" className="primary" onClick={() => goTo('public')}>
            {t('create.toPublic')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="create-heading">
      <h2 id="create-heading">{t('create.heading')}</h2>
      <InterruptedNotice channel="keys.create" />
      <p>{t('create.intro')}</p>
      <CreateKeyForm
        onCreated={(result) => {
          setCreated(result);
          update({ keyFile: result.file });
          markDone('keys');
          markDone('create');
          focusOn(doneRef);
        }}
      />
    </section>
  );
}

/**
 * The key's kind, name, comment and passphrase, handed to ssh-keygen through the engine. Also
 * used on the public-key step for another account's own key (`cluster`: that profile's id;
 * `clusterName`: its name, said where the primary's form says Mila).
 */
export function CreateKeyForm({ cluster, clusterName, onCreated }: { cluster?: string | undefined; clusterName?: string | undefined; onCreated(created: Created): void }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Choice>('ed25519');
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [pass1, setPass1] = useState('');
  const [pass2, setPass2] = useState('');
  const [noPassphrase, setNoPassphrase] = useState(false);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const phase = useTaskPhase(taskId);
  const nameTouched = useRef(false);
  const focusOn = useFocusAfter();
  const errorRef = useRef<HTMLDivElement>(null);
  const type = choice === 'ed25519' ? 'ed25519' : 'rsa';
  // Its own radio group, should two forms ever share a page.
  const typeGroup = useId();

  useEffect(() => {
    if (nameTouched.current) return;
    let live = true;
    const api = getApi();
    api['keys.suggestName']({ type, ...(cluster ? { cluster } : {}) })
      .then((r) => live && !nameTouched.current && setName(r.name))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [type, cluster]);

  const strength = passphraseStrength(pass1);
  const mismatch = pass2 !== '' && pass1 !== pass2;
  const canSubmit = taskId === null && name.trim() !== '' && (noPassphrase || (pass1 !== '' && pass1 === pass2));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!canSubmit) return;
    const id = crypto.randomUUID();
    const passphrase = noPassphrase ? '' : pass1;
    // The passphrase leaves the page's state as soon as it is sent: it is typed into
    // ssh-keygen's prompt by the engine and forgotten there.
    setPass1('');
    setPass2('');
    setError(null);
    setTaskId(id);
    try {
      const result = await getApi()['keys.create']({
        taskId: id,
        type,
        ...(type === 'rsa' ? { bits: choice === 'rsa4096' ? 4096 : 3072 } : {}),
        name: name.trim(),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        passphrase,
        allowEmptyPassphrase: noPassphrase,
      });
      onCreated(result);
    } catch (err) {
      setError(err);
      focusOn(errorRef);
    } finally {
      setTaskId(null);
    }
  }

  function cancel() {
    if (taskId) void getApi()['task.cancel']({ taskId });
  }

  return (
    <form onSubmit={submit} className="form" noValidate>
      <fieldset>
        <legend>{t('create.typeLegend')}</legend>
        <table className="compare-table">
          <thead>
            <tr>
              <th scope="col">{t('create.type')}</th>
              <th scope="col">{t('create.about')}</th>
            </tr>
          </thead>
          <tbody>
            {(['ed25519', 'rsa3072', 'rsa4096'] as const).map((c) => (
              <tr key={c} className={choice === c ? 'selected' : ''}>
                <td>
                  <label>
                    <input type="radio" name={typeGroup} value={c} checked={choice === c} onChange={() => setChoice(c)} /> {t(`create.${c}.name`)}
                  </label>
                </td>
                <td>{c === 'ed25519' && clusterName ? t('otherCluster.ed25519About', { name: clusterName }) : t(`create.${c}.about`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <Field label={t('create.name')} help={t('create.nameHelp')}>
        <input
          value={name}
          onChange={(e) => {
            nameTouched.current = true;
            setName(e.target.value);
            // The last refusal was about the old name: a corrected one must not keep it.
            setError(null);
          }}
          autoComplete="off"
          spellCheck={false}
          required
        />
      </Field>
      <Field label={t('create.comment')}>
        <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('create.commentPlaceholder')} autoComplete="off" />
      </Field>
      {!noPassphrase && (
        <>
          <Field label={t('create.passphrase')} help={pass1 ? <span className={`strength-${strength}`}>{t(`create.strength.${strength}`)}</span> : t('create.passphraseHelp')}>
            <input type="password" value={pass1} onChange={(e) => setPass1(e.target.value)} autoComplete="new-password" />
          </Field>
          <Field label={t('create.passphraseAgain')} help={mismatch ? <span className="warn">{t('create.mismatch')}</span> : undefined}>
            <input type="password" value={pass2} onChange={(e) => setPass2(e.target.value)} autoComplete="new-password" aria-invalid={mismatch} />
          </Field>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={noPassphrase} onChange={(e) => setNoPassphrase(e.target.checked)} /> {t('create.noPassphrase')}
      </label>
      {noPassphrase && <p className="notice notice-warn">{clusterName ? t('otherCluster.noPassphraseWarning') : t('create.noPassphraseWarning')}</p>}
      {error !== null && <ErrorNotice error={error} ref={errorRef} />}
      {taskId ? (
        <TaskProgress phase={phase} onCancel={cancel} />
      ) : (
        <div className="actions">
          <button type="submit" className="primary" disabled={!canSubmit}>
            {t('create.submit')}
          </button>
        </div>
      )}
    </form>
  );
}
