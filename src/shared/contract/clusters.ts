import { z, type core } from 'zod';

/**
 * Several clusters in one window (Mila and the Alliance's): a host serves one or more
 * profiles, the first being the primary. A cluster-specific channel takes an optional
 * `cluster` id; the host resolves it in one place (src/host/dispatch.ts) to the engine
 * context of that profile. Absent: the primary. Unknown: an `invalid-input` refusal.
 */

/** A profile id, as the profile schema allows it (`mila`, `narval`, `trillium-gpu`). */
export const ClusterIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);

/** The same input with an optional `cluster` id (strictness and defaults kept). */
export function clustered<Shape extends core.$ZodShape, Config extends core.$ZodObjectConfig>(input: z.ZodObject<Shape, Config>) {
  return input.extend({ cluster: ClusterIdSchema.optional() });
}

const Bilingual = z.object({ en: z.string(), fr: z.string() });

/** What a front needs to know about one served cluster (app.info's `clusters`; no secret, no path). */
export const ClusterInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  alias: z.string(),
  /** The first profile the host was given: the wizard's own (compute nodes, rules, the header). */
  primary: z.boolean(),
  docs: z.string(),
  support: z.string(),
  onboardingTraining: z.string().optional(),
  mfaPortal: z.string().optional(),
  mfaKind: z.enum(['one-time-code', 'duo', 'none']),
  fingerprintsPublished: z.boolean(),
  keyRegistration: z.object({
    kind: z.enum(['onboarding-form', 'ccdb', 'authorized-keys']),
    url: z.string().optional(),
    delayMinutes: z.object({ typical: z.number().optional(), max: z.number() }).optional(),
  }),
  /** The key file name the profile suggests (`id_ed25519_alliance`). */
  keyName: z.string(),
  /** Clusters with the same account id share one username and one key (the Alliance's CCDB account). */
  account: z.object({ id: z.string(), name: z.string(), names: Bilingual.optional(), usernameHint: Bilingual.optional() }),
  notes: z.array(Bilingual),
});
export type ClusterInfoDto = z.infer<typeof ClusterInfoSchema>;
