import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import { getApi } from '../api/client.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';
import { useFocusAfter } from '../useFocusAfter.js';

/**
 * The ssh-agent keeps the unlocked key until you log out, so the passphrase is typed once
 * a session instead of at each connection. Offered only when an agent is reachable.
 */
export function AgentPanel({ keyFile, fingerprint, encrypted, onAdded }: { keyFile: string; fingerprint: string | null; encrypted: boolean | null; onAdded?: () => void }) {
  const { t } = useTranslation();
  const [status] = useAsync(() => getApi()['agent.status']({}));
  const [pass, setPass] = useState('');
  const { busy, error, run } = useAction();
  const [added, setAdded] = useState(false);
  const focusOn = useFocusAfter();
  const resultRef = useRef<HTMLParagraphElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  // Without a passphrase OpenSSH never asks for one: there is nothing for an agent to save.
  if (encrypted === false) return <p className="muted">{t('agent.noPassphrase')}</p>;
  if (status.status !== 'done') return null;
  const s = status.value;
  const hasKey = fingerprint !== null && s.keys.some((k) => k.fingerprint === fingerprint);
  // Why no agent can be used depends on the OS (no SSH_AUTH_SOCK, a stopped Windows service...): said from its code, in every language.
  if (!s.reachable) {
    return (
      <p className="muted">
        {t('agent.none')}
        {s.adviceReason && ` ${t(`agent.advice.${s.adviceReason.code}`, s.adviceReason.params)}`}
      </p>
    );
  }
  if (hasKey || added) {
    return (
      <p className="notice notice-ok" role="status" ref={resultRef}>
        {t('agent.hasKey')}
      </p>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const passphrase = pass;
    setPass('');
    const r = await run(() => getApi()['agent.add']({ taskId: crypto.randomUUID(), file: keyFile, ...(passphrase ? { passphrase } : {}) }));
    if (!r) return focusOn(errorRef);
    // Shown at once, without asking the agent again (a reload would blank the panel and lose focus).
    setAdded(true);
    onAdded?.();
    focusOn(resultRef);
  }

  return (
    <form className="form" onSubmit={submit} aria-label={t('agent.title')}>
      <p>{t('agent.explain')}</p>
      <Field label={t('agent.passphrase')} help={t('agent.passphraseHelp')}>
        <input type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="current-password" />
      </Field>
      {error !== null && <ErrorNotice error={error} ref={errorRef} />}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('agent.add')}
        </button>
      </div>
    </form>
  );
}
