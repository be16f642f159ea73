import { createTwoFilesPatch, formatPatch, structuredPatch } from 'diff';
import type { EngineContext } from '../context.js';
import { EngineError } from '../errors.js';
import {
  ConfigInputSchema,
  type ConfigInput,
  type ConfigNotice,
  type ConfigProblem,
  type ConfigPlan,
  type ConfigConflict,
  type ConfigConflictChoice,
  type ConfigVerification,
} from '../../shared/contract/config.js';
import { binToDisplay, fromBin, hashBytes, toBin, utf8ToBin, type Bin } from './bytes.js';
import { inspectIncludes, type IncludeReport } from './includes.js';
import { detectEol, isLiteralAlias, sectionAround, type ScannedLine } from './scan.js';
import { parseConfig, spliceBlock, userLines, type ParsedConfig } from './splice.js';
import { readConfigState, resolveDeps, type ConfigDeps, type Deps, type FileState } from './state.js';
import { buildBlock, controlPathFor, definesAlias, excludeAlias, renderBlock, sectionsApplying, type BlockModel, type ConfigVariant } from './template.js';
import { resolveIdentity, validateUser, type IdentityChoice } from './validate.js';
import { checkableAlias, verifyOnCopies, type ExpectedValues, type SshRunner, type VerifyReport, type VerifyState } from './verify.js';
import { configPaths } from './paths.js';
import { pathExists } from '../files/exists.js';

/** ssh -G is asked about at most this many existing aliases (about 10 ms each, twice). */
export const MAX_CHECKED_ALIASES = 100;

interface AliasSite {
  alias: string;
  file: string;
  line: ScannedLine;
  lines: readonly ScannedLine[];
  /** Reached only through an Include that checks leave out. */
  unchecked: boolean;
}

export interface PlanInternals {
  plan: ConfigPlan;
  state: FileState;
  afterBytes: Buffer;
  model: BlockModel;
  identity: IdentityChoice;
  user: string;
  variant: ConfigVariant;
  onConflict: ConfigConflictChoice;
  includes: IncludeReport;
  checkedAliases: string[];
  /** Aliases whose resolution may change by the user's choice (use-ours / keep-mine). */
  exempt: Set<string>;
  profileAliasChecked: string | null;
  expected: ExpectedValues;
  verifyState: VerifyState | null;
}

function parseInput(input: ConfigInput): { user: string; identity?: string | undefined; variant: ConfigVariant; onConflict: ConfigConflictChoice; removeBom: boolean } {
  const r = ConfigInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new EngineError('invalid-input', `Invalid request${issue ? ` (${issue.path.join('.') || 'input'}: ${issue.message})` : ''}.`);
  }
  return r.data;
}

/** Validates the user's inputs before anything else happens (no file is touched). */
export function validateInputs(ctx: EngineContext, input: ConfigInput, deps: Deps): { user: string; identity: IdentityChoice } {
  const inp = parseInput(input);
  const user = validateUser(inp.user);
  const identity = resolveIdentity(inp.identity, { sshDir: ctx.sshDir, home: deps.home, defaultName: ctx.profile.keys.defaultName, platform: ctx.platform });
  return { user, identity };
}

function collectSites(parsed: ParsedConfig, configPath: string, includes: IncludeReport): AliasSite[] {
  const sites: AliasSite[] = [];
  const ulines = userLines(parsed);
  for (const l of ulines) {
    if (l.directive?.keyword !== 'host') continue;
    for (const p of l.directive.args) if (isLiteralAlias(p)) sites.push({ alias: p, file: configPath, line: l, lines: parsed.lines, unchecked: false });
  }
  for (const f of includes.files) {
    for (const l of f.lines) {
      if (l.directive?.keyword !== 'host') continue;
      for (const p of l.directive.args) if (isLiteralAlias(p)) sites.push({ alias: p, file: f.path, line: l, lines: f.lines, unchecked: includes.risky.has(f.via) });
    }
  }
  return sites;
}

function sectionText(site: AliasSite): string {
  return sectionAround(site.lines, site.line.index)
    .map((l) => binToDisplay(l.text))
    .join('\n');
}

function conflictMessage(kind: ConfigConflict['kind'], alias: string, site: AliasSite, model: BlockModel, choice: ConfigConflictChoice): string {
  const where = `${site.file}, line ${site.line.index + 1}`;
  const what =
    kind === 'defined'
      ? `Your config already has an entry for "${alias}" (${where}).`
      : kind === 'matched'
        ? `Your entry "${alias}" (${where}) would also get settings from the ${model.profileName} block, which comes first.`
        : `Your entry "${alias}" (${where}) would resolve differently after the change (checked with ssh -G).`;
  const then =
    choice === 'use-ours'
      ? ` The ${model.profileName} block goes first, so its values win for "${alias}"; your lines stay where they are and still apply to options the block does not set.`
      : choice === 'keep-mine'
        ? ` The block leaves "${alias}" alone; your entry keeps deciding how it connects.`
        : ' Choose to keep yours or to use the new entry; nothing is written until you do.';
  return what + then;
}

function addConflict(conflicts: ConfigConflict[], site: AliasSite, kind: ConfigConflict['kind'], model: BlockModel, choice: ConfigConflictChoice): void {
  if (conflicts.some((c) => c.alias.toLowerCase() === site.alias.toLowerCase())) return;
  conflicts.push({
    alias: site.alias,
    kind,
    file: site.file,
    line: site.line.index + 1,
    text: sectionText(site),
    message: conflictMessage(kind, site.alias, site, model, choice),
  });
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

const DIFF_CONTEXT = 3;

/** Chunked, so the comparison of two large texts is native string equality, not a loop per character. */
const CHUNK = 4096;

function commonPrefix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function countLines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Start of the line `lines` lines before the line starting at `lineStart` (0 when there are fewer). */
function backLines(s: string, lineStart: number, lines: number): number {
  let at = lineStart;
  // The first newline found ends the line just before lineStart; `lines` more go back as far.
  for (let k = 0; k <= lines; k++) {
    if (at <= 0) return 0;
    at = s.lastIndexOf('\n', at - 1);
    if (at === -1) return 0;
  }
  return at + 1;
}

/** Start of the line `lines` lines after the line starting at `lineStart` (the text's end when there are fewer). */
function forwardLines(s: string, lineStart: number, lines: number): number {
  let at = lineStart;
  for (let k = 0; k < lines; k++) {
    const nl = s.indexOf('\n', at);
    if (nl === -1) return s.length;
    at = nl + 1;
  }
  return at;
}

/**
 * A unified diff of the whole file. Only the lines from the first to the last difference
 * (with their context) go through the diff algorithm: with one block added or replaced in a
 * config of 10,000 hosts, diffing the whole file was most of plan's time. The common head and
 * tail are found on the texts themselves (no array of every line), then cut at whole lines.
 */
export function unifiedDiff(file: string, before: string, after: string, existed: boolean): string {
  const header = existed ? 'before' : 'does not exist yet';
  const min = Math.min(before.length, after.length);
  const p = commonPrefix(before, after, min);
  // Whole lines only: a line is common when it ends (with its newline) inside the prefix.
  const headEnd = p === before.length && p === after.length ? p : p === 0 ? 0 : before.lastIndexOf('\n', p - 1) + 1;
  const sfx = commonSuffix(before, after, min - headEnd);
  // ...and in the tail, when it starts inside the suffix at a line start in both texts.
  let tailStart = before.length - sfx;
  const atLineStart = (s: string, i: number) => i === 0 || s.charCodeAt(i - 1) === 0x0a;
  if (!(atLineStart(before, tailStart) && atLineStart(after, after.length - sfx))) {
    const nl = before.indexOf('\n', tailStart);
    tailStart = nl === -1 ? before.length : nl + 1;
  }
  // Keep DIFF_CONTEXT common lines on each side, as context.
  const cutHead = backLines(before, headEnd, DIFF_CONTEXT);
  const cutTailBefore = forwardLines(before, tailStart, DIFF_CONTEXT);
  const keptTail = before.length - cutTailBefore;
  if (cutHead === 0 && keptTail === 0) return createTwoFilesPatch(file, file, before, after, header, 'after', { context: DIFF_CONTEXT });
  const skipHead = countLines(before, cutHead);
  const patch = structuredPatch(file, file, before.slice(cutHead, before.length - keptTail), after.slice(cutHead, after.length - keptTail), header, 'after', { context: DIFF_CONTEXT });
  for (const h of patch.hunks) {
    h.oldStart += skipHead;
    h.newStart += skipHead;
  }
  return formatPatch(patch);
}

/** Everything plan shows and apply needs, from the bytes just read. Writes nothing. */
export async function computePlan(ctx: EngineContext, input: ConfigInput, state: FileState, deps: Deps, opts: { display?: boolean } = {}): Promise<PlanInternals> {
  const display = opts.display ?? true;
  const inp = parseInput(input);
  const { user, identity } = validateInputs(ctx, input, deps);
  const profile = ctx.profile;
  const bin: Bin = state.bytes ? toBin(state.bytes) : '';
  const parsed = parseConfig(bin, profile.id);
  const problems: string[] = [...parsed.markerProblems];
  /** The same problems with codes and values; OpenSSH's own error text apart, to be shown as its. */
  const problemReasons: ConfigProblem[] = [...parsed.markerReasons];
  const problem = (code: ConfigProblem['code'], params: Record<string, string>, text: string, openssh?: string) => {
    problems.push(text);
    problemReasons.push({ code, params, text, ...(openssh ? { openssh } : {}) });
  };
  const warnings: string[] = [];
  /** The same warnings with a code and values, so a front can say them in the user's language. */
  const notices: ConfigNotice[] = [];
  const warn = (code: ConfigNotice['code'], params: Record<string, string>, text: string) => {
    warnings.push(text);
    notices.push({ code, params, text });
  };
  const ulines = userLines(parsed);
  const eol = detectEol(ulines.length > 0 ? ulines : parsed.lines);
  const includes = await inspectIncludes(ulines, { home: deps.home, fs: deps.fs });
  const sites = collectSites(parsed, state.configPath, includes);

  let useKeychain = false;
  if (ctx.platform === 'darwin' && inp.variant === 'advanced') {
    useKeychain = deps.runSsh ? await sshKnowsOption(deps.runSsh, 'UseKeychain=yes') : true;
    if (!useKeychain) warn('use-keychain-omitted', {}, '"UseKeychain yes" was left out: the ssh on this computer does not know that option (only Apple\'s does).');
  }
  const socket = { user, hosts: [profile.login.host, ...Object.values(profile.login.nodes)], port: profile.login.port, platform: ctx.platform };
  const controlPath = controlPathFor(deps.controlDir, deps.home, socket);
  const base = buildBlock(profile, { user, identity, variant: inp.variant, platform: ctx.platform, useKeychain, controlPath });
  const conflicts: ConfigConflict[] = [];
  for (const site of sites) {
    if (sectionsApplying(base, site.alias).length > 0) addConflict(conflicts, site, definesAlias(base, site.alias) ? 'defined' : 'matched', base, inp.onConflict);
  }

  const build = (): { model: BlockModel; blockText: string; after: Bin; action: 'insert' | 'replace' | 'none' } => {
    let model = base;
    if (inp.onConflict === 'keep-mine') for (const c of conflicts) model = excludeAlias(model, c.alias);
    const blockText = renderBlock(model, eol);
    const spliced = spliceBlock(parsed, utf8ToBin(blockText), { removeBom: inp.removeBom });
    return { model, blockText, after: spliced.after, action: spliced.action };
  };
  let built = build();

  const seen = new Set<string>();
  const checkedAliases: string[] = [];
  for (const s of sites) {
    const key = s.alias.toLowerCase();
    if (s.unchecked || !checkableAlias(s.alias) || seen.has(key)) continue;
    seen.add(key);
    checkedAliases.push(s.alias);
  }
  if (checkedAliases.length > MAX_CHECKED_ALIASES) {
    warn('aliases-capped', { count: String(checkedAliases.length), max: String(MAX_CHECKED_ALIASES) }, `Your config defines ${checkedAliases.length} host aliases; the first ${MAX_CHECKED_ALIASES} were checked with ssh -G.`);
    checkedAliases.length = MAX_CHECKED_ALIASES;
  }
  const expected: ExpectedValues = {
    hostname: profile.login.host,
    port: String(profile.login.port),
    user,
    identityfile: identity.sshValue,
    preferredauthentications: profile.login.preferredAuthentications,
  };
  const profileAliasFor = (m: BlockModel): string | null => (definesAlias(m, profile.alias) ? profile.alias : null);

  let verification: VerifyReport | ConfigVerification = emptyVerification('Not checked with ssh -G.');
  let verifyState: VerifyState | null = null;
  if (parsed.markerProblems.length === 0 && deps.runSsh) {
    const runVerify = () =>
      verifyOnCopies({
        beforeBin: bin,
        afterBin: built.after,
        riskyIncludes: includes.risky,
        includes,
        aliases: checkedAliases,
        profileAlias: profileAliasFor(built.model),
        expected,
        displayPath: state.configPath,
        run: deps.runSsh!,
      });
    let v = await runVerify();
    // ssh -G knows better than the pattern simulation: any other alias that would change is a conflict too.
    const surprise = v.report.changed.filter((c) => !conflicts.some((k) => k.alias.toLowerCase() === c.alias.toLowerCase()));
    if (surprise.length > 0) {
      for (const c of surprise) {
        const site = sites.find((s) => s.alias === c.alias);
        if (site) addConflict(conflicts, site, 'changed', base, inp.onConflict);
      }
      if (inp.onConflict === 'keep-mine') {
        built = build();
        v = await runVerify();
      }
    }
    verification = v.report;
    verifyState = v.state;
  } else if (!deps.runSsh) {
    verification = emptyVerification('Checking with ssh -G was turned off.');
  }

  // What the verification says, in words.
  const exempt = new Set(inp.onConflict === 'refuse' ? [] : conflicts.map((c) => c.alias.toLowerCase()));
  if (parsed.bom && !inp.removeBom) {
    problem(
      'bom',
      {},
      'Your SSH config starts with a byte-order mark (an invisible character some Windows editors add). OpenSSH cannot read such a file: it reports "Bad configuration option" on line 1. Allow mila-onboard to remove it (--remove-bom), or save the file as UTF-8 without BOM.',
    );
  } else if (verification.ran) {
    const fixingBom = parsed.bom && inp.removeBom;
    if (verification.aliasCheck && !verification.aliasCheck.ok) {
      const ac = verification.aliasCheck;
      if (verification.brokenBefore && !fixingBom)
        problem('broken-before', {}, `OpenSSH cannot read your SSH config as it is now: ${verification.brokenBefore}. Fix that first; mila-onboard changes nothing until then.`, verification.brokenBefore);
      else if (ac.error) problem('alias-unreadable', { alias: ac.alias }, `After the change, OpenSSH would fail to read the config for "${ac.alias}": ${ac.error}`, ac.error);
      else
        problem(
          'alias-overridden',
          { alias: ac.alias, options: ac.mismatches.map((m) => `${m.option} ${m.actual} ≠ ${m.expected}`).join(', ') },
          `After the change, "ssh ${ac.alias}" would not use the cluster's settings: ${ac.mismatches.map((m) => `${m.option} would be ${m.actual} instead of ${m.expected}`).join('; ')}. Something in your config overrides it (for example an entry before the mila-onboard block); move the block to the top of the file, or delete it and plan again.`,
        );
    }
    for (const b of verification.broken) problem('entry-broken', { alias: b.alias }, `After the change, OpenSSH would fail for your entry "${b.alias}": ${b.error}`, b.error);
    const unexpected = verification.changed.filter((c) => !exempt.has(c.alias.toLowerCase()) && !conflicts.some((k) => k.alias.toLowerCase() === c.alias.toLowerCase()));
    for (const c of unexpected) {
      const lines = [...c.removed.map((l) => `-${l}`), ...c.added.map((l) => `+${l}`)].slice(0, 6).join(', ');
      problem('entry-changed', { alias: c.alias, lines }, `After the change, your entry "${c.alias}" would resolve differently (${lines}).`);
    }
    // (With an older block in the file, an alias it used to catch changes back to the user's
    // own entry, which is what keep-mine asks for; only a fresh insert can be judged here.)
    if (inp.onConflict === 'keep-mine' && !parsed.block) {
      for (const c of verification.changed.filter((x) => exempt.has(x.alias.toLowerCase())))
        problem('keep-mine-changed', { alias: c.alias }, `Your entry "${c.alias}" would still change although you chose to keep yours; mila-onboard cannot leave it alone automatically.`);
    }
  }
  // The checks read private copies, which OpenSSH never finds too open: its refusal is said here.
  for (const r of includes.refused) problems.push(`OpenSSH will refuse your whole configuration: ${r}. Fix it first (chmod go-w on that file, or mila-onboard doctor --fix for the SSH folder's own files); mila-onboard changes nothing until then.`);
  if (parsed.bom && inp.removeBom) warn('bom-removed', {}, 'The byte-order mark at the start of the file will be removed (the only change outside the block).');
  if (state.symlink) warn('symlink', { link: state.configPath, target: state.targetPath }, `${state.configPath} is a link to ${state.targetPath}; that file is changed and the link stays.`);
  if (state.nlink > 1) warn('hard-links', { file: state.targetPath }, `${state.targetPath} has other hard links; they will keep the old content.`);
  if (!(await pathExists(identity.path, { followLinks: true }))) warn('key-missing', { file: identity.path }, `The key ${identity.path} does not exist yet; create it before connecting.`);
  if (!(await pathExists(ctx.sshDir, { followLinks: true }))) warn('folder-created', { dir: ctx.sshDir }, `The folder ${ctx.sshDir} does not exist; it will be created (only you can open it).`);
  if (inp.onConflict === 'keep-mine' && conflicts.some((c) => c.alias.toLowerCase() === profile.alias.toLowerCase()))
    warn('keep-own-alias', { alias: profile.alias }, `You keep your own "${profile.alias}" entry: the other entries of the block connect through it, and mila-onboard does not check its settings.`);
  if (built.model.connectionSharing && deps.controlDir && !(await pathExists(deps.controlDir, { followLinks: true })))
    warn('control-dir-created', { dir: deps.controlDir }, `Connection sharing needs the folder ${deps.controlDir}; it will be created (only you can open it).`);
  if (verification.skippedReason && deps.runSsh) warn(null, {}, verification.skippedReason);

  const changed = built.after !== bin;
  // Apply needs none of the texts shown to the user (the whole file twice and the diff).
  const beforeText = display ? binToDisplay(bin) : '';
  const afterText = display ? binToDisplay(built.after) : '';
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
    conflicts,
    notices,
    warnings,
    problems,
    problemReasons,
    canApply: problems.length === 0 && !(conflicts.length > 0 && inp.onConflict === 'refuse'),
    verification,
    inputs: { user, identity: identity.configValue, identityPath: identity.path, variant: inp.variant, onConflict: inp.onConflict },
    connectionSharing: built.model.connectionSharing,
  };
  return {
    plan,
    state,
    afterBytes: fromBin(built.after),
    model: built.model,
    identity,
    user,
    variant: inp.variant,
    onConflict: inp.onConflict,
    includes,
    checkedAliases,
    exempt,
    profileAliasChecked: profileAliasFor(built.model),
    expected,
    verifyState,
  };
}

/** Shows what apply would write: the whole file before and after, the diff, conflicts. Writes nothing. */
/**
 * The last plan, so that apply right after it (the user saw the diff, then pressed Write)
 * does not redo the work, ssh -G runs included. It is reused only for the very same bytes,
 * inputs, profile and dependencies, and briefly. Safe by construction: apply re-reads and
 * re-hashes the file under its lock, and verifies the written file with ssh -G anyway.
 */
let lastPlan: { key: string; at: number; internals: PlanInternals; fs: unknown; runSsh: unknown } | null = null;
const PLAN_REUSE_MS = 10 * 60 * 1000;

function planKey(ctx: EngineContext, input: ConfigInput, hash: string, d: Deps): string {
  return JSON.stringify([ctx.sshDir, ctx.platform, ctx.profile, parseInput(input), hash, d.home, d.controlDir]);
}

/** The plan made by planConfig for exactly these bytes and inputs, if it is recent; else null. */
export function recallPlan(ctx: EngineContext, input: ConfigInput, hash: string, d: Deps): PlanInternals | null {
  if (!lastPlan || lastPlan.fs !== d.fs || lastPlan.runSsh !== d.runSsh) return null;
  if (Date.now() - lastPlan.at > PLAN_REUSE_MS || lastPlan.key !== planKey(ctx, input, hash, d)) return null;
  return lastPlan.internals;
}

export async function planConfig(ctx: EngineContext, input: ConfigInput, deps: ConfigDeps = {}): Promise<ConfigPlan> {
  const d = resolveDeps(ctx, deps);
  validateInputs(ctx, input, d);
  const state = await readConfigState(d.fs, configPaths(ctx.sshDir).config);
  const internals = await computePlan(ctx, input, state, d);
  lastPlan = { key: planKey(ctx, input, internals.plan.hash, d), at: Date.now(), internals, fs: d.fs, runSsh: d.runSsh };
  return internals.plan;
}
