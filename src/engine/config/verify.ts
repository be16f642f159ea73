import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors.js';
import type { RunResult } from '../openssh/run.js';
import { isMatchExec, type ConfigText } from './scan.js';
import { parseSshG, runSshGuarded } from '../openssh/ssh-g.js';
import { anyMatchExec, writeCheckCopiesOf } from './neutralise.js';
import type { IncludeReport } from './includes.js';

export { neutralise, neutraliseMatchLine } from './neutralise.js';

/**
 * Checking with `ssh -G`, the one trustworthy oracle for what a config means.
 *
 * `ssh -G` itself runs the commands of `Match exec` lines while it reads a config, and
 * mila-onboard never executes anything from the user's config. So it never runs ssh -G on
 * a file that has one: it checks a private copy in which every `exec` criterion is
 * replaced by a constant (`host *` for "the command succeeds", `host !*` for "it fails";
 * both are tried, so either outcome is covered). Every file an Include reaches gets its own
 * neutralised copy and the copies' Include lines name those copies (resolved as OpenSSH's
 * glob would, see includes.ts), so OpenSSH parses the whole configuration and reports an
 * included file it rejects; an Include that cannot be resolved for certain is turned into a
 * comment, with a note, and the report is then not `complete`. Copies keep every line in
 * place, so line numbers in messages still point at the user's files. ssh -G also runs with
 * an inert SHELL (openssh/ssh-g.ts), so a missed exec still runs nothing.
 */

export type SshRunner = (args: readonly string[]) => Promise<RunResult>;

/** ssh -G only, with nothing a config says able to run (see runSshGuarded). */
export const defaultSshRunner: SshRunner = (args) => runSshGuarded(args);

export interface Resolution {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExpectedValues {
  hostname: string;
  port: string;
  user: string;
  identityfile: string;
  preferredauthentications: string;
}

/** Host aliases ssh -G can be asked about. */
export function checkableAlias(alias: string): boolean {
  return alias !== '' && !alias.startsWith('-') && /^[\x21-\x7e]+$/.test(alias) && !/["'\\]/.test(alias);
}

async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Lines ssh prints that say nothing about the config. */
const NOISE = /^Pseudo-terminal will not be allocated|: terminating, \d+ bad configuration options?$/;

/** Which private copy stands for which of the user's files. */
type Names = ReadonlyArray<readonly [string, string]>;

/** OpenSSH's complaint on one line, naming the user's files rather than the private copies. */
function cleanStderr(stderr: string, names: Names): string {
  // Longest copy names first: "before-false-inc-1" must not be cut at "before-false".
  const sorted = [...names].sort((a, b) => b[0].length - a[0].length);
  return stderr
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !NOISE.test(l))
    .map((l) => sorted.reduce((acc, [from, to]) => acc.split(from).join(to), l))
    .join('; ');
}

/**
 * How many ssh -G run at once. On the 2-core build machine, 1 to 6 at once took the same time
 * for 100 runs when it was busy (6.5–6.8 s); 4 keeps both cores fed while Node spawns the next.
 */
const SSH_G_AT_ONCE = 4;

async function resolveOne(run: SshRunner, configPath: string, alias: string): Promise<Resolution> {
  try {
    const r = await run(['-G', '-F', configPath, alias]);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    if (err instanceof EngineError && err.code === 'openssh-missing') throw err;
    return { code: -1, stdout: '', stderr: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * ssh -G for each alias on each config file, all in one queue: the before and after copies
 * are asked about together, so the last few runs of one never wait alone.
 */
export async function resolveOnEach(
  run: SshRunner,
  configPaths: readonly string[],
  aliases: readonly string[] | ((file: number) => readonly string[]),
): Promise<Array<Map<string, Resolution>>> {
  const aliasesOf = typeof aliases === 'function' ? aliases : () => aliases;
  const jobs = configPaths.flatMap((file, f) => aliasesOf(f).map((alias) => ({ f, file, alias })));
  const results = await pool(jobs, SSH_G_AT_ONCE, (j) => resolveOne(run, j.file, j.alias));
  const maps = configPaths.map(() => new Map<string, Resolution>());
  jobs.forEach((j, i) => maps[j.f]!.set(j.alias, results[i]!));
  return maps;
}

export { parseSshG };

export interface Mismatch {
  option: string;
  expected: string;
  actual: string;
}

export function compareExpected(stdout: string, exp: ExpectedValues): Mismatch[] {
  const g = parseSshG(stdout);
  const first = (k: string): string => g.get(k)?.[0] ?? '(not set)';
  const out: Mismatch[] = [];
  if (first('hostname').toLowerCase() !== exp.hostname.toLowerCase()) out.push({ option: 'HostName', expected: exp.hostname, actual: first('hostname') });
  if (first('port') !== exp.port) out.push({ option: 'Port', expected: exp.port, actual: first('port') });
  if (first('user') !== exp.user) out.push({ option: 'User', expected: exp.user, actual: first('user') });
  const ids = g.get('identityfile') ?? [];
  if (!ids.includes(exp.identityfile)) out.push({ option: 'IdentityFile', expected: exp.identityfile, actual: ids.join(', ') || '(not set)' });
  if (first('preferredauthentications') !== exp.preferredauthentications)
    out.push({ option: 'PreferredAuthentications', expected: exp.preferredauthentications, actual: first('preferredauthentications') });
  return out;
}

export interface AliasChange {
  alias: string;
  /** `ssh -G` lines only before / only after. */
  removed: string[];
  added: string[];
}

function lineDelta(a: string, b: string): { removed: string[]; added: string[] } {
  const la = a.split('\n');
  const lb = b.split('\n');
  const sb = new Set(lb);
  const sa = new Set(la);
  return { removed: la.filter((l) => !sb.has(l)), added: lb.filter((l) => !sa.has(l)) };
}

export interface AliasCheck {
  alias: string;
  ok: boolean;
  mismatches: Mismatch[];
  /** OpenSSH's error when it could not read the config. */
  error: string | null;
}

export interface VerifyReport {
  ran: boolean;
  skippedReason: string | null;
  /** What was left out of the copies ssh -G read, in plain words. */
  notes: string[];
  /** The same as codes and values, for the fronts' own words (the notes are the CLI's English). */
  leftOut: VerifyLeftOut[];
  /** Null when the user keeps their own entry for the alias. */
  aliasCheck: AliasCheck | null;
  checkedAliases: string[];
  changed: AliasChange[];
  /** Aliases OpenSSH resolved before but fails on after. */
  broken: Array<{ alias: string; error: string }>;
  /** OpenSSH cannot read the config as it is now (before any change). */
  brokenBefore: string | null;
  /** OpenSSH parsed the whole configuration (nothing left out) and would accept its files' modes. */
  complete: boolean;
}

export interface VerifyInput {
  /** The config as it is now, and after the change (lines scanned once, by the plan). */
  before: ConfigText;
  after: ConfigText;
  riskyIncludes: ReadonlyMap<string, string>;
  /** The user's aliases ssh -G is asked about, before and after. */
  aliases: readonly string[];
  /**
   * Every alias the report says was checked: `aliases` and those the block provably cannot
   * affect (unaffected.ts), in the config's order. Default: `aliases`.
   */
  checkedAliases?: readonly string[];
  profileAlias: string | null;
  expected: ExpectedValues;
  /** The config's real path: messages name it instead of the private copy. */
  displayPath: string;
  run: SshRunner;
  /** The Includes as resolved: each included file is checked through its own neutralised copy. */
  includes?: IncludeReport | null;
}

export interface VerifyState {
  /** One map per exec assumption: the before resolutions, kept to compare after writing. */
  before: Array<Map<string, Resolution>>;
  assumptions: boolean[];
}

/** One thing the check copies changed: a `Match exec` (in the config or an included file) or an Include left out. */
export interface VerifyLeftOut {
  kind: 'match-exec' | 'match-exec-included' | 'include';
  /** The config's line numbers; the included file and line; the Include line's text. */
  where: string;
}

/** What notesFor says, as values: said in the wizard's language from them (issue #14, item 3). */
export function leftOutFor(config: ConfigText, riskyIncludes: ReadonlyMap<string, string>, includes: IncludeReport | null = null): VerifyLeftOut[] {
  const out: VerifyLeftOut[] = [];
  const execLines: number[] = [];
  config.lines.forEach((l, i) => {
    if (isMatchExec(l)) execLines.push(i + 1);
  });
  if (execLines.length > 0) out.push({ kind: 'match-exec', where: execLines.join(', ') });
  const included = [...new Set((includes?.files ?? []).flatMap((f) => f.lines.filter(isMatchExec).map((l) => `${f.path} line ${l.index + 1}`)))];
  if (included.length > 0) out.push({ kind: 'match-exec-included', where: included.join(', ') });
  for (const line of riskyIncludes.keys()) out.push({ kind: 'include', where: line.trim() });
  return out;
}

function notesFor(config: ConfigText, riskyIncludes: ReadonlyMap<string, string>, includes: IncludeReport | null = null): string[] {
  const notes: string[] = [];
  const execLines: number[] = [];
  config.lines.forEach((l, i) => {
    if (isMatchExec(l)) execLines.push(i + 1);
  });
  if (execLines.length > 0)
    notes.push(
      `Your config has "Match exec" (line ${execLines.join(', ')}). mila-onboard never runs commands from your config, so it checked a copy where each such command is assumed to succeed, then to fail.`,
    );
  const included = [...new Set((includes?.files ?? []).flatMap((f) => f.lines.filter(isMatchExec).map((l) => `${f.path} line ${l.index + 1}`)))];
  if (included.length > 0)
    notes.push(`A file your config includes has "Match exec" (${included.join(', ')}). mila-onboard never runs commands from your config, so it checked copies where each such command is assumed to succeed, then to fail.`);
  for (const [line, why] of riskyIncludes) notes.push(`"${line.trim()}" was left out of the check: ${why}.`);
  return notes;
}

async function withCopies<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mila-onboard-check-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Nothing left out of the copies (no unresolvable Include) and no included file OpenSSH would refuse. */
function isComplete(input: Pick<VerifyInput, 'includes' | 'riskyIncludes'>): boolean {
  return input.riskyIncludes.size === 0 && (input.includes?.refused.length ?? 0) === 0;
}

/** The neutralised copies of a config and its includes; messages name the user's files. */
async function copiesFor(dir: string, tag: string, config: ConfigText, input: Pick<VerifyInput, 'includes' | 'riskyIncludes' | 'displayPath'>, assume: boolean): Promise<{ path: string; names: Names }> {
  const includes = input.includes ?? { risky: new Map(input.riskyIncludes), files: [], resolved: new Map(), refused: [] };
  const c = await writeCheckCopiesOf(dir, tag, config, includes, assume);
  return { path: c.path, names: [[c.path, input.displayPath], ...c.names] };
}

function compare(
  before: Map<string, Resolution>,
  after: Map<string, Resolution>,
  aliases: readonly string[],
  report: Pick<VerifyReport, 'changed' | 'broken'>,
  names: Names,
): void {
  for (const a of aliases) {
    const b = before.get(a);
    const n = after.get(a);
    if (!b || !n) continue;
    // OpenSSH could not resolve it before (an existing error, or a BOM being removed): nothing to keep.
    if (b.code !== 0) continue;
    if (b.code === 0 && n.code !== 0) {
      if (!report.broken.some((x) => x.alias === a)) report.broken.push({ alias: a, error: cleanStderr(n.stderr, names) });
      continue;
    }
    if (b.stdout !== n.stdout || b.code !== n.code) {
      if (!report.changed.some((x) => x.alias === a)) report.changed.push({ alias: a, ...lineDelta(b.stdout, n.stdout) });
    }
  }
}

function checkAlias(r: Resolution | undefined, alias: string, expected: ExpectedValues, names: Names): AliasCheck {
  if (!r) return { alias, ok: false, mismatches: [], error: 'not checked' };
  if (r.code !== 0) return { alias, ok: false, mismatches: [], error: cleanStderr(r.stderr, names) || `ssh -G exited with ${r.code}` };
  const mismatches = compareExpected(r.stdout, expected);
  return { alias, ok: mismatches.length === 0, mismatches, error: null };
}

function mergeCheck(prev: AliasCheck | null, next: AliasCheck): AliasCheck {
  if (!prev || prev.ok) return next.ok && prev ? prev : next;
  return prev;
}

/** Before/after comparison on private copies: used by plan, and by apply before it writes. */
export async function verifyOnCopies(input: VerifyInput): Promise<{ report: VerifyReport; state: VerifyState | null }> {
  const report: VerifyReport = {
    ran: false,
    skippedReason: null,
    notes: notesFor(input.before, input.riskyIncludes, input.includes ?? null),
    leftOut: leftOutFor(input.before, input.riskyIncludes, input.includes ?? null),
    aliasCheck: null,
    checkedAliases: [...(input.checkedAliases ?? input.aliases)],
    changed: [],
    broken: [],
    brokenBefore: null,
    complete: false,
  };
  const includes = input.includes ?? null;
  const hasExec = anyMatchExec(input.before, includes) || anyMatchExec(input.after, includes);
  const assumptions = hasExec ? [false, true] : [false];
  const names = [...new Set([...(input.profileAlias ? [input.profileAlias] : []), ...input.aliases])];
  try {
    const before = await withCopies(async (dir) => {
      const copies = await Promise.all(
        assumptions.map(async (assume) => ({
          b: await copiesFor(dir, `before-${assume}`, input.before, input, assume),
          a: await copiesFor(dir, `after-${assume}`, input.after, input, assume),
        })),
      );
      // The before copy is asked only about the aliases compared; the cluster's alias there
      // matters only to say "it was already broken" when the after copy fails, so it is asked
      // then (each ssh -G start costs the CLI ~10 ms of its own time, docs/benchmarks.md).
      const resolved = await resolveOnEach(input.run, copies.flatMap((c) => [c.b.path, c.a.path]), (f) => (f % 2 === 0 ? input.aliases : names));
      const alias = input.profileAlias;
      const checks = copies.map(({ a: ac }, i) => (alias ? checkAlias(resolved[2 * i + 1]!.get(alias), alias, input.expected, ac.names) : null));
      const unasked = alias ? copies.flatMap((_, i) => (checks[i]!.ok || resolved[2 * i]!.has(alias) ? [] : [i])) : [];
      if (alias && unasked.length > 0) {
        const more = await resolveOnEach(input.run, unasked.map((i) => copies[i]!.b.path), [alias]);
        unasked.forEach((i, k) => resolved[2 * i]!.set(alias, more[k]!.get(alias)!));
      }
      return copies.map(({ b: bc, a: ac }, i) => {
        const b = resolved[2 * i]!;
        const a = resolved[2 * i + 1]!;
        if (alias) {
          const pb = b.get(alias);
          if (pb && pb.code !== 0 && report.brokenBefore === null) report.brokenBefore = cleanStderr(pb.stderr, bc.names) || 'ssh -G failed';
          report.aliasCheck = mergeCheck(report.aliasCheck, checks[i]!);
        }
        compare(b, a, input.aliases, report, ac.names);
        return b;
      });
    });
    report.ran = true;
    report.complete = isComplete(input);
    return { report, state: { before, assumptions } };
  } catch (err) {
    if (err instanceof EngineError && err.code === 'openssh-missing') {
      report.skippedReason = `${err.message} The result could not be checked with ssh -G.`;
      return { report, state: null };
    }
    throw err;
  }
}

/**
 * After writing: ssh -G on the file now on disk (or on a neutralised copy of its bytes when
 * it has a Match exec or a risky Include), compared with the before state.
 */
export async function verifyWritten(
  input: Omit<VerifyInput, 'before'> & { configPath: string; state: VerifyState },
): Promise<VerifyReport> {
  const report: VerifyReport = {
    ran: true,
    skippedReason: null,
    notes: notesFor(input.after, input.riskyIncludes, input.includes ?? null),
    leftOut: leftOutFor(input.after, input.riskyIncludes, input.includes ?? null),
    aliasCheck: null,
    checkedAliases: [...(input.checkedAliases ?? input.aliases)],
    changed: [],
    broken: [],
    brokenBefore: null,
    complete: isComplete(input),
  };
  const names = [...new Set([...(input.profileAlias ? [input.profileAlias] : []), ...input.aliases])];
  // The file on disk itself when nothing needs neutralising (no exec, no Include), else copies.
  const direct = input.riskyIncludes.size === 0 && !input.after.lines.some(isMatchExec) && (input.includes?.files.length ?? 0) === 0;
  await withCopies(async (dir) => {
    const copies = await Promise.all(
      input.state.assumptions.map((assume) =>
        direct ? { path: input.configPath, names: [[input.configPath, input.displayPath]] as Names } : copiesFor(dir, `written-${assume}`, input.after, input, assume),
      ),
    );
    const resolved = await resolveOnEach(input.run, copies.map((c) => c.path), names);
    copies.forEach((c, i) => {
      const a = resolved[i]!;
      if (input.profileAlias) report.aliasCheck = mergeCheck(report.aliasCheck, checkAlias(a.get(input.profileAlias), input.profileAlias, input.expected, c.names));
      compare(input.state.before[i]!, a, input.aliases, report, c.names);
    });
  });
  return report;
}
