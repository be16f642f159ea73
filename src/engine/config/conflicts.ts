import type { ConfigConflict, ConfigConflictChoice } from '../../shared/contract/config.js';
import { binToDisplay } from './bytes.js';
import type { IncludeReport } from './includes.js';
import { isLiteralAlias, sectionAround, type ScannedLine } from './scan.js';
import { userLines, type ParsedConfig } from './splice.js';
import { definesAlias, sectionsApplying, type BlockModel } from './template.js';

/**
 * The user's own entries the block would touch: an alias the block defines too ('defined'),
 * one of its patterns catches ('matched'), or ssh -G shows resolving differently ('changed').
 */

/** Where one of the user's literal Host aliases is written. */
export interface AliasSite {
  alias: string;
  file: string;
  line: ScannedLine;
  lines: readonly ScannedLine[];
  /** Reached only through an Include that checks leave out. */
  unchecked: boolean;
}

/** Every literal alias of the user's Host lines, in the config and in the files it includes. */
export function collectSites(parsed: ParsedConfig, configPath: string, includes: IncludeReport): AliasSite[] {
  const sites: AliasSite[] = [];
  for (const l of userLines(parsed)) {
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

/** The conflicts of one plan: one per alias (case-insensitive), in the order found. */
export class Conflicts {
  readonly list: ConfigConflict[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly model: BlockModel,
    private readonly choice: ConfigConflictChoice,
  ) {}

  has(alias: string): boolean {
    return this.seen.has(alias.toLowerCase());
  }

  add(site: AliasSite, kind: ConfigConflict['kind']): void {
    const key = site.alias.toLowerCase();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({
      alias: site.alias,
      kind,
      file: site.file,
      line: site.line.index + 1,
      text: sectionText(site),
      message: conflictMessage(kind, site.alias, site, this.model, this.choice),
    });
  }

  /** The aliases, lower-cased. */
  aliases(): ReadonlySet<string> {
    return this.seen;
  }
}

/** What the block's patterns predict (OpenSSH's first pass): ssh -G may add 'changed' ones later. */
export function predictConflicts(model: BlockModel, sites: readonly AliasSite[], choice: ConfigConflictChoice): Conflicts {
  const conflicts = new Conflicts(model, choice);
  for (const site of sites) {
    if (sectionsApplying(model, site.alias).length > 0) conflicts.add(site, definesAlias(model, site.alias) ? 'defined' : 'matched');
  }
  return conflicts;
}
