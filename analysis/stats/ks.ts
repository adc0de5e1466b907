/**
 * Two-sample Kolmogorov–Smirnov test: do two scenarios' outcome
 * distributions over replications differ anywhere, not just in the mean?
 *
 * Follows R's `ks.test(x, y)` (two-sided): the exact Smirnov distribution
 * when n·m ≤ 10,000 and there are no ties, otherwise the asymptotic
 * Kolmogorov distribution at √(nm/(n+m))·D.
 */
import { assertUsable } from './describe.js';
import { kolmogorovSurvival } from './distributions.js';

/** Result of {@link ksTwoSample}. */
export interface KsResult {
  /** D = sup_x |F_a(x) − F_b(x)|. */
  d: number;
  /** Two-sided p-value P(D ≥ d) under H0 (same continuous distribution). */
  p: number;
  method: 'exact' | 'asymptotic';
}

/** Largest n·m for which the exact p-value is computed. */
const EXACT_MAX_NM = 10_000;

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
    const gap = Math.abs(i * m - j * n);
    if (gap > dInt) dInt = gap;
  }
  const d = dInt / (n * m);

  if (n * m <= EXACT_MAX_NM && !ties) {
    return { d, p: smirnovExactUpper(n, m, dInt), method: 'exact' };
  }
  const lambda = Math.sqrt((n * m) / (n + m)) * d;
  return { d, p: kolmogorovSurvival(lambda), method: 'asymptotic' };
}

/**
 * Exact P(D ≥ dInt/(nm)) for samples of sizes n and m without ties: the share
 * of the C(n+m, n) equally likely lattice paths from (0, 0) to (n, m) that
 * touch a point with |i·m − j·n| ≥ dInt.
 *
 * The "bad" paths are counted directly (a point on or past the boundary takes
 * every path reaching it; otherwise bad counts add from the two predecessors)
 * rather than as total − good, so small p-values keep full relative accuracy.
 * Counts stay below C(200, 100) ≈ 9e58 for n·m ≤ 10,000, well inside double range.
 */
function smirnovExactUpper(n: number, m: number, dInt: number): number {
  if (dInt <= 0) return 1;
  // Rolling rows over i; index j in 0..m.
  const total = new Float64Array(m + 1);
  const bad = new Float64Array(m + 1);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      let t: number;
      let bd: number;
      if (i === 0 && j === 0) {
        t = 1;
        bd = 0;
      } else {
        // total[j] / bad[j] still hold row i − 1; index j − 1 already holds row i.
        t = (i > 0 ? total[j] : 0) + (j > 0 ? total[j - 1] : 0);
        bd = (i > 0 ? bad[j] : 0) + (j > 0 ? bad[j - 1] : 0);
      }
      if (Math.abs(i * m - j * n) >= dInt) bd = t;
      total[j] = t;
      bad[j] = bd;
    }
  }
  return Math.min(1, bad[m] / total[m]);
}
