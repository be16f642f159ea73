import type * as z from 'zod/mini';
import type { EngineContext } from '../context.js';
import { EngineError } from '../errors.js';
import { ConfigInputSchema, type ConfigInput, type ConfigNotice, type ConfigPlan, type ConfigVerification } from '../../shared/contract/config.js';
import { fromBin, hashBytes, toBin, utf8ToBin, type Bin } from './bytes.js';
import { collectSites, predictConflicts, type AliasSite } from './conflicts.js';
import { unifiedDiff } from './diff.js';
import { inspectIncludes, type IncludeReport } from './includes.js';
import { notice } from './notices.js';
import { includeRefusedProblem, verificationProblems } from './problems.js';
import { detectEol, scanLines, type ConfigText, type ScannedLine } from './scan.js';
import { currentText, parseConfig, spliceBlock, splicedLines, userLines, type ParsedConfig } from './splice.js';
import { readConfigState, resolveDeps, type ConfigDeps, type Deps, type FileState } from './state.js';
import { buildBlock, controlPathFor, definesAlias, excludeAlias, renderBlock, type BlockModel, type ConfigVariant } from './template.js';
import { provablyUnaffected } from './unaffected.js';
import { resolveIdentity, validateUser, type IdentityChoice } from './validate.js';
import { checkableAlias, verifyOnCopies, type ExpectedValues, type SshRunner, type VerifyReport, type VerifyState } from './verify.js';
import { configPaths } from './paths.js';
import { pathExists } from '../files/exists.js';

/** The diff lives in diff.ts; this re-export keeps the older import path working. */
export { unifiedDiff };

/**
 * The plan: what the block would be, where it goes, what it changes and whether it may be
 * written. Reads the user's config once (parseConfig), follows its Includes, asks ssh -G what
 * the aliases the block may touch mean before and after, and writes nothing. Its parts live
 * beside it: conflicts.ts (the user's entries the block touches), problems.ts and notices.ts
 * (what is said, as codes), unaffected.ts (which aliases need no ssh -G), diff.ts, and
 * plan-cache.ts (the caller's memory of its last plan, for apply).
 */

/** ssh -G is asked about at most this many existing aliases (about 10 ms each, twice). */
export const MAX_CHECKED_ALIASES = 100;

/** The plan's inputs as the contract's schema gives them (defaults filled in). */
export type ParsedInput = z.output<typeof ConfigInputSchema>;

export interface PlanInternals {
  plan: ConfigPlan;
  state: FileState;
  afterBytes: Buffer;
  /** The file after the change as lines (the user's own, scanned once, around the block's). */
  after: ConfigText;
  model: BlockModel;
  identity: IdentityChoice;
  user: string;
  variant: ConfigVariant;
  onConflict: ParsedInput['onConflict'];
  includes: IncludeReport;
  /** Every alias the plan vouches for: asked of ssh -G, or provably left alone (unaffected.ts). */
  checkedAliases: string[];
  /** Those asked of ssh -G (apply asks again about the written file). */
  sshAliases: string[];
  /** Aliases whose resolution may change by the user's choice (use-ours / keep-mine). */
  exempt: Set<string>;
  profileAliasChecked: string | null;
  expected: ExpectedValues;
  verifyState: VerifyState | null;
}

/** A request checked against its contract schema, once, where it enters the engine. */
export function parseInput<S extends z.ZodMiniType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new EngineError('invalid-input', `Invalid request${issue ? ` (${issue.path.join('.') || 'input'}: ${issue.message})` : ''}.`);
  }
  return r.data;
}

/** Validates the user's inputs before anything else happens (no file is touched). */
export function validateInputs(ctx: EngineContext, inp: ParsedInput, deps: Deps): { user: string; identity: IdentityChoice } {
  const user = validateUser(inp.user);
  const identity = resolveIdentity(inp.identity, { sshDir: ctx.sshDir, home: deps.home, defaultName: ctx.profile.keys.defaultName, platform: ctx.platform });
  return { user, identity };
}

function emptyVerification(reason: string | null): ConfigVerification {
  return { ran: false, skippedReason: reason, notes: [], leftOut: [], aliasCheck: null, checkedAliases: [], changed: [], broken: [], brokenBefore: null, complete: false };
}

/** Whether the local ssh accepts an option (`ssh -G -F none -o OPTION`); reads no config. */
async function sshKnowsOption(run: SshRunner, option: string): Promise<boolean> {
  try {
    const r = await run(['-G', '-F', 'none', '-o', option, 'mila-onboard.invalid']);
    return r.code === 0;
  } catch {
    return false;
  }
}

/** The aliases ssh -G can be asked about, once each (case-insensitively), in the config's order. */
function checkableAliases(sites: readonly AliasSite[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sites) {
    const key = s.alias.toLowerCase();
    if (s.unchecked || !checkableAlias(s.alias) || seen.has(key)) continue;
    seen.add(key);
    out.push(s.alias);
  }
  return out;
}

interface Built {
  model: BlockModel;
  blockText: string;
  blockLines: ScannedLine[];
  after: ConfigText;
  action: 'insert' | 'replace' | 'none';
}

function buildAfter(parsed: ParsedConfig, model: BlockModel, eol: string, removeBom: boolean): Built {
  const blockText = renderBlock(model, eol);
  const blockBin = utf8ToBin(blockText);
  const spliced = spliceBlock(parsed, blockBin, { removeBom });
  const blockLines = scanLines(blockBin);
  return { model, blockText, blockLines, after: { ...splicedLines(parsed, blockLines, { removeBom }), bytes: spliced.after }, action: spliced.action };
}

/**
 * Which aliases ssh -G is asked about: those the block may affect (at most
 * MAX_CHECKED_ALIASES); the others are provably left alone. With no cluster alias to ask
 * about, one alias is asked anyway: that OpenSSH reads the new file at all is the proof's premise.
 */
function selectAliases(aliases: readonly string[], unaffected: (alias: string) => boolean, hasProfileAlias: boolean): { ssh: string[]; checked: string[]; wanted: number } {
  const proven = aliases.map((a) => unaffected(a));
  const maybe = aliases.filter((_a, i) => !proven[i]);
  const ssh = maybe.slice(0, MAX_CHECKED_ALIASES);
  if (!hasProfileAlias && ssh.length === 0 && aliases.length > 0) ssh.push(aliases[0]!);
  const asked = new Set(ssh);
  const checked = aliases.filter((a, i) => proven[i] || asked.has(a));
  return { ssh, checked, wanted: maybe.length };
}

/** OpenSSH could not read the file after the change: the proof's premise fails, so every alias is asked about. */
function newFileUnreadable(r: VerifyReport): boolean {
  return r.broken.length > 0 || (r.aliasCheck !== null && r.aliasCheck.error !== null && r.brokenBefore === null);
}

/** Everything plan shows and apply needs, from the bytes just read. Writes nothing. */
export async function computePlan(ctx: EngineContext, inp: ParsedInput, state: FileState, deps: Deps, opts: { display?: boolean } = {}): Promise<PlanInternals> {
  const display = opts.display ?? true;
  const { user, identity } = validateInputs(ctx, inp, deps);
  const profile = ctx.profile;
  const bin: Bin = state.bytes ? toBin(state.bytes) : '';
  // The one scan of the user's config: everything below reads these lines.
  const parsed = parseConfig(bin, profile.id);
  const notices: ConfigNotice[] = [];
  const ulines = userLines(parsed);
  const eol = detectEol(ulines.length > 0 ? ulines : parsed.lines);
  const includes = await inspectIncludes(ulines, { home: deps.home, fs: deps.fs });
  const sites = collectSites(parsed, state.configPath, includes);

  let useKeychain = false;
  if (ctx.platform === 'darwin' && inp.variant === 'advanced') {
    useKeychain = deps.runSsh ? await sshKnowsOption(deps.runSsh, 'UseKeychain=yes') : true;
    if (!useKeychain) notices.push(notice.useKeychainOmitted());
  }
  const socket = { user, hosts: [profile.login.host, ...Object.values(profile.login.nodes)], port: profile.login.port, platform: ctx.platform };
  const controlPath = controlPathFor(deps.controlDir, deps.home, socket);
  const base = buildBlock(profile, { user, identity, variant: inp.variant, platform: ctx.platform, useKeychain, controlPath });
  const conflicts = predictConflicts(base, sites, inp.onConflict);

  const build = (): Built => {
    let model = base;
    if (inp.onConflict === 'keep-mine') for (const c of conflicts.list) model = excludeAlias(model, c.alias);
    return buildAfter(parsed, model, eol, inp.removeBom);
  };
  let built = build();

  const aliases = checkableAliases(sites);
  const expected: ExpectedValues = {
    hostname: profile.login.host,
    port: String(profile.login.port),
    user,
    identityfile: identity.sshValue,
    preferredauthentications: profile.login.preferredAuthentications,
  };
  const profileAliasFor = (m: BlockModel): string | null => (definesAlias(m, profile.alias) ? profile.alias : null);
  let sshAliases = aliases.slice(0, MAX_CHECKED_ALIASES);
  let checkedAliases = sshAliases;
  let wanted = aliases.length;

  let verification: VerifyReport | ConfigVerification = emptyVerification('Not checked with ssh -G.');
  let verifyState: VerifyState | null = null;
  if (parsed.markerProblems.length === 0 && deps.runSsh) {
    const run = deps.runSsh;
    const runVerify = async (everyAlias = false) => {
      const profileAlias = profileAliasFor(built.model);
      const unaffected = everyAlias ? () => false : provablyUnaffected({ parsed, blockLines: built.blockLines, includes });
      ({ ssh: sshAliases, checked: checkedAliases, wanted } = selectAliases(aliases, unaffected, profileAlias !== null));
      return verifyOnCopies({
        before: currentText(parsed),
        after: built.after,
        riskyIncludes: includes.risky,
        includes,
        aliases: sshAliases,
        checkedAliases,
        profileAlias,
        expected,
        displayPath: state.configPath,
        run,
      });
    };
    let v = await runVerify();
    if (newFileUnreadable(v.report) && checkedAliases.length > sshAliases.length) v = await runVerify(true);
    // ssh -G knows better than the pattern simulation: any other alias that would change is a conflict too.
    const surprise = v.report.changed.filter((c) => !conflicts.has(c.alias));
    if (surprise.length > 0) {
      for (const c of surprise) {
        const site = sites.find((s) => s.alias === c.alias);
        if (site) conflicts.add(site, 'changed');
      }
      if (inp.onConflict === 'keep-mine') {
        built = build();
        v = await runVerify(newFileUnreadable(v.report));
      }
    }
    verification = v.report;
    verifyState = v.state;
  } else if (!deps.runSsh) {
    verification = emptyVerification('Checking with ssh -G was turned off.');
  }
  if (wanted > MAX_CHECKED_ALIASES) notices.push(notice.aliasesCapped(wanted, MAX_CHECKED_ALIASES));

  const exempt = new Set(inp.onConflict === 'refuse' ? [] : conflicts.aliases());
  const problemReasons = [
    ...parsed.markerReasons,
    ...verificationProblems({
      verification,
      bomKept: parsed.bom && !inp.removeBom,
      fixingBom: parsed.bom && inp.removeBom,
      onConflict: inp.onConflict,
      exempt,
      conflicted: conflicts.aliases(),
      freshInsert: !parsed.block,
    }),
    // The checks read private copies, which OpenSSH never finds too open: its refusal is said here.
    ...includes.refused.map(includeRefusedProblem),
  ];
  if (parsed.bom && inp.removeBom) notices.push(notice.bomRemoved());
  if (state.symlink) notices.push(notice.symlink(state.configPath, state.targetPath));
  if (state.nlink > 1) notices.push(notice.hardLinks(state.targetPath));
  if (!(await pathExists(identity.path, { followLinks: true }))) notices.push(notice.keyMissing(identity.path));
  if (!(await pathExists(ctx.sshDir, { followLinks: true }))) notices.push(notice.folderCreated(ctx.sshDir));
  if (inp.onConflict === 'keep-mine' && conflicts.has(profile.alias)) notices.push(notice.keepOwnAlias(profile.alias));
  if (built.model.connectionSharing && deps.controlDir && !(await pathExists(deps.controlDir, { followLinks: true }))) notices.push(notice.controlDirCreated(deps.controlDir));
  if (verification.skippedReason && deps.runSsh) notices.push(notice.unchecked(verification.skippedReason));

  const afterBin = built.after.bytes!;
  const changed = afterBin !== bin;
  const problems = problemReasons.map((p) => p.text);
  const conflictList = conflicts.list;
  // Apply needs none of the texts shown to the user (the whole file twice and the diff).
  const afterBytes = changed ? fromBin(afterBin) : (state.bytes ?? Buffer.alloc(0));
  // Decoded from the bytes at hand (the file as read, the bytes apply will write): not from the
  // binary strings, which would be encoded back to bytes first (10 ms each at 10,000 hosts).
  const beforeText = display ? (state.bytes ?? Buffer.alloc(0)).toString('utf8') : '';
  const afterText = display ? afterBytes.toString('utf8') : '';
  const plan: ConfigPlan = {
    configPath: state.configPath,
    targetPath: state.targetPath,
    symlink: state.symlink,
    exists: state.exists,
    hash: hashBytes(state.bytes),
    before: beforeText,
    after: afterText,
    diff: changed && display ? unifiedDiff(state.configPath, beforeText, afterText, state.exists) : '',
    blockText: built.blockText,
    changed,
    blockAction: changed ? built.action : 'none',
    lineEnding: eol === '\r\n' ? 'crlf' : 'lf',
    bom: parsed.bom,
    conflicts: conflictList,
    notices,
    warnings: notices.map((n) => n.text),
    problems,
    problemReasons,
    canApply: problems.length === 0 && !(conflictList.length > 0 && inp.onConflict === 'refuse'),
    verification,
    inputs: { user, identity: identity.configValue, identityPath: identity.path, variant: inp.variant, onConflict: inp.onConflict },
    connectionSharing: built.model.connectionSharing,
  };
  return {
    plan,
    state,
    afterBytes,
    after: built.after,
    model: built.model,
    identity,
    user,
    variant: inp.variant,
    onConflict: inp.onConflict,
    includes,
    checkedAliases,
    sshAliases,
    exempt,
    profileAliasChecked: profileAliasFor(built.model),
    expected,
    verifyState,
  };
}

/** Shows what apply would write: the whole file before and after, the diff, conflicts. Writes nothing. */
export async function planConfig(ctx: EngineContext, input: ConfigInput, deps: ConfigDeps = {}): Promise<ConfigPlan> {
  const inp = parseInput(ConfigInputSchema, input);
  const d = resolveDeps(ctx, deps);
  validateInputs(ctx, inp, d);
  const state = await readConfigState(d.fs, configPaths(ctx.sshDir).config);
  const internals = await computePlan(ctx, inp, state, d);
  d.plans?.remember(ctx, inp, d, internals);
  return internals.plan;
}
