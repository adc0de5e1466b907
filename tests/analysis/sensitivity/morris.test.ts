import { describe, expect, it } from 'vitest';
import { morrisDesign, scaleToRanges, type MorrisDesign, type ParameterRange } from '../../../analysis/sensitivity/designs.js';
import { morrisIndices } from '../../../analysis/sensitivity/morris.js';
import { Rng } from '../../../sim/rng.js';

const rngFor = (stream: string, seed = 1) => Rng.fromKey({ seed, replication: 0, stream });

/** Evaluate f on the design's points mapped to parameter values. */
function evaluate(design: MorrisDesign, ranges: ParameterRange[], f: (x: number[]) => number): Float64Array {
  const y = new Float64Array(design.points.length);
  for (let k = 0; k < y.length; k++) y[k] = f(scaleToRanges(design.points[k], ranges));
  return y;
}

describe('morrisIndices', () => {
  const c = [3, -2, 0.5, 0, 10];
  const ranges: ParameterRange[] = [
    { min: 0, max: 1 },
    { min: -5, max: 5 },
    { min: 100, max: 400 },
    { min: 2, max: 3 },
    { min: 0.25, max: 0.5 },
  ];
  const linear = (x: number[]) => x.reduce((s, v, i) => s + c[i] * v, 0);
  const d = c.length;

  it('linear model, unit scale: μ = c_i·(max − min), μ* = |c_i|·(max − min), σ = 0', () => {
    const design = morrisDesign(d, 20, { levels: 4, rng: rngFor('morris-linear') });
    const res = morrisIndices(design, evaluate(design, ranges, linear));
    expect(res.length).toBe(d);
    for (let i = 0; i < d; i++) {
      const w = ranges[i].max - ranges[i].min;
      expect(res[i].parameter).toBe(i);
      expect(res[i].effects).toBe(20);
      expect(res[i].mu).toBeCloseTo(c[i] * w, 9);
      expect(res[i].muStar).toBeCloseTo(Math.abs(c[i]) * w, 9);
      expect(res[i].sigma).toBeLessThan(1e-9);
    }
  });

  it('linear model with ranges: effects per parameter unit, μ* = |c_i| exactly', () => {
    const design = morrisDesign(d, 15, { levels: 6, rng: rngFor('morris-linear-ranges') });
    const res = morrisIndices(design, evaluate(design, ranges, linear), { ranges });
    for (let i = 0; i < d; i++) {
      expect(res[i].mu).toBeCloseTo(c[i], 9);
      expect(res[i].muStar).toBeCloseTo(Math.abs(c[i]), 9);
      expect(res[i].sigma).toBeLessThan(1e-9);
    }
  });

  it('log-scale parameter: a model linear in ln x has μ* = |c| per e-fold', () => {
    const logRanges: ParameterRange[] = [
      { min: 0.01, max: 100, log: true },
      { min: 0, max: 1 },
    ];
    const design = morrisDesign(2, 10, { rng: rngFor('morris-log') });
    const y = evaluate(design, logRanges, (x) => 4 * Math.log(x[0]) + x[1]);
    const res = morrisIndices(design, y, { ranges: logRanges });
    expect(res[0].muStar).toBeCloseTo(4, 9);
    expect(res[0].sigma).toBeLessThan(1e-9);
    expect(res[1].muStar).toBeCloseTo(1, 9);
  });

  it('interaction model: σ > 0 exactly for the interacting factors', () => {
    // f = 2 x1 + x2 x3 − x4 on [0, 1]^4: x2 and x3 interact, x1 and x4 are additive.
    const unit: ParameterRange[] = Array.from({ length: 4 }, () => ({ min: 0, max: 1 }));
    const design = morrisDesign(4, 30, { rng: rngFor('morris-interaction') });
    const res = morrisIndices(design, evaluate(design, unit, (x) => 2 * x[0] + x[1] * x[2] - x[3]));
    expect(res[0].sigma).toBeLessThan(1e-9);
    expect(res[3].sigma).toBeLessThan(1e-9);
    expect(res[1].sigma).toBeGreaterThan(0.1);
    expect(res[2].sigma).toBeGreaterThan(0.1);
    expect(res[0].muStar).toBeCloseTo(2, 9);
    expect(res[3].mu).toBeCloseTo(-1, 9);
    // EE of x2 is x3 ∈ [0, 1]: μ* between 0 and 1, and μ = μ* since effects are non-negative.
    expect(res[1].muStar).toBeGreaterThan(0);
    expect(res[1].muStar).toBeLessThanOrEqual(1);
    expect(res[1].mu).toBeCloseTo(res[1].muStar, 12);
  });

  it('μ* differs from |μ| when effects change sign (non-monotone factor)', () => {
    const unit: ParameterRange[] = [{ min: 0, max: 1 }];
    const design = morrisDesign(1, 200, { levels: 4, rng: rngFor('morris-nonmono') });
    // (x − 0.5)^2 on the 4-level grid: steps 0 ↔ 2/3 and 1/3 ↔ 1 have effects of opposite sign.
    const res = morrisIndices(design, evaluate(design, unit, (x) => (x[0] - 0.5) ** 2));
    expect(res[0].muStar).toBeGreaterThan(Math.abs(res[0].mu) + 0.05);
    // f(0) = f(1) = 1/4 and f(1/3) = f(2/3) = 1/36, so |Δf| = 2/9 for every step and |EE| = (2/9) / (2/3).
    expect(res[0].muStar).toBeCloseTo((1 / 4 - 1 / 36) / (2 / 3), 9);
  });

  it('σ is NaN with a single trajectory', () => {
    const design = morrisDesign(2, 1, { rng: rngFor('morris-one') });
    const res = morrisIndices(design, Float64Array.from(design.points, (p) => p[0] + p[1]));
    expect(Number.isNaN(res[0].sigma)).toBe(true);
    expect(res[0].muStar).toBeCloseTo(1, 12);
  });

  it('rejects wrong-length or non-finite outputs, wrong ranges and corrupted designs', () => {
    const design = morrisDesign(3, 4, { rng: rngFor('morris-bad') });
    const y = Float64Array.from(design.points, (p) => p[0]);
    expect(() => morrisIndices(design, y.subarray(1))).toThrow(RangeError);
    const bad = y.slice();
    bad[2] = Infinity;
    expect(() => morrisIndices(design, bad)).toThrow(RangeError);
    expect(() => morrisIndices(design, y, { ranges: [{ min: 0, max: 1 }] })).toThrow(RangeError);
    const corrupted: MorrisDesign = { ...design, changedFactor: design.changedFactor.map((f, k) => (k === 1 ? design.changedFactor[0] : f)) };
    expect(() => morrisIndices(corrupted, y)).toThrow(RangeError);
  });
});
