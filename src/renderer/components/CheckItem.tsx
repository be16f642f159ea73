import type { DoctorCheckDto } from '../../shared/contract/connect.js';
import { useTranslation } from '../i18n/use-translation.js';
import { OpenSshOutput } from './OpenSshOutput.js';
import { doctorText } from './reason-text.js';

/**
 * One doctor check on the Done step, in the user's language: its name, its status's text and,
 * when it found something, the finding from its code and values. `own` replaces the status's
 * text with the step's own (the agent row, about the key chosen in the wizard).
 */
export function CheckItem({ check: c, own }: { check: DoctorCheckDto; own?: { status: 'ok' | 'warn'; text: string } | null | undefined }) {
  const { t } = useTranslation();
  const status = own?.status ?? c.status;
  // The finding in the user's language, from its code and values (the engine's English is the CLI's).
  const found = own ? null : doctorText(c, t);
  // "No agent holds your key yet" presumes an agent: when none can be reached, the summary says so.
  const summary = c.id === 'agent' && c.reason.code === 'agent-unreachable' ? t('done.checkText.agent.unreachable') : t(`done.checkText.${c.id}.${c.status}`);
  return (
    <li className={status === 'ok' ? 'ok' : status === 'warn' ? 'warn-soft' : 'warn'} data-check={c.id}>
      <strong>{t('done.checkLabel', { name: t(`done.check.${c.id}`) })}</strong> {own ? own.text : summary}
      {found && (
        <div className="check-finding">
          <span>{found.message}</span>
          {found.items.length > 0 && (
            <ul>
              {found.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
          {found.next && <em> {found.next}</em>}
          {c.openssh && <OpenSshOutput text={c.openssh} />}
          {found.detail && (
            <details className="inline-details">
              <summary>{t('errors.original')}</summary>
              <span lang="en">{found.detail}</span>
            </details>
          )}
        </div>
      )}
    </li>
  );
}
