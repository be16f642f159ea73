/**
 * The statistics the benchmark reports: never one run, always the median with the
 * smallest and largest of several. Pure functions, unit-tested in test/unit/bench-stats.test.ts.
 */

export interface Summary {
  /** Number of runs summarised. */
  n: number;
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summary of no values');
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`not a finite measurement: ${v}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { n: values.length, median: median(values), min, max };
}

/**
 * A ratio of two measured things from the same run: the median of ours over the median of
 * the floor, with the range from the pairs (run i of each, taken alternately), so the spread
 * says how much the machine's noise moves it.
 */
export function ratioSummary(ours: readonly number[], floor: readonly number[]): Summary {
  if (ours.length === 0 || ours.length !== floor.length) throw new Error('a ratio needs the same number of runs on both sides');
  const pairs = ours.map((v, i) => v / floor[i]!);
  const s = summarize(pairs);
  return { ...s, median: median(ours) / median(floor) };
}

export interface GrowthPoint {
  /** The input size (hosts in a config, lines in a file...). */
  size: number;
  /** The median time at that size. */
  time: number;
}

export interface Growth {
  /**
   * Exponent k in time - fixed ≈ c · size^k between the two largest sizes, after taking off
   * the fixed cost (the time at the smallest size, as an estimate of what does not grow):
   * 1 is linear, 2 quadratic.
   */
  exponent: number;
  /** Whether the growth is at most linear, with `tolerance` for the machine's noise. */
  linear: boolean;
  /** Marginal time per unit of size between the two largest sizes. */
  perUnit: number;
}

export function growth(points: readonly GrowthPoint[], tolerance = 0.25): Growth {
  if (points.length < 3) throw new Error('growth needs at least three sizes (the smallest estimates the fixed cost)');
  const p = [...points].sort((a, b) => a.size - b.size);
  const fixed = p[0]!;
  const a = p[p.length - 2]!;
  const b = p[p.length - 1]!;
  if (!(a.size > fixed.size && b.size > a.size)) throw new Error('growth needs three different sizes');
  // What grows with size; never below a small share of the total, so noise cannot make it negative.
  const grown = (q: GrowthPoint) => Math.max(q.time - fixed.time, q.time * 0.01, 1e-9);
  const exponent = Math.log(grown(b) / grown(a)) / Math.log((b.size - fixed.size) / (a.size - fixed.size));
  return { exponent, linear: exponent <= 1 + tolerance, perUnit: (b.time - a.time) / (b.size - a.size) };
}

/** Runs `fn` `runs` times after `warmup` unmeasured runs and returns the measured values. */
export async function repeat(runs: number, warmup: number, fn: (i: number) => Promise<number> | number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn(i));
  return out;
}

/**
 * Measures two things alternately (a, b, a, b...) so that drift in the machine's speed
 * during the run lands on both sides alike.
 */
export async function alternate(
  runs: number,
  warmup: number,
  a: () => Promise<number> | number,
  b: () => Promise<number> | number,
): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate the order too, so neither side always runs right after the other.
    if (i % 2 === 0) {
      ra.push(await a());
      rb.push(await b());
    } else {
      rb.push(await b());
      ra.push(await a());
    }
  }
  return { a: ra, b: rb };
}

/**
 * Measures several things in turn, the order rotating each round (a, b, c; b, c, a; ...),
 * so that each runs first, second and last equally often. Returns one list per thing.
 */
export async function rotate(runs: number, warmup: number, fns: ReadonlyArray<() => Promise<number> | number>): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const f of fns) await f();
  const out: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < fns.length; j++) {
      const k = (i + j) % fns.length;
      out[k]!.push(await fns[k]!());
    }
  }
  return out;
}

/** Total time covered by a set of [start, end] intervals (overlaps counted once). */
export function unionLength(intervals: ReadonlyArray<readonly [number, number]>): number {
  const s = [...intervals].filter(([x, y]) => y > x).sort((p, q) => p[0] - q[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [x, y] of s) {
    if (x > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = x;
      curEnd = y;
    } else if (y > curEnd) {
      curEnd = y;
    }
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** "12.3 ms (10.1–15.0)" */
export function formatMs(s: Summary, digits = 1): string {
  return `${s.median.toFixed(digits)} ms (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

export function formatRatio(s: Summary): string {
  return `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

/** Sizes in kB of 1,000 bytes (the stricter reading of a "150 KB" target). */
export function formatKB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

export function formatMiB(s: Summary): string {
  const m = (b: number) => (b / 1024 / 1024).toFixed(1);
  return `${m(s.median)} MiB (${m(s.min)}–${m(s.max)})`;
}
