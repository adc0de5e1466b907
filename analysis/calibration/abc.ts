/**
 * Approximate Bayesian computation for the simulator's free parameters, with
 * the same moment callback as smm.ts and a uniform prior on a box.
 *
 * Distance between simulated and target moments: ρ(θ) = √(Σ_k ((m_k(θ) − t_k)/s_k)²)
 * with caller-given scales s_k.
 *
 * - Rejection ABC (Pritchard et al. 1999, Mol. Biol. Evol. 16:1791–1798):
 *   draw θ from the prior, keep those with ρ ≤ ε. ε is either given, or set
 *   to the quantile of the simulated distances that keeps a given fraction
 *   (the "accept the closest" variant of Beaumont, Zhang & Balding 2002).
 * - ABC-SMC / population Monte Carlo (Toni et al. 2009, J. R. Soc. Interface
 *   6:187–202; Beaumont, Cornuet, Marin & Robert 2009, Biometrika
 *   96:983–990): a rejection generation, then generations with shrinking
 *   ε_t (given, or the `quantile` of the previous generation's distances, as
 *   Del Moral, Doucet & Jasra 2012), each proposing by resampling the previous
 *   weighted particles and perturbing with a Gaussian kernel of twice their
 *   weighted variance per coordinate (Beaumont et al. 2009), and reweighting by
 *   prior / Σ_j W_j K(θ | θ_j). Proposals outside the box have prior density 0
 *   and are discarded without simulating.
 *
 * Posterior summaries are weighted means, standard deviations and 5%, 50%,
 * 95% quantiles (the smallest particle value whose cumulative weight reaches
 * the level), so `lower`–`upper` is a 90% interval.
 */
import type { Rng } from '../../sim/rng.js';
import { checkBox, type MomentFunction } from './smm.js';

/** Options for {@link abc}. */
export interface AbcOptions {
  /** Prior box: lower bounds. */
  lower: number[];
  /** Prior box: upper bounds. */
  upper: number[];
  /** Target moments. */
  targets: number[];
  /** Scale s_k of each moment in the distance (default 1). */
  scales?: number[];
  /** Random source for prior draws, resampling and perturbation. */
  rng: Rng;
  /** 'rejection' (default) or 'smc'. */
  method?: 'rejection' | 'smc';
  /** Rejection: prior draws (default 1000). Adaptive SMC: draws in generation 0, of which the closest `particles` are kept (default particles / quantile). */
  draws?: number;
  /** Rejection: accept ρ ≤ tolerance. When omitted, `acceptFraction` sets it. */
  tolerance?: number;
  /** Rejection: fraction of draws kept when no tolerance is given (default 0.1). */
  acceptFraction?: number;
  /** SMC: particles per generation (default 200). */
  particles?: number;
  /** SMC: generations after the first (default 4). */
  generations?: number;
  /** SMC: explicit decreasing tolerance schedule ε_0 > ε_1 > … (overrides `quantile`, `generations` and `draws`); generation 0 keeps the first `particles` prior draws within ε_0. */
  tolerances?: number[];
  /** SMC: next ε is this quantile of the current distances (default 0.5). */
  quantile?: number;
  /** SMC: cap on calls of the moment function (default 50 × particles × (generations + 1)). */
  maxEvaluations?: number;
  /** Simulations run at once (default 1); results do not depend on it. */
  concurrency?: number;
  /** Parameter names. */
  names?: string[];
}

/** One accepted parameter vector. */
export interface AbcParticle {
  theta: number[];
  moments: number[];
  distance: number;
  /** Normalised importance weight (1/N in rejection ABC). */
  weight: number;
}

/** Weighted posterior summary of one parameter. */
export interface AbcSummary {
  name: string;
  mean: number;
  sd: number;
  /** 5% quantile. */
  lower: number;
  median: number;
  /** 95% quantile. */
  upper: number;
}

/** Result of {@link abc}. */
export interface AbcResult {
  method: 'rejection' | 'smc';
  /** The accepted particles of the final generation. */
  particles: AbcParticle[];
  posterior: AbcSummary[];
  /** Final tolerance ε. */
  tolerance: number;
  /** Calls of the moment function. */
  evaluations: number;
  /** Accepted / simulated in the final generation. */
  acceptanceRate: number;
  /** Per generation (one entry for rejection). */
  generations: { tolerance: number; evaluations: number; acceptanceRate: number; effectiveSampleSize: number }[];
  /** True when SMC stopped before its last generation because `maxEvaluations` ran out. */
  stoppedEarly: boolean;
  names: string[];
}

/**
 * Approximate the posterior of θ under a uniform prior on the box.
 *
 * @throws Error on inconsistent options, when no draw meets a given
 *   tolerance, or when the moment function returns the wrong number of moments
 */
export async function abc(moments: MomentFunction, options: AbcOptions): Promise<AbcResult> {
  const { lower, upper, targets, rng } = options;
  checkBox(lower, upper, 'abc');
  const d = lower.length;
  const K = targets.length;
  if (K === 0) throw new Error('abc: no targets');
  const scales = options.scales ?? new Array<number>(K).fill(1);
  if (scales.length !== K) throw new Error(`abc: ${scales.length} scales for ${K} targets`);
  if (scales.some((s) => !(s > 0) || !Number.isFinite(s))) throw new Error('abc: scales must be positive numbers');
  const names = options.names ?? lower.map((_, j) => `theta${j}`);
  if (names.length !== d) throw new Error(`abc: ${names.length} names for ${d} parameters`);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  let evaluations = 0;

  const distanceOf = (m: number[]): number => {
    let s = 0;
    for (let k = 0; k < K; k++) s += ((m[k] - targets[k]) / scales[k]) ** 2;
    return Number.isFinite(s) ? Math.sqrt(s) : Infinity;
  };
  /** Simulate a batch in order; the results never depend on the concurrency. */
  const simulate = async (thetas: number[][]): Promise<{ theta: number[]; moments: number[]; distance: number }[]> => {
    const out: { theta: number[]; moments: number[]; distance: number }[] = [];
    for (let i = 0; i < thetas.length; i += concurrency) {
      const batch = thetas.slice(i, i + concurrency);
      const ms = await Promise.all(batch.map((t) => moments(t.slice())));
      ms.forEach((m, b) => {
        if (!Array.isArray(m) || m.length !== K) {
          throw new Error(`abc: the moment function returned ${Array.isArray(m) ? m.length : typeof m} values for ${K} targets`);
        }
        out.push({ theta: batch[b], moments: m.slice(), distance: distanceOf(m) });
      });
      evaluations += batch.length;
    }
    return out;
  };
  const fromPrior = (): number[] => lower.map((lo, j) => lo + rng.next() * (upper[j] - lo));

  const method = options.method ?? 'rejection';
  if (method === 'rejection') {
    const draws = Math.floor(options.draws ?? 1000);
    if (!(draws >= 1)) throw new Error('abc: draws must be at least 1');
    const thetas: number[][] = [];
    for (let i = 0; i < draws; i++) thetas.push(fromPrior());
    const sims = await simulate(thetas);
    const eps = options.tolerance ?? quantileOfDistances(sims, options.acceptFraction ?? 0.1);
    const kept = sims.filter((s) => s.distance <= eps);
    if (kept.length === 0) {
      const closest = Math.min(...sims.map((s) => s.distance));
      throw new Error(`abc: no draw of ${draws} met the tolerance ${eps} (closest distance ${closest})`);
    }
    const particles = kept.map((s) => ({ ...s, weight: 1 / kept.length }));
    const rate = kept.length / draws;
    return {
      method,
      particles,
      posterior: summarise(particles, names),
      tolerance: eps,
      evaluations,
      acceptanceRate: rate,
      generations: [{ tolerance: eps, evaluations, acceptanceRate: rate, effectiveSampleSize: kept.length }],
      stoppedEarly: false,
      names,
    };
  }
  if (method !== 'smc') throw new Error(`abc: unknown method '${String(method)}'`);

  const N = Math.floor(options.particles ?? 200);
  if (!(N >= 2)) throw new Error('abc: SMC needs at least 2 particles');
  const alpha = options.quantile ?? 0.5;
  if (!(alpha > 0 && alpha < 1)) throw new Error('abc: quantile must be in (0, 1)');
  const schedule = options.tolerances;
  if (schedule) {
    for (let t = 1; t < schedule.length; t++) {
      if (!(schedule[t] < schedule[t - 1])) throw new Error('abc: the tolerance schedule must decrease');
    }
  }
  if (schedule && schedule.length === 0) throw new Error('abc: the tolerance schedule is empty');
  const G = schedule ? schedule.length - 1 : Math.floor(options.generations ?? 4);
  const maxEvaluations = options.maxEvaluations ?? 50 * N * (G + 1);

  // Generation 0: rejection from the prior, either the first N draws within schedule[0]
  // or (adaptive) the N closest of ⌈N/quantile⌉ draws.
  let accepted0: { theta: number[]; moments: number[]; distance: number }[];
  let eps: number;
  if (schedule) {
    eps = schedule[0];
    accepted0 = [];
    while (accepted0.length < N && evaluations < maxEvaluations) {
      const batch: number[][] = [];
      while (batch.length < Math.min(concurrency, maxEvaluations - evaluations)) batch.push(fromPrior());
      for (const s of await simulate(batch)) if (s.distance <= eps && accepted0.length < N) accepted0.push(s);
    }
    if (accepted0.length < N) {
      throw new Error(`abc: only ${accepted0.length} of ${N} prior draws met the first tolerance ${eps} in ${evaluations} simulations`);
    }
  } else {
    const draws0 = Math.max(N, Math.floor(options.draws ?? Math.ceil(N / alpha)));
    const thetas0: number[][] = [];
    for (let i = 0; i < draws0; i++) thetas0.push(fromPrior());
    accepted0 = (await simulate(thetas0)).sort((a, b) => a.distance - b.distance).slice(0, N);
    eps = accepted0[N - 1].distance;
  }
  let particles: AbcParticle[] = accepted0.map((s) => ({ ...s, weight: 1 / N }));
  const generations: AbcResult['generations'] = [
    { tolerance: eps, evaluations, acceptanceRate: N / evaluations, effectiveSampleSize: N },
  ];
  let stoppedEarly = false;

  for (let g = 0; g < G; g++) {
    const nextEps = schedule ? schedule[g + 1] : quantileOfDistances(particles, alpha);
    // Kernel: independent Gaussians with twice the weighted variance per coordinate.
    const tau = new Array<number>(d);
    for (let j = 0; j < d; j++) {
      const m = particles.reduce((s, p) => s + p.weight * p.theta[j], 0);
      const v = particles.reduce((s, p) => s + p.weight * (p.theta[j] - m) ** 2, 0);
      // A degenerate population still needs a kernel that can move.
      tau[j] = Math.sqrt(2 * v) || 1e-9 * (upper[j] - lower[j]);
    }
    const cumulative: number[] = [];
    let acc = 0;
    for (const p of particles) cumulative.push((acc += p.weight));
    const pick = (): AbcParticle => {
      const r = rng.next() * acc;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      return particles[lo];
    };
    const accepted: { theta: number[]; moments: number[]; distance: number }[] = [];
    const start = evaluations;
    let proposalsOutside = 0;
    while (accepted.length < N) {
      if (evaluations >= maxEvaluations) break;
      const batch: number[][] = [];
      while (batch.length < Math.min(concurrency, maxEvaluations - evaluations)) {
        const base = pick();
        const theta = base.theta.map((v, j) => v + tau[j] * rng.normal());
        if (theta.every((v, j) => v >= lower[j] && v <= upper[j])) batch.push(theta);
        else if (++proposalsOutside > 1000 * N) throw new Error('abc: the SMC kernel keeps proposing outside the prior box');
      }
      for (const s of await simulate(batch)) {
        if (s.distance <= nextEps && accepted.length < N) accepted.push(s);
      }
    }
    const used = evaluations - start;
    if (accepted.length < N) {
      stoppedEarly = true;
      break;
    }
    // w_i ∝ π(θ_i) / Σ_j W_j K(θ_i | θ_j); the uniform prior's density is a constant.
    // This is O(N²·d): flat typed arrays keep it fast for thousands of particles.
    const M = particles.length;
    const prev = new Float64Array(M * d);
    const prevW = new Float64Array(M);
    particles.forEach((p, i) => {
      prevW[i] = p.weight;
      for (let j = 0; j < d; j++) prev[i * d + j] = p.theta[j] / tau[j];
    });
    const raw = accepted.map((s) => {
      const x = s.theta.map((v, j) => v / tau[j]);
      let denom = 0;
      for (let i = 0; i < M; i++) {
        let q = 0;
        for (let j = 0; j < d; j++) {
          const z = x[j] - prev[i * d + j];
          q += z * z;
        }
        denom += prevW[i] * Math.exp(-0.5 * q);
      }
      return 1 / denom;
    });
    const total = raw.reduce((s, v) => s + v, 0);
    particles = accepted.map((s, i) => ({ ...s, weight: raw[i] / total }));
    eps = nextEps;
    const ess = 1 / particles.reduce((s, p) => s + p.weight * p.weight, 0);
    generations.push({ tolerance: eps, evaluations: used, acceptanceRate: N / used, effectiveSampleSize: ess });
  }

  const last = generations[generations.length - 1];
  return {
    method,
    particles,
    posterior: summarise(particles, names),
    tolerance: eps,
    evaluations,
    acceptanceRate: last.acceptanceRate,
    generations,
    stoppedEarly,
    names,
  };
}

/** The distance below which the given fraction of the (equally counted) simulations fall. */
function quantileOfDistances(sims: { distance: number }[], fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new Error('abc: acceptFraction must be in (0, 1]');
  const ds = sims.map((s) => s.distance).sort((a, b) => a - b);
  const k = Math.max(1, Math.ceil(fraction * ds.length));
  return ds[k - 1];
}

/** Weighted mean, sd and 5/50/95% quantiles of each coordinate. */
function summarise(particles: AbcParticle[], names: string[]): AbcSummary[] {
  const total = particles.reduce((s, p) => s + p.weight, 0);
  return names.map((name, j) => {
    const mean = particles.reduce((s, p) => s + p.weight * p.theta[j], 0) / total;
    const variance = particles.reduce((s, p) => s + p.weight * (p.theta[j] - mean) ** 2, 0) / total;
    const sorted = particles.map((p) => ({ v: p.theta[j], w: p.weight / total })).sort((a, b) => a.v - b.v);
    const q = (level: number): number => {
      let c = 0;
      for (const s of sorted) {
        c += s.w;
        if (c >= level - 1e-12) return s.v;
      }
      return sorted[sorted.length - 1].v;
    };
    return { name, mean, sd: Math.sqrt(variance), lower: q(0.05), median: q(0.5), upper: q(0.95) };
  });
}
