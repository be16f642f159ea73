import { EngineError } from '../errors.js';
import type { DoctorCheckDto } from '../../shared/contract/connect.js';
import type { DoctorCode, DoctorItemCode, DoctorReasonDto } from '../../shared/contract/reasons.js';

/**
 * What a doctor check found, as a code and values beside its English sentence: the CLI prints
 * the sentence, the wizard says the code in the user's language (shared/contract/reasons.ts).
 */

/** A finding as a code and values (numbers become text), with its parts said one per line. */
export function why(code: DoctorCode, params: Record<string, string | number> = {}, items?: Array<{ code: DoctorItemCode; params: Record<string, string> }>): DoctorReasonDto {
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) p[k] = String(v);
  return items && items.length > 0 ? { code, params: p, items } : { code, params: p };
}

/** What a check may carry beside its finding: the engine refusal it ended with, OpenSSH's own words. */
export type Extra = Pick<DoctorCheckDto, 'error' | 'openssh'>;

/**
 * A check that ended with an error instead of a finding: an engine refusal is said through its
 * own reason (`error`); anything else was not foreseen, and its English detail is all there is.
 */
export function failedCheck(id: DoctorCheckDto['id'], err: unknown): DoctorCheckDto {
  if (err instanceof EngineError) {
    const base = { id, status: 'fail' as const, message: err.message, next: err.hint ?? '' };
    return err.reason ? { ...base, reason: why('check-error'), error: err.reason } : { ...base, reason: why('check-failed', { detail: err.message }) };
  }
  const detail = (err as Error)?.message ?? String(err);
  return { id, status: 'fail', message: `The check failed unexpectedly: ${detail}`, next: 'Try again.', reason: why('check-failed', { detail }) };
}
