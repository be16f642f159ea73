/** Resolved by scripts/bench.mjs (see bench/optional.ts). */
declare module 'bench-optional:*' {
  const value: Record<string, unknown>;
  export = value;
}
