/**
 * Method of simulated moments: recovers the closed-form estimate of a
 * two-parameter problem (see problem.ts), a harder surface (Rosenbrock's
 * banana, optimum known to be (1, 1)), respects the box, is deterministic
 * under a seed and reports the fit correctly.
 */
import { describe, expect, it } from 'vitest';
import { smm } from '../../../analysis/calibration/index.js';
import { Rng } from '../../../sim/rng.js';
import { CRN, TARGETS, TARGET_SE, THETA_STAR, TRUE_THETA, makeSimulator } from './problem.js';

const LOWER = [-5, 0.1];
const UPPER = [5, 5];

async function run(seed: string, budget = 300) {
  const sim = makeSimulator();
  const result = await smm(sim.moments, {
    lower: LOWER,
    upper: UPPER,
    targets: TARGETS,
    tolerances: TARGET_SE,
    rng: new Rng(seed),
    budget,
    names: ['mu', 'sigma'],
  });
  return { result, calls: sim.calls };
}

describe('smm: normal mean and SD under common random numbers', () => {
  it('finds the closed-form moment estimate to 1e-4 and the truth within 3 standard errors', async () => {
    const { result } = await run('smm-1');
    expect(Math.abs(result.theta[0] - THETA_STAR[0])).toBeLessThan(1e-4);
    expect(Math.abs(result.theta[1] - THETA_STAR[1])).toBeLessThan(1e-4);
    expect(result.distance).toBeLessThan(1e-6);
    // Sampling error of the targets: SE(mean) ≈ 0.106, SE(sd) ≈ 0.075.
    expect(Math.abs(result.theta[0] - TRUE_THETA[0])).toBeLessThan(3 * 0.106);
    expect(Math.abs(result.theta[1] - TRUE_THETA[1])).toBeLessThan(3 * 0.075);
    expect(result.fit.withinTolerance).toBe(2);
    expect(result.fit.df).toBe(0);
    expect(Number.isNaN(result.fit.pValue)).toBe(true);
  });

  it('stays within the budget and records every call in the history', async () => {
    const { result, calls } = await run('smm-1', 120);
    expect(result.evaluations).toBeLessThanOrEqual(120);
    expect(calls.length).toBe(result.evaluations);
    expect(result.history.map((h) => h.theta)).toEqual(calls);
    expect(result.history.filter((h) => h.phase === 'design').length).toBe(20);
    const bestInHistory = Math.min(...result.history.map((h) => h.distance));
    expect(result.distance).toBe(bestInHistory);
  });

  it('is deterministic under the same seed and explores differently under another', async () => {
    const a = await run('smm-same');
    const b = await run('smm-same');
    expect(b.result.history).toEqual(a.result.history);
    expect(b.result.theta).toEqual(a.result.theta);
    const c = await run('smm-other');
    expect(c.result.history[0].theta).not.toEqual(a.result.history[0].theta);
    expect(Math.abs(c.result.theta[0] - a.result.theta[0])).toBeLessThan(1e-4);
  });

  it('gives the same history when design points are evaluated concurrently', async () => {
    const serial = await run('smm-conc');
    const sim = makeSimulator();
    const parallel = await smm(sim.moments, {
      lower: LOWER,
      upper: UPPER,
      targets: TARGETS,
      tolerances: TARGET_SE,
      rng: new Rng('smm-conc'),
      budget: 300,
      names: ['mu', 'sigma'],
      concurrency: 7,
    });
    expect(parallel.history).toEqual(serial.result.history);
  });

  it('respects the box, stopping on the bound when the optimum lies outside it', async () => {
    const sim = makeSimulator();
    const lower = [0, 0.1];
    const upper = [1, 5];
    const result = await smm(sim.moments, {
      lower,
      upper,
      targets: TARGETS,
      tolerances: TARGET_SE,
      rng: new Rng('smm-box'),
      budget: 300,
    });
    for (const theta of sim.calls) {
      theta.forEach((v, j) => {
        expect(v).toBeGreaterThanOrEqual(lower[j]);
        expect(v).toBeLessThanOrEqual(upper[j]);
      });
    }
    // μ* ≈ 2 is outside [0, 1]: the best μ is the bound. With μ = 1 both moments depend on σ
    // only, D(σ) = ((1 + σz̄ − t₀)/e₀)² + ((σs_z − t₁)/e₁)², minimised at
    // σ = (s_z t₁/e₁² − z̄(1 − t₀)/e₀²) / (z̄²/e₀² + s_z²/e₁²).
    expect(result.theta[0]).toBe(1);
    const [e0, e1] = TARGET_SE.map((e) => e * e);
    const sigma = (CRN.sd * TARGETS[1] / e1 - (CRN.mean * (1 - TARGETS[0])) / e0) / (CRN.mean ** 2 / e0 + CRN.sd ** 2 / e1);
    expect(Math.abs(result.theta[1] - sigma)).toBeLessThan(1e-4);
    expect(result.fit.withinTolerance).toBeLessThan(2);
  });
});

describe('smm: Nelder–Mead on a curved valley', () => {
  it("minimises Rosenbrock's function written as two moments, (10(θ₁ − θ₀²), 1 − θ₀) → 0", async () => {
    const moments = async (t: number[]) => [10 * (t[1] - t[0] * t[0]), 1 - t[0]];
    const result = await smm(moments, {
      lower: [-2, -1],
      upper: [2, 3],
      targets: [0, 0],
      tolerances: [1, 1],
      rng: new Rng('smm-rosenbrock'),
      budget: 1500,
    });
    expect(Math.abs(result.theta[0] - 1)).toBeLessThan(1e-3);
    expect(Math.abs(result.theta[1] - 1)).toBeLessThan(2e-3);
    expect(result.distance).toBeLessThan(1e-6);
  });
});

describe('smm: goodness of fit when over-identified', () => {
  it('J is the weighted sum at the optimum, counts targets within tolerance, and has K − dim df', async () => {
    // Three moments (μ, σ, μ + σ) for two parameters; the third target is inconsistent.
    const moments = async (t: number[]) => [t[0], t[1], t[0] + t[1]];
    const targets = [1, 2, 6];
    const tolerances = [0.5, 0.5, 0.5];
    const weights = [1, 1, 2];
    const result = await smm(moments, {
      lower: [-10, -10],
      upper: [10, 10],
      targets,
      tolerances,
      weights,
      rng: new Rng('smm-overid'),
      budget: 800,
    });
    // Weighted least squares with W = diag(w/tol²): normal equations (1+2)μ + 2σ = 1 + 12 and 2μ + (1+2)σ = 2 + 12.
    const mu = (3 * 13 - 2 * 14) / 5;
    const sigma = (3 * 14 - 2 * 13) / 5;
    expect(result.theta[0]).toBeCloseTo(mu, 4);
    expect(result.theta[1]).toBeCloseTo(sigma, 4);
    const expectedJ = targets.reduce((s, t, k) => s + weights[k] * ((result.moments[k] - t) / tolerances[k]) ** 2, 0);
    expect(result.fit.j).toBeCloseTo(expectedJ, 10);
    const within = targets.filter((t, k) => Math.abs(result.moments[k] - t) <= tolerances[k]).length;
    expect(result.fit.withinTolerance).toBe(within);
    expect(within).toBeLessThan(3);
    expect(result.fit.df).toBe(1);
    expect(result.fit.pValue).toBeGreaterThan(0);
    expect(result.fit.pValue).toBeLessThan(1e-3);
  });
});

describe('smm: input checks', () => {
  it('rejects an empty box, bad tolerances, and moments of the wrong length', async () => {
    const base = { targets: [0], tolerances: [1], rng: new Rng('x'), budget: 10 };
    await expect(smm(async () => [0], { ...base, lower: [1], upper: [1] })).rejects.toThrow(/empty or infinite box/);
    await expect(smm(async () => [0], { ...base, lower: [0], upper: [1], tolerances: [0] })).rejects.toThrow(/tolerance/);
    await expect(smm(async () => [0, 1], { ...base, lower: [0], upper: [1] })).rejects.toThrow(/returned 2 values for 1/);
  });
});
