import type { ConfigConflict, ConfigConflictChoice, ConfigNotice, ConfigProblem } from '../../shared/contract/config.js';
import type { Translate } from '../i18n/translator.js';
import type { Messages } from '../i18n/en.js';

/**
 * What the settings step says about a plan (a name the user already defines, a notice, a reason
 * it cannot write), in the wizard's language, from the engine's codes and values. Every text
 * gets the tab's cluster name: a plan is one cluster's block, and on narval's tab "the entry"
 * is narval's, never Mila's (issue #16). Pure, so each code is tested for each cluster.
 */
type T = Translate<Messages>;

/** A name the user's settings already define, and what the chosen way out does with it. */
export function conflictText(t: T, c: Pick<ConfigConflict, 'kind' | 'alias' | 'file' | 'line'>, onConflict: ConfigConflictChoice, clusterName: string): string {
  const what = t(`config.conflictKind.${c.kind}`, { alias: c.alias, file: c.file, line: c.line, name: clusterName });
  const then = t(`config.conflictThen.${onConflict}`, { alias: c.alias, name: clusterName });
  return `${what} ${then}`;
}

/** A notice; one without a code (OpenSSH could not be asked) is the engine's own sentence. */
export function noticeText(t: T, n: Pick<ConfigNotice, 'code' | 'params' | 'text'>, clusterName: string): string {
  return n.code ? t(`config.notice.${n.code}`, { ...n.params, name: clusterName }) : n.text;
}

/** A reason the block cannot be written; OpenSSH's own words are shown apart, as its. */
export function problemText(t: T, p: Pick<ConfigProblem, 'code' | 'params'>, clusterName: string): string {
  return t(`config.problem.${p.code}`, { ...p.params, name: clusterName });
}
