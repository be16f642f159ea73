import { z } from 'zod';

/**
 * A cluster profile: every fact about a cluster that the program relies on, as data.
 * Mila's is built in (profiles/mila.json); another cluster is another file passed with
 * `--profile FILE`. `mila-onboard profile show mila --json` prints a valid example.
 */
const Fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as ssh-keygen -l prints it');
const HostName = z.string().regex(/^[A-Za-z0-9.-]+$/, 'a host name or IP address');

export const FingerprintSet = z.object({
  ECDSA: Fingerprint.optional(),
  RSA: Fingerprint.optional(),
  ED25519: Fingerprint.optional(),
});

/**
 * Published host-key fingerprints, or `"not-published"` when the cluster publishes none
 * (the Alliance's clusters): the trust step then shows what the server presents and records
 * it only when the user confirms. An empty object is refused: it would say "published" and
 * verify nothing. `profile show --json` prints the parsed form (`{}` and `published: false`),
 * which is accepted too.
 */
const Fingerprints = z.union([FingerprintSet, z.literal('not-published')]);
type FingerprintsIn = z.output<typeof Fingerprints>;

function refineFingerprints(fp: FingerprintsIn, published: boolean | undefined, ctx: z.RefinementCtx): void {
  if (fp === 'not-published' || published === false) return;
  if (!fp.ECDSA && !fp.RSA && !fp.ED25519)
    ctx.addIssue({ code: 'custom', path: ['fingerprints'], message: 'list at least one published fingerprint (ECDSA, RSA, ED25519), or write "not-published" when the cluster publishes none' });
}

function normaliseFingerprints<T extends { fingerprints: FingerprintsIn; fingerprintsPublished?: boolean | undefined }>(
  o: T,
): Omit<T, 'fingerprints' | 'fingerprintsPublished'> & { fingerprints: z.output<typeof FingerprintSet>; fingerprintsPublished: boolean } {
  const published = o.fingerprints !== 'not-published' && o.fingerprintsPublished !== false;
  return { ...o, fingerprints: o.fingerprints === 'not-published' ? {} : o.fingerprints, fingerprintsPublished: published };
}

/** Text shown to people, in both languages the app speaks. */
const Bilingual = z.object({ en: z.string().min(1), fr: z.string().min(1) });

export const ClusterProfileSchema = z.object({
  schemaVersion: z.literal(1),
  /** Short id, used in the config block's markers and in file names. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  name: z.string().min(1),
  /** The alias users type: `ssh mila`. */
  alias: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  login: z.object({
    host: HostName,
    port: z.number().int().min(1).max(65535),
    /** Individual login nodes, alias → host name (mila1 → login-1.login.server.mila.quebec). */
    nodes: z.record(z.string(), HostName).default({}),
    fingerprints: Fingerprints,
    fingerprintsPublished: z.boolean().optional(),
    preferredAuthentications: z.string().default('publickey,keyboard-interactive'),
    serverAliveInterval: z.number().int().positive().default(120),
    serverAliveCountMax: z.number().int().positive().default(5),
    /** How long a shared connection outlives its last session: `yes` (until logout) or a time (`10m`, the Alliance's advice). */
    controlPersist: z.string().regex(/^(yes|\d+[smhdw]?)$/, '"yes" or a time such as 10m').default('yes'),
  })
    .superRefine((l, ctx) => refineFingerprints(l.fingerprints, l.fingerprintsPublished, ctx))
    .transform(normaliseFingerprints),
  compute: z.object({
    /** Host patterns for compute nodes, reached through the login node with ProxyJump. */
    hostPatterns: z.array(z.string()).min(1),
    /** Domain appended to short node names (cn-a001 → cn-a001.server.mila.quebec). */
    domain: z.string().optional(),
    fingerprints: Fingerprints,
    fingerprintsPublished: z.boolean().optional(),
    /** Known-hosts patterns the compute-node host keys are recorded under. */
    knownHostsPatterns: z.array(z.string()).min(1),
    /**
     * A compute node that always answers, probed from the login node with ssh-keyscan to
     * learn the compute-node host keys (which are then checked against `fingerprints`).
     * Unset: the keys cannot be learned, and the first `ssh cn-xxxx` asks to confirm the key.
     */
    probeHost: HostName.optional(),
    /** The compute nodes' SSH port (default 22). */
    port: z.number().int().min(1).max(65535).default(22),
    /**
     * The SSH folder on the cluster whose authorized_keys compute nodes read (default
     * `~/.ssh`, i.e. the cluster home). `~/` is the remote home; otherwise an absolute path.
     */
    remoteSshDir: z
      .string()
      .regex(/^(~\/|\/)[A-Za-z0-9._/-]*$/, 'an absolute path or one starting with ~/, without spaces or quotes')
      .refine((p) => !p.split('/').includes('..'), 'no ".." in the path')
      .default('~/.ssh'),
  })
    .superRefine((c, ctx) => refineFingerprints(c.fingerprints, c.fingerprintsPublished, ctx))
    .transform(normaliseFingerprints),
  /** Optional extra hosts in the simple variant (mila-cpu). Values are written verbatim. */
  extraHosts: z
    .array(z.object({ alias: z.string(), options: z.array(z.tuple([z.string(), z.string()])) }))
    .default([]),
  mfa: z
    .object({
      enabled: z.boolean(),
      /**
       * What the second factor looks like at login: a one-time code typed at a prompt
       * (Mila), Duo's menu (push to a phone, or a passcode; the Alliance), or none.
       * Default: one-time-code when enabled, none otherwise.
       */
      kind: z.enum(['one-time-code', 'duo', 'none']).optional(),
      portal: z.string().url().optional(),
    })
    .superRefine((m, ctx) => {
      if (m.enabled && m.kind === 'none') ctx.addIssue({ code: 'custom', path: ['kind'], message: '"none" contradicts "enabled": true' });
      if (!m.enabled && m.kind !== undefined && m.kind !== 'none') ctx.addIssue({ code: 'custom', path: ['kind'], message: `"${m.kind}" contradicts "enabled": false` });
    })
    .transform((m) => ({ ...m, kind: m.kind ?? (m.enabled ? ('one-time-code' as const) : ('none' as const)) })),
  links: z.object({
    docs: z.string().url(),
    support: z.string().url(),
    onboardingTraining: z.string().url().optional(),
    mfaPortal: z.string().url().optional(),
  }),
  /** Key defaults and limits the cluster publishes. */
  keys: z.object({
    defaultName: z.string().regex(/^[A-Za-z0-9._-]+$/),
    maxPublicKeys: z.number().int().positive().optional(),
    accessDelayHours: z.number().int().positive().optional(),
    /**
     * Where a new public key goes: Mila's onboarding form (IT adds it), the Alliance's CCDB
     * page (it reaches the clusters within minutes, up to about half an hour), or the
     * cluster's own authorized_keys (a cluster you can already log in to). Default
     * authorized-keys.
     */
    registration: z
      .object({
        kind: z.enum(['onboarding-form', 'ccdb', 'authorized-keys']),
        url: z.string().url().optional(),
        /** How long until a registered key works, in minutes. */
        delayMinutes: z.object({ typical: z.number().int().positive().optional(), max: z.number().int().positive() }).optional(),
      })
      .superRefine((r, ctx) => {
        if (r.kind !== 'authorized-keys' && !r.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `a "${r.kind}" registration needs the page's address` });
      })
      .default({ kind: 'authorized-keys' }),
  }),
  /**
   * The account the cluster is reached with. Clusters of one institution share it (one
   * CCDB username for every Alliance cluster): the wizard asks one username per account.
   * Default: an account of its own, named after the profile.
   */
  account: z
    .object({
      id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
      name: z.string().min(1),
      /** The account's name in each language the app speaks (the wizard's accounts question); default `name`. */
      names: Bilingual.optional(),
      /** What the username is, for the person typing it (CCDB username, not CCRI nor e-mail). */
      usernameHint: Bilingual.optional(),
    })
    .optional(),
  /** Facts a newcomer must know about this cluster (VS Code not allowed on login nodes...). */
  notes: z.array(Bilingual).default([]),
})
  .transform((p) => ({ ...p, account: p.account ?? { id: p.id, name: p.name } }));

export type ClusterProfile = z.output<typeof ClusterProfileSchema>;
export type ClusterProfileInput = z.input<typeof ClusterProfileSchema>;
