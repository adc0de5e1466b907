/**
 * Descriptive statistics for one outcome over Monte Carlo replications:
 * mean, sample variance / SD, R type-7 quantiles and a fixed summary row.
 *
 * All functions take plain arrays or typed arrays (`ArrayLike<number>`) and
 * reject NaN with an Error, because a NaN outcome means a replication failed
 * and silently dropping or propagating it would hide that.
 */

/** One-line summary of an outcome distribution. `sd` is NaN when n = 1. */
export interface Summary {
  n: number;
  mean: number;
  sd: number;
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
}

/** Throws if `values` is empty or contains NaN; `what` names the caller in the message. */
export function assertUsable(values: ArrayLike<number>, what: string): void {
  const n = values.length;
  if (n === 0) throw new RangeError(`${what}: empty sample`);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new Error(`${what}: value at index ${i} is NaN`);
  }
}

/** Arithmetic mean. Throws on an empty sample or NaN. */
export function mean(values: ArrayLike<number>): number {
  assertUsable(values, 'mean');
  return meanUnchecked(values);
}

function meanUnchecked(values: ArrayLike<number>): number {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const m = s / n;
  if (!Number.isFinite(m)) return m;
  // One correction pass: removes most of the rounding error of the naive sum.
  let r = 0;
  for (let i = 0; i < n; i++) r += values[i] - m;
  return m + r / n;
}

/**
 * Sample variance with the n − 1 denominator (two-pass, so large offsets do
 * not cancel). NaN when n = 1; throws on an empty sample or NaN.
 */
export function variance(values: ArrayLike<number>): number {
  assertUsable(values, 'variance');
  return varianceUnchecked(values, meanUnchecked(values));
}

function varianceUnchecked(values: ArrayLike<number>, m: number): number {
  const n = values.length;
  if (n < 2) return NaN;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - m;
    ss += d * d;
    comp += d;
  }
  // Corrected two-pass formula (Chan, Golub & LeVeque): comp is ~0 in exact arithmetic.
  return (ss - (comp * comp) / n) / (n - 1);
}

/** Sample standard deviation (n − 1 denominator). NaN when n = 1. */
export function sd(values: ArrayLike<number>): number {
  return Math.sqrt(variance(values));
}

/**
 * Quantile of an already ascending-sorted sample, R's type 7 (linear
 * interpolation between order statistics at h = (n − 1)p). Computed with the
 * same arithmetic as mathjs `quantileSeq`, so results agree bit for bit.
 * Does not check sortedness or NaN (callers sort once and query many times).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted: empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1] (got ${p})`);
  const h = p * (n - 1);
  const lo = Math.floor(h);
  if (h === lo) return sorted[lo];
  const f = h % 1;
  return sorted[lo] * (1 - f) + sorted[lo + 1] * f;
}

/**
 * Summary row for one outcome: n, mean, SD, min, 5/25/50/75/95 % quantiles
 * (type 7) and max. Sorts a single Float64Array copy; the input is not modified.
 * Throws on an empty sample or NaN.
 */
export function summarise(values: ArrayLike<number>): Summary {
  assertUsable(values, 'summarise');
  const n = values.length;
  const sorted = Float64Array.from(values);
  // Typed-array sort is numeric (not lexicographic) by default.
  sorted.sort();
  // Mean and SD from the original order, so they equal mean(values) and sd(values) exactly.
  const m = meanUnchecked(values);
  return {
    n,
    mean: m,
    sd: Math.sqrt(varianceUnchecked(values, m)),
    min: sorted[0],
    q05: quantileSorted(sorted, 0.05),
    q25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q75: quantileSorted(sorted, 0.75),
    q95: quantileSorted(sorted, 0.95),
    max: sorted[n - 1],
  };
}
