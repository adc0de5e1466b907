import { describe, expect, it } from 'vitest';
import { cohensDz, hedgesG } from '../../../analysis/stats/effect.js';

describe('cohensDz (paired)', () => {
  it('matches a hand-computed case', () => {
    // Differences 1 2 3 4: mean 2.5, sd = √(5/3), d_z = 2.5·√(3/5) = √3.75.
    expect(cohensDz([2, 4, 6, 8], [1, 2, 3, 4])).toBeCloseTo(Math.sqrt(3.75), 14);
    expect(cohensDz([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(-Math.sqrt(3.75), 14);
  });

  it('ignores the shared replication level (only differences matter)', () => {
    const a = [101, 52, 7.5, 1000];
    const b = [100, 50, 4.5, 996];
    // Differences 1 2 3 4 again.
    expect(cohensDz(a, b)).toBeCloseTo(Math.sqrt(3.75), 12);
  });

  it('accepts typed arrays', () => {
    expect(cohensDz(Float64Array.of(2, 4, 6, 8), Int16Array.of(1, 2, 3, 4))).toBeCloseTo(Math.sqrt(3.75), 14);
  });

  it('zero variance: 0 for no difference, ±Infinity for a constant shift', () => {
    expect(cohensDz([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(cohensDz([3, 4, 5], [1, 2, 3])).toBe(Infinity);
    expect(cohensDz([1, 2, 3], [3, 4, 5])).toBe(-Infinity);
    // 0.3 − 0.1 is not exactly 0.2 in binary, but the three differences are identical.
    expect(cohensDz([0.3, 0.3, 0.3], [0.1, 0.1, 0.1])).toBe(Infinity);
  });

  it('rejects bad input', () => {
    expect(() => cohensDz([1, 2], [1])).toThrow(/paired/);
    expect(() => cohensDz([1], [0])).toThrow(RangeError);
    expect(() => cohensDz([1, NaN], [0, 0])).toThrow(/NaN/);
  });
});

describe('hedgesG (independent)', () => {
  it('matches a hand-computed case', () => {
    // a = 1 2 3: mean 2, SS 2.  b = 4 5 6 7: mean 5.5, SS 5.
    // s_pooled = √(7/5); d = −3.5/√1.4; J = 1 − 3/(4·7 − 9) = 16/19.
    const expected = (-3.5 / Math.sqrt(7 / 5)) * (16 / 19);
    expect(hedgesG([1, 2, 3], [4, 5, 6, 7])).toBeCloseTo(expected, 14);
    expect(hedgesG([4, 5, 6, 7], [1, 2, 3])).toBeCloseTo(-expected, 14);
    expect(expected).toBeCloseTo(-2.490978, 5);
  });

  it('approaches Cohen’s d for large samples (J → 1)', () => {
    const a = Array.from({ length: 500 }, (_, i) => (i % 10) + 1); // values 1..10
    const b = a.map((v) => v - 1);
    // Same SD in both groups, difference 1: d = 1/sd; J = 1 − 3/(4·998 − 1).
    const m = 5.5;
    let ss = 0;
    for (const v of a) ss += (v - m) ** 2;
    const sdPooled = Math.sqrt((2 * ss) / 998);
    expect(hedgesG(a, b)).toBeCloseTo((1 / sdPooled) * (1 - 3 / 3991), 12);
  });

  it('zero variance: 0 for equal constants, ±Infinity for different constants', () => {
    expect(hedgesG([2, 2, 2], [2, 2])).toBe(0);
    expect(hedgesG([2, 2], [1, 1, 1])).toBe(Infinity);
    expect(hedgesG([0.1, 0.1, 0.1], [0.7, 0.7])).toBe(-Infinity);
  });

  it('works with a single value on one side and rejects too few values', () => {
    // a = 4 (n = 1), b = 1 2 3: SS = 0 + 2, df = 2, s_pooled = 1, d = 2, J = 1 − 3/7.
    expect(hedgesG([4], [1, 2, 3])).toBeCloseTo(2 * (4 / 7), 14);
    expect(() => hedgesG([1], [2])).toThrow(RangeError);
    expect(() => hedgesG([], [1, 2, 3])).toThrow(/empty/);
  });
});
