/**
 * Proportional-odds (cumulative logit) regression for ordered outcomes, used
 * by the virtual NAO survey for the Ofsted progress and behaviour grades
 * (1 = outstanding … 4 = inadequate).
 *
 * Model (McCullagh 1980, JRSS B 42:109–142; the parametrisation of R's
 * MASS::polr and ordinal::clm):
 *
 *     logit P(Y ≤ j | x) = θ_j − xᵀβ,   j = 1 … J−1,   θ_1 < … < θ_{J−1}.
 *
 * A positive β_k therefore shifts the distribution towards HIGHER categories;
 * for Ofsted grades that means towards worse grades. X must not contain an
 * intercept: the thresholds θ_j play that role. With two categories the model
 * is the logistic regression of 1{Y = upper} on x with intercept −θ_1 and the
 * same slopes β.
 *
 * Fitting: Newton–Raphson on the exact gradient and Hessian of the
 * log-likelihood, which is concave in (θ, β) for the logit link (Pratt 1981,
 * JASA 76:103–106), with step halving to keep the thresholds ordered and the
 * likelihood rising; start θ_j = logit of the cumulative sample proportions,
 * β = 0. Standard errors from the inverse observed information (−Hessian) at
 * the estimate. Categories absent from the data make their thresholds
 * unidentifiable (the MLE puts two of them equal, or one at ±∞), so they are
 * collapsed out before fitting and the result says so in `notes`.
 */
import {
  CollinearityError,
  DEFAULT_COLLINEARITY_TOLERANCE,
  checkDesign,
  checkWeights,
  factorSpd,
  inverseSpd,
  solveSpd,
} from './linalg.js';
import { normalTwoSidedP } from './logistic.js';
import { sandwich } from './robust.js';
import { studentTTwoSidedP } from '../stats/distributions.js';

/** One estimated parameter with its Wald test. */
export interface OrdinalParameter {
  /** Column name, or 'a|b' for the threshold between levels a and b. */
  name: string;
  estimate: number;
  /** Standard error from the inverse observed information. */
  se: number;
  /** estimate / se. */
  z: number;
  /** Two-sided standard-normal p-value. */
  p: number;
  /** HC1-type robust (sandwich) standard error, n/(n − k) scaled. */
  seHC1: number;
  /** Two-sided normal p from seHC1. */
  pHC1: number;
  /** Cluster-robust standard error (NaN without `clusters`). */
  seCluster: number;
  /** Two-sided p from seCluster, Student's t with G − 1 df (NaN without clusters). */
  pCluster: number;
}

/** Options for {@link ordinalLogit}. */
export interface OrdinalOptions {
  /**
   * The full ordered list of possible levels (e.g. [1, 2, 3, 4] for Ofsted
   * grades). Every y must be one of them. Levels that do not occur are
   * collapsed out, with a note. Default: the distinct values of y, ascending.
   */
  levels?: number[];
  /** Case (frequency) weights, one per row; default all 1. */
  weights?: number[];
  /** Cluster label per row (e.g. the local authority) for cluster-robust standard errors. */
  clusters?: ArrayLike<number>;
  /** Newton steps allowed (default 100). */
  maxIterations?: number;
  /** Convergence threshold on the largest absolute parameter change (default 1e-10). */
  tolerance?: number;
  /** Collinearity threshold on 1 − R² (default 1e-10). */
  collinearityTolerance?: number;
}

/** Result of {@link ordinalLogit}. */
export interface OrdinalResult {
  /** Slopes β, in column order (positive = towards higher levels). */
  coefficients: OrdinalParameter[];
  /** Thresholds θ_j, increasing, named 'a|b'. */
  thresholds: OrdinalParameter[];
  /** The levels actually modelled, ascending (after collapsing absent ones). */
  levels: number[];
  /** Human-readable notes, e.g. on collapsed categories. Empty when nothing was changed. */
  notes: string[];
  /** Covariance of (θ_1 … θ_{J−1}, β_1 … β_p), in that order. */
  covariance: number[][];
  /** Maximised log-likelihood. */
  logLik: number;
  /** −2·logLik. */
  deviance: number;
  /** deviance + 2·(number of parameters). */
  aic: number;
  /** Newton steps taken. */
  iterations: number;
  /** Number of rows. */
  n: number;
}

function expit(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Fit the proportional-odds model logit P(Y ≤ j | x) = θ_j − xᵀβ by maximum likelihood.
 *
 * @param X n×p covariates, without an intercept column (p may be 0)
 * @param y n ordered outcomes, each one of the levels
 * @param names p column names
 * @param options see {@link OrdinalOptions}
 * @throws Error on bad input, fewer than two levels present, a constant
 *   column (collinear with the thresholds), a {@link CollinearityError}, or
 *   an Error mentioning "separation" when a coefficient diverges
 */
export function ordinalLogit(
  X: number[][],
  y: number[],
  names: string[],
  options: OrdinalOptions = {},
): OrdinalResult {
  checkDesign(X, y, names, 'ordinal');
  const n = X.length;
  const p = names.length;
  const w = checkWeights(options.weights, n, 'ordinal');
  const maxIter = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-10;
  const ctol = options.collinearityTolerance ?? DEFAULT_COLLINEARITY_TOLERANCE;

  const declared = options.levels ?? [...new Set(y)].sort((a, b) => a - b);
  for (let k = 1; k < declared.length; k++) {
    if (!(declared[k] > declared[k - 1])) throw new Error('ordinal: levels must be strictly increasing');
  }
  const index = new Map<number, number>();
  declared.forEach((v, k) => index.set(v, k));
  const counts = new Array<number>(declared.length).fill(0);
  for (let i = 0; i < n; i++) {
    const k = index.get(y[i]);
    if (k === undefined) throw new Error(`ordinal: y = ${y[i]} in row ${i} is not one of the levels ${declared.join(', ')}`);
    counts[k] += w[i];
  }
  const levels = declared.filter((_, k) => counts[k] > 0);
  const notes: string[] = [];
  const absent = declared.filter((_, k) => counts[k] === 0);
  if (absent.length > 0) {
    notes.push(
      `level${absent.length > 1 ? 's' : ''} ${absent.join(', ')} ${absent.length > 1 ? 'do' : 'does'} not occur in the data ` +
        `(its thresholds are not identified), so ${absent.length > 1 ? 'they were' : 'it was'} collapsed: ` +
        `the model has ${levels.length} levels (${levels.join(', ')}) and thresholds ${thresholdNames(levels).join(', ')}`,
    );
  }
  if (levels.length < 2) {
    throw new Error(`ordinal: only ${levels.length} level (${levels.join(', ')}) occurs in the data: nothing to fit`);
  }
  const J = levels.length;
  const m = J - 1; // number of thresholds
  const cat = y.map((v) => levels.indexOf(v)); // 0-based category among the levels used

  for (let j = 0; j < p; j++) {
    const v0 = X[0][j];
    if (X.every((row) => row[j] === v0)) {
      throw new CollinearityError(
        `ordinal: column '${names[j]}' is constant; it is collinear with the thresholds (do not include an intercept)`,
        j,
        names[j],
      );
    }
  }
  // Collinearity among the covariates (after centring, i.e. allowing for the thresholds' intercept role).
  if (p > 0) {
    const means = new Array<number>(p).fill(0);
    let sw = 0;
    for (let i = 0; i < n; i++) {
      sw += w[i];
      for (let j = 0; j < p; j++) means[j] += w[i] * X[i][j];
    }
    for (let j = 0; j < p; j++) means[j] /= sw;
    const A: number[][] = [];
    for (let a = 0; a < p; a++) A.push(new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < p; a++) {
        for (let k = 0; k <= a; k++) A[a][k] += w[i] * (X[i][a] - means[a]) * (X[i][k] - means[k]);
      }
    }
    for (let a = 0; a < p; a++) for (let k = 0; k < a; k++) A[k][a] = A[a][k];
    try {
      factorSpd(A, names, ctol);
    } catch (e) {
      if (e instanceof CollinearityError) throw new CollinearityError(`ordinal: ${e.message}`, e.column, e.columnName);
      throw e;
    }
  }

  // Parameters ψ = (θ_1 … θ_m, β_1 … β_p).
  const total = counts.reduce((s, v) => s + v, 0);
  const psi = new Array<number>(m + p).fill(0);
  let cum = 0;
  for (let j = 0; j < m; j++) {
    cum += counts[declared.indexOf(levels[j])];
    const q = cum / total;
    psi[j] = Math.log(q / (1 - q));
  }
  const paramNames = [...thresholdNames(levels), ...names];

  let state = evaluate(psi, X, cat, w, m, p);
  let iter = 0;
  let converged = false;
  let lastStep = new Array<number>(m + p).fill(0);
  while (iter < maxIter) {
    iter++;
    const negH = state.hessian.map((row) => row.map((v) => -v));
    let factor;
    try {
      factor = factorSpd(negH, paramNames, ctol);
    } catch (e) {
      if (e instanceof CollinearityError) throw divergenceError(psi, lastStep, paramNames, m, iter, X);
      throw e;
    }
    const delta = solveSpd(factor, state.gradient);
    let step = 1;
    let next = psi;
    let nextState = state;
    let accepted = false;
    for (let halving = 0; halving < 40; halving++) {
      next = psi.map((v, k) => v + step * delta[k]);
      if (ordered(next, m)) {
        nextState = evaluate(next, X, cat, w, m, p);
        if (nextState.logLik >= state.logLik - 1e-12 * Math.abs(state.logLik)) {
          accepted = true;
          break;
        }
      }
      step /= 2;
    }
    if (!accepted) break; // No ascent possible: at the optimum to rounding.
    let moved = 0;
    for (let k = 0; k < psi.length; k++) moved = Math.max(moved, Math.abs(next[k] - psi[k]));
    lastStep = delta.map((v) => v * step);
    for (let k = 0; k < psi.length; k++) psi[k] = next[k];
    state = nextState;
    if (moved < tol) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    // The step loop can stop with no ascent only when already at the optimum; check the gradient.
    const gmax = Math.max(...state.gradient.map(Math.abs));
    if (!(gmax < 1e-6 * Math.max(1, total))) throw divergenceError(psi, lastStep, paramNames, m, iter, X);
  }

  let cov: number[][];
  try {
    cov = inverseSpd(factorSpd(state.hessian.map((row) => row.map((v) => -v)), paramNames, ctol));
  } catch (e) {
    if (e instanceof CollinearityError) throw divergenceError(psi, lastStep, paramNames, m, iter, X);
    throw e;
  }
  // Sandwich errors (robust.ts): bread = inverse observed information, scores = per-row gradients.
  const robust = sandwich(cov, observationScores(psi, X, cat, w, m, p), options.clusters);
  const G = robust.cluster ? robust.groups : 0;
  const param = (k: number): OrdinalParameter => {
    const se = Math.sqrt(cov[k][k]);
    const z = psi[k] / se;
    const seHC1 = Math.sqrt(robust.hc1[k][k]);
    const seCluster = robust.cluster ? Math.sqrt(robust.cluster[k][k]) : NaN;
    return {
      name: paramNames[k],
      estimate: psi[k],
      se,
      z,
      p: normalTwoSidedP(z),
      seHC1,
      pHC1: normalTwoSidedP(psi[k] / seHC1),
      seCluster,
      pCluster: G > 1 ? studentTTwoSidedP(psi[k] / seCluster, G - 1) : NaN,
    };
  };
  const thresholds: OrdinalParameter[] = [];
  for (let j = 0; j < m; j++) thresholds.push(param(j));
  const coefficients: OrdinalParameter[] = [];
  for (let k = 0; k < p; k++) coefficients.push(param(m + k));
  return {
    coefficients,
    thresholds,
    levels,
    notes,
    covariance: cov,
    logLik: state.logLik,
    deviance: -2 * state.logLik,
    aic: -2 * state.logLik + 2 * (m + p),
    iterations: iter,
    n,
  };
}

function thresholdNames(levels: number[]): string[] {
  const out: string[] = [];
  for (let j = 0; j + 1 < levels.length; j++) out.push(`${levels[j]}|${levels[j + 1]}`);
  return out;
}

function ordered(psi: number[], m: number): boolean {
  for (let j = 1; j < m; j++) if (!(psi[j] > psi[j - 1])) return false;
  return psi.every(Number.isFinite);
}

interface State {
  logLik: number;
  gradient: number[];
  hessian: number[][];
}

/**
 * Log-likelihood, gradient and Hessian at ψ. For an observation in category k
 * with a = θ_k − η (upper cut, +∞ for the top category) and b = θ_{k−1} − η
 * (lower cut, −∞ for the bottom), P = F(a) − F(b) with F the logistic CDF,
 * f = F(1 − F) and f' = f(1 − 2F). Writing g_a = f(a)/P, g_b = f(b)/P,
 * h_a = f'(a)/P, h_b = f'(b)/P:
 *   ∂ℓ/∂θ_k = g_a, ∂ℓ/∂θ_{k−1} = −g_b, ∂ℓ/∂β = −x(g_a − g_b);
 *   ∂²ℓ/∂θ_k² = h_a − g_a², ∂²ℓ/∂θ_{k−1}² = −h_b − g_b², ∂²ℓ/∂θ_k∂θ_{k−1} = g_a g_b;
 *   ∂²ℓ/∂θ_k∂β = −x(h_a − g_a(g_a − g_b)), ∂²ℓ/∂θ_{k−1}∂β = x(h_b − g_b(g_a − g_b));
 *   ∂²ℓ/∂β∂βᵀ = xxᵀ((h_a − h_b) − (g_a − g_b)²).
 */
function evaluate(psi: number[], X: number[][], cat: number[], w: number[], m: number, p: number): State {
  const dim = m + p;
  const gradient = new Array<number>(dim).fill(0);
  const hessian: number[][] = [];
  for (let k = 0; k < dim; k++) hessian.push(new Array<number>(dim).fill(0));
  let logLik = 0;
  for (let i = 0; i < X.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const xi = X[i];
    let eta = 0;
    for (let k = 0; k < p; k++) eta += xi[k] * psi[m + k];
    const k = cat[i];
    const hasUpper = k < m;
    const hasLower = k > 0;
    const a = hasUpper ? psi[k] - eta : Infinity;
    const b = hasLower ? psi[k - 1] - eta : -Infinity;
    // P = F(a) − F(b), taken from the upper tails when both cuts are positive, to avoid cancellation.
    let P: number;
    if (b > 0) P = expit(-b) - expit(-a);
    else P = expit(a) - expit(b);
    if (!(P > 0)) P = Number.MIN_VALUE;
    logLik += wi * Math.log(P);
    const Fa = hasUpper ? expit(a) : 1;
    const Fb = hasLower ? expit(b) : 0;
    const fa = hasUpper ? Fa * (1 - Fa) : 0;
    const fb = hasLower ? Fb * (1 - Fb) : 0;
    const ga = fa / P;
    const gb = fb / P;
    const d = ga - gb;
    if (hasUpper) gradient[k] += wi * ga;
    if (hasLower) gradient[k - 1] -= wi * gb;
    for (let q = 0; q < p; q++) gradient[m + q] -= wi * xi[q] * d;
    const ha = hasUpper ? (fa * (1 - 2 * Fa)) / P : 0;
    const hb = hasLower ? (fb * (1 - 2 * Fb)) / P : 0;
    if (hasUpper) hessian[k][k] += wi * (ha - ga * ga);
    if (hasLower) hessian[k - 1][k - 1] += wi * (-hb - gb * gb);
    if (hasUpper && hasLower) {
      hessian[k][k - 1] += wi * ga * gb;
      hessian[k - 1][k] += wi * ga * gb;
    }
    const cu = hasUpper ? -(ha - ga * d) : 0;
    const cl = hasLower ? hb - gb * d : 0;
    const bb = ha - hb - d * d;
    for (let q = 0; q < p; q++) {
      const xq = xi[q];
      if (hasUpper) {
        hessian[k][m + q] += wi * xq * cu;
        hessian[m + q][k] += wi * xq * cu;
      }
      if (hasLower) {
        hessian[k - 1][m + q] += wi * xq * cl;
        hessian[m + q][k - 1] += wi * xq * cl;
      }
      for (let r = 0; r <= q; r++) {
        const v = wi * xq * xi[r] * bb;
        hessian[m + q][m + r] += v;
        if (r !== q) hessian[m + r][m + q] += v;
      }
    }
  }
  return { logLik, gradient, hessian };
}

/** Per-row gradient of the weighted log-likelihood at ψ (the same terms as {@link evaluate}'s gradient). */
function observationScores(psi: number[], X: number[][], cat: number[], w: number[], m: number, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.length; i++) {
    const s = new Array<number>(m + p).fill(0);
    out.push(s);
    const wi = w[i];
    if (wi === 0) continue;
    const xi = X[i];
    let eta = 0;
    for (let k = 0; k < p; k++) eta += xi[k] * psi[m + k];
    const k = cat[i];
    const hasUpper = k < m;
    const hasLower = k > 0;
    const a = hasUpper ? psi[k] - eta : Infinity;
    const b = hasLower ? psi[k - 1] - eta : -Infinity;
    let P: number;
    if (b > 0) P = expit(-b) - expit(-a);
    else P = expit(a) - expit(b);
    if (!(P > 0)) P = Number.MIN_VALUE;
    const Fa = hasUpper ? expit(a) : 1;
    const Fb = hasLower ? expit(b) : 0;
    const ga = (hasUpper ? Fa * (1 - Fa) : 0) / P;
    const gb = (hasLower ? Fb * (1 - Fb) : 0) / P;
    if (hasUpper) s[k] += wi * ga;
    if (hasLower) s[k - 1] -= wi * gb;
    for (let q = 0; q < p; q++) s[m + q] -= wi * xi[q] * (ga - gb);
  }
  return out;
}

function divergenceError(psi: number[], lastStep: number[], names: string[], m: number, iter: number, X: number[][]): Error {
  // Name the covariate whose last step moved the linear predictor most; thresholds only when there are no covariates
  // (under separation they run off in step with the slopes, so naming one would not point at the cause).
  let best = 0;
  let bestMove = -1;
  for (let k = psi.length > m ? m : 0; k < psi.length; k++) {
    let spread = 1;
    if (k >= m) {
      const col = X.map((row) => row[k - m]);
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      spread = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
    }
    const move = Math.abs(lastStep[k]) * spread;
    if (move > bestMove) {
      bestMove = move;
      best = k;
    }
  }
  const what = best >= m ? `coefficient '${names[best]}'` : `threshold '${names[best]}'`;
  return new Error(
    `ordinal: Newton–Raphson did not converge in ${iter} steps; ${what} is diverging ` +
      `(${psi[best].toPrecision(6)}, still moving): the outcome is (quasi-)separated by the covariates ` +
      `and the maximum-likelihood estimate does not exist`,
  );
}
