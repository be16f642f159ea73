import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import type { TaskPromptEvent as PromptEvent } from '../../shared/contract/events.js';
import { getApi } from '../api/client.js';


/**
 * Duo's menu (the Alliance's second factor) as choices: one button per option (a push to
 * the phone first), or a passcode typed in a masked field (Duo Mobile, or a YubiKey touch).
 * The chosen number or the passcode is typed at the prompt in the pty, then forgotten here.
 */
export function DuoChoices({ taskId, prompt, onAnswered }: { taskId: string; prompt: PromptEvent; onAnswered?: (how: 'push' | 'other') => void }) {
  const { t } = useTranslation();
  const [passcode, setPasscode] = useState('');
  useEffect(() => setPasscode(''), [prompt.promptId]);

  async function send(answer: string, how: 'push' | 'other') {
    await getApi()['task.answer']({ taskId, promptId: prompt.promptId, answer });
    onAnswered?.(how);
  }

  async function submitPasscode(e: FormEvent) {
    e.preventDefault();
    const answer = passcode;
    setPasscode('');
    await send(answer, 'other');
  }

  const options = prompt.options ?? [];
  return (
    <div className="prompt card" role="group" aria-labelledby={`duo-${prompt.promptId}`}>
      <h3 id={`duo-${prompt.promptId}`}>{t('duo.title')}</h3>
      {prompt.retry && (
        <p className="warn" role="alert">
          {t('duo.retry')}
        </p>
      )}
      <div className="actions">
        {options.map((o, i) => (
          <button key={o.key} type="button" className={i === 0 ? 'primary' : ''} onClick={() => void send(o.key, o.action === 'push' ? 'push' : 'other')}>
            {o.action === 'push' ? t('duo.push') : o.label}
          </button>
        ))}
      </div>
      <form onSubmit={submitPasscode} className="field">
        <label htmlFor={`duo-code-${prompt.promptId}`}>{t('duo.passcodeLabel')}</label>
        <input
          id={`duo-code-${prompt.promptId}`}
          type="password"
          value={passcode}
          onChange={(e) => setPasscode(e.target.value)}
          autoComplete="one-time-code"
          aria-describedby={`duo-help-${prompt.promptId}`}
        />
        <small id={`duo-help-${prompt.promptId}`} className="muted">
          {t('duo.passcodeHelp')}
        </small>
        <div className="actions">
          <button type="submit" disabled={passcode === ''}>
            {t('duo.sendPasscode')}
          </button>
        </div>
      </form>
      <details>
        <summary>{t('duo.serverText')}</summary>
        <pre className="mono">{prompt.text}</pre>
      </details>
    </div>
  );
}
