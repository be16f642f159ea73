import { z } from 'zod';
import { ClusterIdSchema, ClusterInfoSchema } from './clusters.js';
import { Empty, ErrorReasonSchema, channel } from './common.js';

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
    onboardingTraining: z.string().optional(),
    /** The second factor at login (Mila: a one-time code; the Alliance: Duo's menu). */
    mfaKind: z.enum(['one-time-code', 'duo', 'none']).optional(),
    /** False for a cluster that publishes no host-key fingerprints (the trust step says so). */
    fingerprintsPublished: z.boolean().optional(),
    /** Where a new public key goes, and how long until it works (the public-key step says it). */
    keyRegistration: z
      .object({
        kind: z.enum(['onboarding-form', 'ccdb', 'authorized-keys']),
        url: z.string().optional(),
        delayMinutes: z.object({ typical: z.number().optional(), max: z.number() }).optional(),
      })
      .optional(),
  }),
  /** Which front is serving the renderer: the desktop window or the loopback web host. */
  front: z.enum(['desktop', 'web']),
  /** Every cluster this host serves, the primary (`profile` above) first (see clusters.ts). */
  clusters: z.array(ClusterInfoSchema).min(1),
});

const StepId = z.string().regex(/^[a-z-]{1,40}$/);
const KeyFile = z.string().regex(/^[A-Za-z0-9._-]{1,105}$/);

/* ---------- Several clusters (issue #15): all optional, so progress saved before them still loads ---------- */
/** A record with at most `max` entries: saved progress stays small whatever a page sends. */
const bounded = <T extends z.ZodType>(record: T, max: number) => record.refine((o) => Object.keys(o as object).length <= max, `at most ${max} entries`);
/** Another account (the Alliance's CCDB account): its username and the key chosen for it. Mila's stay in `user` and `keyFile`. */
const AccountProgress = z.object({ user: z.string().max(64), keyFile: KeyFile.nullable() }).strict();
/** Per cluster: the steps done for it (config, trust, login); `done` says a step is done for every chosen cluster. */
const ClusterSteps = bounded(z.record(StepId, z.boolean()), 12);

/**
 * The wizard's progress as it is saved between runs. No field can hold a secret: names,
 * a username and booleans only, each bounded.
 */
export const ProgressSchema = z
  .object({
    stepId: StepId,
    keyFile: KeyFile.nullable(),
    user: z.string().max(64),
    variant: z.enum(['simple', 'advanced']),
    done: z.record(StepId, z.boolean()),
    /** The language the user chose in the wizard; absent: the computer's language. */
    language: z.enum(['en', 'fr']).optional(),
    /** The clusters chosen besides the primary (which is always set up), by id. Absent: the primary only. */
    clusters: z.array(ClusterIdSchema).max(16).optional(),
    /** By account id (`alliance`): one username and one key for all of that account's clusters. */
    accounts: bounded(z.record(ClusterIdSchema, AccountProgress), 8).optional(),
    /** By cluster id, the primary's included. */
    clusterDone: bounded(z.record(ClusterIdSchema, ClusterSteps), 17).optional(),
  })
  .strict();
export type ProgressDto = z.infer<typeof ProgressSchema>;

export const appChannels = {
  'app.info': channel(Empty, AppInfoSchema),
  'progress.get': channel(Empty, z.object({ progress: ProgressSchema.nullable() })),
  /** Undoes every recorded change to the SSH config and known_hosts, newest first; keys stay. */
  'changes.undoAll': channel(
    Empty,
    z.object({
      undone: z.number().int(),
      left: z.array(z.string()),
      /** Why each of `left` is left, as a code and values (same order), for the wizard's languages; null when unforeseen. */
      leftReasons: z.array(ErrorReasonSchema.nullable()),
    }),
  ),
  'progress.set': channel(z.object({ progress: ProgressSchema }).strict(), z.object({ saved: z.boolean() })),
};
