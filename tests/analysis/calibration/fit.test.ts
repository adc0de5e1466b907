/**
 * Fit statistics: J with its degrees of freedom (the χ² p-value only when df > 0),
 * the sandwich variance against hand-computed values, the truncated-normal
 * parameter sample, and the simplex convergence flag of smm.
 */
import { describe, expect, it } from 'vitest';
import { jStatistic } from '../../../analysis/calibration/evaluate.js';
import { drawTruncatedNormal, levenbergMarquardt, sandwich } from '../../../analysis/calibration/fit.js';
import { smm } from '../../../analysis/calibration/index.js';
import { CollinearityError } from '../../../analysis/regression/linalg.js';
import { Rng } from '../../../sim/rng.js';
import { TARGETS, TARGET_SE, THETA_STAR, makeSimulator } from './problem.js';

describe('jStatistic', () => {
  it('is the weighted sum of squares with K − p degrees of freedom and the χ² upper tail', () => {
    // Residuals (1, 2) with variances (1, 4): J = 1 + 1 = 2. With p = 0, df = 2: P(χ²₂ ≥ 2) = e^{-1}.
    const j = jStatistic([1, 2], [1, 4], 0);
    expect(j.J).toBe(2);
    expect(j.df).toBe(2);
    expect(j.chiSquareP).toBeCloseTo(Math.exp(-1), 9);
    // Table values: χ²₁ 95% point 3.841459, χ²₃ 99% point 11.34487.
    expect(jStatistic([Math.sqrt(3.841459)], [1], 0).chiSquareP).toBeCloseTo(0.05, 6);
    expect(jStatistic([Math.sqrt(11.34487), 0, 0, 0, 0], [1, 1, 1, 1, 1], 2).chiSquareP).toBeCloseTo(0.01, 6);
  });

  it('gives no χ² p-value when the degrees of freedom are zero or negative', () => {
    const exact = jStatistic([0.5, -0.5], [1, 1], 2);
    expect(exact.df).toBe(0);
    expect(exact.J).toBe(0.5);
    expect(exact).not.toHaveProperty('chiSquareP');
    const under = jStatistic([0.5], [1], 3);
    expect(under.df).toBe(-2);
    expect(under).not.toHaveProperty('chiSquareP');
  });
});

describe('sandwich', () => {
  it('is the inverse information when the weights are the inverse variances and moments are uncorrelated', () => {
    // Two moments of one parameter, slopes 1, variances 1 and 4: Var = 1/(1 + 1/4) = 0.8.
    const v = sandwich([[1], [1]], [1, 0.25], [[1, 0], [0, 4]], ['a']);
    expect(v[0][0]).toBeCloseTo(0.8, 12);
  });

  it('adds the correlation between moments that diagonal weights ignore', () => {
    // H = (1/1.25)(1, 0.25) = (0.8, 0.2); Var = H V Hᵀ with V = [[1, 0.5], [0.5, 4]]
    // = 0.64 + 2 × 0.8 × 0.2 × 0.5 + 0.04 × 4 = 0.96.
    const v = sandwich([[1], [1]], [1, 0.25], [[1, 0.5], [0.5, 4]], ['a']);
    expect(v[0][0]).toBeCloseTo(0.96, 12);
  });

  it('two parameters: (GᵀWG)⁻¹ for an identity Jacobian scaled by 2', () => {
    // G = 2I, W = I, V = I: Var = (4I)⁻¹ (4I) (4I)⁻¹ = I/4.
    const v = sandwich([[2, 0], [0, 2]], [1, 1], [[1, 0], [0, 1]], ['a', 'b']);
    expect(v[0][0]).toBeCloseTo(0.25, 12);
    expect(v[1][1]).toBeCloseTo(0.25, 12);
    expect(v[0][1]).toBeCloseTo(0, 12);
  });

  it('refuses a parameter the moments do not move (not identified)', () => {
    expect(() => sandwich([[1, 0], [1, 0]], [1, 1], [[1, 0], [0, 1]], ['moved', 'unmoved'])).toThrow(CollinearityError);
    expect(() => sandwich([[1, 2], [2, 4]], [1, 1], [[1, 0], [0, 1]], ['a', 'twice a'])).toThrow(/twice a/);
  });
});

describe('drawTruncatedNormal', () => {
  it('draws inside the box, with the normal mean and SD when the box is wide', () => {
    const box = [{ lower: -10, upper: 10 }, { lower: 0, upper: 1 }];
    const d = drawTruncatedNormal([1, 0.5], [[4, 0], [0, 0.0025]], box, 4000, new Rng('draws'));
    expect(d.length).toBe(4000);
    for (const row of d) {
      expect(row[1]).toBeGreaterThanOrEqual(0);
      expect(row[1]).toBeLessThanOrEqual(1);
    }
    const m0 = d.reduce((s, r) => s + r[0], 0) / d.length;
    const sd0 = Math.sqrt(d.reduce((s, r) => s + (r[0] - m0) ** 2, 0) / (d.length - 1));
    expect(Math.abs(m0 - 1)).toBeLessThan(3 * (2 / Math.sqrt(4000)));
    expect(Math.abs(sd0 - 2)).toBeLessThan(0.1);
  });

  it('keeps only draws inside a box that cuts the normal (the truncated mean moves inwards)', () => {
    // N(0, 1) truncated to [0, 10]: mean √(2/π) = 0.79788.
    const d = drawTruncatedNormal([0], [[1]], [{ lower: 0, upper: 10 }], 4000, new Rng('half'));
    expect(Math.min(...d.map((r) => r[0]))).toBeGreaterThanOrEqual(0);
    const m = d.reduce((s, r) => s + r[0], 0) / d.length;
    expect(Math.abs(m - 0.79788)).toBeLessThan(3 * (0.6028 / Math.sqrt(4000)));
  });
});

describe('smm convergence report', () => {
  const opts = { lower: [-5, 0.1], upper: [5, 5], targets: TARGETS, tolerances: TARGET_SE, names: ['mu', 'sigma'] };

  it('says converged, with its iterations and final simplex, when the simplex criterion is met', async () => {
    const r = await smm(makeSimulator().moments, { ...opts, rng: new Rng('conv'), budget: 400, xTolerance: 1e-6, fTolerance: 1e-9 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(10);
    const best = r.runs.reduce((b, x) => (x.distance < b.distance ? x : b));
    expect(best.simplexSize).toBeLessThanOrEqual(1e-6);
    expect(best.valueSpread).toBeLessThanOrEqual(1e-9);
  });

  it('says not converged when the budget runs out first', async () => {
    const r = await smm(makeSimulator().moments, { ...opts, rng: new Rng('conv'), budget: 30, xTolerance: 1e-9, fTolerance: 1e-12 });
    expect(r.evaluations).toBe(30);
    expect(r.converged).toBe(false);
  });
});

describe('levenbergMarquardt', () => {
  it('reaches the closed-form moment estimate of the linear problem in a few steps', async () => {
    // Moments (μ + σ z̄, σ s_z) are linear in θ, so forward differences are exact and
    // Gauss–Newton lands on θ* = (x̄ − σ* z̄, s/s_z) once λ has shrunk.
    const sim = makeSimulator();
    const residuals = async (t: number[]) => (await sim.moments(t)).map((m, k) => (m - TARGETS[k]) / TARGET_SE[k]);
    const out = await levenbergMarquardt(residuals, [0, 3], [{ lower: -5, upper: 5 }, { lower: 0.1, upper: 5 }], 12);
    expect(Math.abs(out.theta[0] - THETA_STAR[0])).toBeLessThan(1e-3);
    expect(Math.abs(out.theta[1] - THETA_STAR[1])).toBeLessThan(1e-3);
    expect(out.f).toBeLessThan(1e-4);
  });

  it('stays in the box when the answer lies outside it', async () => {
    const residuals = async (t: number[]) => [t[0] - 10];
    const out = await levenbergMarquardt(residuals, [0], [{ lower: -1, upper: 1 }], 20);
    expect(out.theta[0]).toBe(1);
  });
});
