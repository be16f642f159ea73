import { useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { getApi } from '../api/client.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { useAction } from '../useAction.js';

/** Adds a passphrase to a key that has none (ssh-keygen -p in the engine's pty), on the user's request. */
export function ProtectKeyForm({ file, onDone }: { file: string; onDone(): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [p1, setP1] = useState('');
  const [p2, setP2] = useState('');
  const { busy, error, run } = useAction();
  if (!open) {
    return (
      <button type="button" className="small-button" onClick={() => setOpen(true)}>
        {t('keys.protect')}
      </button>
    );
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (p1 === '' || p1 !== p2) return;
    const passphrase = p1;
    setP1('');
    setP2('');
    if (!(await run(() => getApi()['keys.protect']({ taskId: crypto.randomUUID(), file, passphrase })))) return;
    setOpen(false);
    onDone();
  }
  return (
    <form className="form protect" onSubmit={submit} aria-label={t('keys.protectNamed', { file })}>
      <Field label={t('create.passphrase')}>
        <input type="password" value={p1} onChange={(e) => setP1(e.target.value)} autoComplete="new-password" />
      </Field>
      <Field label={t('create.passphraseAgain')} help={p2 !== '' && p1 !== p2 ? <span className="warn">{t('create.mismatch')}</span> : undefined}>
        <input type="password" value={p2} onChange={(e) => setP2(e.target.value)} autoComplete="new-password" aria-invalid={p2 !== '' && p1 !== p2} />
      </Field>
      {error !== null && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || p1 === '' || p1 !== p2}>
          {t('keys.protectSubmit')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('keys.protectCancel')}
        </button>
      </div>
    </form>
  );
}
