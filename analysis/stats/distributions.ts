/**
 * Distribution functions used by the scenario-comparison statistics.
 *
 * Self-contained numerical code (no package dependencies): normal CDF and quantile,
 * the regularized incomplete beta and gamma functions, and from those the
 * Student t, chi-square and Kolmogorov distributions. Accuracy target is close
 * to double precision (relative error ~1e-14 or better in the body, with
 * tails computed directly rather than as 1 − CDF so small p-values keep their
 * relative accuracy). Logarithms and exponentials are sim/fmath.ts's portable ones, so
 * p-values and intervals have the same bits in Node and in a browser.
 */
import { exp, log, log1p, sin2pi } from '../../sim/fmath.js';

const EPS = 1e-16;
// Smallest representable positive number guard for the modified Lentz algorithm.
const TINY = 1e-300;
const MAX_ITER = 10_000;
const LOG_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2π))
const SQRT_2PI = 2.5066282746310002;

// Lanczos approximation (g = 7, n = 9); relative error < 1e-15 for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in its accurate range.
    return log(Math.PI / Math.abs(sin2pi(0.5 * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (z + 0.5) * log(t) - t + log(s);
}

/**
 * Regularized incomplete gamma, returning both P(a, x) and Q(a, x) = 1 − P
 * without cancellation: the series gives P directly when x < a + 1, the
 * continued fraction gives Q directly otherwise.
 */
function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  const logPrefix = a * log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series: P = e^{-x} x^a / Γ(a+1) · Σ x^n / ((a+1)...(a+n)).
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let n = 0; n < MAX_ITER; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = Math.min(1, sum * exp(logPrefix));
    return { p, q: 1 - p };
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.min(1, exp(logPrefix) * h);
  return { p: 1 - q, q };
}

/** Upper normal tail Φ(−|z|)-style helper: returns P(Z > z) for z ≥ 0 accurately. */
function normalUpper(z: number): number {
  // Φ̄(z) = Q(1/2, z²/2) / 2 for z ≥ 0.
  return 0.5 * incompleteGamma(0.5, 0.5 * z * z).q;
}

/**
 * Standard normal cumulative distribution function Φ(z).
 * Computed via the incomplete gamma function, so both tails have full relative accuracy.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return z < 0 ? normalUpper(-z) : 1 - normalUpper(z);
}

// Acklam's rational approximation (relative error < 1.15e-9), refined below.
const AQ_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const AQ_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const AQ_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const AQ_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const AQ_P_LOW = 0.02425;

/**
 * Standard normal quantile Φ⁻¹(p) for p in [0, 1] (±Infinity at the ends, NaN outside).
 * Acklam's rational approximation followed by one Halley step against
 * {@link normalCdf}, which brings it to near double precision.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Work in the lower half and reflect, so the refinement uses a small tail
  // probability (accurate) rather than a difference near 1.
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** Φ⁻¹(p) for 0 < p ≤ 0.5. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < AQ_P_LOW) {
    const q = Math.sqrt(-2 * log(p));
    x =
      (((((AQ_C[0] * q + AQ_C[1]) * q + AQ_C[2]) * q + AQ_C[3]) * q + AQ_C[4]) * q + AQ_C[5]) /
      ((((AQ_D[0] * q + AQ_D[1]) * q + AQ_D[2]) * q + AQ_D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((AQ_A[0] * r + AQ_A[1]) * r + AQ_A[2]) * r + AQ_A[3]) * r + AQ_A[4]) * r + AQ_A[5]) * q) /
      (((((AQ_B[0] * r + AQ_B[1]) * r + AQ_B[2]) * r + AQ_B[3]) * r + AQ_B[4]) * r + 1);
  }
  if (x === 0) return 0;
  // Halley step on f(x) = Φ(x) − p, with Φ(x) for x ≤ 0 from the accurate upper tail.
  const e = normalUpper(-x) - p;
  const u = e * SQRT_2PI * exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/** Continued fraction for I_x(a, b) (Numerical Recipes' betacf, modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    // Even step.
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b),
 * for 0 ≤ x ≤ 1 and a, b > 0. Evaluated by continued fraction, using the
 * symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on whichever side converges fast.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a <= 0 || b <= 0) throw new RangeError(`regularizedIncompleteBeta: a and b must be > 0 (got a=${a}, b=${b})`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x);
  const front = exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Two-sided tail P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2), computed without 1 − CDF. */
function studentTwoTail(t: number, df: number): number {
  if (df === Infinity) return 2 * normalUpper(Math.abs(t));
  if (!Number.isFinite(t)) return 0;
  const x = df / (df + t * t);
  return regularizedIncompleteBeta(x, 0.5 * df, 0.5);
}

/**
 * Student t cumulative distribution function P(T ≤ t) with `df` > 0 degrees
 * of freedom (non-integer df allowed; df = Infinity gives the normal).
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  if (!(df > 0)) throw new RangeError(`studentTCdf: df must be > 0 (got ${df})`);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const half = 0.5 * studentTwoTail(t, df);
  return t > 0 ? 1 - half : half;
}

/** Two-sided p-value P(|T| ≥ |t|) for a Student t statistic with `df` > 0 degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  if (!(df > 0)) throw new RangeError(`studentTTwoSidedP: df must be > 0 (got ${df})`);
  return Math.min(1, studentTwoTail(t, df));
}

/**
 * Chi-square cumulative distribution function P(X ≤ x) with k > 0 degrees of
 * freedom: the regularized lower incomplete gamma P(k/2, x/2).
 */
export function chiSquareCdf(x: number, k: number): number {
  if (Number.isNaN(x) || Number.isNaN(k)) return NaN;
  if (!(k > 0)) throw new RangeError(`chiSquareCdf: k must be > 0 (got ${k})`);
  if (x <= 0) return 0;
  return incompleteGamma(0.5 * k, 0.5 * x).p;
}

/**
 * Survival function of the Kolmogorov distribution,
 * Q_KS(λ) = P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}.
 *
 * The alternating series converges slowly for small λ, so below λ = 1 the
 * equivalent Jacobi-theta form of the CDF is used instead:
 * P(K ≤ λ) = (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)}.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (Number.isNaN(lambda)) return NaN;
  if (lambda <= 0) return 1;
  if (lambda === Infinity) return 0;
  if (lambda < 1) {
    const z = (-Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k < 200; k += 2) {
      const term = exp(k * k * z);
      s += term;
      if (term < EPS * s) break;
    }
    return Math.min(1, Math.max(0, 1 - (SQRT_2PI / lambda) * s));
  }
  let sum = 0;
  let sign = 1;
  const l2 = -2 * lambda * lambda;
  for (let k = 1; k < 200; k++) {
    const term = exp(l2 * k * k);
    sum += sign * term;
    if (term < EPS * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Student t quantile: the t with P(T ≤ t) = p for `df` > 0 degrees of freedom,
 * by bisection on {@link studentTCdf} to full double precision (about 100
 * halvings). Symmetric: q(1 − p) = −q(p).
 */
export function studentTQuantile(p: number, df: number): number {
  // A comparison asks for the same (p, df) once per metric; the bisection costs about 55 CDFs.
  const key = `${p}|${df}`;
  const known = quantileCache.get(key);
  if (known !== undefined) return known;
  const q = studentTQuantileBisect(p, df);
  if (quantileCache.size >= 256) quantileCache.clear();
  quantileCache.set(key, q);
  return q;
}

/** Quantiles already computed (studentTQuantile is a pure function of p and df). */
const quantileCache = new Map<string, number>();

function studentTQuantileBisect(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df)) return NaN;
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0 (got ${df})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`studentTQuantile: p must be in [0, 1] (got ${p})`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantileBisect(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 200 && hi - lo > 4 * Number.EPSILON * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
