import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival } from '../../../analysis/stats/distributions.js';
import { ksTwoSample } from '../../../analysis/stats/ks.js';

/** D by brute force: compare the two ECDFs at every pooled value. */
function naiveD(a: number[], b: number[]): number {
  let d = 0;
  for (const v of [...a, ...b]) {
    const fa = a.filter((x) => x <= v).length / a.length;
    const fb = b.filter((x) => x <= v).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

/** All ways to choose k of 0..n−1 (for exact enumeration of the null distribution). */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < n; i++) {
      acc.push(i);
      pick(i + 1, acc);
      acc.pop();
    }
  };
  pick(0, []);
  return out;
}

/** Exact P(D ≥ d) by listing every assignment of ranks 1..n+m to the two samples. */
function enumeratedP(n: number, m: number, d: number): number {
  const all = combinations(n + m, n);
  let hits = 0;
  for (const idx of all) {
    const set = new Set(idx);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < n + m; r++) (set.has(r) ? a : b).push(r);
    if (naiveD(a, b) >= d - 1e-12) hits++;
  }
  return hits / all.length;
}

describe('ksTwoSample: exact branch', () => {
  it('n = m = 3, complete separation: D = 1, p = 2/20', () => {
    // Only aaabbb and bbbaaa of the C(6,3) = 20 orderings reach D = 1.
    const r = ksTwoSample([1, 2, 3], [4, 5, 6]);
    expect(r).toEqual({ d: 1, p: 0.1, method: 'exact', ties: false });
  });

  it('n = m = 3, D = 2/3: p = 12/20', () => {
    // ECDF gap after 2 is 2/3 − 0. Orderings with max |#a − #b| ≤ 1 along the way must
    // alternate within each pair of positions: 2³ = 8 of them, so 12 reach D ≥ 2/3.
    const r = ksTwoSample([1, 2, 4], [3, 5, 6]);
    expect(r.d).toBeCloseTo(2 / 3, 15);
    expect(r.p).toBeCloseTo(12 / 20, 14);
    expect(r.method).toBe('exact');
  });

  it('n = m = 3, alternating samples: D = 1/3, p = 1', () => {
    const r = ksTwoSample([1, 3, 5], [2, 4, 6]);
    expect(r.d).toBeCloseTo(1 / 3, 15);
    expect(r.p).toBe(1);
  });

  it('n = 2, m = 3, complete separation: p = 2/C(5,2) = 0.2', () => {
    const r = ksTwoSample([10, 20], [30, 40, 50]);
    expect(r.d).toBe(1);
    expect(r.p).toBeCloseTo(0.2, 14);
  });

  it('matches brute-force enumeration over all C(9,4) = 126 orderings for n = 4, m = 5', () => {
    const cases: [number[], number[]][] = [
      [
        [0.1, 0.4, 0.45, 2.2],
        [0.3, 1.1, 1.5, 1.9, 3.0],
      ],
      [
        [5, 6, 7, 8],
        [1, 2, 3, 4, 9],
      ],
      [
        [1.5, 3.5, 5.5, 7.5],
        [1, 3, 5, 7, 9],
      ],
    ];
    for (const [a, b] of cases) {
      const r = ksTwoSample(a, b);
      expect(r.method).toBe('exact');
      expect(r.d).toBeCloseTo(naiveD(a, b), 15);
      expect(r.p).toBeCloseTo(enumeratedP(4, 5, r.d), 13);
    }
  });

  it('matches brute-force enumeration for unequal sizes n = 3, m = 7 (C(10,3) = 120)', () => {
    const a = [0.2, 0.25, 0.9];
    const b = [0.1, 0.3, 0.35, 0.5, 0.6, 0.7, 0.8];
    const r = ksTwoSample(a, b);
    expect(r.p).toBeCloseTo(enumeratedP(3, 7, naiveD(a, b)), 13);
    // Symmetric in its arguments.
    expect(ksTwoSample(b, a)).toEqual(r);
  });

  it('uses the exact branch at n·m = 10,000 and gives a tiny p for separated samples', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const r = ksTwoSample(a, b);
    expect(r.method).toBe('exact');
    expect(r.d).toBe(1);
    // Only the two fully separated orderings: 2 / C(200, 100), C(200, 100) ≈ 9.0549e58.
    expect(r.p).toBeGreaterThan(0);
    expect(r.p / (2 / 9.054851465610328e58)).toBeCloseTo(1, 10);
  });
});

describe('ksTwoSample: exact p under ties (permutation distribution)', () => {
  // References: brute-force enumeration of every split of the pooled sample
  // (numpy, run once offline; counts recorded here). SciPy 1.17's
  // ks_2samp(method='exact') ignores ties and gives 0.0785684903331962 for the
  // first case, which is not the permutation p.
  it('8 vs 9 values with ties: 1110 of C(17, 8) = 24310 splits have D ≥ 5/9', () => {
    const r = ksTwoSample([1, 2, 2, 3, 4, 5, 5, 6], [2, 3, 5, 5, 7, 8, 8, 9, 10]);
    expect(r.d).toBeCloseTo(5 / 9, 15);
    expect(r.method).toBe('exact');
    expect(r.ties).toBe(true);
    expect(r.p).toBeCloseTo(1110 / 24310, 14);
  });

  it('5 vs 5 with ties: D = 0.6 and 52 of 252 splits', () => {
    // Distinct values 1 2 3 4: F_a = 2/5 4/5 1 1, F_b = 0 1/5 3/5 1 → gaps 2/5 3/5 2/5 0.
    const r = ksTwoSample([1, 1, 2, 2, 3], [2, 3, 3, 4, 4]);
    expect(r.d).toBeCloseTo(0.6, 15);
    expect(r.p).toBeCloseTo(52 / 252, 14);
  });

  it('a tie across samples does not create a spurious step', () => {
    // Both samples jump at 2 together: evaluated only after both, the gap is 0 there.
    const r = ksTwoSample([1, 2], [2, 3]);
    expect(r.d).toBeCloseTo(0.5, 15);
    expect(r.d).toBeCloseTo(naiveD([1, 2], [2, 3]), 15);
    expect(r.p).toBe(1);
    expect(ksTwoSample([2, 2], [2, 2, 2])).toEqual({ d: 0, p: 1, method: 'exact', ties: true });
  });

  it('matches SciPy 1.17 ks_2samp(method="exact") without ties at n = 25, m = 20', () => {
    const a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47];
    const b = [2.2, 1.66, 1.38, 0.2, 0.36, 0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7, 0.52, -0.71];
    const r = ksTwoSample(a, b);
    expect(r.d).toBeCloseTo(0.23, 14);
    expect(r.p).toBeCloseTo(0.5286364448145011, 10);
  });

  it('counts D equal to the observed value as extreme (R: 1 − P(D < d))', () => {
    // n = m = 3, alternating samples: D = 1/3 is the smallest possible value, so p = 1 exactly.
    expect(ksTwoSample([1, 3, 5], [2, 4, 6]).p).toBe(1);
  });
});

describe('ksTwoSample: asymptotic branch', () => {
  it('n·m > 10^7 uses the Kolmogorov limit', () => {
    const a = Array.from({ length: 3200 }, (_, i) => i + 0.5);
    const b = Array.from({ length: 3200 }, (_, i) => i + 60.25);
    const r = ksTwoSample(a, b);
    expect(r.method).toBe('asymptotic');
    expect(r.d).toBeCloseTo(60 / 3200, 14);
    expect(r.p).toBeCloseTo(kolmogorovSurvival(Math.sqrt((3200 * 3200) / 6400) * r.d), 15);
  });
});

describe('ksTwoSample: input checks', () => {
  it('accepts typed arrays and rejects empty input or NaN', () => {
    expect(ksTwoSample(Float64Array.of(1, 2, 3), Int32Array.of(4, 5, 6)).p).toBeCloseTo(0.1, 14);
    expect(() => ksTwoSample([], [1])).toThrow(/empty/);
    expect(() => ksTwoSample([1], [NaN])).toThrow(/NaN/);
  });
});
