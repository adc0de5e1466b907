/**
 * Two-sample Kolmogorov–Smirnov test: do two scenarios' outcome
 * distributions over replications differ anywhere, not just in the mean?
 * An unpaired view: it ignores the pairing of replications under common random
 * numbers (compare's paired tests are in paired.ts).
 *
 * p-value: exact P(D ≥ d) under H0, conditional on the pooled values, with ties
 * handled exactly (the permutation distribution of D: every split of the pooled
 * sample into sizes n and m equally likely). As in R ≥ 4.3's `psmirnov` with ties
 * (Schröer & Trenkler 1995, Comput. Stat. Data Anal. 20:185–202), lattice paths
 * are checked against the boundary only where a run of tied pooled values ends.
 * The count is R's 1 − P(D < d): a split whose D equals the observed d counts as
 * at least as extreme (strict < for the paths that stay inside). Computed in
 * probabilities, summing the mass absorbed at the boundary, so small p keep their
 * relative accuracy; O(n·m) time. Beyond n·m = 10^7 the asymptotic Kolmogorov
 * distribution at √(nm/(n+m))·D is used.
 */
import { assertUsable } from './describe.js';
import { kolmogorovSurvival } from './distributions.js';

/** Result of {@link ksTwoSample}. */
export interface KsResult {
  /** D = sup_x |F_a(x) − F_b(x)|. */
  d: number;
  /** Two-sided p-value P(D ≥ d) under H0 (exchangeable samples). */
  p: number;
  method: 'exact' | 'asymptotic';
  /** Whether the pooled sample has ties (the exact p then conditions on them). */
  ties: boolean;
}

/** Largest n·m for which the exact p-value is computed. */
const EXACT_MAX_NM = 10_000_000;

/**
 * Two-sample two-sided Kolmogorov–Smirnov test (plain or typed arrays).
 * D is evaluated after each distinct value of the pooled sample, so ties
 * (within or across samples) are stepped over together. Throws on an empty
 * sample or NaN.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  assertUsable(a, 'ksTwoSample (a)');
  assertUsable(b, 'ksTwoSample (b)');
  const n = a.length;
  const m = b.length;
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();

  // Work in integer units of 1/(nm): |i/n − j/m| = |i·m − j·n| / (nm), so D and
  // the lattice-path boundary compare exactly, with no floating tolerance.
  // blockEnd[k] = 1 when pooled position k (k values taken) ends a run of ties.
  const blockEnd = new Uint8Array(n + m + 1);
  let i = 0;
  let j = 0;
  let dInt = 0;
  let ties = false;
  while (i < n || j < m) {
    const v = i < n && (j >= m || sa[i] <= sb[j]) ? sa[i] : sb[j];
    let count = 0;
    while (i < n && sa[i] === v) {
      i++;
      count++;
    }
    while (j < m && sb[j] === v) {
      j++;
      count++;
    }
    if (count > 1) ties = true;
    blockEnd[i + j] = 1;
    const gap = Math.abs(i * m - j * n);
    if (gap > dInt) dInt = gap;
  }
  const d = dInt / (n * m);

  if (n * m <= EXACT_MAX_NM) {
    return { d, p: smirnovExactUpper(n, m, dInt, blockEnd), method: 'exact', ties };
  }
  const lambda = Math.sqrt((n * m) / (n + m)) * d;
  return { d, p: kolmogorovSurvival(lambda), method: 'asymptotic', ties };
}

/**
 * Exact P(D ≥ dInt/(nm)): the probability that a uniformly random lattice path
 * from (0, 0) to (n, m) (one of the C(n+m, n) splits) reaches a point (i, j) with
 * |i·m − j·n| ≥ dInt at a position i + j that ends a run of ties. Forward pass in
 * probabilities: from (i, j) the next pooled value belongs to sample a with
 * probability (n − i)/(N − i − j); mass reaching the boundary is absorbed and summed.
 */
function smirnovExactUpper(n: number, m: number, dInt: number, blockEnd: Uint8Array): number {
  if (dInt <= 0) return 1;
  const N = n + m;
  // u[j] holds row i (after the inner loop), row i − 1 before it is overwritten.
  const u = new Float64Array(m + 1);
  let absorbed = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      let v: number;
      if (i === 0 && j === 0) v = 1;
      else {
        const left = N - i - j + 1; // values still to place before this step
        v = (i > 0 ? (u[j] * (n - i + 1)) / left : 0) + (j > 0 ? (u[j - 1] * (m - j + 1)) / left : 0);
      }
      if (v > 0 && blockEnd[i + j] && Math.abs(i * m - j * n) >= dInt) {
        absorbed += v;
        v = 0;
      }
      u[j] = v;
    }
  }
  return Math.min(1, absorbed);
}
