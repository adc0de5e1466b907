/**
 * The binomial upper tail, for PRIM's quasi-p-values (Bryant & Lempert 2010, as
 * the EMA Workbench computes them: a one-sided binomial test).
 */
import { regularizedIncompleteBeta } from '../stats/distributions.js';

/**
 * P(X >= k) for X ~ Binomial(n, p): 1 for k <= 0, 0 for k > n, otherwise the
 * regularized incomplete beta I_p(k, n - k + 1).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!(p >= 0 && p <= 1) || !Number.isInteger(n) || n < 0) return NaN;
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return regularizedIncompleteBeta(p, k, n - k + 1);
}
