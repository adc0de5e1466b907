/**
 * Standardised effect sizes for scenario comparisons: d_z for paired
 * replications (common random numbers; mean difference over the SD of the
 * differences), Cohen's d against the baseline's SD, and Hedges' g for
 * independent samples.
 *
 * Zero-variance convention (both functions): when the standardiser is 0 the
 * effect is 0 if the mean difference is exactly 0, and +Infinity or −Infinity
 * (the sign of the difference) otherwise — a deterministic shift is an
 * infinitely large standardised effect, not a missing value.
 */
import { assertUsable } from './describe.js';

function standardise(diff: number, scale: number): number {
  if (scale === 0) return diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
  return diff / scale;
}

/**
 * Paired standardised mean difference d_z = mean(a − b) / sd(a − b), with the
 * n − 1 SD of the per-replication differences. Requires equal lengths and
 * n ≥ 2. Returns 0 / ±Infinity when every difference is the same (see the
 * module comment).
 */
export function cohensDz(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertUsable(a, 'cohensDz (a)');
  assertUsable(b, 'cohensDz (b)');
  const n = a.length;
  if (b.length !== n) throw new RangeError(`cohensDz: samples must be paired (lengths ${n} and ${b.length})`);
  if (n < 2) throw new RangeError('cohensDz: need at least 2 pairs');
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] - b[i];
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i] - m;
    ss += d * d;
  }
  // Differences that are all equal can still leave rounding residue in ss; treat
  // them as exactly zero-variance so the documented convention applies.
  let constant = true;
  const d0 = a[0] - b[0];
  for (let i = 1; i < n && constant; i++) constant = a[i] - b[i] === d0;
  if (constant) return standardise(d0, 0);
  return standardise(m, Math.sqrt(ss / (n - 1)));
}

/**
 * Cohen's d against the baseline's spread: mean(a − b) / sd(b), with the n − 1 SD
 * of the baseline's replications. This is on Cohen's scale (how far the scenario
 * moves the outcome relative to how much it varies between replications of the
 * baseline), unlike {@link cohensDz}, which divides by the SD of the paired
 * differences; under common random numbers that SD is small and d_z can be ten
 * times d. Needs n ≥ 2; 0 / ±Infinity for a constant baseline (see the module
 * comment).
 */
export function cohensDBaseline(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertUsable(a, 'cohensDBaseline (a)');
  assertUsable(b, 'cohensDBaseline (b)');
  const n = a.length;
  if (b.length !== n) throw new RangeError(`cohensDBaseline: samples must be paired (lengths ${n} and ${b.length})`);
  if (n < 2) throw new RangeError('cohensDBaseline: need at least 2 replications');
  const mb = meanOf(b);
  const ma = meanOf(a);
  return standardise(ma - mb, Math.sqrt(sumSquares(b, mb) / (n - 1)));
}

/**
 * Hedges' g for independent samples: (mean(a) − mean(b)) / s_pooled times
 * the small-sample correction J = 1 − 3 / (4(n_a + n_b) − 9) (Hedges 1981's
 * approximation to the exact gamma-function factor; within 0.3 % of it for
 * n_a + n_b ≥ 6). s_pooled = √(((n_a − 1)s_a² + (n_b − 1)s_b²) / (n_a + n_b − 2)).
 * Requires n_a + n_b ≥ 3. Returns 0 / ±Infinity when both samples are
 * constant (see the module comment).
 */
export function hedgesG(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertUsable(a, 'hedgesG (a)');
  assertUsable(b, 'hedgesG (b)');
  const na = a.length;
  const nb = b.length;
  const df = na + nb - 2;
  if (df < 1) throw new RangeError('hedgesG: need n_a + n_b ≥ 3');
  const ma = meanOf(a);
  const mb = meanOf(b);
  const ssa = sumSquares(a, ma);
  const ssb = sumSquares(b, mb);
  const pooled = Math.sqrt((ssa + ssb) / df);
  const j = 1 - 3 / (4 * df - 1);
  return j * standardise(ma - mb, pooled);
}

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const m = s / x.length;
  // A constant sample must give exactly its value, so its sum of squares is exactly 0.
  let constant = true;
  for (let i = 1; i < x.length && constant; i++) constant = x[i] === x[0];
  return constant ? x[0] : m;
}

function sumSquares(x: ArrayLike<number>, m: number): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - m;
    ss += d * d;
  }
  return ss;
}
