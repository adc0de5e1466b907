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

/** Share of intervals (over every index of every trial) that contain the truth, with half-widths scaled by `scale`. */
function coverage(trials: { est: number; lo: number; hi: number; truth: number }[], scale = 1): number {
  let hit = 0;
  for (const t of trials) {
    const lo = t.est - scale * (t.est - t.lo);
    const hi = t.est + scale * (t.hi - t.est);
    if (lo <= t.truth && t.truth <= hi) hit++;
  }
  return hit / trials.length;
}

describe('sobolIndices on the Ishigami function', () => {
  const n = 2 ** 13;
  const design = saltelliDesign(3, n, { replicates: 8, scramble: rngFor('ishigami-scramble') });
  const y = ishigami(design);
  const an = ishigamiAnalytic();
  const res = sobolIndices(design, y, { level: 0.95 });

  it('estimates S1 and ST within 0.005 of the analytic values with n = 2^13 base rows', () => {
    expect(res.baseRows).toBe(n);
    expect(res.replicates).toBe(8);
    expect(res.parameters.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      const p = res.parameters[i];
      expect(p.parameter).toBe(i);
      expect(Math.abs(p.S1 - an.S1[i]), `S1[${i}] = ${p.S1}`).toBeLessThan(0.005);
      expect(Math.abs(p.ST - an.ST[i]), `ST[${i}] = ${p.ST}`).toBeLessThan(0.005);
    }
    expect(Math.abs(res.variance - an.V) / an.V).toBeLessThan(0.005);
    expect(res.noiseShare).toBe(0);
    console.log(`Ishigami n = 2^13 errors S1 ${res.parameters.map((p, i) => (p.S1 - an.S1[i]).toExponential(1))} ST ${res.parameters.map((p, i) => (p.ST - an.ST[i]).toExponential(1))}`);
  });

  it('replicate intervals contain the estimates, are informative and narrower at a lower level', () => {
    const narrow = sobolIndices(design, y, { level: 0.5 });
    for (let i = 0; i < 3; i++) {
      const p = res.parameters[i];
      for (const [est, [lo, hi]] of [
        [p.S1, p.S1Interval],
        [p.ST, p.STInterval],
      ] as const) {
        expect(lo <= est && est <= hi).toBe(true);
        expect(hi - lo).toBeGreaterThan(0);
        expect(hi - lo).toBeLessThan(0.03);
      }
      const w = (iv: [number, number]) => iv[1] - iv[0];
      expect(w(narrow.parameters[i].S1Interval)).toBeLessThan(w(p.S1Interval));
    }
  });

  it('coverage of the 95% intervals is near nominal over independent scramblings, and the check fails for intervals a third as wide', () => {
    // 120 independently scrambled designs of n = 2^8 (8 replicates of 32 rows): 720 intervals.
    const trials: { est: number; lo: number; hi: number; truth: number }[] = [];
    for (let t = 0; t < 120; t++) {
      const dz = saltelliDesign(3, 256, { replicates: 8, scramble: rngFor('coverage', t + 1) });
      const r = sobolIndices(dz, ishigami(dz));
      for (let i = 0; i < 3; i++) {
        const p = r.parameters[i];
        trials.push({ est: p.S1, lo: p.S1Interval[0], hi: p.S1Interval[1], truth: an.S1[i] });
        trials.push({ est: p.ST, lo: p.STInterval[0], hi: p.STInterval[1], truth: an.ST[i] });
      }
    }
    const ok = coverage(trials);
    console.log(`coverage ${ok.toFixed(3)} (nominal 0.95); with a third of the width ${coverage(trials, 1 / 3).toFixed(3)}`);
    expect(ok).toBeGreaterThan(0.9);
    // The same check rejects intervals that are too narrow: it can fail.
    expect(coverage(trials, 1 / 3)).toBeLessThan(0.9);
  });

  it('is invariant to adding a large constant to the output', () => {
    const shifted = sobolIndices(design, ishigami(design, 1e6));
    for (let i = 0; i < 3; i++) {
      expect(shifted.parameters[i].S1).toBeCloseTo(res.parameters[i].S1, 6);
      expect(shifted.parameters[i].ST).toBeCloseTo(res.parameters[i].ST, 6);
    }
  });
});

describe('sobolIndices with replication noise', () => {
  // f = x1 + x2^2 / 2 (x3 unused) on [0, 1]^3, observed as the mean of R = 2 noisy replications
  // with noise SD chosen so noise is 20% of the variance of the point means.
  const d = 3;
  const R = 2;
  const vf = 1 / 12 + (1 / 4) * (1 / 5 - 1 / 9); // Var(x1) + Var(x2^2)/4
  const sigma2Mean = (0.2 / 0.8) * vf; // noise variance of a point mean: 20% of the total
  const sigma = Math.sqrt(sigma2Mean * R);
  function noisy(design: SaltelliDesign, key: string): { y: Float64Array; nv: Float64Array } {
    const rng = new Rng(`test|noise|${key}`);
    const y = new Float64Array(design.points.length);
    const nv = new Float64Array(design.points.length);
    design.points.forEach((p, k) => {
      const f = p[0] + (p[1] * p[1]) / 2;
      const reps = Array.from({ length: R }, () => f + sigma * rng.normal());
      const m = reps.reduce((a, b) => a + b, 0) / R;
      const s2 = reps.reduce((a, b) => a + (b - m) ** 2, 0) / (R - 1);
      y[k] = m;
      nv[k] = s2 / R;
    });
    return { y, nv };
  }
  const design = saltelliDesign(d, 2 ** 11, { replicates: 8, scramble: rngFor('noise-scramble') });
  const { y, nv } = noisy(design, 'a');

  it("an unused parameter's ST interval includes 0 at 20% noise (uncorrected it is about 0.2)", () => {
    const raw = sobolIndices(design, y);
    expect(raw.parameters[2].ST).toBeGreaterThan(0.15);
    const res = sobolIndices(design, y, { noiseVariance: nv });
    expect(res.noiseShare).toBeGreaterThan(0.17);
    expect(res.noiseShare).toBeLessThan(0.23);
    const [lo, hi] = res.parameters[2].STInterval;
    expect(lo).toBeLessThanOrEqual(0);
    expect(hi).toBeGreaterThanOrEqual(0);
    expect(hi - lo).toBeLessThan(0.1);
  });

  it('corrected S1 and ST recover the noise-free indices', () => {
    const res = sobolIndices(design, y, { noiseVariance: nv });
    const s1 = 1 / 12 / vf;
    const s2 = (1 / 4) * (1 / 5 - 1 / 9) / vf;
    expect(Math.abs(res.parameters[0].S1 - s1)).toBeLessThan(0.03);
    expect(Math.abs(res.parameters[0].ST - s1)).toBeLessThan(0.03);
    expect(Math.abs(res.parameters[1].S1 - s2)).toBeLessThan(0.03);
    expect(Math.abs(res.parameters[1].ST - s2)).toBeLessThan(0.03);
  });
});

describe('sobolIndices on simple models', () => {
  it('additive model: S1 = ST = c_i^2 / Σ c^2, and an unused parameter gets exactly 0', () => {
    const c = [1, 2, 3, 0];
    const d = c.length;
    const design = saltelliDesign(d, 2 ** 12, { replicates: 4, scramble: rngFor('additive') });
    const y = new Float64Array(design.points.length);
    for (let k = 0; k < y.length; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += c[i] * design.points[k][i];
      y[k] = s;
    }
    const res = sobolIndices(design, y);
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

  it('linear function: keeping the first Sobol point gives a far smaller error than skipping it', () => {
    const design0 = saltelliDesign(2, 2 ** 10);
    const design1 = saltelliDesign(2, 2 ** 10, { skip: 1 });
    const f = (p: number[]) => p[0] + 2 * p[1];
    const err = (ds: SaltelliDesign) => Math.abs(sobolIndices(ds, Float64Array.from(ds.points, f)).parameters[0].S1 - 0.2);
    expect(err(design0)).toBeLessThan(err(design1) / 5);
  });

  it('pure interaction x1·x2 (centred): first-order ≈ 0, total ≈ 1; one replicate gives NaN intervals', () => {
    const design = saltelliDesign(2, 2 ** 12);
    const y = Float64Array.from(design.points, (p) => (p[0] - 0.5) * (p[1] - 0.5));
    const res = sobolIndices(design, y);
    for (const p of res.parameters) {
      expect(Math.abs(p.S1)).toBeLessThan(0.02);
      expect(Math.abs(p.ST - 1)).toBeLessThan(0.02);
      expect(Number.isNaN(p.S1Interval[0])).toBe(true);
    }
  });

  it('rejects wrong-length or non-finite outputs and noise variances, and a bad level', () => {
    const design = saltelliDesign(2, 8);
    const ok = new Float64Array(design.points.length).map((_, k) => k % 3);
    expect(() => sobolIndices(design, ok.subarray(1))).toThrow(RangeError);
    const bad = ok.slice();
    bad[5] = NaN;
    expect(() => sobolIndices(design, bad)).toThrow(RangeError);
    expect(() => sobolIndices(design, ok, { noiseVariance: ok.subarray(1) })).toThrow(RangeError);
    expect(() => sobolIndices(design, ok, { level: 1 })).toThrow(RangeError);
  });
});
