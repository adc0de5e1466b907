/**
 * Seeded bootstrap confidence intervals for a mean outcome and for the
 * difference between two scenarios.
 *
 * Scenarios are run with common random numbers, so replication i of every
 * scenario shares its random streams: the right comparison is then the
 * paired one (resample replication indices, keep pairs together), which
 * removes the between-replication noise the scenarios share. The independent
 * version is provided for scenarios run with distinct seeds.
 *
 * Resampling draws from a caller-supplied {@link Rng} (never Math.random), so
 * an interval is reproducible from its seed key. Each call allocates one
 * Float64Array of resample statistics (plus the n differences for the paired case).
 */
import type { Rng } from '../../sim/rng.js';
import { assertUsable, quantileSorted } from './describe.js';
import { normalCdf, normalQuantile } from './distributions.js';

/** Options for the bootstrap intervals. */
export interface BootstrapOptions {
  /** Number of bootstrap resamples B (default 2000). */
  resamples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
  /** Source of the resampling indices; determines the interval exactly. */
  rng: Rng;
  /**
   * 'percentile' (default): the (1 − level)/2 and (1 + level)/2 type-7
   * quantiles of the resampled means. 'bca': Efron's bias-corrected and
   * accelerated percentiles (acceleration from the jackknife).
   */
  method?: 'percentile' | 'bca';
}

/** A bootstrap confidence interval. */
export interface BootstrapInterval {
  /** The statistic on the original sample (the mean, or the mean difference). */
  estimate: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
  method: 'percentile' | 'bca';
  /**
   * Monte Carlo standard errors of the two endpoints (from resampling only, for
   * this B): (q(p + δ) − q(p − δ))/2 with δ = √(p(1 − p)/B), the order-statistic
   * spread of a quantile estimated from B draws (its binomial standard error
   * mapped through the bootstrap distribution).
   */
  mcError: { low: number; high: number };
  /** BCa bias correction z0 and acceleration a (0 for the percentile method). */
  z0: number;
  acceleration: number;
}

interface ResolvedOptions {
  resamples: number;
  level: number;
  rng: Rng;
  method: 'percentile' | 'bca';
}

function resolve(opts: BootstrapOptions, what: string): ResolvedOptions {
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const method = opts.method ?? 'percentile';
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`${what}: resamples must be a positive integer (got ${resamples})`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`${what}: level must be in (0, 1) (got ${level})`);
  if (method !== 'percentile' && method !== 'bca') throw new RangeError(`${what}: unknown method ${String(method)}`);
  return { resamples, level, rng: opts.rng, method };
}

/** Mean with a correction pass (see describe.ts); input already checked. */
function centredMean(values: ArrayLike<number>): number {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const m = s / n;
  if (!Number.isFinite(m)) return m;
  let r = 0;
  for (let i = 0; i < n; i++) r += values[i] - m;
  return m + r / n;
}

/**
 * Fills `out` with means of `resamples` with-replacement resamples of `values`.
 * Each resample mean is computed as m + mean(x* − m): the deviations are exact
 * zeros for a constant sample, so a degenerate sample gives a zero-width
 * interval instead of one a few ulps wide.
 */
function resampleMeans(values: ArrayLike<number>, m: number, out: Float64Array, rng: Rng): void {
  const n = values.length;
  for (let b = 0; b < out.length; b++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += values[rng.int(n)] - m;
    out[b] = m + s / n;
  }
}

/** Percentile or BCa interval from the resampled means (sorted in place). */
function interval(
  values: ArrayLike<number>,
  estimate: number,
  stats: Float64Array,
  o: ResolvedOptions,
): BootstrapInterval {
  stats.sort();
  const alpha = (1 - o.level) / 2;
  let pLow = alpha;
  let pHigh = 1 - alpha;
  let z0 = 0;
  let a = 0;
  if (o.method === 'bca') {
    const B = stats.length;
    // Bias correction from the share of resample means below the estimate, ties
    // counting half. Resample means are m + Σ(x* − m)/n, whose rounding can put a
    // resample that equals the estimate (frequent with discrete data) a few ulps
    // either side; values within 1e-9 of the largest |x − m| count as ties.
    let dev = 0;
    for (let i = 0; i < values.length; i++) dev = Math.max(dev, Math.abs(values[i] - estimate));
    const tol = 1e-9 * dev;
    let below = 0;
    let equal = 0;
    for (let b = 0; b < B; b++) {
      if (Math.abs(stats[b] - estimate) <= tol) equal++;
      else if (stats[b] < estimate) below++;
    }
    const share = Math.min(1 - 0.5 / B, Math.max(0.5 / B, (below + 0.5 * equal) / B));
    z0 = normalQuantile(share);
    a = jackknifeAcceleration(values, estimate);
    const adjust = (p: number): number => {
      const z = z0 + normalQuantile(p);
      const denom = 1 - a * z;
      // With extreme acceleration the BCa map stops being monotone; fall back to the ends.
      if (denom <= 0) return p < 0.5 ? 0 : 1;
      return normalCdf(z0 + z / denom);
    };
    pLow = adjust(alpha);
    pHigh = adjust(1 - alpha);
  }
  const B = stats.length;
  const mcError = (p: number): number => {
    const delta = Math.sqrt((p * (1 - p)) / B);
    const hi = quantileSorted(stats, Math.min(1, p + delta));
    const lo = quantileSorted(stats, Math.max(0, p - delta));
    // Equal order statistics interpolated at slightly different p differ by rounding only: that is 0, not a few ulps
    // (which would also differ between JavaScript engines).
    const e = (hi - lo) / 2;
    return e <= 1e-12 * Math.max(Math.abs(hi), Math.abs(lo)) ? 0 : e;
  };
  return {
    estimate,
    low: quantileSorted(stats, pLow),
    high: quantileSorted(stats, pHigh),
    level: o.level,
    resamples: o.resamples,
    method: o.method,
    mcError: { low: mcError(pLow), high: mcError(pHigh) },
    z0,
    acceleration: a,
  };
}

/**
 * Jackknife acceleration for the mean: leave-one-out means are
 * (n·m − x_i)/(n − 1), so their deviations from m are (m − x_i)/(n − 1);
 * a = Σ u³ / (6 (Σ u²)^{3/2}) with u the jackknife influence values. 0 for
 * a constant sample or n < 2.
 */
function jackknifeAcceleration(values: ArrayLike<number>, m: number): number {
  const n = values.length;
  if (n < 2) return 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    // The 1/(n − 1) factor cancels in the ratio, so plain deviations suffice.
    const u = values[i] - m;
    s2 += u * u;
    s3 += u * u * u;
  }
  if (s2 === 0) return 0;
  // s2^1.5 as s2 * sqrt(s2): exactly rounded operations, the same bits on every engine
  // (Math.pow is not: Node's and Chromium's differ in the last bit)
  return s3 / (6 * (s2 * Math.sqrt(s2)));
}

/**
 * Bootstrap confidence interval for the mean of `values` (plain or typed array).
 * Percentile interval by default; `method: 'bca'` for BCa.
 * Throws on an empty sample, NaN, or invalid options.
 */
export function bootstrapMeanCI(values: ArrayLike<number>, opts: BootstrapOptions): BootstrapInterval {
  assertUsable(values, 'bootstrapMeanCI');
  const o = resolve(opts, 'bootstrapMeanCI');
  const m = centredMean(values);
  const stats = new Float64Array(o.resamples);
  resampleMeans(values, m, stats, o.rng);
  return interval(values, m, stats, o);
}

/**
 * Paired bootstrap interval for the mean of a[i] − b[i]: replication indices
 * are resampled and each pair stays together, as is right under common
 * random numbers. `a` and `b` must have equal length.
 */
export function pairedDifferenceCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: BootstrapOptions,
): BootstrapInterval {
  assertUsable(a, 'pairedDifferenceCI (a)');
  assertUsable(b, 'pairedDifferenceCI (b)');
  if (a.length !== b.length) {
    throw new RangeError(`pairedDifferenceCI: samples must be paired (lengths ${a.length} and ${b.length})`);
  }
  const o = resolve(opts, 'pairedDifferenceCI');
  const n = a.length;
  const diffs = new Float64Array(n);
  for (let i = 0; i < n; i++) diffs[i] = a[i] - b[i];
  const m = centredMean(diffs);
  const stats = new Float64Array(o.resamples);
  resampleMeans(diffs, m, stats, o.rng);
  return interval(diffs, m, stats, o);
}

/**
 * Percentile bootstrap interval for mean(a) − mean(b) when the samples are
 * independent (different seeds, possibly different sizes): each sample is
 * resampled separately. Only the percentile method is offered here.
 */
export function independentDifferenceCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: BootstrapOptions,
): BootstrapInterval {
  assertUsable(a, 'independentDifferenceCI (a)');
  assertUsable(b, 'independentDifferenceCI (b)');
  const o = resolve(opts, 'independentDifferenceCI');
  if (o.method !== 'percentile') throw new RangeError('independentDifferenceCI: only the percentile method is supported');
  const na = a.length;
  const nb = b.length;
  const ma = centredMean(a);
  const mb = centredMean(b);
  const stats = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) {
    let sa = 0;
    for (let k = 0; k < na; k++) sa += a[o.rng.int(na)] - ma;
    let sb = 0;
    for (let k = 0; k < nb; k++) sb += b[o.rng.int(nb)] - mb;
    stats[r] = ma - mb + (sa / na - sb / nb);
  }
  return interval(a, ma - mb, stats, o);
}
