/**
 * ABC rejection and ABC-SMC on the two-parameter problem of problem.ts. Under
 * common random numbers the simulator is deterministic, so the ABC posterior is
 * the uniform prior restricted to {θ : ρ(θ) ≤ ε}, a small ellipse around the
 * closed-form moment estimate θ*: the posterior mean must approach θ* and the
 * 90% interval must contain it and shrink as ε shrinks.
 */
import { describe, expect, it } from 'vitest';
import { abc } from '../../../analysis/calibration/index.js';
import { Rng } from '../../../sim/rng.js';
import { CRN, TARGETS, TARGET_SE, THETA_STAR, TRUE_THETA, makeSimulator } from './problem.js';

/**
 * The exact ABC posterior here: the scaled residual is M(θ − θ*) with
 * M = [[1/e₀, z̄/e₀], [0, s_z/e₁]], so {ρ ≤ ε} is an ellipse and the posterior is
 * uniform on it, with mean θ* and marginal SDs (ε/2)·√((M⁻¹M⁻ᵀ)_jj) (a uniform
 * distribution on the unit disc has variance 1/4 per axis):
 * SD(μ) = (ε/2)√(e₀² + z̄²e₁²/s_z²), SD(σ) = (ε/2)e₁/s_z.
 */
function exactSd(eps: number): number[] {
  const [e0, e1] = TARGET_SE;
  return [(eps / 2) * Math.sqrt(e0 ** 2 + (CRN.mean * e1) ** 2 / CRN.sd ** 2), ((eps / 2) * e1) / CRN.sd];
}

/** Weighted SD of one coordinate of the particles. */
function particleSd(particles: { theta: number[]; weight: number }[], j: number): number {
  const m = particles.reduce((s, p) => s + p.weight * p.theta[j], 0);
  return Math.sqrt(particles.reduce((s, p) => s + p.weight * (p.theta[j] - m) ** 2, 0));
}

const LOWER = [-5, 0.1];
const UPPER = [5, 5];

async function rejection(seed: string) {
  const sim = makeSimulator();
  const result = await abc(sim.moments, {
    lower: LOWER,
    upper: UPPER,
    targets: TARGETS,
    scales: TARGET_SE,
    rng: new Rng(seed),
    method: 'rejection',
    draws: 20000,
    acceptFraction: 0.005,
    names: ['mu', 'sigma'],
  });
  return { result, calls: sim.calls };
}

async function smc(seed: string, concurrency = 1) {
  const sim = makeSimulator();
  const result = await abc(sim.moments, {
    lower: LOWER,
    upper: UPPER,
    targets: TARGETS,
    scales: TARGET_SE,
    rng: new Rng(seed),
    method: 'smc',
    particles: 300,
    generations: 8,
    quantile: 0.5,
    concurrency,
  });
  return { result, calls: sim.calls };
}

describe('abc: rejection', () => {
  it('accepts the closest 0.5% and centres on the moment estimate', async () => {
    const { result, calls } = await rejection('abc-rej');
    expect(result.particles.length).toBe(100);
    expect(result.evaluations).toBe(20000);
    expect(calls.length).toBe(20000);
    expect(result.acceptanceRate).toBeCloseTo(0.005, 10);
    result.posterior.forEach((s, j) => {
      // The accepted region has radius ~ε in units of the target SEs (0.106, 0.075): means within 0.15.
      expect(Math.abs(s.mean - THETA_STAR[j])).toBeLessThan(0.15);
      expect(s.lower).toBeLessThan(THETA_STAR[j]);
      expect(s.upper).toBeGreaterThan(THETA_STAR[j]);
      expect(s.lower).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.upper);
    });
    expect(result.posterior.map((s) => s.name)).toEqual(['mu', 'sigma']);
    for (const p of result.particles) expect(p.distance).toBeLessThanOrEqual(result.tolerance);
    // Uniform on the ellipse ρ ≤ ε (see exactSd); 100 particles give the SD to about ±15%.
    const sd = exactSd(result.tolerance);
    for (let j = 0; j < 2; j++) expect(Math.abs(particleSd(result.particles, j) / sd[j] - 1)).toBeLessThan(0.25);
  });

  it('with a fixed tolerance accepts exactly the draws within it, and fails clearly when none are', async () => {
    const sim = makeSimulator();
    const r = await abc(sim.moments, {
      lower: LOWER,
      upper: UPPER,
      targets: TARGETS,
      scales: TARGET_SE,
      rng: new Rng('abc-fixed'),
      draws: 5000,
      tolerance: 5,
    });
    expect(r.tolerance).toBe(5);
    expect(r.particles.length).toBeGreaterThan(0);
    expect(r.particles.every((p) => p.distance <= 5)).toBe(true);
    await expect(
      abc(sim.moments, { lower: LOWER, upper: UPPER, targets: TARGETS, scales: TARGET_SE, rng: new Rng('abc-fixed'), draws: 50, tolerance: 1e-9 }),
    ).rejects.toThrow(/no draw of 50 met the tolerance/);
  });

  it('is deterministic under the same seed', async () => {
    const a = await rejection('abc-det');
    const b = await rejection('abc-det');
    expect(b.result.particles).toEqual(a.result.particles);
    expect(b.calls).toEqual(a.calls);
  });
});

describe('abc: SMC (population Monte Carlo)', () => {
  it('shrinks the tolerance each generation and concentrates on the moment estimate', async () => {
    const { result, calls } = await smc('abc-smc');
    expect(result.method).toBe('smc');
    expect(result.stoppedEarly).toBe(false);
    expect(result.generations.length).toBe(9);
    for (let g = 1; g < result.generations.length; g++) {
      expect(result.generations[g].tolerance).toBeLessThan(result.generations[g - 1].tolerance);
    }
    expect(result.particles.length).toBe(300);
    expect(result.particles.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 12);
    result.posterior.forEach((s, j) => {
      expect(Math.abs(s.mean - THETA_STAR[j])).toBeLessThan(0.03);
      expect(s.lower).toBeLessThan(THETA_STAR[j]);
      expect(s.upper).toBeGreaterThan(THETA_STAR[j]);
      // And the moment estimate is within sampling error (≈ 0.106, 0.075) of the truth.
      expect(Math.abs(s.mean - TRUE_THETA[j])).toBeLessThan(0.35);
    });
    // Every simulated θ lies in the prior box.
    for (const t of calls) t.forEach((v, j) => expect(v >= LOWER[j] && v <= UPPER[j]).toBe(true));
    expect(result.evaluations).toBe(calls.length);
  });

  it('reaches a smaller tolerance and a narrower posterior than rejection ABC with fewer simulations', async () => {
    const r = (await rejection('abc-rej')).result;
    const s = (await smc('abc-smc')).result;
    expect(s.evaluations).toBeLessThan(r.evaluations);
    expect(s.tolerance).toBeLessThan(r.tolerance);
    s.posterior.forEach((p, j) => expect(p.upper - p.lower).toBeLessThan(r.posterior[j].upper - r.posterior[j].lower));
  });

  it('matches the exact ABC posterior for a given tolerance schedule (mean θ*, known SDs within 10%)', async () => {
    const sim = makeSimulator();
    const r = await abc(sim.moments, {
      lower: LOWER,
      upper: UPPER,
      targets: TARGETS,
      scales: TARGET_SE,
      rng: new Rng('abc-exact'),
      method: 'smc',
      particles: 1000,
      tolerances: [20, 10, 5, 2],
    });
    expect(r.tolerance).toBe(2);
    expect(r.particles.every((p) => p.distance <= 2)).toBe(true);
    const sd = exactSd(2);
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(r.posterior[j].mean - THETA_STAR[j])).toBeLessThan(0.15 * sd[j]);
      expect(Math.abs(r.posterior[j].sd / sd[j] - 1)).toBeLessThan(0.1);
    }
  });

  it('importance weights undo the proposal: uniform posterior on [0, 0.6] at the edge of the prior box', async () => {
    // m(θ) = θ, target 0, prior U[0, 1]: the ABC posterior at ε is exactly U[0, ε]
    // (mean ε/2, SD ε/√12). The kernel proposals pile up away from the box edge at 0,
    // so without the weights π/Σ W K the particles would be biased upwards.
    const r = await abc(async (t) => [t[0]], {
      lower: [0],
      upper: [1],
      targets: [0],
      rng: new Rng('abc-weights'),
      method: 'smc',
      particles: 4000,
      tolerances: [0.9, 0.75, 0.6],
    });
    // Monte Carlo error of the weighted mean ≈ 0.17/√ESS ≈ 0.003.
    expect(Math.abs(r.posterior[0].mean - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(r.posterior[0].sd / (0.6 / Math.sqrt(12)) - 1)).toBeLessThan(0.04);
    expect(r.posterior[0].lower).toBeCloseTo(0.03, 1);
    expect(r.posterior[0].upper).toBeCloseTo(0.57, 1);
  });

  it('is deterministic under the same seed, whatever the concurrency', async () => {
    const a = await smc('abc-smc-det', 1);
    const b = await smc('abc-smc-det', 1);
    expect(b.result.particles).toEqual(a.result.particles);
    const c = await smc('abc-smc-det', 4);
    const d = await smc('abc-smc-det', 4);
    expect(d.result.particles).toEqual(c.result.particles);
    c.result.posterior.forEach((p, j) => expect(Math.abs(p.mean - a.result.posterior[j].mean)).toBeLessThan(0.05));
  });

  it('stops early, keeping the last complete generation, when the evaluation cap is reached', async () => {
    const sim = makeSimulator();
    const r = await abc(sim.moments, {
      lower: LOWER,
      upper: UPPER,
      targets: TARGETS,
      scales: TARGET_SE,
      rng: new Rng('abc-cap'),
      method: 'smc',
      particles: 100,
      generations: 10,
      maxEvaluations: 600,
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.evaluations).toBeLessThanOrEqual(600);
    expect(r.particles.length).toBe(100);
    expect(r.generations.length).toBeLessThan(11);
  });
});
