import { describe, expect, it } from 'vitest';
import {
  SALTELLI_MAX_PARAMETERS,
  gridDesign,
  latinHypercube,
  morrisDesign,
  saltelliDesign,
  scaleToRanges,
} from '../../../analysis/sensitivity/designs.js';
import { sobolPoints } from '../../../analysis/sensitivity/sobol-sequence.js';
import { Rng } from '../../../sim/rng.js';

const rngFor = (stream: string, seed = 1) => Rng.fromKey({ seed, replication: 0, stream });

describe('gridDesign', () => {
  it('enumerates every combination, first parameter slowest, last fastest', () => {
    const g = gridDesign([
      [1, 2],
      [10, 20, 30],
      [-5],
    ]);
    expect(g.kind).toBe('grid');
    expect(g.dimension).toBe(3);
    expect(g.points).toEqual([
      [1, 10, -5],
      [1, 20, -5],
      [1, 30, -5],
      [2, 10, -5],
      [2, 20, -5],
      [2, 30, -5],
    ]);
  });

  it('has the product of the level counts as its size, with every point distinct', () => {
    const levels = [
      [0, 1, 2],
      [0.5, 1.5, 2.5, 3.5],
      [7, 8, 9, 10, 11],
    ];
    const g = gridDesign(levels);
    expect(g.points.length).toBe(3 * 4 * 5);
    expect(new Set(g.points.map((p) => p.join(','))).size).toBe(60);
    // Mixed-radix position: index = ((i0 * 4) + i1) * 5 + i2.
    g.points.forEach((p, k) => {
      const i0 = levels[0].indexOf(p[0]);
      const i1 = levels[1].indexOf(p[1]);
      const i2 = levels[2].indexOf(p[2]);
      expect((i0 * 4 + i1) * 5 + i2).toBe(k);
    });
  });

  it('copies the levels, handles one parameter and no parameters, and rejects empty or non-finite levels', () => {
    const levels = [[3, 1, 2]];
    const g = gridDesign(levels);
    levels[0][0] = 99;
    expect(g.levels).toEqual([[3, 1, 2]]);
    expect(g.points).toEqual([[3], [1], [2]]);
    expect(gridDesign([]).points).toEqual([[]]);
    expect(() => gridDesign([[1], []])).toThrow(RangeError);
    expect(() => gridDesign([[1, NaN]])).toThrow(RangeError);
  });
});

describe('latinHypercube', () => {
  it('puts exactly one point in each of the n strata of every coordinate', () => {
    for (const [d, n] of [
      [1, 1],
      [3, 7],
      [5, 100],
      [4, 1000],
    ]) {
      const lhs = latinHypercube(d, n, rngFor(`lhs-${d}-${n}`));
      expect(lhs.points.length).toBe(n);
      for (let j = 0; j < d; j++) {
        const seen = new Uint16Array(n);
        for (const p of lhs.points) {
          expect(p.length).toBe(d);
          expect(p[j] >= 0 && p[j] < 1).toBe(true);
          seen[Math.floor(p[j] * n)]++;
        }
        expect(seen.every((c) => c === 1), `d=${d} n=${n} column ${j}`).toBe(true);
      }
    }
  });

  it('keeps points inside [0, 1) and in their stratum even when a uniform draw is 1 - 2^-53', () => {
    // A generator at the extreme of its range: every shuffle draw 0, every uniform just below 1.
    const extreme = { int: () => 0, next: () => 1 - 2 ** -53 } as unknown as Rng;
    for (const n of [3, 1000, 12345]) {
      const lhs = latinHypercube(2, n, extreme);
      for (let j = 0; j < 2; j++) {
        const seen = new Uint8Array(n);
        for (const p of lhs.points) {
          expect(p[j] < 1).toBe(true);
          seen[Math.floor(p[j] * n)]++;
        }
        expect(seen.every((c) => c === 1)).toBe(true);
      }
    }
  });

  it('pairs strata randomly: columns are not identical and are roughly uncorrelated', () => {
    const n = 2000;
    const lhs = latinHypercube(2, n, rngFor('lhs-corr'));
    const x = lhs.points.map((p) => p[0]);
    const y = lhs.points.map((p) => p[1]);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mx = mean(x);
    const my = mean(y);
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (y[i] - my) ** 2;
    }
    // Under independence the correlation has s.d. about 1/sqrt(n) ≈ 0.022.
    expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(0.1);
  });

  it('is deterministic given the Rng key and changes with it', () => {
    const a = latinHypercube(4, 50, rngFor('lhs-det'));
    const b = latinHypercube(4, 50, rngFor('lhs-det'));
    const c = latinHypercube(4, 50, rngFor('lhs-det', 2));
    expect(b.points).toEqual(a.points);
    expect(c.points).not.toEqual(a.points);
  });

  it('rejects bad sizes', () => {
    expect(() => latinHypercube(0, 5, rngFor('x'))).toThrow(RangeError);
    expect(() => latinHypercube(2, 0, rngFor('x'))).toThrow(RangeError);
    expect(() => latinHypercube(2, 2.5, rngFor('x'))).toThrow(RangeError);
  });
});

describe('saltelliDesign', () => {
  it('has n(d+2) points laid out per base row as A_j, AB_1j..AB_dj, B_j from a 2d-dimensional Sobol sequence', () => {
    const d = 4;
    const n = 64;
    const s = saltelliDesign(d, n);
    expect(s.kind).toBe('saltelli');
    expect(s.points.length).toBe(n * (d + 2));
    expect(s.stride).toBe(d + 2);
    expect([s.offsetA, s.offsetAB, s.offsetB]).toEqual([0, 1, d + 1]);
    const sobol = sobolPoints(n, 2 * d, { skip: 0 }); // the design keeps the first point by default
    for (let j = 0; j < n; j++) {
      const o = j * s.stride;
      const A = sobol[j].slice(0, d);
      const B = sobol[j].slice(d);
      expect(s.points[o + s.offsetA]).toEqual(A);
      expect(s.points[o + s.offsetB]).toEqual(B);
      for (let i = 0; i < d; i++) {
        const expected = A.slice();
        expected[i] = B[i];
        expect(s.points[o + s.offsetAB + i]).toEqual(expected);
      }
    }
  });

  it('keeps the first Sobol point by default, honours skip and is deterministic', () => {
    const a = saltelliDesign(3, 16);
    expect(a.skip).toBe(0);
    expect(a.points[0]).toEqual([0, 0, 0]);
    expect(saltelliDesign(3, 16, { skip: 1 }).points[0]).toEqual([0.5, 0.5, 0.5]);
    expect(saltelliDesign(3, 16, { skip: 0 }).points).toEqual(a.points);
  });

  it('scrambled replicates: each block of n/R rows is its own randomised net, reproducible from the generator key', () => {
    const rng = (k: string) => new Rng(`test|scramble|${k}`);
    const s = saltelliDesign(2, 64, { replicates: 4, scramble: rng('a') });
    expect(s.replicates).toBe(4);
    expect(s.scrambled).toBe(true);
    expect(saltelliDesign(2, 64, { replicates: 4, scramble: rng('a') }).points).toEqual(s.points);
    // Extending n keeps each replicate's first rows when the number of replicates is unchanged.
    const big = saltelliDesign(2, 128, { replicates: 4, scramble: rng('a') });
    expect(big.points.slice(0, 16 * 4)).toEqual(s.points.slice(0, 16 * 4));
    // Every 16-row block is a scrambled (0, m, s)-net: each of the 4 coordinates of A and B
    // has exactly one point in each interval [k/16, (k+1)/16).
    for (let r = 0; r < 4; r++) {
      for (const col of [0, 1]) {
        for (const off of [s.offsetA, s.offsetB]) {
          const cells = new Set<number>();
          for (let j = r * 16; j < (r + 1) * 16; j++) cells.add(Math.floor(16 * s.points[j * s.stride + off][col]));
          expect(cells.size).toBe(16);
        }
      }
    }
    // Randomised: no longer the plain sequence's first point.
    expect(s.points[0]).not.toEqual([0, 0]);
    expect(s.points.slice(0, 16 * 4)).not.toEqual(s.points.slice(16 * 4, 32 * 4));
    expect(() => saltelliDesign(2, 64, { replicates: 4 })).toThrow(/scramble/);
    expect(() => saltelliDesign(2, 64, { replicates: 3, scramble: rng('b') })).toThrow(/dividing/);
  });

  it('rejects unsupported requests', () => {
    expect(() => saltelliDesign(SALTELLI_MAX_PARAMETERS + 1, 8)).toThrow(RangeError);
    expect(saltelliDesign(SALTELLI_MAX_PARAMETERS, 2).points.length).toBe(2 * (SALTELLI_MAX_PARAMETERS + 2));
    expect(() => saltelliDesign(0, 8)).toThrow(RangeError);
    expect(() => saltelliDesign(2, 0)).toThrow(RangeError);
    expect(() => saltelliDesign(2, 8, { secondOrder: true } as unknown as { secondOrder: false })).toThrow();
  });
});

describe('morrisDesign', () => {
  it('uses Δ = p / (2(p-1)) on the p-level grid', () => {
    for (const p of [2, 4, 6, 8]) {
      const m = morrisDesign(3, 5, { levels: p, rng: rngFor(`morris-delta-${p}`) });
      expect(m.delta).toBeCloseTo(p / (2 * (p - 1)), 15);
      expect(m.levels).toBe(p);
      for (const pt of m.points) {
        for (const v of pt) {
          expect(v >= 0 && v <= 1).toBe(true);
          const level = v * (p - 1);
          expect(Math.abs(level - Math.round(level))).toBeLessThan(1e-12);
        }
      }
    }
    expect(morrisDesign(2, 1, { rng: rngFor('default') }).levels).toBe(4);
  });

  it('changes each factor exactly once per trajectory by ±Δ, as recorded', () => {
    const d = 6;
    const r = 40;
    const m = morrisDesign(d, r, { levels: 6, rng: rngFor('morris-steps') });
    expect(m.points.length).toBe(r * (d + 1));
    expect(m.changedFactor.length).toBe(r * d);
    expect(m.stepSign.length).toBe(r * d);
    for (let t = 0; t < r; t++) {
      const changed = new Set<number>();
      for (let k = 0; k < d; k++) {
        const before = m.points[t * (d + 1) + k];
        const after = m.points[t * (d + 1) + k + 1];
        const diffs = before.map((v, i) => after[i] - v);
        const moved = diffs.flatMap((x, i) => (x !== 0 ? [i] : []));
        expect(moved).toEqual([m.changedFactor[t * d + k]]);
        expect(diffs[moved[0]]).toBeCloseTo(m.stepSign[t * d + k] * m.delta, 12);
        changed.add(moved[0]);
      }
      expect(changed.size).toBe(d);
    }
  });

  it('randomises start, direction and order: grid levels are visited uniformly and both signs occur', () => {
    const d = 3;
    const r = 3000;
    const p = 4;
    const m = morrisDesign(d, r, { levels: p, rng: rngFor('morris-uniform') });
    const counts = new Array<number>(p).fill(0);
    for (const pt of m.points) for (const v of pt) counts[Math.round(v * (p - 1))]++;
    const total = m.points.length * d;
    for (const c of counts) expect(Math.abs(c / total - 1 / p)).toBeLessThan(0.02);
    const up = m.stepSign.filter((s) => s === 1).length / m.stepSign.length;
    expect(Math.abs(up - 0.5)).toBeLessThan(0.03);
    // Each factor is first to move in about 1/d of trajectories.
    const first = new Array<number>(d).fill(0);
    for (let t = 0; t < r; t++) first[m.changedFactor[t * d]]++;
    for (const f of first) expect(Math.abs(f / r - 1 / d)).toBeLessThan(0.04);
  });

  it('is deterministic given the Rng key and changes with it', () => {
    const a = morrisDesign(5, 10, { rng: rngFor('morris-det') });
    const b = morrisDesign(5, 10, { rng: rngFor('morris-det') });
    const c = morrisDesign(5, 10, { rng: rngFor('morris-det', 2) });
    expect(b).toEqual(a);
    expect(c.points).not.toEqual(a.points);
  });

  it('rejects odd or too few levels and bad sizes', () => {
    expect(() => morrisDesign(2, 2, { levels: 5, rng: rngFor('x') })).toThrow(RangeError);
    expect(() => morrisDesign(2, 2, { levels: 0, rng: rngFor('x') })).toThrow(RangeError);
    expect(() => morrisDesign(0, 2, { rng: rngFor('x') })).toThrow(RangeError);
    expect(() => morrisDesign(2, 0, { rng: rngFor('x') })).toThrow(RangeError);
  });
});

describe('scaleToRanges', () => {
  it('maps linearly by default', () => {
    expect(scaleToRanges([0, 0.25, 1], [{ min: 2, max: 6 }, { min: -1, max: 1 }, { min: 10, max: 20 }])).toEqual([2, -0.5, 20]);
  });

  it('maps log-uniformly: the midpoint is the geometric mean', () => {
    const [a, b, c] = scaleToRanges([0, 0.5, 1], [
      { min: 0.01, max: 100, log: true },
      { min: 0.01, max: 100, log: true },
      { min: 0.01, max: 100, log: true },
    ]);
    expect(a).toBeCloseTo(0.01, 14);
    expect(b).toBeCloseTo(1, 12);
    expect(c).toBeCloseTo(100, 10);
  });

  it('gives each integer an equal share of [0, 1) and maps 1 to max', () => {
    const range = { min: 3, max: 7, integer: true };
    const width = 5;
    for (let k = 0; k < width; k++) {
      expect(scaleToRanges([k / width], [range])).toEqual([3 + k]);
      expect(scaleToRanges([(k + 0.999) / width], [range])).toEqual([3 + k]);
    }
    expect(scaleToRanges([1], [range])).toEqual([7]);
  });

  it('maps log-integer ranges to integers within bounds, increasing in u', () => {
    const range = { min: 1, max: 1000, log: true, integer: true };
    let prev = 0;
    for (let i = 0; i <= 200; i++) {
      const [v] = scaleToRanges([i / 200], [range]);
      expect(Number.isInteger(v) && v >= 1 && v <= 1000).toBe(true);
      expect(v >= prev).toBe(true);
      prev = v;
    }
    expect(scaleToRanges([0], [range])).toEqual([1]);
    expect(scaleToRanges([1], [range])).toEqual([1000]);
    // ln(11)/ln(1001) of [0,1) falls below 11.
    expect(scaleToRanges([Math.log(11) / Math.log(1001) - 1e-9], [range])).toEqual([10]);
  });

  it('rejects mismatched lengths, out-of-range coordinates and invalid ranges', () => {
    expect(() => scaleToRanges([0.5], [])).toThrow(RangeError);
    expect(() => scaleToRanges([1.5], [{ min: 0, max: 1 }])).toThrow(RangeError);
    expect(() => scaleToRanges([NaN], [{ min: 0, max: 1 }])).toThrow(RangeError);
    expect(() => scaleToRanges([0.5], [{ min: 2, max: 1 }])).toThrow(RangeError);
    expect(() => scaleToRanges([0.5], [{ min: 0, max: 1, log: true }])).toThrow(RangeError);
    expect(() => scaleToRanges([0.5], [{ min: 0.5, max: 3, integer: true }])).toThrow(RangeError);
  });

  it('maps every design point into its ranges', () => {
    const ranges = [
      { min: 0, max: 1 },
      { min: 0.1, max: 10, log: true },
      { min: 1, max: 20, integer: true },
    ];
    const pts = [
      ...latinHypercube(3, 50, rngFor('scale')).points,
      ...saltelliDesign(3, 16).points,
      ...morrisDesign(3, 10, { rng: rngFor('scale') }).points,
    ];
    for (const p of pts) {
      const v = scaleToRanges(p, ranges);
      v.forEach((x, i) => expect(x >= ranges[i].min && x <= ranges[i].max).toBe(true));
      expect(Number.isInteger(v[2])).toBe(true);
    }
  });
});
