/**
 * Engine parts that other work is still bringing in (doctor, connect). scripts/bench.mjs
 * resolves `bench-optional:NAME` to the module when its file exists and to a stand-in that
 * only says `__absent` otherwise, so the bench builds and runs either way and measures a
 * part only when it is really there. Nothing is faked: an absent part is reported as such.
 */

export type OptionalModule = Record<string, unknown> & { __absent?: string };

export async function loadDoctor(): Promise<OptionalModule | null> {
  const m = (await import('bench-optional:doctor')) as OptionalModule;
  return m.__absent ? null : m;
}

export async function loadConnect(): Promise<OptionalModule | null> {
  const m = (await import('bench-optional:connect')) as OptionalModule;
  return m.__absent ? null : m;
}

export async function loadTrust(): Promise<OptionalModule | null> {
  const m = (await import('bench-optional:trust')) as OptionalModule;
  return m.__absent ? null : m;
}

/** The first exported function among `names`, for calling an engine part whose entry point is known by name. */
export function entryPoint(mod: OptionalModule, names: readonly string[]): ((...args: unknown[]) => unknown) | null {
  for (const n of names) if (typeof mod[n] === 'function') return mod[n] as (...args: unknown[]) => unknown;
  return null;
}

export function exportsOf(mod: OptionalModule): string {
  return Object.keys(mod).filter((k) => k !== '__absent').join(', ') || '(none)';
}
