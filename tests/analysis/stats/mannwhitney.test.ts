import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../../analysis/stats/distributions.js';
import { mannWhitneyU } from '../../../analysis/stats/mannwhitney.js';

/** U by definition: pairs (a_i, b_j) with a_i > b_j, ties counting one half. */
function naiveU(a: number[], b: number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

/** R's two-sided exact p by listing all C(n1+n2, n1) rank assignments. */
function enumeratedP(n1: number, n2: number, u: number): number {
  const N = n1 + n2;
  const us: number[] = [];
  const rec = (start: number, chosen: number[]): void => {
    if (chosen.length === n1) {
      const set = new Set(chosen);
      const b: number[] = [];
      for (let r = 0; r < N; r++) if (!set.has(r)) b.push(r);
      us.push(naiveU(chosen, b));
      return;
    }
    for (let i = start; i < N; i++) rec(i + 1, [...chosen, i]);
  };
  rec(0, []);
  const tail = u > (n1 * n2) / 2 ? us.filter((v) => v >= u).length : us.filter((v) => v <= u).length;
  return Math.min(1, (2 * tail) / us.length);
}

describe('mannWhitneyU: exact branch', () => {
  it('a = 1 2 3, b = 4 5 6: U = 0, p = 2·(1/20) = 0.1', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(0.1, 15);
    expect(r.method).toBe('exact');
    const rev = mannWhitneyU([4, 5, 6], [1, 2, 3]);
    expect(rev.u).toBe(9);
    expect(rev.p).toBeCloseTo(0.1, 15);
  });

  it('a = 1 3 5, b = 2 4 6: U = 3, p = 2·P(U ≤ 3) = 2·7/20', () => {
    // Null frequencies of U for 3 vs 3 (partitions in a 3×3 box): 1 1 2 3 3 3 3 2 1 1.
    const r = mannWhitneyU([1, 3, 5], [2, 4, 6]);
    expect(r.u).toBe(3);
    expect(r.p).toBeCloseTo(0.7, 14);
  });

  it('the central value gives p = 1', () => {
    // 2 vs 2: U = 2 is the centre, 2·P(U ≤ 2) = 2·4/6 > 1 → capped.
    const r = mannWhitneyU([1, 4], [2, 3]);
    expect(r.u).toBe(2);
    expect(r.p).toBe(1);
  });

  it('matches brute-force enumeration for 4 vs 5 over all 126 assignments', () => {
    const b = [0.5, 1.5, 2.5, 3.5, 4.5];
    for (const a of [
      [0.1, 0.2, 0.3, 0.4],
      [0.1, 2, 3, 5],
      [1, 2, 3, 4],
      [4, 5, 6, 7],
      [0.2, 4.7, 4.8, 4.9],
    ]) {
      const r = mannWhitneyU(a, b);
      expect(r.u).toBe(naiveU(a, b));
      expect(r.p).toBeCloseTo(enumeratedP(4, 5, r.u), 14);
    }
  });

  it('R’s wilcox.test example (Hollander & Wolfe): W = 35, two-sided exact p = 764/3003', () => {
    // R's ?wilcox.test example gives W = 35, one-sided p = 0.1272; 2 × 382/3003 is
    // confirmed below by enumerating all C(15, 5) = 3003 assignments.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(35);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(764 / 3003, 14);
    expect(r.p).toBeCloseTo(enumeratedP(10, 5, 35), 14);
    expect(r.p / 2).toBeCloseTo(0.1272, 4);
  });

  it('stays exact and symmetric at 49 vs 49', () => {
    const a = Array.from({ length: 49 }, (_, i) => 2 * i);
    const b = Array.from({ length: 49 }, (_, i) => 2 * i + 1);
    const r = mannWhitneyU(a, b);
    expect(r.method).toBe('exact');
    // U = Σ_i (number of b below 2i) = Σ i = 49·48/2; just below the centre 1200.5.
    expect(r.u).toBe(1176);
    expect(r.p).toBeGreaterThan(0.8);
    expect(r.p).toBeLessThanOrEqual(1);
    // The exact null is close to the normal approximation at this size.
    expect(Math.abs(r.p - 2 * normalCdf(r.z))).toBeLessThan(0.01);
  });
});

describe('mannWhitneyU: normal approximation', () => {
  it('ties: mid-ranks, tie-corrected variance and continuity correction (hand-computed)', () => {
    // Pooled: 1(a) 2(a) 2(a) 2(b) 3(a) 3(b) 4(b) 5(b); mid-ranks 1, 3, 3, 3, 5.5, 5.5, 7, 8.
    // Rank sum of a = 1 + 3 + 3 + 5.5 = 12.5, U = 12.5 − 10 = 2.5.
    // Ties: t = 3 and t = 2 → Σ(t³ − t) = 24 + 6 = 30.
    // σ² = (16/12)·(9 − 30/56); z = (2.5 − 8 + 0.5)/σ.
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 5]);
    expect(r.u).toBe(2.5);
    expect(r.method).toBe('normal');
    const sigma = Math.sqrt((16 / 12) * (9 - 30 / 56));
    const z = -5 / sigma;
    expect(r.z).toBeCloseTo(z, 14);
    expect(z).toBeCloseTo(-1.488351, 5);
    expect(r.p).toBeCloseTo(2 * normalCdf(z), 14);
    expect(r.p).toBeCloseTo(0.13666, 5);
  });

  it('reproduces published R output with ties (W = 51.5, p = 0.5966; W = 0, p = 0.001364)', () => {
    // wilcox.test(x, y) for these vectors, as printed in a public R tutorial (endmemo.com).
    const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
    const r1 = mannWhitneyU(x, [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5]);
    expect(r1.u).toBe(51.5);
    expect(r1.method).toBe('normal');
    expect(r1.p).toBeCloseTo(0.5966, 4);
    const r2 = mannWhitneyU(x, [1233, 4356, 987, 39999, 1111, 200000]);
    expect(r2.u).toBe(0);
    expect(r2.p).toBeCloseTo(0.001364, 6);
  });

  it('switches to the normal approximation at 50 values even without ties', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = Array.from({ length: 10 }, (_, i) => 100 + i);
    const r = mannWhitneyU(a, b);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(0);
    // No ties: σ² = n1·n2·(N + 1)/12 = 500·61/12; z = (0 − 250 + 0.5)/σ.
    const z = -249.5 / Math.sqrt((500 * 61) / 12);
    expect(r.z).toBeCloseTo(z, 13);
    expect(r.p).toBeCloseTo(2 * normalCdf(z), 15);
  });

  it('all values tied: z = 0 and p = 1', () => {
    expect(mannWhitneyU([3, 3], [3, 3, 3])).toEqual({ u: 3, z: 0, p: 1, method: 'normal' });
  });

  it('accepts typed arrays and rejects empty input or NaN', () => {
    expect(mannWhitneyU(Float32Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)).p).toBeCloseTo(0.1, 15);
    expect(() => mannWhitneyU([], [1])).toThrow(/empty/);
    expect(() => mannWhitneyU([NaN], [1])).toThrow(/NaN/);
  });
});
