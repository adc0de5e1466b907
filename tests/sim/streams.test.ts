/**
 * Counter-based streams (streams.ts) and exact common random numbers: the uniforms
 * are uniform and independent across neighbouring counters; Poisson by inversion and
 * Box-Muller normals have their textbook moments; and turning on any lever leaves
 * every process it does not touch drawing bit-identical numbers.
 */
import { describe, expect, it } from 'vitest';
import { Stream, logFactorial, poissonInverse, poissonInverses } from '../../sim/streams.js';
import { PROCESSES, type ProcessName, type Model } from '../../sim/model.js';
import { loadScenario } from '../../scenarios/loader.js';
import { binomTol, mean, model, variance, world } from './helpers.js';

describe('uniforms', () => {
  const st = new Stream('test|uniform');
  const N = 200_000;
  const us = Float64Array.from({ length: N }, (_, k) => st.u(k % 1000, Math.floor(k / 1000), 3));

  it('are in (0, 1) with mean 1/2 and variance 1/12, and fill 20 equal bins evenly (chi-square, 19 df)', () => {
    expect(us.every((u) => u > 0 && u < 1)).toBe(true);
    expect(Math.abs(mean(us) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(variance(us) - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / N));
    const bins = new Array<number>(20).fill(0);
    for (const u of us) bins[Math.floor(u * 20)]++;
    const e = N / 20;
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(43.8); // 99.9th percentile of chi-square with 19 df
  });

  it('neighbouring counters (a, a+1; b, b+1; c, c+1) and another key are uncorrelated', () => {
    const other = new Stream('test|uniform-2');
    const corr = (f: (k: number) => [number, number]): number => {
      let sxy = 0;
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      const n = 50_000;
      for (let k = 0; k < n; k++) {
        const [x, y] = f(k);
        sx += x;
        sy += y;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      return (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    };
    const lim = 4 / Math.sqrt(50_000);
    expect(Math.abs(corr((k) => [st.u(k, 0, 0), st.u(k + 1, 0, 0)]))).toBeLessThan(lim);
    expect(Math.abs(corr((k) => [st.u(0, k, 0), st.u(0, k + 1, 0)]))).toBeLessThan(lim);
    expect(Math.abs(corr((k) => [st.u(k, 7, 0), st.u(k, 7, 1)]))).toBeLessThan(lim);
    expect(Math.abs(corr((k) => [st.u(k, 7, 0), other.u(k, 7, 0)]))).toBeLessThan(lim);
  });

  it('are a pure function of (key, a, b, c): drawing in another order gives the same numbers', () => {
    const a = new Stream('test|order');
    const b = new Stream('test|order');
    const fwd = Array.from({ length: 100 }, (_, k) => a.u(k, 5, 2));
    const back = Array.from({ length: 100 }, (_, k) => b.u(99 - k, 5, 2)).reverse();
    expect(back).toEqual(fwd);
  });
});

describe('block draws', () => {
  it('uniforms and normals fill a block with exactly the numbers of one call per index, from any first index, at an offset, also when the stream is tapped', () => {
    const st = new Stream('test|block');
    const n = 1000;
    for (const [from, b, c] of [[0, 0, 0], [0, -60, 4], [2048, 37, -1], [77, 123456, 7]]) {
      const out = new Float64Array(n + 5).fill(-9);
      st.uniforms(out, 3, from, n, b, c);
      expect(out[2]).toBe(-9);
      expect(out[n + 3]).toBe(-9);
      for (let j = 0; j < n; j++) expect(out[3 + j]).toBe(st.u(from + j, b, c));
      st.normals(out, 0, from, n, b, c);
      for (let j = 0; j < n; j++) expect(out[j]).toBe(st.normal(from + j, b, c));
    }
    // A tapped stream (the CRN tests) sees every uniform a block draws.
    const seen: number[] = [];
    st.tap = (_a, _b, _c, u) => seen.push(u);
    const out = new Float64Array(10);
    st.normals(out, 0, 0, 10, 5, 2);
    expect(seen.length).toBe(20);
    expect(seen[0]).toBe(new Stream('test|block').u(0, 5, 2));
    expect(seen[1]).toBe(new Stream('test|block').u(0, 5, 3));
  });

  it('poissonInverses turns a block of means into the counts poissonInverse gives, small means and large', () => {
    const st = new Stream('test|block-poisson');
    const n = 500;
    const buf = new Float64Array(2 * n);
    st.uniforms(buf, 0, 0, n, 1, 0);
    const means = Array.from({ length: n }, (_, j) => (j % 5 === 0 ? 0 : j % 2 === 0 ? 0.7 * (j % 40) : 25 + (j % 30)));
    means.forEach((m, j) => (buf[n + j] = m));
    poissonInverses(buf, n, 0, n);
    for (let j = 0; j < n; j++) expect(buf[n + j]).toBe(poissonInverse(means[j], buf[j]));
    expect(means.some((m) => m >= 30)).toBe(true);
  });
});

describe('samplers with a fixed number of uniforms', () => {
  it('log factorial: exact sums below 30, Stirling above (log 100! = 363.73937555556347)', () => {
    expect(logFactorial(10)).toBeCloseTo(Math.log(3628800), 10);
    expect(logFactorial(100)).toBeCloseTo(363.73937555556347, 9);
    expect(logFactorial(30)).toBeCloseTo(74.65823634883016, 9);
  });

  it('Poisson by inversion: the quantile of u, monotone in u and in the mean, with mean and variance lambda', () => {
    // Small mean by hand: P(0) = e^-2 = 0.1353, P(<=1) = 0.4060, P(<=2) = 0.6767.
    expect(poissonInverse(2, 0.1)).toBe(0);
    expect(poissonInverse(2, 0.2)).toBe(1);
    expect(poissonInverse(2, 0.5)).toBe(2);
    expect(poissonInverse(2, 0.68)).toBe(3);
    const st = new Stream('test|poisson');
    for (const lambda of [0.3, 4, 25, 80, 400]) {
      const N = 40_000;
      const xs = Array.from({ length: N }, (_, k) => st.poisson(lambda, k, 0, 0));
      expect(Math.abs(mean(xs) - lambda), `mean at ${lambda}`).toBeLessThan(4 * Math.sqrt(lambda / N));
      // Variance of the sample variance of a Poisson: (lambda + 2 lambda^2) / N, approximately.
      expect(Math.abs(variance(xs) - lambda), `variance at ${lambda}`).toBeLessThan(4 * Math.sqrt((lambda + 2 * lambda * lambda) / N));
    }
    for (const lambda of [3, 40]) {
      let prev = 0;
      for (let u = 0.001; u < 1; u += 0.001) {
        const k = poissonInverse(lambda, u);
        expect(k).toBeGreaterThanOrEqual(prev);
        prev = k;
        expect(poissonInverse(lambda * 1.01, u)).toBeGreaterThanOrEqual(k);
      }
    }
    // Large means agree with the direct inversion from 0 where that does not underflow.
    for (const u of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      let p = Math.exp(-50);
      let f = p;
      let k = 0;
      while (u > f) {
        k++;
        p *= 50 / k;
        f += p;
      }
      expect(poissonInverse(50, u)).toBe(k);
    }
  });

  it('normals (Box-Muller on two uniforms) have mean 0, variance 1, kurtosis 3; exponentials mean 1/rate', () => {
    const st = new Stream('test|normal');
    const N = 100_000;
    const z = Float64Array.from({ length: N }, (_, k) => st.normal(k, 0, 0));
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    const k4 = z.reduce((s, x) => s + x ** 4, 0) / N;
    expect(Math.abs(k4 - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
    const within = z.filter((x) => Math.abs(x) < 1.959964).length / N;
    expect(Math.abs(within - 0.95)).toBeLessThan(binomTol(0.95, N));
    const e = Float64Array.from({ length: N }, (_, k) => st.exponential(4, k, 1, 0));
    expect(Math.abs(mean(e) - 0.25)).toBeLessThan(4 * (0.25 / Math.sqrt(N)));
  });
});

/** Processes whose draws never depend on the state: every scenario draws exactly the same numbers from them. */
const STATE_FREE: ProcessName[] = ['openness', 'staffing', 'outcomes', 'inspection', 'people'];

/** Which processes each lever touches: those whose draws may differ (only in which numbers are drawn, never in their values). */
const TOUCHES: Record<string, ProcessName[]> = {
  'exclusion-cost-protocol': ['exclusions'],
};

describe('exact common random numbers under every lever', () => {
  // A short spin-up keeps the test quick; levers do not act in it, so its length does not matter here.
  const run = { years: 3, stepsPerYear: 3, startYear: 2007, schools: 200 };
  type Trace = Map<ProcessName, number[]>;
  /** Run a scenario on replication 0 of seed 11, recording every uniform each process draws, in order. */
  function traced(name: string): { m: Model; trace: Trace; keyed: Map<string, number>; series: Record<string, number[]> } {
    const sc = loadScenario(name);
    sc.params.spinup.years = 4;
    sc.params.spinup.windowYears = 2;
    sc.params.spinup.settleYears = 1;
    const w = world(run.schools, 11, sc.params);
    const m = model(w, sc.params, run.years, 11);
    const trace: Trace = new Map();
    const keyed = new Map<string, number>();
    for (const k of PROCESSES) {
      const seq: number[] = [];
      trace.set(k, seq);
      m.st[k].tap = (a, b, c, u) => {
        seq.push(u);
        if (k === 'formation' || k === 'trust' || k === 'exclusions') keyed.set(`${k}|${a}|${b}|${c}`, u);
      };
    }
    const series: Record<string, number[]> = { shock: [], behShock: [], nextInspection: [], nextKeyLeave: [], staffBudget: [], openness: [] };
    m.run(() => {
      for (const f of Object.keys(series)) series[f].push(...Array.from(m.s[f as 'shock'] as Float32Array));
    });
    return { m, trace, keyed, series };
  }
  const base = traced('baseline');
  const LEVERS = ['clear-objectives', 'cost-benefit-review', 'exclusion-cost-protocol', 'funding-withdrawn', 'governor-oversight', 'imposed-forms', 'incentivise-high-performers', 'mandated-pairing', 'statutory-behaviour-partnerships', 'stop-partnering-2007', 'no-partnering'];

  it.each(LEVERS)('%s: processes that do not depend on the state draw bit-identical sequences; every shared draw is identical', (name) => {
    const other = traced(name);
    for (const k of STATE_FREE) {
      const a = base.trace.get(k)!;
      const b = other.trace.get(k)!;
      expect(b.length, `${k}: number of draws`).toBe(a.length);
      expect(b.every((u, i) => u === a[i]), `${k}: draws`).toBe(true);
    }
    // The state those draws drive is bit-identical too: shocks, inspection dates, key people's departures, staffing, openness.
    for (const f of Object.keys(base.series)) expect(other.series[f].every((x, i) => x === base.series[f][i]), f).toBe(true);
    // Where a process draws at the same (school or partnership, step, purpose), it gets the same number.
    let shared = 0;
    for (const [key, u] of other.keyed) {
      const v = base.keyed.get(key);
      if (v === undefined) continue;
      shared++;
      if (v !== u) throw new Error(`${name}: ${key} drew ${u}, baseline ${v}`);
    }
    expect(shared).toBeGreaterThan(1000);
    // Exclusions: every school draws its fixed-term and permanent counts at (school, step, 0/1) in every scenario.
    if (!(TOUCHES[name] ?? []).includes('exclusions')) {
      const fixedBase = [...base.keyed].filter(([k]) => k.startsWith('exclusions|') && k.endsWith('|0'));
      for (const [k, u] of fixedBase) expect(other.keyed.get(k), k).toBe(u);
    }
  });
});
