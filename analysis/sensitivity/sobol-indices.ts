/**
 * Variance-based (Sobol') sensitivity indices from a Saltelli design: the
 * first-order index S_i (share of output variance explained by parameter i
 * alone) and the total index ST_i (share involving parameter i, including all
 * its interactions), with percentile-bootstrap confidence intervals.
 *
 * Estimators, with A, B, AB_i as in {@link saltelliDesign} and n base rows:
 * - first order (Saltelli et al. 2010, Comput. Phys. Commun. 181:259-270,
 *   Table 2 (b)): V_i = (1/n) Σ_j f(B)_j · (f(AB_i)_j − f(A)_j), S_i = V_i / V;
 * - total (Jansen 1999, "Analysis of variance designs for model output",
 *   Comput. Phys. Commun. 117:35-43; Saltelli et al. 2010 Table 2 (f)):
 *   VT_i = (1/2n) Σ_j (f(A)_j − f(AB_i)_j)², ST_i = VT_i / V;
 * - V is the population variance (divisor 2n) of the 2n values f(A) and f(B)
 *   together.
 * The first-order sum uses f(B)_j − m in place of f(B)_j, where m is the mean
 * of those 2n values: the indices are invariant to shifting f by a constant,
 * and centring removes the noise term m·(f(AB_i) − f(A)), which otherwise
 * swamps the estimate when the output has a large mean (SALib standardises
 * y for the same reason).
 *
 * Replication noise: when each output is a mean over R replications of a
 * stochastic model, its noise variance σ²_k is estimated without bias by the
 * within-point sample variance divided by R (the ANOVA estimator of the
 * one-way random-effects model: Searle, Casella & McCulloch 1992, Variance
 * Components, Wiley, ch. 3). That noise inflates V by the mean σ² of the A and
 * B outputs and the Jansen sum by the mean (σ²_A + σ²_AB_i)/2, while the
 * first-order numerator is unaffected (its noise terms are independent with
 * mean zero). Given `noiseVariance`, both are subtracted:
 * V_c = V − mean σ²(A, B), VT_i = (1/2n) Σ_j [(f(A)_j − f(AB_i)_j)² − σ²_(A,j) − σ²_(AB_i,j)],
 * S_i = V_i / V_c, ST_i = VT_i / V_c. Without it, an input the model ignores
 * gets ST ≈ the noise share instead of 0, and ST − S1 reads noise as interaction.
 *
 * Confidence intervals come from the design's independent randomised
 * replicates (saltelliDesign with `replicates` and `scramble`): the point
 * estimate pools every base row; its standard error is the delete-one-replicate
 * jackknife over the R replicates, SE² = (R − 1)/R Σ_r (θ_(−r) − θ̄)², and the
 * interval is θ ± t_(R−1) SE (randomised QMC: Owen 2013, Monte Carlo theory,
 * methods and examples, ch. 17). Replicates are independent, so this is honest
 * where bootstrapping the dependent quasi-random rows is not. With one replicate
 * the intervals are NaN.
 */
import type { SaltelliDesign } from './designs.js';
import { studentTQuantile } from '../stats/distributions.js';

/** Options for {@link sobolIndices}. */
export interface SobolIndicesOptions {
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Noise variance of each output y[k] (e.g. within-point variance / replications); corrects V, S1 and ST. */
  noiseVariance?: ArrayLike<number>;
}

/** Estimates for one parameter. */
export interface SobolParameterIndices {
  /** 0-based parameter index (column of the design). */
  parameter: number;
  /** First-order index S_i. */
  S1: number;
  /** Replicate-based interval for S_i, [low, high] (NaN with one replicate). */
  S1Interval: [number, number];
  /** Total index ST_i. */
  ST: number;
  /** Replicate-based interval for ST_i, [low, high]. */
  STInterval: [number, number];
}

/** Result of {@link sobolIndices}. */
export interface SobolIndicesResult {
  /** One entry per parameter, in design column order. */
  parameters: SobolParameterIndices[];
  /** Mean of the 2n values f(A), f(B). */
  mean: number;
  /** Population variance V of the 2n values f(A), f(B) (before the noise correction). */
  variance: number;
  /** Estimated noise variance in V (mean σ² of the A and B outputs; 0 without noiseVariance). */
  noiseVariance: number;
  /** noiseVariance / variance: the share of the outputs' variance that is replication noise. */
  noiseShare: number;
  /** Number of base rows n. */
  baseRows: number;
  /** Independent replicates the intervals come from. */
  replicates: number;
  /** Confidence level of the intervals. */
  level: number;
}

/** Block sums from which any union of replicates' estimates follow. */
interface Sums {
  rows: number;
  sY: number;
  sYY: number;
  sNoiseV: number;
  sBD: Float64Array;
  sD: Float64Array;
  sDD: Float64Array;
  sNoiseT: Float64Array;
}

/**
 * First-order (Saltelli 2010) and total (Jansen 1999) Sobol' indices from
 * model outputs `y` on a {@link SaltelliDesign} (y[k] is the output at
 * design.points[k]), optionally corrected for replication noise, with
 * intervals from the design's independent replicates. If the (corrected)
 * output variance is not positive, the indices are NaN.
 *
 * @throws RangeError if y or noiseVariance has the wrong length or a non-finite value.
 */
export function sobolIndices(design: SaltelliDesign, y: ArrayLike<number>, options: SobolIndicesOptions = {}): SobolIndicesResult {
  const d = design.dimension;
  const n = design.baseRows;
  const stride = design.stride;
  const R = design.replicates ?? 1;
  const level = options.level ?? 0.95;
  if (y.length !== n * stride) throw new RangeError(`expected ${n * stride} outputs for the Saltelli design, got ${y.length}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  for (let k = 0; k < y.length; k++) if (!Number.isFinite(y[k])) throw new RangeError(`output ${k} is not finite (${y[k]})`);
  const nv = options.noiseVariance;
  if (nv) {
    if (nv.length !== y.length) throw new RangeError(`expected ${y.length} noise variances, got ${nv.length}`);
    for (let k = 0; k < nv.length; k++) if (!(nv[k] >= 0)) throw new RangeError(`noise variance ${k} is not a non-negative number (${nv[k]})`);
  }
  // Centre on the overall mean of A and B so block sums of squares do not cancel.
  let c = 0;
  for (let j = 0; j < n; j++) c += y[j * stride + design.offsetA] + y[j * stride + design.offsetB];
  c /= 2 * n;
  const m = n / R;
  const blocks: Sums[] = [];
  for (let r = 0; r < R; r++) {
    const b: Sums = { rows: m, sY: 0, sYY: 0, sNoiseV: 0, sBD: new Float64Array(d), sD: new Float64Array(d), sDD: new Float64Array(d), sNoiseT: new Float64Array(d) };
    for (let j = r * m; j < (r + 1) * m; j++) {
      const o = j * stride;
      const fA = y[o + design.offsetA] - c;
      const fB = y[o + design.offsetB] - c;
      b.sY += fA + fB;
      b.sYY += fA * fA + fB * fB;
      const nA = nv ? nv[o + design.offsetA] : 0;
      if (nv) b.sNoiseV += nA + nv[o + design.offsetB];
      for (let i = 0; i < d; i++) {
        const diff = y[o + design.offsetAB + i] - c - fA;
        b.sBD[i] += fB * diff;
        b.sD[i] += diff;
        b.sDD[i] += diff * diff;
        if (nv) b.sNoiseT[i] += nA + nv[o + design.offsetAB + i];
      }
    }
    blocks.push(b);
  }
  const all = combine(blocks, -1, d);
  const est = estimate(all, d);
  const lo = new Float64Array(2 * d).fill(NaN);
  const hi = new Float64Array(2 * d).fill(NaN);
  if (R >= 2) {
    const loo = blocks.map((_, r) => estimate(combine(blocks, r, d), d).theta);
    const t = studentTQuantile(1 - (1 - level) / 2, R - 1);
    for (let q = 0; q < 2 * d; q++) {
      let mean = 0;
      for (let r = 0; r < R; r++) mean += loo[r][q];
      mean /= R;
      let ss = 0;
      for (let r = 0; r < R; r++) ss += (loo[r][q] - mean) ** 2;
      const se = Math.sqrt(((R - 1) / R) * ss);
      lo[q] = est.theta[q] - t * se;
      hi[q] = est.theta[q] + t * se;
    }
  }
  const parameters: SobolParameterIndices[] = [];
  for (let i = 0; i < d; i++) {
    parameters.push({ parameter: i, S1: est.theta[i], S1Interval: [lo[i], hi[i]], ST: est.theta[d + i], STInterval: [lo[d + i], hi[d + i]] });
  }
  return {
    parameters,
    mean: c + all.sY / (2 * all.rows),
    variance: est.variance,
    noiseVariance: est.noise,
    noiseShare: est.variance > 0 ? est.noise / est.variance : NaN,
    baseRows: n,
    replicates: R,
    level,
  };
}

/** Sums over every block except `leave` (−1: all). */
function combine(blocks: Sums[], leave: number, d: number): Sums {
  const out: Sums = { rows: 0, sY: 0, sYY: 0, sNoiseV: 0, sBD: new Float64Array(d), sD: new Float64Array(d), sDD: new Float64Array(d), sNoiseT: new Float64Array(d) };
  blocks.forEach((b, r) => {
    if (r === leave) return;
    out.rows += b.rows;
    out.sY += b.sY;
    out.sYY += b.sYY;
    out.sNoiseV += b.sNoiseV;
    for (let i = 0; i < d; i++) {
      out.sBD[i] += b.sBD[i];
      out.sD[i] += b.sD[i];
      out.sDD[i] += b.sDD[i];
      out.sNoiseT[i] += b.sNoiseT[i];
    }
  });
  return out;
}

/** Indices from sums: theta = [S_1..S_d, ST_1..ST_d]. */
function estimate(s: Sums, d: number): { theta: Float64Array; variance: number; noise: number } {
  const n = s.rows;
  const mean = s.sY / (2 * n);
  const variance = s.sYY / (2 * n) - mean * mean;
  const noise = s.sNoiseV / (2 * n);
  const vc = variance - noise;
  const theta = new Float64Array(2 * d);
  for (let i = 0; i < d; i++) {
    // Saltelli 2010 with f(B) centred on the mean: Σ (f(B) − m)(f(AB_i) − f(A)) / n.
    const first = (s.sBD[i] - mean * s.sD[i]) / n;
    const total = (s.sDD[i] - s.sNoiseT[i]) / (2 * n);
    theta[i] = vc > 0 ? first / vc : NaN;
    theta[d + i] = vc > 0 ? total / vc : NaN;
  }
  return { theta, variance, noise };
}
