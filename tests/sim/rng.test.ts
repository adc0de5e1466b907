/**
 * Seeded random numbers (rng.ts): streams from structured keys, and the samplers the
 * model uses, checked against their moments with tolerances from the sampling SD.
 */
import { describe, expect, it } from 'vitest';
import { hashKey, keyString, logFactorial, Rng, type SeedKey } from '../../sim/rng.js';

const draws = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.next());

describe('streams', () => {
  const key: SeedKey = { seed: 7, point: 0, replication: 3, stream: 'world' };

  it('the same key gives the same stream; any different part gives a different one', () => {
    expect(draws(Rng.fromKey(key), 50)).toEqual(draws(Rng.fromKey({ ...key }), 50));
    const variants: SeedKey[] = [
      { ...key, seed: 8 },
      { ...key, seed: '7x' },
      { ...key, point: 1 },
      { ...key, replication: 4 },
      { ...key, stream: 'trust' },
      { ...key, scenario: 'baseline' },
    ];
    const base = draws(Rng.fromKey(key), 20);
    for (const v of variants) expect(draws(Rng.fromKey(v), 20), keyString(v)).not.toEqual(base);
  });

  it('keyString names every part, so different keys never give the same text', () => {
    expect(keyString(key)).toBe('partnersim|seed=7|point=0|rep=3|stream=world');
    expect(keyString({ seed: 7, replication: 3, stream: 'world' })).toBe(keyString(key)); // point defaults to 0
    expect(keyString({ ...key, scenario: 'x' })).toBe('partnersim|seed=7|scenario=x|point=0|rep=3|stream=world');
    // Concatenations that would collide without the names.
    expect(keyString({ seed: 1, point: 23, replication: 0, stream: 's' })).not.toBe(keyString({ seed: 12, point: 3, replication: 0, stream: 's' }));
    expect(keyString({ seed: 1, point: 2, replication: 30, stream: 's' })).not.toBe(keyString({ seed: 12, point: 3, replication: 0, stream: 's' }));
    const seen = new Set<string>();
    for (const seed of [1, 12, 123, '1', 'a'])
      for (const point of [0, 1, 12])
        for (const replication of [0, 1, 2, 21])
          for (const stream of ['world', 'trust'])
            for (const scenario of [undefined, 'a', 'b']) seen.add(keyString({ seed, point, replication, stream, scenario }));
    // '1' and 1 print alike by design (a seed is text or a whole number): 4 seeds x 3 x 4 x 2 x 3.
    expect(seen.size).toBe(4 * 3 * 4 * 2 * 3);
  });

  it('hashKey gives 16 hex digits and spreads nearby keys', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const h = hashKey(keyString({ seed: i, replication: 0, stream: 'world' }));
      expect(h).toMatch(/^[0-9a-f]{16}$/);
      hashes.add(h);
    }
    expect(hashes.size).toBe(5000);
    expect(hashKey('a')).not.toBe(hashKey('b'));
  });
});

describe('samplers', () => {
  const N = 200_000;

  function moments(xs: number[]): { mean: number; variance: number } {
    let s = 0;
    for (const x of xs) s += x;
    const m = s / xs.length;
    let v = 0;
    for (const x of xs) v += (x - m) * (x - m);
    return { mean: m, variance: v / (xs.length - 1) };
  }

  it.each([0.5, 5, 25, 400])('Poisson(%d): mean and variance both lambda, within 4 sampling SEs', (lambda) => {
    const r = new Rng(`poisson-${lambda}`);
    const xs = Array.from({ length: N }, () => r.poisson(lambda));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    const { mean, variance } = moments(xs);
    // SE of the mean sqrt(lambda / N); of the sample variance sqrt((lambda + 2 lambda^2) / N).
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / N));
    expect(Math.abs(variance - lambda)).toBeLessThan(4 * Math.sqrt((lambda + 2 * lambda * lambda) / N));
  });

  it('Poisson(25), drawn by transformed rejection, has the right probability mass at each k', () => {
    const r = new Rng('poisson-pmf');
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const k = r.poisson(25);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const k of [10, 15, 20, 25, 30, 35, 40]) {
      const pmf = Math.exp(-25 + k * Math.log(25) - logFactorial(k));
      const got = (counts.get(k) ?? 0) / N;
      expect(Math.abs(got - pmf), `k=${k}`).toBeLessThan(4 * Math.sqrt((pmf * (1 - pmf)) / N) + 1e-5);
    }
    expect(r.poisson(0)).toBe(0);
    expect(r.poisson(-1)).toBe(0);
  });

  it('logFactorial is exact from the table and matches Stirling above it', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    let direct = 0;
    for (let k = 1; k <= 100; k++) direct += Math.log(k);
    expect(logFactorial(100)).toBeCloseTo(direct, 8);
  });

  it('normal: mean 0, variance 1, 95% within 1.96', () => {
    const r = new Rng('normal');
    const xs = Array.from({ length: N }, () => r.normal());
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    const inside = xs.filter((x) => Math.abs(x) < 1.959964).length / N;
    expect(Math.abs(inside - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / N));
  });

  it('uniform, int, bernoulli, exponential, beta have their textbook moments', () => {
    const r = new Rng('others');
    const u = Array.from({ length: N }, () => r.next());
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(moments(u).mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    const ints = Array.from({ length: N }, () => r.int(7));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    const hits = Array.from({ length: N }, () => (r.bernoulli(0.3) ? 1 : 0)).reduce<number>((a, b) => a + b, 0) / N;
    expect(Math.abs(hits - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / N));
    const ex = moments(Array.from({ length: N }, () => r.exponential(0.25)));
    expect(Math.abs(ex.mean - 4)).toBeLessThan(4 * (4 / Math.sqrt(N)));
    const be = moments(Array.from({ length: N }, () => r.beta(2, 5)));
    // Beta(2, 5): mean 2/7, variance 10 / (49 x 8) = 0.02551.
    expect(Math.abs(be.mean - 2 / 7)).toBeLessThan(4 * Math.sqrt(0.02551 / N));
    expect(be.variance).toBeCloseTo(0.02551, 3);
    const w = [1, 0, 3];
    const picks = [0, 0, 0];
    for (let i = 0; i < 40000; i++) picks[r.pickWeighted(w)]++;
    expect(picks[1]).toBe(0);
    expect(Math.abs(picks[2] / 40000 - 0.75)).toBeLessThan(4 * Math.sqrt((0.75 * 0.25) / 40000));
  });
});
