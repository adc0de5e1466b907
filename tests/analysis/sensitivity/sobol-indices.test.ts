import { describe, expect, it } from 'vitest';
import { saltelliDesign, type SaltelliDesign } from '../../../analysis/sensitivity/designs.js';
import { sobolIndices } from '../../../analysis/sensitivity/sobol-indices.js';
import { Rng } from '../../../sim/rng.js';

const rngFor = (stream: string, seed = 1) => Rng.fromKey({ seed, replication: 0, stream });

// Ishigami function on [-π, π]^3 (Ishigami & Homma 1990), a = 7, b = 0.1.
const A = 7;
const B = 0.1;
const PI = Math.PI;

/** Evaluate Ishigami on every design point (unit coordinates mapped to [-π, π]). */
function ishigami(design: SaltelliDesign, shift = 0): Float64Array {
  const pts = design.points;
  const y = new Float64Array(pts.length);
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k];
    const x1 = -PI + 2 * PI * p[0];
    const x2 = -PI + 2 * PI * p[1];
    const x3 = -PI + 2 * PI * p[2];
    const s1 = Math.sin(x1);
    const s2 = Math.sin(x2);
    const x3sq = x3 * x3;
    y[k] = s1 + A * s2 * s2 + B * x3sq * x3sq * s1 + shift;
  }
  return y;
}

/** Closed-form variance decomposition of the Ishigami function. */
function ishigamiAnalytic() {
  const pi4 = PI ** 4;
  const pi8 = PI ** 8;
  const V = (A * A) / 8 + (B * pi4) / 5 + (B * B * pi8) / 18 + 0.5;
  const V1 = 0.5 * (1 + (B * pi4) / 5) ** 2;
  const V2 = (A * A) / 8;
  const V3 = 0;
  const V13 = B * B * pi8 * (1 / 18 - 1 / 50);
  return {
    V,
    V1,
    V2,
    V13,
    S1: [V1 / V, V2 / V, V3 / V],
    ST: [(V1 + V13) / V, V2 / V, (V3 + V13) / V],
  };
}

/** Midpoint-rule mean of g over [-π, π]. */
function meanOver(g: (x: number) => number, m = 200_000): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += g(-PI + (2 * PI * (i + 0.5)) / m);
  return s / m;
}

describe('Ishigami analytic values', () => {
  const an = ishigamiAnalytic();

  it('closed forms agree with the variance decomposition computed by 1-D quadrature', () => {
    // f = sin x1 (1 + b x3^4) + a sin^2 x2, x_i independent uniform on [-π, π].
    const eSin2 = meanOver((x) => Math.sin(x) ** 2);
    const eSin4 = meanOver((x) => Math.sin(x) ** 4);
    const eX4 = meanOver((x) => x ** 4);
    const eX8 = meanOver((x) => x ** 8);
    // V1 = Var_x1(E[f | x1]) = Var(sin x1) (1 + b E x3^4)^2
    const V1 = eSin2 * (1 + B * eX4) ** 2;
    // V2 = Var_x2(E[f | x2]) = a^2 Var(sin^2 x2)
    const V2 = A * A * (eSin4 - eSin2 ** 2);
    // V13 = E_x1[sin^2 x1] Var(b x3^4) (the x1-x3 interaction; V3 = 0 as E[f | x3] is constant)
    const V13 = eSin2 * B * B * (eX8 - eX4 ** 2);
    const V = V1 + V2 + V13;
    expect(an.V1).toBeCloseTo(V1, 6);
    expect(an.V2).toBeCloseTo(V2, 6);
    expect(an.V13).toBeCloseTo(V13, 6);
    expect(an.V).toBeCloseTo(V, 6);
  });

  it('give the quoted indices S1 = 0.314, 0.442, 0 and ST = 0.558, 0.442, 0.244', () => {
    expect(an.S1.map((s) => Number(s.toFixed(3)))).toEqual([0.314, 0.442, 0]);
    expect(an.ST.map((s) => Number(s.toFixed(3)))).toEqual([0.558, 0.442, 0.244]);
  });
});

describe('sobolIndices on the Ishigami function', () => {
  const n = 2 ** 13;
  const design = saltelliDesign(3, n);
  const y = ishigami(design);
  const an = ishigamiAnalytic();
  const res = sobolIndices(design, y, { bootstrap: 1000, level: 0.95, rng: rngFor('ishigami-boot') });

  it(`estimates S1 and ST within 0.02 of the analytic values with n = 2^13 base rows`, () => {
    expect(res.baseRows).toBe(n);
    expect(res.parameters.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      const p = res.parameters[i];
      expect(p.parameter).toBe(i);
      expect(Math.abs(p.S1 - an.S1[i]), `S1[${i}] = ${p.S1}`).toBeLessThan(0.02);
      expect(Math.abs(p.ST - an.ST[i]), `ST[${i}] = ${p.ST}`).toBeLessThan(0.02);
    }
    expect(Math.abs(res.variance - an.V) / an.V).toBeLessThan(0.02);
    expect(Math.abs(res.mean - A / 2)).toBeLessThan(0.05); // E f = a E[sin^2 x2] = a/2
  });

  it('bootstrap intervals cover the analytic values, contain the estimates and are informative', () => {
    expect(res.bootstrap).toBe(1000);
    expect(res.level).toBe(0.95);
    for (let i = 0; i < 3; i++) {
      const p = res.parameters[i];
      for (const [est, [lo, hi], truth, name] of [
        [p.S1, p.S1Interval, an.S1[i], 'S1'],
        [p.ST, p.STInterval, an.ST[i], 'ST'],
      ] as const) {
        expect(lo <= truth && truth <= hi, `${name}[${i}] interval [${lo}, ${hi}] vs ${truth}`).toBe(true);
        expect(lo <= est && est <= hi).toBe(true);
        expect(hi - lo).toBeGreaterThan(0);
        expect(hi - lo).toBeLessThan(0.1);
      }
    }
  });

  it('narrower level gives a narrower interval; same Rng key gives identical intervals', () => {
    const again = sobolIndices(design, y, { bootstrap: 200, rng: rngFor('ishigami-det') });
    const same = sobolIndices(design, y, { bootstrap: 200, rng: rngFor('ishigami-det') });
    const other = sobolIndices(design, y, { bootstrap: 200, rng: rngFor('ishigami-det', 2) });
    const narrow = sobolIndices(design, y, { bootstrap: 200, level: 0.5, rng: rngFor('ishigami-det') });
    expect(same).toEqual(again);
    expect(other.parameters[0].S1Interval).not.toEqual(again.parameters[0].S1Interval);
    for (let i = 0; i < 3; i++) {
      const w = (iv: [number, number]) => iv[1] - iv[0];
      expect(w(narrow.parameters[i].S1Interval)).toBeLessThan(w(again.parameters[i].S1Interval));
      expect(w(narrow.parameters[i].STInterval)).toBeLessThan(w(again.parameters[i].STInterval));
      // Point estimates do not depend on the bootstrap.
      expect(again.parameters[i].S1).toBe(res.parameters[i].S1);
    }
  });

  it('is invariant to adding a large constant to the output', () => {
    const shifted = sobolIndices(design, ishigami(design, 1e6), { bootstrap: 0 });
    for (let i = 0; i < 3; i++) {
      expect(shifted.parameters[i].S1).toBeCloseTo(res.parameters[i].S1, 6);
      expect(shifted.parameters[i].ST).toBeCloseTo(res.parameters[i].ST, 6);
    }
  });
});

describe('sobolIndices on simple models', () => {
  it('additive model: S1 = ST = c_i^2 / Σ c^2, and an unused parameter gets exactly 0', () => {
    const c = [1, 2, 3, 0];
    const d = c.length;
    const design = saltelliDesign(d, 2 ** 12);
    const y = new Float64Array(design.points.length);
    for (let k = 0; k < y.length; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += c[i] * design.points[k][i];
      y[k] = s;
    }
    const res = sobolIndices(design, y, { bootstrap: 100, rng: rngFor('additive') });
    const total = c.reduce((s, v) => s + v * v, 0);
    for (let i = 0; i < d; i++) {
      expect(Math.abs(res.parameters[i].S1 - (c[i] * c[i]) / total)).toBeLessThan(0.01);
      expect(Math.abs(res.parameters[i].ST - (c[i] * c[i]) / total)).toBeLessThan(0.01);
    }
    // f(AB_4) = f(A) exactly, so both estimates and their intervals are exactly zero.
    expect(res.parameters[3].S1).toBe(0);
    expect(res.parameters[3].ST).toBe(0);
    expect(res.parameters[3].STInterval).toEqual([0, 0]);
  });

  it('pure interaction x1·x2 (centred): first-order ≈ 0, total ≈ 1', () => {
    const design = saltelliDesign(2, 2 ** 12);
    const y = Float64Array.from(design.points, (p) => (p[0] - 0.5) * (p[1] - 0.5));
    const res = sobolIndices(design, y, { bootstrap: 0 });
    for (const p of res.parameters) {
      expect(Math.abs(p.S1)).toBeLessThan(0.02);
      expect(Math.abs(p.ST - 1)).toBeLessThan(0.02);
      expect(Number.isNaN(p.S1Interval[0])).toBe(true);
    }
  });

  it('rejects wrong-length or non-finite outputs, and bootstrap without an rng', () => {
    const design = saltelliDesign(2, 8);
    const ok = new Float64Array(design.points.length).map((_, k) => k % 3);
    expect(() => sobolIndices(design, ok.subarray(1), { bootstrap: 0 })).toThrow(RangeError);
    const bad = ok.slice();
    bad[5] = NaN;
    expect(() => sobolIndices(design, bad, { bootstrap: 0 })).toThrow(RangeError);
    expect(() => sobolIndices(design, ok)).toThrow(RangeError);
    expect(() => sobolIndices(design, ok, { bootstrap: 10, level: 1, rng: rngFor('x') })).toThrow(RangeError);
  });
});
