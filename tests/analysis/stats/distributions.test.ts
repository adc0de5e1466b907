import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  kolmogorovSurvival,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSidedP,
} from '../../../analysis/stats/distributions.js';

/** Relative closeness, for values spanning many orders of magnitude. */
function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('normalCdf', () => {
  it('matches published table values', () => {
    // Φ(1.96) = 0.9750021048517795 (e.g. Abramowitz & Stegun table 26.1).
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145705, 14);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 14);
  });

  it('keeps relative accuracy deep in the lower tail', () => {
    // Φ(−10) = 7.619853024160527e-24 (A&S 26.2.12 asymptotic / standard tables).
    expectRel(normalCdf(-10), 7.619853024160527e-24, 1e-12);
    expectRel(normalCdf(-5), 2.866515718791939e-7, 1e-12);
  });

  it('is symmetric and handles infinities and NaN', () => {
    for (const z of [0.1, 0.7, 1.3, 2.5, 4]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
  });
});

describe('normalQuantile', () => {
  it('matches published critical values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 13);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 13);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts normalCdf across the range, including both tails', () => {
    for (const z of [-8, -5, -3, -2.2, -1, -0.3, 0.01, 0.5, 1.5, 2.9, 4.5]) {
      expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, z > 4 ? 7 : 10);
    }
    // Lower tail in probability terms, where relative accuracy matters.
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
  });

  it('returns ±Infinity at the ends and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
  });
});

describe('regularizedIncompleteBeta', () => {
  it('I_0.5(2, 3) = 11/16 = 0.6875 exactly (binomial sum by hand)', () => {
    // I_x(2, 3) = P(Bin(4, x) ≥ 2) = (6 + 4 + 1)/16 at x = 1/2.
    expect(regularizedIncompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 14);
  });

  it('agrees with the binomial-tail identity for integer parameters', () => {
    // I_x(a, b) = P(Bin(a + b − 1, x) ≥ a).
    const binomTail = (n: number, k: number, x: number): number => {
      let s = 0;
      let c = 1; // C(n, 0)
      for (let j = 0; j <= n; j++) {
        if (j >= k) s += c * x ** j * (1 - x) ** (n - j);
        c = (c * (n - j)) / (j + 1);
      }
      return s;
    };
    for (const [x, a, b] of [
      [0.3, 3, 5],
      [0.05, 1, 20],
      [0.9, 7, 2],
      [0.62, 12, 9],
    ]) {
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(binomTail(a + b - 1, a, x), 13);
    }
  });

  it('has the closed forms I_x(1, 1) = x and I_x(a, 1) = x^a, and the reflection symmetry', () => {
    expect(regularizedIncompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 15);
    expect(regularizedIncompleteBeta(0.8, 3.5, 1)).toBeCloseTo(0.8 ** 3.5, 14);
    expect(regularizedIncompleteBeta(0.2, 2.5, 7.25) + regularizedIncompleteBeta(0.8, 7.25, 2.5)).toBeCloseTo(1, 14);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
  });
});

describe('Student t', () => {
  it('two-sided p for t = 2.228 with 10 df is 0.05 (t-table critical value)', () => {
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(-2.228, 10)).toBeCloseTo(0.05, 4);
    // t_{0.975, 10} = 2.228138851986 to 12 digits.
    expect(studentTTwoSidedP(2.228138851986, 10)).toBeCloseTo(0.05, 11);
  });

  it('matches the closed forms for 1 df (Cauchy) and 2 df', () => {
    for (const t of [-7, -1.5, -0.2, 0, 0.4, 1, 3.3, 25]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    }
  });

  it('tends to the normal for large df and is exactly normal at df = Infinity', () => {
    expect(studentTCdf(1.96, 1e7)).toBeCloseTo(normalCdf(1.96), 7);
    expect(studentTCdf(1.96, Infinity)).toBeCloseTo(normalCdf(1.96), 15);
    expect(studentTTwoSidedP(0, 5)).toBe(1);
  });

  it('rejects non-positive df', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTTwoSidedP(1, -3)).toThrow(RangeError);
  });
});

describe('chiSquareCdf', () => {
  it('P(χ²₁ ≤ 3.841) ≈ 0.95 (table critical value)', () => {
    expect(chiSquareCdf(3.841, 1)).toBeCloseTo(0.95, 4);
    // χ²_{0.95, 1} = 1.959963984540054² exactly.
    expect(chiSquareCdf(1.959963984540054 ** 2, 1)).toBeCloseTo(0.95, 13);
  });

  it('matches the closed forms for 1, 2 and 4 degrees of freedom', () => {
    for (const x of [0.01, 0.5, 2, 5.99, 13.3, 40]) {
      expect(chiSquareCdf(x, 1)).toBeCloseTo(2 * normalCdf(Math.sqrt(x)) - 1, 13);
      expect(chiSquareCdf(x, 2)).toBeCloseTo(1 - Math.exp(-x / 2), 14);
      expect(chiSquareCdf(x, 4)).toBeCloseTo(1 - Math.exp(-x / 2) * (1 + x / 2), 14);
    }
  });

  it('is 0 at and below 0 and rejects k ≤ 0', () => {
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareCdf(-1, 3)).toBe(0);
    expect(() => chiSquareCdf(1, 0)).toThrow(RangeError);
  });
});

describe('kolmogorovSurvival', () => {
  it('matches the classical asymptotic critical values', () => {
    // Tabulated 10 %, 5 % and 1 % points of the Kolmogorov distribution: 1.2238, 1.3581, 1.6276.
    expect(kolmogorovSurvival(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovSurvival(1.36)).toBeCloseTo(0.049, 3);
    expect(kolmogorovSurvival(1.63)).toBeCloseTo(0.0098, 4);
    expect(kolmogorovSurvival(1.22)).toBeCloseTo(0.10, 2);
  });

  it('agrees with the alternating series, computed here term by term, on both sides of the branch point', () => {
    const series = (l: number): number => {
      let s = 0;
      for (let k = 1; k <= 200; k++) s += (k % 2 === 1 ? 2 : -2) * Math.exp(-2 * k * k * l * l);
      return s;
    };
    // The series is still well-behaved (200 terms) down to λ ≈ 0.3.
    for (const l of [0.3, 0.5, 0.8, 0.999999, 1, 1.000001, 1.5, 2.5]) {
      expect(kolmogorovSurvival(l)).toBeCloseTo(series(l), 12);
    }
  });

  it('is 1 at and below 0, decreasing, and 0 at infinity', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(-1)).toBe(1);
    expect(kolmogorovSurvival(0.1)).toBeCloseTo(1, 12);
    expect(kolmogorovSurvival(Infinity)).toBe(0);
    let prev = 1;
    for (let l = 0.05; l < 3; l += 0.05) {
      const q = kolmogorovSurvival(l);
      expect(q).toBeLessThanOrEqual(prev);
      prev = q;
    }
  });
});
