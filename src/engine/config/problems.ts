import type { ConfigConflictChoice, ConfigProblem, ConfigVerification } from '../../shared/contract/config.js';
import type { RefusedInclude } from './includes.js';

/**
 * Why apply would refuse, as codes. Each code is made in one place with its values (what the
 * wizard says in the user's language) and its English sentence (what the CLI prints and
 * `plan.problems` holds), so the two lists can never disagree: `problems` is `problemReasons`'
 * texts, in the same order.
 */

type Problem = ConfigProblem;

const lineList = (lines: readonly number[]): string => lines.map((n) => `line ${n}`).join(', ');

/** The marker problems of parseConfig: the file is left alone until a person fixes them. */
export const markerProblem = {
  startRepeated: (profile: string, lines: readonly number[]): Problem => ({
    code: 'markers-start-repeated',
    params: { profile, count: String(lines.length), lines: lines.join(', ') },
    text: `There are ${lines.length} mila-onboard (${profile}) start markers (${lineList(lines)}); there should be one.`,
  }),
  endRepeated: (profile: string, lines: readonly number[]): Problem => ({
    code: 'markers-end-repeated',
    params: { profile, count: String(lines.length), lines: lines.join(', ') },
    text: `There are ${lines.length} mila-onboard (${profile}) end markers (${lineList(lines)}); there should be one.`,
  }),
  endMissing: (profile: string, line: number): Problem => ({
    code: 'marker-end-missing',
    params: { profile, line: String(line) },
    text: `The mila-onboard (${profile}) block starts at line ${line} but its end marker is missing, so where it ends is unknown.`,
  }),
  startMissing: (profile: string, line: number): Problem => ({
    code: 'marker-start-missing',
    params: { profile, line: String(line) },
    text: `There is a mila-onboard (${profile}) end marker at line ${line} but no start marker.`,
  }),
  order: (profile: string, end: number, start: number): Problem => ({
    code: 'markers-order',
    params: { profile, end: String(end), start: String(start) },
    text: `The mila-onboard (${profile}) end marker (line ${end}) comes before its start marker (line ${start}).`,
  }),
};

export const bomProblem: Problem = {
  code: 'bom',
  params: {},
  text: 'Your SSH config starts with a byte-order mark (an invisible character some Windows editors add). OpenSSH cannot read such a file: it reports "Bad configuration option" on line 1. Allow mila-onboard to remove it (--remove-bom), or save the file as UTF-8 without BOM.',
};

/** An included file OpenSSH refuses to read for its owner or mode: it then refuses the whole configuration. */
export function includeRefusedProblem(r: RefusedInclude): Problem {
  return {
    code: 'include-refused',
    params: { file: r.file, mode: r.mode, uid: r.uid },
    text: `OpenSSH will refuse your whole configuration: ${r.file} (mode ${r.mode}, owner uid ${r.uid}): OpenSSH refuses to read an included file that others can change ("Bad owner or permissions"). Fix it first (chmod go-w on that file, or mila-onboard doctor --fix for the SSH folder's own files); mila-onboard changes nothing until then.`,
  };
}

type Mismatch = NonNullable<ConfigVerification['aliasCheck']>['mismatches'][number];
type Change = ConfigVerification['changed'][number];

const changeLines = (c: Change): string => [...c.removed.map((l) => `-${l}`), ...c.added.map((l) => `+${l}`)].slice(0, 6).join(', ');

const verificationProblem = {
  brokenBefore: (openssh: string): Problem => ({
    code: 'broken-before',
    params: {},
    text: `OpenSSH cannot read your SSH config as it is now: ${openssh}. Fix that first; mila-onboard changes nothing until then.`,
    openssh,
  }),
  aliasUnreadable: (alias: string, openssh: string): Problem => ({
    code: 'alias-unreadable',
    params: { alias },
    text: `After the change, OpenSSH would fail to read the config for "${alias}": ${openssh}`,
    openssh,
  }),
  aliasOverridden: (alias: string, mismatches: readonly Mismatch[]): Problem => ({
    code: 'alias-overridden',
    params: { alias, options: mismatches.map((m) => `${m.option} ${m.actual} ≠ ${m.expected}`).join(', ') },
    text: `After the change, "ssh ${alias}" would not use the cluster's settings: ${mismatches.map((m) => `${m.option} would be ${m.actual} instead of ${m.expected}`).join('; ')}. Something in your config overrides it (for example an entry before the mila-onboard block); move the block to the top of the file, or delete it and plan again.`,
  }),
  entryBroken: (alias: string, openssh: string): Problem => ({
    code: 'entry-broken',
    params: { alias },
    text: `After the change, OpenSSH would fail for your entry "${alias}": ${openssh}`,
    openssh,
  }),
  entryChanged: (c: Change): Problem => ({
    code: 'entry-changed',
    params: { alias: c.alias, lines: changeLines(c) },
    text: `After the change, your entry "${c.alias}" would resolve differently (${changeLines(c)}).`,
  }),
  keepMineChanged: (alias: string): Problem => ({
    code: 'keep-mine-changed',
    params: { alias },
    text: `Your entry "${alias}" would still change although you chose to keep yours; mila-onboard cannot leave it alone automatically.`,
  }),
};

export interface VerdictInput {
  verification: ConfigVerification;
  /** The file starts with a BOM and the user did not allow removing it (ssh -G's verdict then says nothing new). */
  bomKept: boolean;
  /** The BOM is being removed: OpenSSH failing on the file as it is now is expected. */
  fixingBom: boolean;
  onConflict: ConfigConflictChoice;
  /** Aliases whose resolution may change by the user's choice (lower-cased). */
  exempt: ReadonlySet<string>;
  /** Aliases already shown as conflicts (lower-cased). */
  conflicted: ReadonlySet<string>;
  /** No older block in the file: only then can keep-mine's result be judged. */
  freshInsert: boolean;
}

/** What the ssh -G verification (or the BOM that prevents it) says, as problems. */
export function verificationProblems(v: VerdictInput): Problem[] {
  if (v.bomKept) return [bomProblem];
  const { verification } = v;
  if (!verification.ran) return [];
  const out: Problem[] = [];
  const ac = verification.aliasCheck;
  if (ac && !ac.ok) {
    if (verification.brokenBefore && !v.fixingBom) out.push(verificationProblem.brokenBefore(verification.brokenBefore));
    else if (ac.error) out.push(verificationProblem.aliasUnreadable(ac.alias, ac.error));
    else out.push(verificationProblem.aliasOverridden(ac.alias, ac.mismatches));
  }
  for (const b of verification.broken) out.push(verificationProblem.entryBroken(b.alias, b.error));
  const lower = (a: string) => a.toLowerCase();
  for (const c of verification.changed) if (!v.exempt.has(lower(c.alias)) && !v.conflicted.has(lower(c.alias))) out.push(verificationProblem.entryChanged(c));
  // (With an older block in the file, an alias it used to catch changes back to the user's
  // own entry, which is what keep-mine asks for; only a fresh insert can be judged here.)
  if (v.onConflict === 'keep-mine' && v.freshInsert) {
    for (const c of verification.changed) if (v.exempt.has(lower(c.alias))) out.push(verificationProblem.keepMineChanged(c.alias));
  }
  return out;
}
