import { describe, expect, it } from 'vitest';
import {
  bootstrapMeanCI,
  independentDifferenceCI,
  pairedDifferenceCI,
} from '../../../analysis/stats/bootstrap.js';
import { Rng } from '../../../sim/rng.js';
import { normalQuantile } from '../../../analysis/stats/distributions.js';

const rngFor = (name: string): Rng => new Rng(`test|bootstrap|${name}`);

/** A sample symmetric about `centre` (each draw mirrored), so its mean is exactly `centre`. */
function symmetricSample(n: number, centre: number, key: string): Float64Array {
  const r = rngFor(key);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const d = 3 * r.normal();
    out[2 * i] = centre + d;
    out[2 * i + 1] = centre - d;
  }
  return out;
}

describe('bootstrapMeanCI', () => {
  it('is deterministic given the Rng key, and changes with the key', () => {
    const x = symmetricSample(50, 10, 'data-a');
    const a = bootstrapMeanCI(x, { rng: rngFor('k1') });
    const b = bootstrapMeanCI(x, { rng: rngFor('k1') });
    const c = bootstrapMeanCI(x, { rng: rngFor('k2') });
    expect(a).toEqual(b);
    expect(c.low).not.toBe(a.low);
    expect(c.estimate).toBe(a.estimate);
  });

  it('reports defaults and covers the true mean of a symmetric sample', () => {
    const x = symmetricSample(100, 10, 'data-b');
    const ci = bootstrapMeanCI(x, { rng: rngFor('cover') });
    expect(ci.resamples).toBe(2000);
    expect(ci.level).toBe(0.95);
    expect(ci.method).toBe('percentile');
    expect(ci.estimate).toBeCloseTo(10, 12);
    expect(ci.low).toBeLessThan(10);
    expect(ci.high).toBeGreaterThan(10);
  });

  it('has about the normal-theory width 2·1.96·s/√n·√((n − 1)/n)', () => {
    const x = symmetricSample(150, 0, 'data-width'); // n = 300
    const n = x.length;
    let ss = 0;
    for (const v of x) ss += v * v; // mean is exactly 0
    const s = Math.sqrt(ss / (n - 1));
    const expected = 2 * 1.959964 * (s / Math.sqrt(n)) * Math.sqrt((n - 1) / n);
    const ci = bootstrapMeanCI(x, { rng: rngFor('width'), resamples: 4000 });
    expect(ci.high - ci.low).toBeGreaterThan(0.9 * expected);
    expect(ci.high - ci.low).toBeLessThan(1.1 * expected);
  });

  it('is wider at a higher level (same resamples)', () => {
    const x = symmetricSample(40, 5, 'data-c');
    const narrow = bootstrapMeanCI(x, { rng: rngFor('lvl'), level: 0.8 });
    const wide = bootstrapMeanCI(x, { rng: rngFor('lvl'), level: 0.99 });
    expect(wide.low).toBeLessThan(narrow.low);
    expect(wide.high).toBeGreaterThan(narrow.high);
  });

  it('gives a zero-width interval for a degenerate sample (even one not exact in binary)', () => {
    for (const method of ['percentile', 'bca'] as const) {
      const ci = bootstrapMeanCI(new Array(37).fill(0.1), { rng: rngFor('deg'), method });
      expect(ci.estimate).toBe(0.1);
      expect(ci.low).toBe(0.1);
      expect(ci.high).toBe(0.1);
    }
  });

  it('spans the whole range for the two-point sample {0, 1}', () => {
    // Resample means are 0, 1/2, 1 with probabilities 1/4, 1/2, 1/4: the 2.5 % and
    // 97.5 % quantiles of 2000 draws are 0 and 1 unless fewer than ~50 of them are 0 (or 1).
    const ci = bootstrapMeanCI([0, 1], { rng: rngFor('two') });
    expect(ci.estimate).toBe(0.5);
    expect(ci.low).toBe(0);
    expect(ci.high).toBe(1);
  });

  it('BCa agrees with the percentile interval for symmetric data and shifts right for right-skewed data', () => {
    const x = symmetricSample(100, 3, 'data-d');
    const p = bootstrapMeanCI(x, { rng: rngFor('bca1') });
    const b = bootstrapMeanCI(x, { rng: rngFor('bca1'), method: 'bca' });
    const width = p.high - p.low;
    expect(Math.abs(b.low - p.low)).toBeLessThan(0.05 * width);
    expect(Math.abs(b.high - p.high)).toBeLessThan(0.05 * width);

    const r = rngFor('skew');
    const skewed = Float64Array.from({ length: 40 }, () => r.exponential(1) ** 2);
    const ps = bootstrapMeanCI(skewed, { rng: rngFor('bca2') });
    const bs = bootstrapMeanCI(skewed, { rng: rngFor('bca2'), method: 'bca' });
    expect(bs.method).toBe('bca');
    expect(bs.low).toBeGreaterThan(ps.low);
    expect(bs.high).toBeGreaterThan(ps.high);
  });

  it('validates its input and options', () => {
    const rng = rngFor('bad');
    expect(() => bootstrapMeanCI([], { rng })).toThrow(/empty/);
    expect(() => bootstrapMeanCI([1, NaN], { rng })).toThrow(/NaN/);
    expect(() => bootstrapMeanCI([1, 2], { rng, level: 1 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { rng, resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { rng, resamples: 10.5 })).toThrow(RangeError);
  });
});

describe('paired vs independent differences', () => {
  // Common random numbers: replication i of both scenarios shares a large
  // replication effect; scenario A adds 1 plus a little idiosyncratic noise.
  const r = rngFor('crn');
  const n = 60;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const shared = 10 * r.normal();
    a[i] = shared + 1 + 0.1 * r.normal();
    b[i] = shared + 0.1 * r.normal();
  }

  it('the paired interval is tight around the true difference, the independent one is not', () => {
    const paired = pairedDifferenceCI(a, b, { rng: rngFor('p') });
    const indep = independentDifferenceCI(a, b, { rng: rngFor('i') });
    expect(paired.estimate).toBeCloseTo(indep.estimate, 12);
    expect(paired.low).toBeGreaterThan(0.9);
    expect(paired.high).toBeLessThan(1.1);
    // Ignoring the pairing buries the effect under the shared noise.
    expect(indep.low).toBeLessThan(0);
    expect(indep.high).toBeGreaterThan(2);
  });

  it('pairedDifferenceCI equals bootstrapMeanCI of the differences with the same Rng key', () => {
    const diffs = a.map((v, i) => v - b[i]);
    expect(pairedDifferenceCI(a, b, { rng: rngFor('same') })).toEqual(
      bootstrapMeanCI(diffs, { rng: rngFor('same') }),
    );
  });

  it('a constant paired difference gives a zero-width interval', () => {
    const shifted = a.map((v) => v + 0.25);
    const ci = pairedDifferenceCI(shifted, a, { rng: rngFor('const') });
    // Each difference is (v + 0.25) − v, which rounding can leave a few ulps off 0.25
    // and not all equal; the interval must still be at most rounding-wide.
    expect(ci.estimate).toBeCloseTo(0.25, 12);
    expect(ci.high - ci.low).toBeLessThan(1e-12);
    const exact = pairedDifferenceCI([3, 4, 5], [1, 2, 3], { rng: rngFor('const2') });
    expect([exact.estimate, exact.low, exact.high]).toEqual([2, 2, 2]);
  });

  it('rejects unpaired lengths', () => {
    expect(() => pairedDifferenceCI([1, 2, 3], [1, 2], { rng: rngFor('len') })).toThrow(/paired/);
  });

  it('independentDifferenceCI accepts unequal sizes and is deterministic', () => {
    const x = [1, 2, 3, 4, 5, 6, 7];
    const y = [0, 1, 2];
    const one = independentDifferenceCI(x, y, { rng: rngFor('u') });
    const two = independentDifferenceCI(x, y, { rng: rngFor('u') });
    expect(one).toEqual(two);
    expect(one.estimate).toBe(3);
    expect(one.low).toBeLessThan(3);
    expect(one.high).toBeGreaterThan(3);
  });
});

describe('BCa bias correction with ties (0/1 data)', () => {
  it('z0 counts resample means equal to the estimate as ties, exactly as integer counts do', () => {
    // 6 ones in 20: a resample mean equals 0.3 whenever it has 6 ones (about 19 % of
    // resamples), but m + Σ(x* − 0.3)/n rounds a few ulps off 0.3.
    const x = Array.from({ length: 20 }, (_, i) => (i < 6 ? 1 : 0));
    const B = 2000;
    const ci = bootstrapMeanCI(x, { rng: rngFor('bca-ties'), method: 'bca', resamples: B });
    // Reference: the same resampling indices, classified by the integer count of ones.
    const r = rngFor('bca-ties');
    let below = 0;
    let equal = 0;
    for (let b = 0; b < B; b++) {
      let ones = 0;
      for (let k = 0; k < 20; k++) ones += x[r.int(20)];
      if (ones < 6) below++;
      else if (ones === 6) equal++;
    }
    expect(equal).toBeGreaterThan(200);
    expect(ci.z0).toBeCloseTo(normalQuantile((below + 0.5 * equal) / B), 12);
  });

  it('reports Monte Carlo errors of both endpoints that shrink with B', () => {
    const x = symmetricSample(15, 1, 'mc-err');
    const small = pairedDifferenceCI(x, new Float64Array(30), { rng: rngFor('mc1'), method: 'bca', resamples: 500 });
    const large = pairedDifferenceCI(x, new Float64Array(30), { rng: rngFor('mc1'), method: 'bca', resamples: 8000 });
    expect(small.mcError.low).toBeGreaterThan(0);
    expect(large.mcError.low).toBeLessThan(small.mcError.low);
    expect(large.mcError.high).toBeLessThan(small.mcError.high);
    // Order of magnitude: the quantile's SE is about √(p(1 − p)/B)/f(q) ≈ 0.0049·σ_boot/0.058 ≈ 0.08 σ_boot at B = 8000.
    const width = large.high - large.low;
    expect(large.mcError.low).toBeLessThan(0.05 * width);
  });
});
