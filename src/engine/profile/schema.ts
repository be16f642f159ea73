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
    fingerprints: FingerprintSet,
    preferredAuthentications: z.string().default('publickey,keyboard-interactive'),
    serverAliveInterval: z.number().int().positive().default(120),
    serverAliveCountMax: z.number().int().positive().default(5),
  }),
  compute: z.object({
    /** Host patterns for compute nodes, reached through the login node with ProxyJump. */
    hostPatterns: z.array(z.string()).min(1),
    /** Domain appended to short node names (cn-a001 → cn-a001.server.mila.quebec). */
    domain: z.string().optional(),
    fingerprints: FingerprintSet,
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
      .regex(/^(~\/|\/)[A-Za-z0-9._\/-]*$/, 'an absolute path or one starting with ~/, without spaces or quotes')
      .refine((p) => !p.split('/').includes('..'), 'no ".." in the path')
      .default('~/.ssh'),
  }),
  /** Optional extra hosts in the simple variant (mila-cpu). Values are written verbatim. */
  extraHosts: z
    .array(z.object({ alias: z.string(), options: z.array(z.tuple([z.string(), z.string()])) }))
    .default([]),
  mfa: z.object({
    enabled: z.boolean(),
    portal: z.string().url().optional(),
  }),
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
  }),
});

export type ClusterProfile = z.output<typeof ClusterProfileSchema>;
export type ClusterProfileInput = z.input<typeof ClusterProfileSchema>;
