/**
 * Paired tests for scenario comparisons under common random numbers: replication i
 * of a scenario and of the baseline share their world and shocks, so the unit of
 * analysis is the per-replication difference d_i = a_i − b_i.
 *
 * - {@link pairedT}: mean difference with Student's t interval and test (n ≥ 2).
 * - {@link wilcoxonSignedRank}: R's `wilcox.test(a, b, paired = TRUE)` defaults
 *   (zeros dropped; exact p when fewer than 50 non-zero differences and no ties,
 *   otherwise the normal approximation with tie and continuity corrections).
 * - {@link signFlipTest}: permutation test of the mean difference by flipping the
 *   signs of the differences (exact over all 2^n sign vectors for n ≤ 20, Monte Carlo
 *   beyond), valid whenever the differences are symmetric about 0 under H0; ties and
 *   zeros need no special handling because the null distribution is conditional on
 *   the observed |d_i|.
 *
 * No Node imports: this runs in the browser page too.
 */
import type { Rng } from '../../sim/rng.js';
import { pow2 } from '../../sim/fmath.js';
import { assertUsable } from './describe.js';
import { normalCdf, studentTQuantile, studentTTwoSidedP } from './distributions.js';

/** Per-replication differences a − b (equal lengths required). */
export function differences(a: ArrayLike<number>, b: ArrayLike<number>, what = 'paired'): Float64Array {
  assertUsable(a, `${what} (a)`);
  assertUsable(b, `${what} (b)`);
  if (a.length !== b.length) throw new RangeError(`${what}: samples must be paired (lengths ${a.length} and ${b.length})`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return d;
}

/** Result of {@link pairedT}. */
export interface PairedTResult {
  n: number;
  /** Mean of the differences. */
  mean: number;
  /** SD of the differences (n − 1 denominator). */
  sd: number;
  /** Standard error sd/√n. */
  se: number;
  df: number;
  t: number;
  /** Two-sided p-value; 1 when every difference is 0, 0 when they are all equal and non-zero. */
  p: number;
  /** t interval [mean − t·se, mean + t·se] at `level`. */
  low: number;
  high: number;
  level: number;
}

/**
 * Paired t: mean of d_i with the t_{n−1} interval and two-sided test of mean 0.
 * Needs n ≥ 2 (throws otherwise).
 */
export function pairedT(d: ArrayLike<number>, level = 0.95): PairedTResult {
  assertUsable(d, 'pairedT');
  const n = d.length;
  if (n < 2) throw new RangeError('pairedT: need at least 2 pairs');
  let s = 0;
  for (let i = 0; i < n; i++) s += d[i];
  let m = s / n;
  let r = 0;
  for (let i = 0; i < n; i++) r += d[i] - m;
  m += r / n;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = d[i] === d[0];
  if (constant) m = d[0];
  let ss = 0;
  if (!constant) for (let i = 0; i < n; i++) ss += (d[i] - m) * (d[i] - m);
  const sd = Math.sqrt(ss / (n - 1));
  const se = sd / Math.sqrt(n);
  const df = n - 1;
  const t = se === 0 ? (m === 0 ? 0 : m > 0 ? Infinity : -Infinity) : m / se;
  const p = se === 0 ? (m === 0 ? 1 : 0) : studentTTwoSidedP(t, df);
  const half = se === 0 ? 0 : studentTQuantile(1 - (1 - level) / 2, df) * se;
  return { n, mean: m, sd, se, df, t, p, low: m - half, high: m + half, level };
}

/** Result of {@link wilcoxonSignedRank}. */
export interface WilcoxonResult {
  /** V: the sum of the ranks of the positive differences (R's statistic). */
  v: number;
  /** Non-zero differences used. */
  n: number;
  /** Zero differences dropped. */
  zeros: number;
  p: number;
  method: 'exact' | 'normal' | 'none';
}

/**
 * Wilcoxon signed-rank test of d_i symmetric about 0, two-sided, as R's
 * `wilcox.test(a, b, paired = TRUE)`: zero differences dropped, |d| ranked with
 * mid-ranks for ties; exact p-value when n < 50 and there are no ties or zeros,
 * otherwise the normal approximation with tie correction and continuity
 * correction. With no non-zero difference the test has nothing to test: p = 1,
 * method 'none' (R returns NaN).
 */
export function wilcoxonSignedRank(d: ArrayLike<number>): WilcoxonResult {
  assertUsable(d, 'wilcoxonSignedRank');
  const nz: number[] = [];
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) nz.push(d[i]);
  const zeros = d.length - nz.length;
  const n = nz.length;
  if (n === 0) return { v: 0, n: 0, zeros, p: 1, method: 'none' };
  const order = nz.map((_, i) => i).sort((x, y) => Math.abs(nz[x]) - Math.abs(nz[y]));
  let v = 0;
  let tieTerm = 0;
  for (let k = 0; k < n; ) {
    let e = k + 1;
    while (e < n && Math.abs(nz[order[e]]) === Math.abs(nz[order[k]])) e++;
    const t = e - k;
    const rank = (k + 1 + e) / 2;
    for (let q = k; q < e; q++) if (nz[order[q]] > 0) v += rank;
    if (t > 1) tieTerm += t * t * t - t;
    k = e;
  }
  if (n < 50 && tieTerm === 0 && zeros === 0) {
    const dist = signedRankCounts(n);
    const total = pow2(n);
    const centre = (n * (n + 1)) / 4;
    let tail = 0;
    if (v > centre) for (let k = v; k < dist.length; k++) tail += dist[k];
    else for (let k = 0; k <= v; k++) tail += dist[k];
    return { v, n, zeros, p: Math.min(1, (2 * tail) / total), method: 'exact' };
  }
  const z0 = v - (n * (n + 1)) / 4;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  if (!(sigma > 0)) return { v, n, zeros, p: 1, method: 'normal' };
  const z = (z0 - 0.5 * Math.sign(z0)) / sigma;
  return { v, n, zeros, p: Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z))), method: 'normal' };
}

/** Counts of sign vectors giving each V = 0..n(n+1)/2 (no ties): exact in doubles for n < 50 (total 2^n < 2^53). */
function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const c = new Float64Array(max + 1);
  c[0] = 1;
  let top = 0;
  for (let r = 1; r <= n; r++) {
    top += r;
    for (let k = top; k >= r; k--) c[k] += c[k - r];
  }
  return c;
}

/** Result of {@link signFlipTest}. */
export interface SignFlipResult {
  /** Σ d_i (the test statistic; equivalent to the mean difference). */
  statistic: number;
  n: number;
  /** Two-sided p-value P(|Σ s_i d_i| ≥ |Σ d_i|) over random signs s_i = ±1. */
  p: number;
  method: 'exact' | 'monte carlo';
  /** Sign vectors drawn (Monte Carlo) or enumerated (exact: 2^n). */
  resamples: number;
  /** Monte Carlo standard error of p (0 when exact). */
  mcError: number;
}

/** Largest n for which {@link signFlipTest} enumerates all 2^n sign vectors. */
export const SIGN_FLIP_EXACT_MAX = 20;

/**
 * Sign-flip permutation test of a zero mean difference, two-sided. For n ≤ 20
 * exact over all 2^n sign vectors (two half-enumerations of at most 2^10 sums
 * each, one sorted and binary-searched); beyond that `resamples` random sign
 * vectors from `rng` with p = (1 + #{|T*| ≥ |T|}) / (resamples + 1) (Phipson &
 * Smyth 2010, never 0). Sums within 1e-10·Σ|d_i| of |T| count as ties (≥), so
 * rounding cannot split a tie. All-zero differences give p = 1.
 */
export function signFlipTest(d: ArrayLike<number>, opts: { rng?: Rng; resamples?: number } = {}): SignFlipResult {
  assertUsable(d, 'signFlipTest');
  const n = d.length;
  let t = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    t += d[i];
    scale += Math.abs(d[i]);
  }
  const target = Math.abs(t) - 1e-10 * scale;
  if (scale === 0) return { statistic: t, n, p: 1, method: 'exact', resamples: pow2(n), mcError: 0 };
  if (n <= SIGN_FLIP_EXACT_MAX) {
    const h = n >> 1;
    const left = halfSums(d, 0, h);
    const right = halfSums(d, h, n).sort();
    let count = 0;
    for (let k = 0; k < left.length; k++) {
      // right sums r with left + r ≥ target, or left + r ≤ −target
      count += right.length - lowerBound(right, target - left[k]);
      count += upperBound(right, -target - left[k]);
    }
    // target > 0 here, so the two regions never overlap.
    return { statistic: t, n, p: Math.min(1, count / pow2(n)), method: 'exact', resamples: pow2(n), mcError: 0 };
  }
  const B = opts.resamples ?? 20_000;
  if (!opts.rng) throw new RangeError('signFlipTest: n > 20 needs an rng for the Monte Carlo test');
  const rng = opts.rng;
  let hits = 0;
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rng.int(2) === 0 ? d[i] : -d[i];
    if (Math.abs(s) >= target) hits++;
  }
  const p = (1 + hits) / (B + 1);
  return { statistic: t, n, p, method: 'monte carlo', resamples: B, mcError: Math.sqrt((p * (1 - p)) / B) };
}

function halfSums(d: ArrayLike<number>, from: number, to: number): Float64Array {
  const k = to - from;
  const out = new Float64Array(pow2(k));
  for (let mask = 0; mask < out.length; mask++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += mask & (1 << i) ? d[from + i] : -d[from + i];
    out[mask] = s;
  }
  return out;
}

/** First index with a[i] ≥ x (a sorted ascending). */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries ≤ x (a sorted ascending). */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
