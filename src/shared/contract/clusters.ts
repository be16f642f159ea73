import * as z from 'zod/mini';
import '../zod-english.js';

/**
 * Several clusters in one window (Mila and the Alliance's): a host serves one or more
 * profiles, the first being the primary. A cluster-specific channel takes an optional
 * `cluster` id; the host resolves it in one place (src/host/dispatch.ts) to the engine
 * context of that profile. Absent: the primary. Unknown: an `invalid-input` refusal.
 */

/** A profile id, as the profile schema allows it (`mila`, `narval`, `trillium-gpu`). */
export const ClusterIdSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/));

/** The same input with an optional `cluster` id (strictness and defaults kept). */
export function clustered<Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(input: z.ZodMiniObject<Shape, Config>) {
  return z.extend(input, { cluster: z.optional(ClusterIdSchema) });
}

const Bilingual = z.object({ en: z.string(), fr: z.string() });

/** The second factor at login (Mila: a one-time code; the Alliance: Duo's menu). */
export const MfaKindSchema = z.enum(['one-time-code', 'duo', 'none']);

/** Where a new public key goes, and how long until it works (the public-key step says it). */
export const KeyRegistrationSchema = z.object({
  kind: z.enum(['onboarding-form', 'ccdb', 'authorized-keys']),
  url: z.optional(z.string()),
  delayMinutes: z.optional(z.object({ typical: z.optional(z.number()), max: z.number() })),
});

/** What a front needs to know about one served cluster (app.info's `clusters`; no secret, no path). */
export const ClusterInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  alias: z.string(),
  /** The first profile the host was given: the wizard's own (compute nodes, rules, the header). */
  primary: z.boolean(),
  docs: z.string(),
  support: z.string(),
  onboardingTraining: z.optional(z.string()),
  mfaPortal: z.optional(z.string()),
  mfaKind: MfaKindSchema,
  fingerprintsPublished: z.boolean(),
  keyRegistration: KeyRegistrationSchema,
  /** The key file name the profile suggests (`id_ed25519_alliance`). */
  keyName: z.string(),
  /** Clusters with the same account id share one username and one key (the Alliance's CCDB account). */
  account: z.object({ id: z.string(), name: z.string(), names: z.optional(Bilingual), usernameHint: z.optional(Bilingual) }),
  notes: z.array(Bilingual),
});
export type ClusterInfoDto = z.infer<typeof ClusterInfoSchema>;
