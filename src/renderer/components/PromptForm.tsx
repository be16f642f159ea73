import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';
import type { TaskPromptEvent as PromptEvent } from '../../shared/contract/events.js';
import { getApi } from '../api/client.js';
import { onEvent } from '../api/events.js';
import { DuoChoices } from './DuoChoices.js';
import type { OtherClusterWords } from './diagnosis-text.js';

/** The prompt OpenSSH (or the cluster) is showing for a task, or null when none is waiting. */
export function useTaskPrompt(taskId: string | null): PromptEvent | null {
  const [prompt, setPrompt] = useState<PromptEvent | null>(null);
  useEffect(() => {
    setPrompt(null);
    if (!taskId) return;
    return onEvent('task.event', (e) => {
      if (e.taskId !== taskId) return;
      if (e.type === 'prompt') setPrompt(e);
      else if (e.type === 'prompt-closed') setPrompt((p) => (p?.promptId === e.promptId ? null : p));
    });
  }, [taskId]);
  return prompt;
}

/**
 * Answers one prompt. The text is OpenSSH's own, shown verbatim; the answer is sent once
 * and the field emptied at once, so the page does not keep it.
 */
export function PromptForm({
  taskId,
  prompt,
  onAnswered,
  other,
}: {
  taskId: string;
  prompt: PromptEvent;
  onAnswered?: (how?: 'push' | 'other') => void;
  /** Another cluster than the primary: the help names its account, not Mila's password. */
  other?: OtherClusterWords | undefined;
}) {
  if (prompt.kind === 'duo-menu') return <DuoChoices taskId={taskId} prompt={prompt} onAnswered={onAnswered} />;
  return <TextPromptForm taskId={taskId} prompt={prompt} onAnswered={onAnswered} other={other} />;
}

function TextPromptForm({ taskId, prompt, onAnswered, other }: { taskId: string; prompt: PromptEvent; onAnswered?: () => void; other?: OtherClusterWords | undefined }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setValue('');
    input.current?.focus();
  }, [prompt.promptId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = value;
    setValue('');
    await getApi()['task.answer']({ taskId, promptId: prompt.promptId, answer });
    onAnswered?.();
  }

  const help = prompt.kind === 'otp' ? t('prompt.otpHelp') : prompt.kind === 'passphrase'
        ? other
          ? t('otherCluster.passphraseHelp', { account: other.account })
          : t('prompt.passphraseHelp')
        : prompt.kind === 'password'
          ? other
            ? t('otherCluster.passwordWarning', { name: other.name, account: other.account })
            : t('prompt.passwordWarning') : t('prompt.unknownHelp');
  return (
    <form className="prompt card" onSubmit={submit} aria-label={t('prompt.label')}>
      {prompt.retry && (
        <p className="warn" role="alert">
          {prompt.kind === 'otp' ? t('prompt.otpRetry') : t('prompt.retry')}
        </p>
      )}
      <div className="field">
        <label htmlFor={`prompt-${prompt.promptId}`} className="mono">
          {prompt.text.trim()}
        </label>
        <input
          id={`prompt-${prompt.promptId}`}
          ref={input}
          type={prompt.secret ? 'password' : 'text'}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete={prompt.kind === 'otp' ? 'one-time-code' : 'off'}
          inputMode={prompt.kind === 'otp' ? 'numeric' : undefined}
          aria-describedby={`prompt-help-${prompt.promptId}`}
        />
        <small id={`prompt-help-${prompt.promptId}`} className="muted">
          {help}
        </small>
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {t('prompt.send')}
        </button>
      </div>
    </form>
  );
}
