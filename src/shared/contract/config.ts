import * as z from 'zod/mini';
import '../zod-english.js';
import { clustered } from './clusters.js';
import { Empty, Int, channel } from './common.js';
import { ReasonParamsSchema } from './reasons.js';

/** Writing the cluster's entries into ~/.ssh/config (one managed block), and undoing it. */

export const ConfigVariantSchema = z.enum(['simple', 'advanced']);
export type ConfigVariantDto = z.infer<typeof ConfigVariantSchema>;

/**
 * What to do when the user's own entries define an alias the block defines (or would
 * change): `refuse` (the default: plan shows it, apply refuses), `keep-mine` (the block
 * leaves those aliases alone), `use-ours` (the block stays first, so its values win; the
 * user's lines stay as they are).
 */
export const ConfigConflictChoiceSchema = z.enum(['refuse', 'keep-mine', 'use-ours']);
export type ConfigConflictChoice = z.infer<typeof ConfigConflictChoiceSchema>;

export const ConfigInputSchema = z.object({
  user: z.string().check(z.maxLength(200)),
  /** Private key path; a bare file name is in the SSH folder. Default: the profile's key name there. */
  identity: z.optional(z.string().check(z.maxLength(4096))),
  variant: z._default(ConfigVariantSchema, 'simple'),
  onConflict: z._default(ConfigConflictChoiceSchema, 'refuse'),
  /** Drop a UTF-8 byte-order mark, which OpenSSH cannot read (the only change outside the block). */
  removeBom: z._default(z.boolean(), false),
});
export type ConfigInput = z.input<typeof ConfigInputSchema>;

export const ConfigConflictSchema = z.object({
  alias: z.string(),
  /** 'defined': the user's Host line names an alias the block names. 'matched': a pattern of
   *  the block would apply to the user's alias. 'changed': ssh -G shows the alias would resolve differently. */
  kind: z.enum(['defined', 'matched', 'changed']),
  file: z.string(),
  /** 1-based line of the user's Host line (0 when unknown). */
  line: Int,
  /** The user's section, as text, to show. */
  text: z.string(),
  message: z.string(),
});
export type ConfigConflict = z.infer<typeof ConfigConflictSchema>;

export const ConfigMismatchSchema = z.object({ option: z.string(), expected: z.string(), actual: z.string() });

export const ConfigVerificationSchema = z.object({
  ran: z.boolean(),
  skippedReason: z.nullable(z.string()),
  notes: z.array(z.string()),
  /** The notes as codes and values, said in the wizard's language (absent from an older engine). */
  leftOut: z.optional(z.array(z.object({ kind: z.enum(['match-exec', 'match-exec-included', 'include']), where: z.string() }))),
  aliasCheck: z.nullable(z.object({ alias: z.string(), ok: z.boolean(), mismatches: z.array(ConfigMismatchSchema), error: z.nullable(z.string()) })),
  checkedAliases: z.array(z.string()),
  changed: z.array(z.object({ alias: z.string(), removed: z.array(z.string()), added: z.array(z.string()) })),
  broken: z.array(z.object({ alias: z.string(), error: z.string() })),
  brokenBefore: z.nullable(z.string()),
  /**
   * OpenSSH parsed the whole configuration it will use (every included file, through neutralised
   * copies) and would accept its files' owners and modes. "Checked with OpenSSH" is said only then.
   */
  complete: z.boolean(),
});
export type ConfigVerification = z.infer<typeof ConfigVerificationSchema>;

/** A plan warning with a code and its values, so the wizard can say it in the user's language. */
export const ConfigNoticeSchema = z.object({
  code: z.nullable(z.enum(['use-keychain-omitted', 'aliases-capped', 'bom-removed', 'symlink', 'hard-links', 'key-missing', 'folder-created', 'keep-own-alias', 'control-dir-created'])),
  params: ReasonParamsSchema,
  /** The English sentence (what the CLI prints). */
  text: z.string(),
});
export type ConfigNotice = z.infer<typeof ConfigNoticeSchema>;

/** A reason the change cannot be written, as a code and values, so a front can say it in the user's language. */
export const ConfigProblemSchema = z.object({
  code: z.enum([
    'markers-start-repeated',
    'markers-end-repeated',
    'marker-end-missing',
    'marker-start-missing',
    'markers-order',
    'bom',
    'broken-before',
    'alias-unreadable',
    'alias-overridden',
    'entry-broken',
    'entry-changed',
    'keep-mine-changed',
    // An included file OpenSSH will not read for its owner or mode (values: file, mode, uid).
    'include-refused',
  ]),
  params: ReasonParamsSchema,
  /** OpenSSH's own words (ssh -G's error), shown as they are and labelled as OpenSSH's. */
  openssh: z.optional(z.string()),
  /** The English sentence (what the CLI prints; the same as in `problems`). */
  text: z.string(),
});
export type ConfigProblem = z.infer<typeof ConfigProblemSchema>;

export const ConfigPlanSchema = z.object({
  configPath: z.string(),
  /** The file really written: differs from configPath when the config is a symlink. */
  targetPath: z.string(),
  symlink: z.boolean(),
  exists: z.boolean(),
  /** Hash of the bytes read ("absent" for no file); apply refuses if the file no longer matches. */
  hash: z.string(),
  before: z.string(),
  after: z.string(),
  /** Unified diff of the whole file, before → after. */
  diff: z.string(),
  blockText: z.string(),
  changed: z.boolean(),
  blockAction: z.enum(['insert', 'replace', 'none']),
  lineEnding: z.enum(['lf', 'crlf']),
  bom: z.boolean(),
  conflicts: z.array(ConfigConflictSchema),
  warnings: z.array(z.string()),
  /** The warnings again, with codes (same order). */
  notices: z.array(ConfigNoticeSchema),
  /** Reasons apply would refuse whatever the conflict choice. */
  problems: z.array(z.string()),
  /** The problems again, with codes (same order). */
  problemReasons: z.array(ConfigProblemSchema),
  canApply: z.boolean(),
  verification: ConfigVerificationSchema,
  inputs: z.object({
    user: z.string(),
    identity: z.string(),
    identityPath: z.string(),
    variant: ConfigVariantSchema,
    onConflict: ConfigConflictChoiceSchema,
  }),
  connectionSharing: z.boolean(),
});
export type ConfigPlan = z.infer<typeof ConfigPlanSchema>;

export const ConfigApplyInputSchema = z.extend(ConfigInputSchema, {
  /** The plan's hash: the file must still be what the user saw. */
  expectedHash: z.string(),
});
export type ConfigApplyInput = z.input<typeof ConfigApplyInputSchema>;

export const ConfigApplyResultSchema = z.object({
  changed: z.boolean(),
  configPath: z.string(),
  targetPath: z.string(),
  /** Copy of the file before this change (null when there was none or nothing changed). */
  backupPath: z.nullable(z.string()),
  hash: z.string(),
  verification: ConfigVerificationSchema,
  warnings: z.array(z.string()),
  /** The connection-sharing folder, when apply created it. */
  createdControlDir: z.nullable(z.string()),
  message: z.string(),
});
export type ConfigApplyResult = z.infer<typeof ConfigApplyResultSchema>;

export const ConfigRevertResultSchema = z.object({
  reverted: z.boolean(),
  configPath: z.string(),
  /** The backup the file was restored from; null when the file was deleted (it did not exist before). */
  restoredFrom: z.nullable(z.string()),
  removed: z.boolean(),
  message: z.string(),
});
export type ConfigRevertResult = z.infer<typeof ConfigRevertResultSchema>;

export const ConfigStatusSchema = z.object({
  configPath: z.string(),
  exists: z.boolean(),
  symlink: z.boolean(),
  block: z.nullable(
    z.object({
      startLine: Int,
      endLine: Int,
      user: z.nullable(z.string()),
      identity: z.nullable(z.string()),
      variant: z.nullable(ConfigVariantSchema),
    }),
  ),
  problems: z.array(z.string()),
  canRevert: z.boolean(),
  /** Why revert is not possible, when it is not. */
  revertBlocked: z.nullable(z.string()),
  lastApply: z.nullable(z.object({ time: z.string(), backupPath: z.nullable(z.string()) })),
});
export type ConfigStatus = z.infer<typeof ConfigStatusSchema>;

// Each cluster has its own block: every channel takes an optional `cluster` id (clusters.ts).
export const configChannels = {
  'config.plan': channel(clustered(ConfigInputSchema), ConfigPlanSchema),
  'config.apply': channel(clustered(ConfigApplyInputSchema), ConfigApplyResultSchema),
  'config.revert': channel(clustered(Empty), ConfigRevertResultSchema),
  'config.status': channel(clustered(Empty), ConfigStatusSchema),
};
