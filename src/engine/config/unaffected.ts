import type { IncludeReport } from './includes.js';
import { compileHostLine, matchPattern } from '../openssh/host-patterns.js';
import type { TextLine } from './scan.js';
import type { ParsedConfig } from './splice.js';

/**
 * Which of the user's aliases the block provably cannot affect, so that ssh -G need not be
 * asked about them before and after (a config of 50 hosts started ssh -G 200 times).
 *
 * The argument, for an alias A the user types (`ssh A`), following OpenSSH's readconf.c:
 * - OpenSSH reads the config top to bottom once (the first pass). A line sets an option only
 *   inside a section that applies: a `Host` line applies when its patterns match the name typed;
 *   a `Match` line when its criteria hold, `host` being compared with the HostName set so far.
 * - If no option line of the block is in a section that applies to A, the block sets nothing
 *   for A: every option, HostName included, is then set by the user's lines alone, so each of
 *   the user's Host and Match lines decides the same way as without the block.
 * - The block ends with `Host *`, so the lines after it apply as they did at the top of the
 *   file (or after the older block, which must also have ended in a section applying to A).
 * - The `Match host` lines of the block compare the HostName so far, which is A itself only
 *   when nothing before the block could set it: the block is new (it goes first), or only
 *   comments come before it. Otherwise their answer is unknown, and unknown counts as "applies".
 * - Host patterns are matched as OpenSSH 9 does on the name as typed (case-sensitively) and as
 *   older ones did (lower-cased); when the answers differ, the line counts as applying.
 *
 * Nothing is proven (every alias keeps its ssh -G) when OpenSSH may read the config a second
 * time, with the HostName in place of the name typed (`CanonicalizeHostname`, `Match canonical`,
 * `Match final`, anywhere), or when an Include cannot be followed (what it holds is unknown).
 * An alias with characters ssh reads as more than a host name (`user@host`, `ssh://...`) is
 * never proven. And the plan still runs ssh -G on the cluster's own alias before and after: if
 * OpenSSH cannot read the new file at all, every alias is checked as before (plan.ts).
 * test/integration/config-unaffected.test.ts checks this against real ssh -G on generated configs.
 */

const NO = 0;
const YES = 1;
/** Cannot be decided here: treated as "applies". */
const MAYBE = 2;
type Answer = typeof NO | typeof YES | typeof MAYBE;

/** A plain host name: nothing ssh would read as a user, a port or a URI. */
const PLAIN_NAME = /^[A-Za-z0-9._+-]+$/;

interface Name {
  typed: string;
  lower: string;
}

/** OpenSSH's pattern-list rule: a negated pattern that matches says no; else any positive match says yes. */
function listMatches(name: string, patterns: readonly string[], caseSensitive: boolean): boolean {
  let hit = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (matchPattern(name, negated ? p.slice(1) : p, caseSensitive)) {
      if (negated) return false;
      hit = true;
    }
  }
  return hit;
}

/** A list of patterns, compiled once for many names. */
function compileList(patterns: readonly string[]): (n: Name) => Answer {
  const lowerOnly = patterns.every((p) => p === p.toLowerCase());
  const fast = compileHostLine(patterns);
  return (n) => {
    const folded = fast(n.lower);
    // All in lower case: every way of comparing gives the same answer.
    if (lowerOnly && n.typed === n.lower) return folded ? YES : NO;
    const exact = listMatches(n.typed, patterns, true);
    const lowerName = listMatches(n.lower, patterns, true);
    return folded === exact && exact === lowerName ? (exact ? YES : NO) : MAYBE;
  };
}

/** A Match line's criteria, all of which must hold. Only `all`, `host` and `originalhost` are decided. */
function compileMatch(args: readonly string[], hostnameKnown: boolean): (n: Name) => Answer {
  const criteria: Array<(n: Name) => Answer> = [];
  for (let i = 0; i < args.length; ) {
    const attr = args[i]!;
    const negated = attr.startsWith('!');
    const name = (negated ? attr.slice(1) : attr).toLowerCase();
    let test: (n: Name) => Answer;
    if (name === 'all') {
      test = () => YES;
      i++;
    } else if (name === 'canonical' || name === 'final') {
      test = () => MAYBE;
      i++;
    } else {
      const arg = args[i + 1];
      i += 2;
      if (arg === undefined) test = () => MAYBE;
      else if (name === 'originalhost' || (name === 'host' && hostnameKnown)) test = compileList(arg.split(',').filter((p) => p !== ''));
      else test = () => MAYBE;
    }
    criteria.push(negated ? (n) => invert(test(n)) : test);
  }
  if (criteria.length === 0) return () => MAYBE;
  return (n) => {
    let answer: Answer = YES;
    for (const c of criteria) {
      const a = c(n);
      if (a === NO) return NO;
      if (a === MAYBE) answer = MAYBE;
    }
    return answer;
  };
}

const invert = (a: Answer): Answer => (a === YES ? NO : a === NO ? YES : MAYBE);

type Step = { section: (n: Name) => Answer } | { option: true };

/** The block's lines as steps: a new section, or an option line. */
function compileBlock(lines: readonly TextLine[], hostnameKnown: boolean): Step[] {
  const steps: Step[] = [];
  for (const l of lines) {
    const d = l.directive;
    if (!d) continue;
    if (d.keyword === 'host') steps.push({ section: d.badQuotes ? () => MAYBE : compileList(d.args) });
    else if (d.keyword === 'match') steps.push({ section: d.badQuotes ? () => MAYBE : compileMatch(d.args, hostnameKnown) });
    else steps.push({ option: true });
  }
  return steps;
}

/** Whether a block leaves `n` alone: no option line in a section that may apply, and it ends in one that does. */
function leavesAlone(steps: readonly Step[], start: Answer, n: Name): boolean {
  let state = start;
  for (const s of steps) {
    if ('section' in s) state = s.section(n);
    else if (state !== NO) return false;
  }
  return state === YES;
}

/** A line that makes OpenSSH read the config again with the HostName in place of the name typed. */
function asksSecondPass(l: TextLine): boolean {
  const kw = l.directive?.keyword;
  return kw === 'canonicalizehostname' || (kw === 'match' && /canonical|final/i.test(l.text));
}

export interface UnaffectedInput {
  /** The user's config as it is now (with the older block, if any). */
  parsed: ParsedConfig;
  /** The new block's lines. */
  blockLines: readonly TextLine[];
  includes: IncludeReport;
}

/**
 * A test saying whether an alias is provably left alone by replacing (or inserting) the block;
 * false means "ask ssh -G".
 */
export function provablyUnaffected(input: UnaffectedInput): (alias: string) => boolean {
  const { parsed, includes } = input;
  const never = () => false;
  if (includes.risky.size > 0) return never;
  if (parsed.lines.some(asksSecondPass) || includes.files.some((f) => f.lines.some(asksSecondPass)) || input.blockLines.some(asksSecondPass)) return never;
  const old = parsed.block;
  // Only comments before the block: it starts at the top, where every host's section applies
  // and no HostName is set yet. (A new block always goes first.)
  const atTop = !old || parsed.lines.slice(0, old.startLine).every((l) => l.directive === null);
  const start: Answer = atTop ? YES : MAYBE;
  const blocks = [compileBlock(input.blockLines, atTop)];
  if (old) blocks.push(compileBlock(parsed.lines.slice(old.startLine, old.endLine + 1), atTop));
  return (alias) => {
    if (!PLAIN_NAME.test(alias)) return false;
    const n = { typed: alias, lower: alias.toLowerCase() };
    return blocks.every((steps) => leavesAlone(steps, start, n));
  };
}
