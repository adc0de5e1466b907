import { describe, expect, it } from 'vitest';
import { differences, pairedT, signFlipTest, wilcoxonSignedRank } from '../../../analysis/stats/paired.js';
import { adjustP } from '../../../analysis/stats/adjust.js';
import { studentTQuantile } from '../../../analysis/stats/distributions.js';
import { cohensDBaseline, cohensDz } from '../../../analysis/stats/effect.js';
import { Rng } from '../../../sim/rng.js';

// Hollander & Wolfe (1973, p. 29) depression scores, the example of R's ?wilcox.test:
// wilcox.test(x, y, paired = TRUE) gives V = 40, p-value = 0.03906.
const X = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
// Integer pairs with tied |d| and three zero differences.
const A = [3, 5, 2, 6, 4, 4, 7, 3, 5, 6, 2, 8];
const B = [2, 5, 3, 4, 2, 3, 5, 3, 2, 4, 2, 5];

describe('pairedT', () => {
  it('matches SciPy 1.17 ttest_rel and its confidence_interval', () => {
    const r = pairedT(differences(X, Y));
    expect(r.t).toBeCloseTo(3.0353754156485917, 12);
    expect(r.p).toBeCloseTo(0.016176627434908088, 12);
    expect(r.low).toBeCloseTo(0.10377871227216856, 12);
    expect(r.high).toBeCloseTo(0.7599990655056093, 12);
    const r2 = pairedT(differences(A, B));
    expect(r2.t).toBeCloseTo(3.361751011454254, 12);
    expect(r2.p).toBeCloseTo(0.006344191443579485, 12);
    expect(r2.low).toBeCloseTo(0.43160760843367807, 12);
    expect(r2.high).toBeCloseTo(2.068392391566322, 12);
  });

  it('constant differences: zero-width interval; p 1 for zeros and 0 otherwise; n = 1 throws', () => {
    expect(pairedT([0, 0, 0])).toMatchObject({ mean: 0, low: 0, high: 0, p: 1 });
    expect(pairedT([2, 2, 2])).toMatchObject({ mean: 2, low: 2, high: 2, p: 0 });
    expect(() => pairedT([1])).toThrow(/at least 2/);
  });
});

describe('studentTQuantile', () => {
  it('matches SciPy 1.17 stats.t.ppf', () => {
    expect(studentTQuantile(0.975, 19)).toBeCloseTo(2.0930240544083087, 12);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 10);
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604094871349992, 12);
    expect(studentTQuantile(0.9, 2.5)).toBeCloseTo(1.7302509288071766, 12);
    expect(studentTQuantile(0.025, 19)).toBeCloseTo(-2.0930240544083087, 12);
  });
});

describe('wilcoxonSignedRank', () => {
  it('exact without ties: R gives V = 40, p = 0.03906 (SciPy: 0.0390625)', () => {
    const r = wilcoxonSignedRank(differences(X, Y));
    expect(r.method).toBe('exact');
    expect(r.v).toBe(40);
    expect(r.p).toBeCloseTo(0.0390625, 14);
  });

  it('ties and zeros: zeros dropped, normal approximation with tie and continuity corrections (SciPy 1.17 wilcoxon(..., correction=True, method="approx"))', () => {
    const r = wilcoxonSignedRank(differences(A, B));
    expect(r.method).toBe('normal');
    expect(r.zeros).toBe(3);
    expect(r.n).toBe(9);
    expect(r.v).toBe(43); // SciPy reports min(V+, V−) = 2 of 45
    expect(r.p).toBeCloseTo(0.016341362082926164, 12);
  });

  it('n = 60: normal approximation with continuity correction (SciPy 1.17, correction=True)', () => {
    const e = [0.646, 1.122, 0.63, -1.003, 1.205, 0.746, -0.237, 0.881, 0.665, 0.594, 0.328, 0.847, -0.436, 0.137, -0.182, 0.899, 0.34, 0.008, -0.482, 0.043, 0.308, 0.024, 1.594, 1.307, -2.411, -1.589, 0.125, -0.122, 0.514, 0.517, 2.418, -0.812, -0.078, 2.343, 0.947, 0.963, -0.214, -1.348, 0.467, 0.409, -0.927, -0.383, 0.228, -0.645, 0.202, 0.395, 0.336, -0.206, 0.894, 1.191, 0.621, -0.518, 1.032, -0.201, 1.179, -0.772, 1.214, 0.28, -0.949, -0.014];
    const r = wilcoxonSignedRank(e);
    expect(r.method).toBe('normal');
    expect(Math.min(r.v, (60 * 61) / 2 - r.v)).toBe(585);
    expect(r.p).toBeCloseTo(0.015281075670749017, 12);
  });

  it('all differences zero: nothing to test, p = 1', () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toMatchObject({ p: 1, method: 'none', zeros: 3 });
  });
});

describe('signFlipTest', () => {
  it('exact: matches SciPy 1.17 permutation_test(permutation_type="samples", n_resamples=inf)', () => {
    const r = signFlipTest(differences(X, Y));
    expect(r.method).toBe('exact');
    expect(r.resamples).toBe(512);
    expect(r.p).toBeCloseTo(0.02734375, 14);
  });

  it('exact with ties and zeros: 64 of 4096 sign vectors (brute-force enumeration)', () => {
    expect(signFlipTest(differences(A, B)).p).toBeCloseTo(0.015625, 14);
  });

  it('Monte Carlo beyond n = 20 agrees with the exact p within 4 MC standard errors', () => {
    // SciPy 1.17 permutation_test exact p over all 2^21 sign vectors: 0.45679569244384766.
    const d = [0.25, 0.55, -0.02, -0.64, -0.2, -0.74, 0.31, 1.59, -0.24, -0.37, 0.74, 0.61, 0.36, -0.68, 0.22, 0.95, -1.09, -0.21, -1.65, -1.04, -1.59];
    const r = signFlipTest(d, { rng: new Rng('test|signflip'), resamples: 20000 });
    expect(r.method).toBe('monte carlo');
    expect(r.mcError).toBeGreaterThan(0.003);
    expect(Math.abs(r.p - 0.45679569244384766)).toBeLessThan(4 * r.mcError);
    expect(() => signFlipTest(d)).toThrow(/rng/);
  });

  it('a sum exactly on a tie counts as extreme despite rounding', () => {
    // 0.1 + 0.2 and 0.3 differ by rounding; flipping gives |±0.1 ± 0.2 ∓ 0.3| — two vectors reach 0.6, two are "0".
    const r = signFlipTest([0.1, 0.2, 0.3]);
    expect(r.p).toBe(2 / 8);
    expect(signFlipTest([0.1, 0.2, -0.3]).p).toBe(1);
  });
});

describe('adjustP', () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5];
  it('Holm (hand computed, as R p.adjust "holm")', () => {
    const h = adjustP(p, 'holm');
    [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.5].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 14));
  });
  it('Benjamini–Hochberg (SciPy 1.17 false_discovery_control)', () => {
    const q = adjustP(p, 'bh');
    [0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.5].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 14));
  });
  it('none leaves p alone; NaN stays out of the family', () => {
    expect(adjustP(p, 'none')).toEqual(p);
    const h = adjustP([0.01, NaN, 0.02], 'holm');
    expect(h[0]).toBeCloseTo(0.02, 15);
    expect(h[1]).toBeNaN();
    expect(h[2]).toBeCloseTo(0.02, 15);
  });
});

describe("Cohen's d against the baseline SD beside d_z", () => {
  it('hand computed on the depression data: d = 0.5382910257332509, d_z = 1.0117918052161972', () => {
    expect(cohensDBaseline(X, Y)).toBeCloseTo(0.5382910257332509, 12);
    expect(cohensDz(X, Y)).toBeCloseTo(1.0117918052161972, 12);
  });
  it('needs two replications; a constant baseline gives ±Infinity', () => {
    expect(() => cohensDBaseline([1], [2])).toThrow(/at least 2/);
    expect(cohensDBaseline([2, 3], [1, 1])).toBe(Infinity);
  });
});
