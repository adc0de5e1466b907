/**
 * OLS against the NIST StRD "Longley" certified values and a hand-computed case.
 *
 * Longley: NIST/ITL Statistical Reference Datasets, Linear Least Squares
 * Regression, Longley.dat (Longley 1967, JASA 62:819–841), "higher level of
 * difficulty". Data and certified values as published by NIST (itl.nist.gov
 * /div898/strd/lls/data/Longley.shtml), cross-checked against the copies in
 * statsmodels, Apache Commons Math and GSL test suites.
 */
import { describe, expect, it } from 'vitest';
import { ols } from '../../../analysis/regression/index.js';

// y = total employment; x1 GNP deflator, x2 GNP, x3 unemployed, x4 armed forces, x5 population, x6 year.
const LONGLEY: number[][] = [
  [60323, 83.0, 234289, 2356, 1590, 107608, 1947],
  [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
  [60171, 88.2, 258054, 3682, 1616, 109773, 1949],
  [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
  [63221, 96.2, 328975, 2099, 3099, 112075, 1951],
  [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
  [64989, 99.0, 365385, 1870, 3547, 115094, 1953],
  [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
  [66019, 101.2, 397469, 2904, 3048, 117388, 1955],
  [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
  [68169, 108.4, 442769, 2936, 2798, 120445, 1957],
  [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
  [68655, 112.6, 482704, 3813, 2552, 123366, 1959],
  [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
  [69331, 115.7, 518173, 4806, 2572, 127852, 1961],
  [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
];
const y = LONGLEY.map((r) => r[0]);
const X = LONGLEY.map((r) => r.slice(1));
const NAMES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];

// NIST certified values, B0..B6 and their standard deviations.
const CERT_B = [
  -3482258.63459582, 15.0618722713733, -0.358191792925910e-1, -2.02022980381683, -1.03322686717359,
  -0.511041056535807e-1, 1829.15146461355,
];
const CERT_SE = [
  890420.383607373, 84.9149257747669, 0.334910077722432e-1, 0.488399681651699, 0.214274163161675,
  0.22607320006937, 455.478499142212,
];
const CERT_SIGMA = 304.854073561965;
const CERT_R2 = 0.995479004577296;
const CERT_F = 330.285339234588;

/** Number of agreeing significant digits (log relative error, as NIST's LRE). */
function lre(x: number, cert: number): number {
  const rel = Math.abs(x - cert) / Math.abs(cert);
  return rel === 0 ? 16 : -Math.log10(rel);
}

describe('ols: NIST StRD Longley', () => {
  const fit = ols(X, y, NAMES, { intercept: true });

  it('reproduces the certified coefficients to at least 11 significant digits', () => {
    expect(fit.coefficients.map((c) => c.name)).toEqual(['(Intercept)', ...NAMES]);
    fit.coefficients.forEach((c, j) => expect(lre(c.estimate, CERT_B[j])).toBeGreaterThanOrEqual(11));
  });

  it('reproduces the certified standard errors to at least 11 significant digits', () => {
    fit.coefficients.forEach((c, j) => expect(lre(c.se, CERT_SE[j])).toBeGreaterThanOrEqual(11));
  });

  it('reproduces the certified residual SD, R² and F statistic', () => {
    expect(lre(fit.sigma, CERT_SIGMA)).toBeGreaterThanOrEqual(11);
    expect(lre(fit.r2, CERT_R2)).toBeGreaterThanOrEqual(11);
    expect(lre(fit.f, CERT_F)).toBeGreaterThanOrEqual(11);
    expect(fit.n).toBe(16);
    expect(fit.df).toBe(9);
  });

  it('gives the same fit when the caller supplies the column of ones', () => {
    const own = ols(
      X.map((r) => [1, ...r]),
      y,
      ['const', ...NAMES],
    );
    own.coefficients.forEach((c, j) => {
      expect(lre(c.estimate, CERT_B[j])).toBeGreaterThanOrEqual(11);
      expect(lre(c.se, CERT_SE[j])).toBeGreaterThanOrEqual(11);
    });
  });
});

describe('ols: hand-computed simple regression', () => {
  // x = 1..4, y = 2, 3, 5, 6: x̄ = 2.5, ȳ = 4, Sxx = 5, Sxy = 7, so b = 1.4, a = 0.5;
  // residuals 0.1, −0.3, 0.3, −0.1, RSS = 0.2, σ² = 0.1 on 2 df;
  // se(b) = √(0.1/5), se(a) = √(0.1·(1/4 + 2.5²/5)) = √0.15; TSS = 10 so R² = 0.98.
  // With 2 df, P(|T| > t) = 1 − t/√(t² + 2); t = 7√2 gives p = 1 − 0.7√2.
  const fit = ols([[1], [2], [3], [4]], [2, 3, 5, 6], ['x'], { intercept: true });
  const [a, b] = fit.coefficients;

  it('estimates, standard errors and fit statistics', () => {
    expect(a.estimate).toBeCloseTo(0.5, 12);
    expect(b.estimate).toBeCloseTo(1.4, 12);
    expect(b.se).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(a.se).toBeCloseTo(Math.sqrt(0.15), 12);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(fit.r2).toBeCloseTo(0.98, 12);
    expect(fit.adjR2).toBeCloseTo(0.97, 12);
    expect(fit.residuals.map((r) => Number(r.toFixed(10)))).toEqual([0.1, -0.3, 0.3, -0.1]);
  });

  it('t statistic and its exact two-sided p-value on 2 df', () => {
    expect(b.t).toBeCloseTo(7 * Math.SQRT2, 10);
    expect(b.p).toBeCloseTo(1 - 0.7 * Math.SQRT2, 10);
  });

  it('without an intercept uses the uncentred R² (as R summary.lm)', () => {
    // Regression through the origin: b = Σxy/Σx² = 47/30, RSS = Σy² − 47²/30.
    const f0 = ols([[1], [2], [3], [4]], [2, 3, 5, 6], ['x']);
    expect(f0.hasIntercept).toBe(false);
    expect(f0.coefficients[0].estimate).toBeCloseTo(47 / 30, 12);
    const rss = 74 - (47 * 47) / 30;
    expect(f0.rss).toBeCloseTo(rss, 10);
    expect(f0.r2).toBeCloseTo(1 - rss / 74, 12);
    expect(f0.df).toBe(3);
  });
});

describe('ols: rank deficiency and bad input', () => {
  const Xs = [
    [1, 2, 0.5],
    [2, 4, 1.5],
    [3, 6, 0.2],
    [4, 8, 0.9],
    [5, 10, 1.1],
  ];
  const ys = [1, 3, 2, 5, 4];

  it('names the exactly collinear column', () => {
    expect(() => ols(Xs, ys, ['a', 'b', 'c'], { intercept: true })).toThrow(/column 'b'.*linear combination.*'a'/);
  });

  it('names a column that is a combination of several others', () => {
    const X3 = Xs.map((r) => [r[0], r[2], r[0] - 2 * r[2]]);
    expect(() => ols(X3, ys, ['a', 'c', 'd'], { intercept: true })).toThrow(/column 'd'/);
  });

  it('names a second constant column (two intercepts)', () => {
    const X2 = Xs.map((r) => [1, r[0], 3]);
    expect(() => ols(X2, ys, ['one', 'a', 'three'])).toThrow(/'three' is constant/);
  });

  it('names an all-zero column', () => {
    const X2 = Xs.map((r) => [r[0], 0]);
    expect(() => ols(X2, ys, ['a', 'z'], { intercept: true })).toThrow(/'z' is all zero/);
  });

  it('rejects non-finite values, ragged rows and n ≤ p', () => {
    expect(() => ols([[1], [NaN], [3]], [1, 2, 3], ['x'])).toThrow(/'x'.*row 1/);
    expect(() => ols([[1], [2, 3], [3]], [1, 2, 3], ['x'])).toThrow(/row 1/);
    expect(() => ols([[1], [2]], [1, 2], ['x'], { intercept: true })).toThrow(/n > p/);
  });
});
