import * as z from 'zod/mini';
import '../../shared/zod-english.js';

/**
 * A cluster profile: every fact about a cluster that the program relies on, as data.
 * Mila's is built in (profiles/mila.json); another cluster is another file passed with
 * `--profile FILE`. `mila-onboard profile show mila --json` prints a valid example.
 */
const Fingerprint = z.string().check(z.regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as ssh-keygen -l prints it'));
const HostName = z.string().check(z.regex(/^[A-Za-z0-9.-]+$/, 'a host name or IP address'));

export const FingerprintSet = z.object({
  ECDSA: z.optional(Fingerprint),
  RSA: z.optional(Fingerprint),
  ED25519: z.optional(Fingerprint),
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

function refineFingerprints(fp: FingerprintsIn, published: boolean | undefined, ctx: z.core.$RefinementCtx): void {
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

/** A web address (classic zod's `z.string().url()`: a string first, then the URL check). */
const Url = z.string().check(z.url());

/** Text shown to people, in both languages the app speaks. */
const Bilingual = z.object({ en: z.string().check(z.minLength(1)), fr: z.string().check(z.minLength(1)) });

/** A TCP port: a whole number from 1 to 65535. */
const Port = z.int().check(z.minimum(1), z.maximum(65535));
/** A whole number above zero. */
const PositiveInt = z.int().check(z.positive());

/** The login node: where `ssh mila` goes, and the options the block writes for it. */
const Login = z.pipe(
  z
    .object({
      host: HostName,
      port: Port,
      /** Individual login nodes, alias → host name (mila1 → login-1.login.server.mila.quebec). */
      nodes: z._default(z.record(z.string(), HostName), {}),
      fingerprints: Fingerprints,
      fingerprintsPublished: z.optional(z.boolean()),
      preferredAuthentications: z._default(z.string(), 'publickey,keyboard-interactive'),
      serverAliveInterval: z._default(PositiveInt, 120),
      serverAliveCountMax: z._default(PositiveInt, 5),
      /** How long a shared connection outlives its last session: `yes` (until logout) or a time (`10m`, the Alliance's advice). */
      controlPersist: z._default(z.string().check(z.regex(/^(yes|\d+[smhdw]?)$/, '"yes" or a time such as 10m')), 'yes'),
    })
    .check(z.superRefine((l, ctx) => refineFingerprints(l.fingerprints, l.fingerprintsPublished, ctx))),
  z.transform(normaliseFingerprints),
);

/** The compute nodes, reached through the login node. */
const Compute = z.pipe(
  z
    .object({
      /** Host patterns for compute nodes, reached through the login node with ProxyJump. */
      hostPatterns: z.array(z.string()).check(z.minLength(1)),
      /** Domain appended to short node names (cn-a001 → cn-a001.server.mila.quebec). */
      domain: z.optional(z.string()),
      fingerprints: Fingerprints,
      fingerprintsPublished: z.optional(z.boolean()),
      /** Known-hosts patterns the compute-node host keys are recorded under. */
      knownHostsPatterns: z.array(z.string()).check(z.minLength(1)),
      /**
       * A compute node that always answers, probed from the login node with ssh-keyscan to
       * learn the compute-node host keys (which are then checked against `fingerprints`).
       * Unset: the keys cannot be learned, and the first `ssh cn-xxxx` asks to confirm the key.
       */
      probeHost: z.optional(HostName),
      /** The compute nodes' SSH port (default 22). */
      port: z._default(Port, 22),
      /**
       * The SSH folder on the cluster whose authorized_keys compute nodes read (default
       * `~/.ssh`, i.e. the cluster home). `~/` is the remote home; otherwise an absolute path.
       */
      remoteSshDir: z._default(
        z.string().check(
          z.regex(/^(~\/|\/)[A-Za-z0-9._/-]*$/, 'an absolute path or one starting with ~/, without spaces or quotes'),
          z.refine((p) => !p.split('/').includes('..'), 'no ".." in the path'),
        ),
        '~/.ssh',
      ),
    })
    .check(z.superRefine((c, ctx) => refineFingerprints(c.fingerprints, c.fingerprintsPublished, ctx))),
  z.transform(normaliseFingerprints),
);

const Mfa = z.pipe(
  z
    .object({
      enabled: z.boolean(),
      /**
       * What the second factor looks like at login: a one-time code typed at a prompt
       * (Mila), Duo's menu (push to a phone, or a passcode; the Alliance), or none.
       * Default: one-time-code when enabled, none otherwise.
       */
      kind: z.optional(z.enum(['one-time-code', 'duo', 'none'])),
      portal: z.optional(Url),
    })
    .check(
      z.superRefine((m, ctx) => {
        if (m.enabled && m.kind === 'none') ctx.addIssue({ code: 'custom', path: ['kind'], message: '"none" contradicts "enabled": true' });
        if (!m.enabled && m.kind !== undefined && m.kind !== 'none') ctx.addIssue({ code: 'custom', path: ['kind'], message: `"${m.kind}" contradicts "enabled": false` });
      }),
    ),
  z.transform((m) => ({ ...m, kind: m.kind ?? (m.enabled ? ('one-time-code' as const) : ('none' as const)) })),
);

/**
 * Where a new public key goes: Mila's onboarding form (IT adds it), the Alliance's CCDB
 * page (it reaches the clusters within minutes, up to about half an hour), or the
 * cluster's own authorized_keys (a cluster you can already log in to). Default
 * authorized-keys.
 */
const KeyRegistration = z._default(
  z
    .object({
      kind: z.enum(['onboarding-form', 'ccdb', 'authorized-keys']),
      url: z.optional(Url),
      /** How long until a registered key works, in minutes. */
      delayMinutes: z.optional(z.object({ typical: z.optional(PositiveInt), max: PositiveInt })),
    })
    .check(
      z.superRefine((r, ctx) => {
        if (r.kind !== 'authorized-keys' && !r.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `a "${r.kind}" registration needs the page's address` });
      }),
    ),
  { kind: 'authorized-keys' },
);

/**
 * The account the cluster is reached with. Clusters of one institution share it (one
 * CCDB username for every Alliance cluster): the wizard asks one username per account.
 * Default: an account of its own, named after the profile.
 */
const Account = z.object({
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/)),
  name: z.string().check(z.minLength(1)),
  /** The account's name in each language the app speaks (the wizard's accounts question); default `name`. */
  names: z.optional(Bilingual),
  /** What the username is, for the person typing it (CCDB username, not CCRI nor e-mail). */
  usernameHint: z.optional(Bilingual),
});

export const ClusterProfileSchema = z.pipe(
  z.object({
    schemaVersion: z.literal(1),
    /** Short id, used in the config block's markers and in file names. */
    id: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/)),
    name: z.string().check(z.minLength(1)),
    /** The alias users type: `ssh mila`. */
    alias: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)),
    login: Login,
    compute: Compute,
    /** Optional extra hosts in the simple variant (mila-cpu). Values are written verbatim. */
    extraHosts: z._default(z.array(z.object({ alias: z.string(), options: z.array(z.tuple([z.string(), z.string()])) })), []),
    mfa: Mfa,
    links: z.object({
      docs: Url,
      support: Url,
      onboardingTraining: z.optional(Url),
      mfaPortal: z.optional(Url),
    }),
    /** Key defaults and limits the cluster publishes. */
    keys: z.object({
      defaultName: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/)),
      maxPublicKeys: z.optional(PositiveInt),
      accessDelayHours: z.optional(PositiveInt),
      registration: KeyRegistration,
    }),
    account: z.optional(Account),
    /** Facts a newcomer must know about this cluster (VS Code not allowed on login nodes...). */
    notes: z._default(z.array(Bilingual), []),
  }),
  z.transform((p) => ({ ...p, account: p.account ?? { id: p.id, name: p.name } })),
);

export type ClusterProfile = z.output<typeof ClusterProfileSchema>;
export type ClusterProfileInput = z.input<typeof ClusterProfileSchema>;
