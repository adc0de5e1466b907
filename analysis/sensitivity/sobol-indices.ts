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
 * Confidence intervals: nonparametric bootstrap over base rows (each resample
 * draws n base rows j with replacement, carrying each row's f(A), f(B) and all
 * f(AB_i) together, and recomputes V, S_i and ST_i), percentile interval at
 * the given level with linear interpolation between order statistics (type 7).
 * The Sobol' points are quasi-random, so treating rows as i.i.d. makes the
 * intervals conservative rather than exact.
 */
import type { Rng } from '../../sim/rng.js';
import type { SaltelliDesign } from './designs.js';

/** Options for {@link sobolIndices}. */
export interface SobolIndicesOptions {
  /** Number of bootstrap resamples (default 1000; 0 for no intervals, which are then NaN). */
  bootstrap?: number;
  /** Confidence level of the percentile intervals (default 0.95). */
  level?: number;
  /** Source of the bootstrap resampling; required when bootstrap > 0. */
  rng?: Rng;
}

/** Estimates for one parameter. */
export interface SobolParameterIndices {
  /** 0-based parameter index (column of the design). */
  parameter: number;
  /** First-order index S_i. */
  S1: number;
  /** Percentile bootstrap interval for S_i, [low, high]. */
  S1Interval: [number, number];
  /** Total index ST_i. */
  ST: number;
  /** Percentile bootstrap interval for ST_i, [low, high]. */
  STInterval: [number, number];
}

/** Result of {@link sobolIndices}. */
export interface SobolIndicesResult {
  /** One entry per parameter, in design column order. */
  parameters: SobolParameterIndices[];
  /** Mean of the 2n values f(A), f(B). */
  mean: number;
  /** Population variance V of the 2n values f(A), f(B). */
  variance: number;
  /** Number of base rows n. */
  baseRows: number;
  /** Number of bootstrap resamples used. */
  bootstrap: number;
  /** Confidence level of the intervals. */
  level: number;
}

/**
 * First-order (Saltelli 2010) and total (Jansen 1999) Sobol' indices from
 * model outputs `y` on a {@link SaltelliDesign} (y[k] is the output at
 * design.points[k]), with percentile bootstrap intervals over base rows.
 * If the output variance is zero, the indices are NaN.
 *
 * @throws RangeError if y has the wrong length or a non-finite value, or if
 *   bootstrap > 0 without an rng.
 */
export function sobolIndices(
  design: SaltelliDesign,
  y: ArrayLike<number>,
  options: SobolIndicesOptions = {},
): SobolIndicesResult {
  const d = design.dimension;
  const n = design.baseRows;
  const stride = design.stride;
  const bootstrap = options.bootstrap ?? 1000;
  const level = options.level ?? 0.95;
  if (y.length !== n * stride) {
    throw new RangeError(`expected ${n * stride} outputs for the Saltelli design, got ${y.length}`);
  }
  if (!Number.isInteger(bootstrap) || bootstrap < 0) throw new RangeError(`bootstrap must be a non-negative integer, got ${bootstrap}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (bootstrap > 0 && !options.rng) throw new RangeError('sobolIndices: bootstrap needs an rng');

  // Unpack into contiguous arrays: fA[j], fB[j], fAB[i * n + j].
  const fA = new Float64Array(n);
  const fB = new Float64Array(n);
  const fAB = new Float64Array(d * n);
  for (let j = 0; j < n; j++) {
    const o = j * stride;
    fA[j] = y[o + design.offsetA];
    fB[j] = y[o + design.offsetB];
    for (let i = 0; i < d; i++) fAB[i * n + j] = y[o + design.offsetAB + i];
  }
  for (let k = 0; k < y.length; k++) {
    if (!Number.isFinite(y[k])) throw new RangeError(`output ${k} is not finite (${y[k]})`);
  }

  const s1 = new Float64Array(d);
  const st = new Float64Array(d);
  const { mean, variance } = estimate(fA, fB, fAB, d, n, null, s1, st);

  const s1Boot: Float64Array[] = [];
  const stBoot: Float64Array[] = [];
  for (let i = 0; i < d; i++) {
    s1Boot.push(new Float64Array(bootstrap));
    stBoot.push(new Float64Array(bootstrap));
  }
  if (bootstrap > 0) {
    const rng = options.rng as Rng;
    const rows = new Int32Array(n);
    const bs1 = new Float64Array(d);
    const bst = new Float64Array(d);
    for (let b = 0; b < bootstrap; b++) {
      for (let j = 0; j < n; j++) rows[j] = rng.int(n);
      estimate(fA, fB, fAB, d, n, rows, bs1, bst);
      for (let i = 0; i < d; i++) {
        s1Boot[i][b] = bs1[i];
        stBoot[i][b] = bst[i];
      }
    }
  }

  const lo = (1 - level) / 2;
  const hi = 1 - lo;
  const parameters: SobolParameterIndices[] = [];
  for (let i = 0; i < d; i++) {
    parameters.push({
      parameter: i,
      S1: s1[i],
      S1Interval: [quantileOfUnsorted(s1Boot[i], lo), quantileOfUnsorted(s1Boot[i], hi)],
      ST: st[i],
      STInterval: [quantileOfUnsorted(stBoot[i], lo), quantileOfUnsorted(stBoot[i], hi)],
    });
  }
  return { parameters, mean, variance, baseRows: n, bootstrap, level };
}

/**
 * Point estimates over base rows `rows` (all rows 0..n-1 when null), written
 * into s1 and st. Returns the mean and variance used.
 */
function estimate(
  fA: Float64Array,
  fB: Float64Array,
  fAB: Float64Array,
  d: number,
  n: number,
  rows: Int32Array | null,
  s1: Float64Array,
  st: Float64Array,
): { mean: number; variance: number } {
  // Two-pass mean and variance of f(A) ∪ f(B).
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const j = rows === null ? k : rows[k];
    sum += fA[j] + fB[j];
  }
  const mean = sum / (2 * n);
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const j = rows === null ? k : rows[k];
    const a = fA[j] - mean;
    const b = fB[j] - mean;
    ss += a * a + b * b;
  }
  const variance = ss / (2 * n);
  for (let i = 0; i < d; i++) {
    const base = i * n;
    let first = 0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const j = rows === null ? k : rows[k];
      const diff = fAB[base + j] - fA[j];
      first += (fB[j] - mean) * diff;
      total += diff * diff;
    }
    s1[i] = first / n / variance;
    st[i] = total / (2 * n) / variance;
  }
  return { mean, variance };
}

/** Type-7 quantile (linear interpolation) of an unsorted sample; NaN when empty. */
function quantileOfUnsorted(values: Float64Array, p: number): number {
  const m = values.length;
  if (m === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
