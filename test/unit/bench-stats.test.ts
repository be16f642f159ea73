import { describe, expect, it } from 'vitest';
import { alternate, formatMs, rotate, formatRatio, growth, median, ratioSummary, repeat, summarize, unionLength } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });

  it('summary: median, min, max and count', () => {
    expect(summarize([10, 30, 20, 50, 40])).toEqual({ n: 5, median: 30, min: 10, max: 50 });
    expect(() => summarize([])).toThrow();
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });

  it('ratio: median over median, range from the pairs', () => {
    const r = ratioSummary([120, 110, 130], [100, 100, 100]);
    expect(r.median).toBeCloseTo(1.2);
    expect(r.min).toBeCloseTo(1.1);
    expect(r.max).toBeCloseTo(1.3);
    expect(() => ratioSummary([1, 2], [1])).toThrow();
  });

  it('growth: linear is about 1, quadratic about 2, with a fixed cost taken off', () => {
    const sizes = [10, 1_000, 10_000];
    const linear = growth(sizes.map((n) => ({ size: n, time: 5 + 0.01 * n })));
    expect(linear.exponent).toBeCloseTo(1, 2);
    expect(linear.linear).toBe(true);
    expect(linear.perUnit).toBeCloseTo(0.01);
    const quadratic = growth(sizes.map((n) => ({ size: n, time: 5 + 1e-6 * n * n })));
    expect(quadratic.exponent).toBeGreaterThan(1.9);
    expect(quadratic.linear).toBe(false);
    // n log n passes as linear within the tolerance.
    const nlogn = growth(sizes.map((n) => ({ size: n, time: 2 + 0.001 * n * Math.log2(n) })));
    expect(nlogn.linear).toBe(true);
    // Noise that makes the middle point faster than the smallest does not break it.
    expect(Number.isFinite(growth([{ size: 10, time: 9 }, { size: 1000, time: 8 }, { size: 10000, time: 80 }]).exponent)).toBe(true);
    expect(() => growth([{ size: 1, time: 1 }, { size: 2, time: 2 }])).toThrow();
  });

  it('union of intervals counts overlaps once', () => {
    expect(unionLength([])).toBe(0);
    expect(unionLength([[0, 10]])).toBe(10);
    expect(
      unionLength([
        [0, 10],
        [5, 15],
        [20, 25],
        [21, 22],
      ]),
    ).toBe(20);
  });

  it('repeat skips warm-ups; alternate interleaves both sides', async () => {
    const seen: number[] = [];
    const r = await repeat(3, 2, (i) => {
      seen.push(i);
      return i * 2;
    });
    expect(seen).toEqual([-1, -2, 0, 1, 2]);
    expect(r).toEqual([0, 2, 4]);
    const order: string[] = [];
    const ab = await alternate(
      3,
      1,
      () => (order.push('a'), 1),
      () => (order.push('b'), 2),
    );
    expect(ab).toEqual({ a: [1, 1, 1], b: [2, 2, 2] });
    expect(order).toEqual(['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b']);
  });

  it('rotate runs each thing first, second and last in turn', async () => {
    const order: string[] = [];
    const r = await rotate(3, 0, ['a', 'b', 'c'].map((name, i) => () => (order.push(name), i)));
    expect(order.join('')).toBe('abcbcacab');
    expect(r).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  it('formats', () => {
    expect(formatMs({ n: 3, median: 12.34, min: 10, max: 15.06 })).toBe('12.3 ms (10.0–15.1)');
    expect(formatRatio({ n: 3, median: 1.234, min: 1.1, max: 1.5 })).toBe('1.23× (1.10–1.50)');
  });
});
