import * as z from 'zod/mini';
import '../zod-english.js';
import { ClusterIdSchema, ClusterInfoSchema, KeyRegistrationSchema, MfaKindSchema } from './clusters.js';
import { Empty, ErrorReasonSchema, Int, channel } from './common.js';

export const AppInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  sshDir: z.string(),
  profile: z.object({
    id: z.string(),
    name: z.string(),
    alias: z.string(),
    docs: z.string(),
    support: z.string(),
    onboardingTraining: z.optional(z.string()),
    /** The second factor at login (Mila: a one-time code; the Alliance: Duo's menu). */
    mfaKind: z.optional(MfaKindSchema),
    /** False for a cluster that publishes no host-key fingerprints (the trust step says so). */
    fingerprintsPublished: z.optional(z.boolean()),
    /** Where a new public key goes, and how long until it works (the public-key step says it). */
    keyRegistration: z.optional(KeyRegistrationSchema),
  }),
  /** Which front is serving the renderer: the desktop window or the loopback web host. */
  front: z.enum(['desktop', 'web']),
  /** Every cluster this host serves, the primary (`profile` above) first (see clusters.ts). */
  clusters: z.array(ClusterInfoSchema).check(z.minLength(1)),
});

const StepId = z.string().check(z.regex(/^[a-z-]{1,40}$/));
const KeyFile = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,105}$/));

/* ---------- Several clusters (issue #15): all optional, so progress saved before them still loads ---------- */
/** A record with at most `max` entries: saved progress stays small whatever a page sends. */
const bounded = <T extends z.ZodMiniType>(record: T, max: number) => record.check(z.refine((o) => Object.keys(o as object).length <= max, `at most ${max} entries`));
/** Another account (the Alliance's CCDB account): its username and the key chosen for it. Mila's stay in `user` and `keyFile`. */
const AccountProgress = z.strictObject({ user: z.string().check(z.maxLength(64)), keyFile: z.nullable(KeyFile) });
/** Per cluster: the steps done for it (config, trust, login); `done` says a step is done for every chosen cluster. */
const ClusterSteps = bounded(z.record(StepId, z.boolean()), 12);

/**
 * The wizard's progress as it is saved between runs. No field can hold a secret: names,
 * a username and booleans only, each bounded.
 */
export const ProgressSchema = z.strictObject({
  stepId: StepId,
  keyFile: z.nullable(KeyFile),
  user: z.string().check(z.maxLength(64)),
  variant: z.enum(['simple', 'advanced']),
  done: z.record(StepId, z.boolean()),
  /** The language the user chose in the wizard; absent: the computer's language. */
  language: z.optional(z.enum(['en', 'fr'])),
  /** The clusters chosen besides the primary (which is always set up), by id. Absent: the primary only. */
  clusters: z.optional(z.array(ClusterIdSchema).check(z.maxLength(16))),
  /** By account id (`alliance`): one username and one key for all of that account's clusters. */
  accounts: z.optional(bounded(z.record(ClusterIdSchema, AccountProgress), 8)),
  /** By cluster id, the primary's included. */
  clusterDone: z.optional(bounded(z.record(ClusterIdSchema, ClusterSteps), 17)),
});
export type ProgressDto = z.infer<typeof ProgressSchema>;

export const appChannels = {
  'app.info': channel(Empty, AppInfoSchema),
  'progress.get': channel(Empty, z.object({ progress: z.nullable(ProgressSchema) })),
  /** Undoes every recorded change to the SSH config and known_hosts, newest first; keys stay. */
  'changes.undoAll': channel(
    Empty,
    z.object({
      undone: Int,
      left: z.array(z.string()),
      /** Why each of `left` is left, as a code and values (same order), for the wizard's languages; null when unforeseen. */
      leftReasons: z.array(z.nullable(ErrorReasonSchema)),
    }),
  ),
  'progress.set': channel(z.strictObject({ progress: ProgressSchema }), z.object({ saved: z.boolean() })),
};
