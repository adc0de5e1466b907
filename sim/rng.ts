/**
 * Seeded random numbers for the model and the analysis.
 *
 * Randomness is always passed in, never global: every replication owns its
 * generators, each seeded from a hash of a structured key such as
 * `partnersim|seed=7|point=0|rep=3|stream=world`. seedrandom has no jump-ahead
 * or stream splitting, so independent streams come from distinct keys, hashed
 * (FNV-1a, 2 x 32 bits) so that short keys do not cycle. The generator is
 * seedrandom's xor4096 (passes BigCrush per its authors; much faster than the
 * default ARC4). `Math.random` is never used.
 */
import seedrandom from 'seedrandom';
import * as fmath from './fmath.js';

/** Name of the generator algorithm, recorded in every manifest. */
export const GENERATOR = 'seedrandom.xor4096';

/** A structured seed key: the parts are joined with explicit names, so `1|23` and `12|3` differ. */
export interface SeedKey {
  seed: number | string;
  /** Sweep or design point; 0 for plain runs. */
  point?: number | string;
  replication: number;
  /** Sub-stream within a replication (world, formation, trust, ...). */
  stream: string;
  /** Omitted (the default) for common random numbers across scenarios. */
  scenario?: string;
}

/** The exact text hashed into a generator seed; recorded in manifests so a run can be reproduced. */
export function keyString(k: SeedKey): string {
  const parts = [`partnersim`, `seed=${k.seed}`];
  if (k.scenario !== undefined) parts.push(`scenario=${k.scenario}`);
  parts.push(`point=${k.point ?? 0}`, `rep=${k.replication}`, `stream=${k.stream}`);
  return parts.join('|');
}

/** 64-bit FNV-1a over UTF-16 code units, returned as a 16-hex-digit string. */
export function hashKey(text: string): string {
  // Two independent 32-bit FNV-1a lanes with different offsets.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ (c + 0x5bd1e995), 0x01000193) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/**
 * A random source with the draws the model needs. `next()` is uniform on [0, 1)
 * with 53 bits of resolution.
 */
export class Rng {
  private readonly prng: seedrandom.PRNG;
  private spare = 0;
  private hasSpare = false;

  constructor(seedText: string) {
    this.prng = seedrandom.xor4096(hashKey(seedText));
  }

  /** Generator for one structured key. */
  static fromKey(k: SeedKey): Rng {
    return new Rng(keyString(k));
  }

  /** Uniform on [0, 1), 53-bit. */
  next(): number {
    return this.prng.double();
  }

  /** Uniform on [0, 1) with 32 bits of resolution: faster, for coin flips and indices in hot loops. */
  fast(): number {
    return this.prng();
  }

  /** Uniform on [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.prng.double();
  }

  /** Integer in [0, n) (32-bit resolution: fine for n far below 2^32). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.prng() < p;
  }

  /**
   * Standard normal (Marsaglia polar method, caching the second value). The two
   * coordinates use 32-bit uniforms: ample resolution here (s is never below 2^-64),
   * and about a third faster than 53-bit ones.
   */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.prng() - 1;
      v = 2 * this.prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * fmath.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Exponential waiting time with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -fmath.log(1 - this.prng.double()) / rate;
  }

  /**
   * Poisson count: multiplication of uniforms for means below 10, otherwise Hormann's
   * transformed rejection with squeeze (PTRS, Insurance: Math. Econ. 12:39, 1993),
   * which needs about two uniforms a draw whatever the mean.
   */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean >= 10) return this.ptrs(mean);
    const l = fmath.exp(-mean);
    let k = 0;
    let p = this.prng.double();
    while (p > l) {
      k++;
      p *= this.prng.double();
    }
    return k;
  }

  private ptrs(lam: number): number {
    const slam = Math.sqrt(lam);
    let loglam = NaN; // only the slow path needs it
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.prng.double() - 0.5;
      const v = this.prng.double();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lam + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (loglam !== loglam) loglam = fmath.log(lam);
      if (fmath.log(v) + fmath.log(invalpha) - fmath.log(a / (us * us) + b) <= -lam + k * loglam - logFactorial(k)) return k;
    }
  }

  /** Beta(a, b) via two gamma draws (Marsaglia–Tsang). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  /** Gamma(shape, 1), Marsaglia–Tsang with the boost for shape < 1. */
  gamma(shape: number): number {
    if (shape < 1) {
      const u = this.prng.double();
      return this.gamma(shape + 1) * fmath.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.prng.double();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (fmath.log(u) < 0.5 * x * x + d * (1 - v + fmath.log(v))) return d * v;
    }
  }

  /** Index drawn from non-negative weights (linear scan; for small arrays). */
  pickWeighted(weights: ArrayLike<number>, n = weights.length): number {
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    let r = this.prng.double() * total;
    for (let i = 0; i < n; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return n - 1;
  }
}

const LOG_FACT = new Float64Array(64);
for (let k = 1; k < 64; k++) LOG_FACT[k] = LOG_FACT[k - 1] + fmath.log(k);

/** log k!, exact from a table below 64, Stirling's series above. */
export function logFactorial(k: number): number {
  if (k < 64) return LOG_FACT[k];
  const x = k + 1;
  return (x - 0.5) * fmath.log(x) - x + 0.5 * fmath.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}
