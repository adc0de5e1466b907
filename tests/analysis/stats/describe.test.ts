import { quantileSeq } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { mean, quantileSorted, sd, summarise, variance } from '../../../analysis/stats/describe.js';

// x = 3 1 4 1 5 9 2 6, sorted 1 1 2 3 4 5 6 9. By hand:
// mean = 31/8 = 3.875; squared deviations sum to 52.875, so variance = 52.875/7.
// Type 7 uses h = (n − 1)p = 7p:
//   p = .05: h = 0.35 → 1 + 0.35·(1 − 1) = 1
//   p = .25: h = 1.75 → 1 + 0.75·(2 − 1) = 1.75
//   p = .50: h = 3.5  → 3 + 0.5·(4 − 3)  = 3.5
//   p = .75: h = 5.25 → 5 + 0.25·(6 − 5) = 5.25
//   p = .95: h = 6.65 → 6 + 0.65·(9 − 6) = 7.95
// (R: quantile(c(3,1,4,1,5,9,2,6), c(.05,.25,.5,.75,.95)) gives 1.00 1.75 3.50 5.25 7.95.)
const X = [3, 1, 4, 1, 5, 9, 2, 6];
const SORTED = [1, 1, 2, 3, 4, 5, 6, 9];

describe('mean / variance / sd', () => {
  it('match hand-computed values', () => {
    expect(mean(X)).toBe(3.875);
    expect(variance(X)).toBeCloseTo(52.875 / 7, 14);
    expect(sd(X)).toBeCloseTo(Math.sqrt(52.875 / 7), 14);
  });

  it('accept typed arrays', () => {
    expect(mean(Float64Array.from(X))).toBe(3.875);
    expect(variance(Int32Array.from(X))).toBeCloseTo(52.875 / 7, 14);
  });

  it('do not lose precision to a large common offset', () => {
    const shifted = X.map((v) => v + 1e9);
    expect(mean(shifted)).toBe(1e9 + 3.875);
    expect(variance(shifted)).toBeCloseTo(52.875 / 7, 6);
  });

  it('give NaN variance for one value, and throw on empty input or NaN', () => {
    expect(variance([4])).toBeNaN();
    expect(() => mean([])).toThrow(/empty/);
    expect(() => mean([1, NaN, 3])).toThrow(/index 1 is NaN/);
    expect(() => variance(new Float64Array([NaN]))).toThrow(/NaN/);
  });
});

describe('quantileSorted (R type 7)', () => {
  it('matches the hand-computed type-7 quantiles', () => {
    expect(quantileSorted(SORTED, 0.05)).toBe(1);
    expect(quantileSorted(SORTED, 0.25)).toBe(1.75);
    expect(quantileSorted(SORTED, 0.5)).toBe(3.5);
    expect(quantileSorted(SORTED, 0.75)).toBe(5.25);
    expect(quantileSorted(SORTED, 0.95)).toBeCloseTo(7.95, 14);
    expect(quantileSorted(SORTED, 0)).toBe(1);
    expect(quantileSorted(SORTED, 1)).toBe(9);
  });

  it('is identical to mathjs quantileSeq', () => {
    const data = [0.3, -2.1, 7.7, 7.7, 1e-3, 4.25, 12, -0.5, 3.3, 6.1, 2.2];
    const sorted = [...data].sort((a, b) => a - b);
    for (let k = 0; k <= 40; k++) {
      const p = k / 40;
      expect(quantileSorted(sorted, p)).toBe(quantileSeq(data, p) as number);
    }
    for (const p of [0.05, 0.95, 0.333, 0.999]) {
      expect(quantileSorted(SORTED, p)).toBe(quantileSeq(X, p) as number);
    }
  });

  it('handles a single value and rejects bad p or empty input', () => {
    expect(quantileSorted([42], 0.3)).toBe(42);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantileSorted(SORTED, 1.5)).toThrow(RangeError);
    expect(() => quantileSorted(SORTED, NaN)).toThrow(RangeError);
  });
});

describe('summarise', () => {
  it('returns the hand-computed summary row', () => {
    const s = summarise(X);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(3.875);
    expect(s.sd).toBeCloseTo(Math.sqrt(52.875 / 7), 14);
    expect(s.min).toBe(1);
    expect(s.q05).toBe(1);
    expect(s.q25).toBe(1.75);
    expect(s.median).toBe(3.5);
    expect(s.q75).toBe(5.25);
    expect(s.q95).toBeCloseTo(7.95, 14);
    expect(s.max).toBe(9);
  });

  it('gives the same result for a typed array and leaves the input unsorted', () => {
    const typed = Float64Array.from(X);
    expect(summarise(typed)).toEqual(summarise(X));
    expect(Array.from(typed)).toEqual(X);
  });

  it('sorts numerically, not lexicographically', () => {
    const s = summarise([10, 9, 100, 2]);
    expect(s.min).toBe(2);
    expect(s.max).toBe(100);
    expect(s.median).toBe(9.5);
  });

  it('throws a clear error on NaN and on empty input', () => {
    expect(() => summarise([1, 2, NaN])).toThrow(/summarise: value at index 2 is NaN/);
    expect(() => summarise(new Float32Array(0))).toThrow(/empty/);
  });

  it('reports sd as NaN for a single replication', () => {
    const s = summarise([5]);
    expect(s.sd).toBeNaN();
    expect(s.median).toBe(5);
  });
});
