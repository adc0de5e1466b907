/**
 * Mann–Whitney U (Wilcoxon rank-sum) test: does one scenario's outcome tend
 * to be larger than another's, without assuming normality?
 *
 * Follows R's `wilcox.test(a, b)` defaults (two-sided, `correct = TRUE`):
 * exact p-value when both samples have fewer than 50 values and there are no
 * ties, otherwise the normal approximation with tie and continuity corrections.
 */
import { assertUsable } from './describe.js';
import { normalCdf } from './distributions.js';

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U for sample a = (rank sum of a) − n_a(n_a + 1)/2; equals R's W statistic. */
  u: number;
  /**
   * Normal-approximation z with tie and continuity corrections (reported for
   * both methods; 0 when every value is tied).
   */
  z: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

/** Samples must both be smaller than this for the exact p-value (as in R). */
const EXACT_LIMIT = 50;

/**
 * Two-sided Mann–Whitney U test of a against b (plain or typed arrays).
 * Tied values get mid-ranks. When every value is tied the variance is 0:
 * z = 0 and p = 1 are returned (R returns NaN). Throws on an empty sample or NaN.
 */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitneyResult {
  assertUsable(a, 'mannWhitneyU (a)');
  assertUsable(b, 'mannWhitneyU (b)');
  const n1 = a.length;
  const n2 = b.length;
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();

  // Merge the sorted samples one distinct value at a time: each tie group of
  // size t occupying ranks pos+1..pos+t gets the mid-rank pos + (t + 1)/2.
  let i = 0;
  let j = 0;
  let rankSumA = 0;
  let tieTerm = 0; // Σ (t³ − t) over tie groups
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || sa[i] <= sb[j]) ? sa[i] : sb[j];
    const pos = i + j;
    let ca = 0;
    let cb = 0;
    while (i < n1 && sa[i] === v) {
      i++;
      ca++;
    }
    while (j < n2 && sb[j] === v) {
      j++;
      cb++;
    }
    const t = ca + cb;
    rankSumA += ca * (pos + (t + 1) / 2);
    if (t > 1) tieTerm += t * t * t - t;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;

  const N = n1 + n2;
  const centred = u - (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  let z = 0;
  let pNormal = 1;
  if (sigma > 0) {
    z = (centred - Math.sign(centred) * 0.5) / sigma;
    pNormal = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  }

  if (n1 < EXACT_LIMIT && n2 < EXACT_LIMIT && tieTerm === 0) {
    const dist = rankSumDistribution(n1, n2);
    // As R: the tail on the side of U, doubled and capped at 1.
    let tail = 0;
    if (u > (n1 * n2) / 2) {
      for (let k = u; k <= n1 * n2; k++) tail += dist[k];
    } else {
      for (let k = 0; k <= u; k++) tail += dist[k];
    }
    return { u, z, p: Math.min(1, 2 * tail), method: 'exact' };
  }
  return { u, z, p: pNormal, method: 'normal' };
}

/**
 * Null distribution of U for sizes n1, n2 without ties, as probabilities
 * P(U = k), k = 0..n1·n2.
 *
 * Recurrence on the largest pooled value: it belongs to a with probability
 * i/(i+j) (and then beats all j values of b) or to b with probability j/(i+j):
 * p_{i,j}(k) = i/(i+j) · p_{i−1,j}(k − j) + j/(i+j) · p_{i,j−1}(k).
 * Working in probabilities rather than counts keeps every step a sum of
 * positive terms (no overflow, no cancellation). O(n1² n2²) time.
 */
function rankSumDistribution(n1: number, n2: number): Float64Array {
  // prev[j] holds p_{i−1,j}; cur[j] holds p_{i,j}, each of length (i·j + 1).
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n2; j++) prev.push(Float64Array.of(1));
  for (let i = 1; i <= n1; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n2; j++) {
      const out = new Float64Array(i * j + 1);
      const fromA = prev[j]; // p_{i−1,j}, support 0..(i−1)j
      const fromB = cur[j - 1]; // p_{i,j−1}, support 0..i(j−1)
      const wa = i / (i + j);
      const wb = j / (i + j);
      for (let k = 0; k < fromA.length; k++) out[k + j] += wa * fromA[k];
      for (let k = 0; k < fromB.length; k++) out[k] += wb * fromB[k];
      cur.push(out);
    }
    prev = cur;
  }
  return prev[n2];
}
