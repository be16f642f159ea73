import type { DoctorCheckDto, ErrorReasonDto } from '../../shared/contract/index.js';
import type { Messages } from '../i18n/en.js';
import type { MessageKey, Translate, Values } from '../i18n/translator.js';

type T = Translate<Messages>;
/**
 * Keys built here from a contract code (errors.reason.<code>, doctor.<code>.message|next,
 * doctor.item.<code>, agent.advice.<code>): some codes have no `next`, so the key is not typed
 * code by code; test/unit/i18n-reasons.test.ts holds every code to its English and French words.
 */
const key = (k: string): MessageKey<Messages> => k as MessageKey<Messages>;

/**
 * The engine's values as the translator takes them: strings as they are (paths, names, modes
 * are never translated), except `count`, which chooses the plural form and so must be a number.
 */
export function reasonValues(params: Readonly<Record<string, string>>): Values {
  const count = params.count === undefined ? undefined : Number(params.count);
  return count === undefined || Number.isNaN(count) ? { ...params } : { ...params, count };
}

/** An engine refusal in the user's language (errors.reason.<code>). */
export function refusalText(reason: ErrorReasonDto, t: T): string {
  return t(key(`errors.reason.${reason.code}`), reasonValues(reason.params));
}

export interface DoctorText {
  /** What was found. */
  message: string;
  /** What to do ('' when nothing). */
  next: string;
  /** The parts of the finding, one per line (wrong settings, files others can change, lines left out). */
  items: string[];
  /** The English detail of a failure nobody foresaw (shown as such); null otherwise. */
  detail: string | null;
}

/**
 * A doctor check in the user's language, from its code and values (doctor.<code>): never the
 * engine's English sentence, except the detail of an unforeseen failure. A check that ended
 * with an engine refusal is said through that refusal; the agent's OS-specific advice through
 * agent.advice.
 */
export function doctorText(check: DoctorCheckDto, t: T): DoctorText {
  const { code, params } = check.reason;
  const values = reasonValues(params);
  const items = (check.reason.items ?? []).map((i) => t(key(`doctor.item.${i.code}`), reasonValues(i.params)));
  const next = t(key(`doctor.${code}.next`), { ...values, defaultValue: '' });
  if (code === 'check-error' && check.error) {
    return { message: `${t('doctor.check-error.message')} ${refusalText(check.error, t)}`, next, items, detail: null };
  }
  if (code === 'agent-unreachable' && params.advice) {
    return { message: `${t('doctor.agent-unreachable.message')} ${t(key(`agent.advice.${params.advice}`), { ...values, defaultValue: '' })}`.trim(), next, items, detail: null };
  }
  return { message: t(key(`doctor.${code}.message`), values), next, items, detail: code === 'check-failed' ? (params.detail ?? check.message) : null };
}
