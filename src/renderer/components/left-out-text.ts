import type { Translate } from '../i18n/translator.js';
import type { Messages } from '../i18n/en.js';

/** One thing the config check's copies left out, as the engine gives it (verify.ts `leftOut`). */
export interface LeftOutItem {
  kind: 'match-exec' | 'match-exec-included' | 'include';
  where: string;
}

/**
 * What the check left out, in the wizard's language, from the engine's code and values (the
 * engine's `notes` are the CLI's English). A file path, line number or Include line is the
 * user's own text and is said as it is. In English, "line 3, 7" reads "lines 3, 7".
 */
export function leftOutText(t: Translate<Messages>, item: LeftOutItem): string {
  const text = t(`configLeftOut.${item.kind}`, { where: item.where });
  return item.kind === 'match-exec' && item.where.includes(',') ? text.replace(/\((line|ligne) /, (_, w: string) => `(${w}s `) : text;
}
