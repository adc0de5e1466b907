/**
 * Binary logistic regression, for the virtual NAO survey's yes/no answers
 * (e.g. whether a school reports an improvement attributed to its partnership).
 *
 * Method: maximum likelihood by Newton–Raphson, which for the canonical logit
 * link is the same as Fisher scoring / iteratively reweighted least squares
 * (McCullagh & Nelder, Generalized Linear Models, 2nd ed., §2.5 and §4.4).
 * Each step solves (XᵀWX)δ = Xᵀ(y − μ) by Cholesky (linalg.ts), halving the
 * step if the deviance would rise. Convergence is declared when the linear
 * predictor moves by less than the tolerance, which (unlike a test on the
 * deviance alone) never passes while coefficients are running off to
 * infinity: under (quasi-)complete separation (Albert & Anderson 1984,
 * Biometrika 71:1–10) each Newton step keeps moving the separated
 * observations' linear predictor by about one unit, so the fit ends in a clear
 * error naming the diverging coefficient. Standard errors are from the
 * inverse Fisher information (XᵀWX)⁻¹ at the estimate; Wald z and two-sided
 * normal p-values, as R's summary.glm prints.
 */
import { normalCdf } from '../stats/distributions.js';
import {
  CollinearityError,
  DEFAULT_COLLINEARITY_TOLERANCE,
  checkDesign,
  checkWeights,
  factorSpd,
  findConstantColumn,
  inverseSpd,
  solveSpd,
  withIntercept,
} from './linalg.js';

/** One row of a logistic coefficient table. */
export interface LogisticCoefficient {
  name: string;
  /** Log-odds coefficient. */
  estimate: number;
  /** Standard error from the inverse Fisher information. */
  se: number;
  /** Wald statistic estimate / se. */
  z: number;
  /** Two-sided p-value from the standard normal. */
  p: number;
}

/** Options for {@link logistic}. */
export interface LogisticOptions {
  /** Prepend a column of ones named '(Intercept)' (default false: X is fitted as given). */
  intercept?: boolean;
  /** Case (frequency) weights, one per row; default all 1. */
  weights?: number[];
  /** Newton steps allowed before giving up (default 50; a regular fit takes 4–8). */
  maxIterations?: number;
  /** Convergence threshold on the largest change in the linear predictor (default 1e-10). */
  tolerance?: number;
  /** Collinearity threshold on 1 − R² (default 1e-10). */
  collinearityTolerance?: number;
}

/** Result of {@link logistic}. */
export interface LogisticResult {
  coefficients: LogisticCoefficient[];
  /** Covariance (inverse Fisher information) in coefficient order. */
  covariance: number[][];
  /** Maximised log-likelihood. */
  logLik: number;
  /** Residual deviance −2·logLik (binary data). */
  deviance: number;
  /** Deviance of the intercept-only model (of η = 0 when there is no intercept, as R's glm). */
  nullDeviance: number;
  /** AIC = deviance + 2p. */
  aic: number;
  /** Newton steps taken. */
  iterations: number;
  /** Number of rows. */
  n: number;
  /** Whether a constant column (intercept) was present. */
  hasIntercept: boolean;
  /** Fitted probabilities. */
  fitted: number[];
}

/** log(1 + e^x) without overflow or loss of precision. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Logistic function 1/(1 + e^−x), stable for large |x|. */
export function expit(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Two-sided standard-normal p-value, computed from the lower tail so small values keep their digits. */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/**
 * Fit P(y = 1 | x) = 1 / (1 + exp(−xᵀβ)) by maximum likelihood.
 *
 * @param X n×p design matrix
 * @param y n outcomes, each 0 or 1
 * @param names p column names
 * @param options see {@link LogisticOptions}; the intercept is NOT added unless asked
 * @throws Error on bad input, a {@link CollinearityError} naming a collinear
 *   column, or an Error mentioning "separation" and the diverging coefficient
 *   when the maximum-likelihood estimate does not exist
 */
export function logistic(
  X: number[][],
  y: number[],
  names: string[],
  options: LogisticOptions = {},
): LogisticResult {
  checkDesign(X, y, names, 'logistic');
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`logistic: y must be 0 or 1, but row ${i} has ${y[i]}`);
  }
  const d = withIntercept(X, names, options.intercept ?? false);
  const Xd = d.X;
  const cols = d.names;
  const n = Xd.length;
  const p = cols.length;
  const w = checkWeights(options.weights, n, 'logistic');
  const maxIter = options.maxIterations ?? 50;
  const tol = options.tolerance ?? 1e-10;
  const ctol = options.collinearityTolerance ?? DEFAULT_COLLINEARITY_TOLERANCE;
  const c = findConstantColumn(Xd, cols, 'logistic');

  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i];
    swy += w[i] * y[i];
  }
  if (swy === 0 || swy === sw) {
    throw new Error(`logistic: every (weighted) outcome is ${swy === 0 ? 0 : 1}, so the log-odds are infinite: nothing to fit`);
  }

  // Collinearity of the design itself is reported before any iteration, so it is never mistaken for separation.
  factorWithContext(crossProduct(Xd, w), cols, ctol);

  let beta = new Array<number>(p).fill(0);
  let eta = new Array<number>(n).fill(0);
  let dev = deviance(eta, y, w);
  let lastDelta = new Array<number>(p).fill(0);
  let converged = false;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    const mu = eta.map(expit);
    const W = mu.map((m, i) => w[i] * m * (1 - m));
    const g = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const r = w[i] * (y[i] - mu[i]);
      for (let j = 0; j < p; j++) g[j] += Xd[i][j] * r;
    }
    let factor;
    try {
      factor = factorSpd(crossProduct(Xd, W), cols, ctol);
    } catch (e) {
      // The weights μ(1 − μ) of perfectly predicted rows underflow as the fit runs away.
      if (e instanceof CollinearityError) throw separationError(Xd, y, w, eta, beta, lastDelta, cols, c, iter);
      throw e;
    }
    const delta = solveSpd(factor, g);
    let step = 1;
    let betaNew = beta;
    let etaNew = eta;
    let devNew = dev;
    for (let halving = 0; halving < 40; halving++) {
      betaNew = beta.map((b, j) => b + step * delta[j]);
      etaNew = linear(Xd, betaNew);
      devNew = deviance(etaNew, y, w);
      if (devNew <= dev + 1e-12 * Math.abs(dev)) break;
      step /= 2;
    }
    let moved = 0;
    for (let i = 0; i < n; i++) moved = Math.max(moved, Math.abs(etaNew[i] - eta[i]));
    lastDelta = delta.map((v) => v * step);
    beta = betaNew;
    eta = etaNew;
    dev = devNew;
    if (moved < tol) {
      converged = true;
      break;
    }
  }
  if (!converged) throw separationError(Xd, y, w, eta, beta, lastDelta, cols, c, iter);

  const mu = eta.map(expit);
  const W = mu.map((m, i) => w[i] * m * (1 - m));
  const cov = inverseSpd(factorWithContext(crossProduct(Xd, W), cols, ctol));
  const coefficients: LogisticCoefficient[] = cols.map((name, j) => {
    const se = Math.sqrt(cov[j][j]);
    const z = beta[j] / se;
    return { name, estimate: beta[j], se, z, p: normalTwoSidedP(z) };
  });

  const pbar = swy / sw;
  const nullEta = c >= 0 ? Math.log(pbar / (1 - pbar)) : 0;
  const nullDeviance = deviance(new Array<number>(n).fill(nullEta), y, w);
  return {
    coefficients,
    covariance: cov,
    logLik: -dev / 2,
    deviance: dev,
    nullDeviance,
    aic: dev + 2 * p,
    iterations: iter,
    n,
    hasIntercept: c >= 0,
    fitted: mu,
  };
}

function crossProduct(X: number[][], W: number[]): number[][] {
  const p = X[0].length;
  const A: number[][] = [];
  for (let j = 0; j < p; j++) A.push(new Array<number>(p).fill(0));
  for (let i = 0; i < X.length; i++) {
    const xi = X[i];
    const wi = W[i];
    if (wi === 0) continue;
    for (let a = 0; a < p; a++) {
      const v = wi * xi[a];
      for (let k = 0; k <= a; k++) A[a][k] += v * xi[k];
    }
  }
  for (let a = 0; a < p; a++) for (let k = 0; k < a; k++) A[k][a] = A[a][k];
  return A;
}

function factorWithContext(A: number[][], cols: string[], tol: number) {
  try {
    return factorSpd(A, cols, tol);
  } catch (e) {
    if (e instanceof CollinearityError) throw new CollinearityError(`logistic: ${e.message}`, e.column, e.columnName);
    throw e;
  }
}

function linear(X: number[][], b: number[]): number[] {
  return X.map((row) => {
    let s = 0;
    for (let j = 0; j < b.length; j++) s += row[j] * b[j];
    return s;
  });
}

/** Binary deviance −2 Σ w [y log μ + (1 − y) log(1 − μ)], via softplus so it never takes log 0. */
function deviance(eta: number[], y: number[], w: number[]): number {
  let s = 0;
  for (let i = 0; i < eta.length; i++) {
    if (w[i] === 0) continue;
    s += w[i] * (y[i] === 1 ? softplus(-eta[i]) : softplus(eta[i]));
  }
  return 2 * s;
}

function separationError(
  X: number[][],
  y: number[],
  w: number[],
  eta: number[],
  beta: number[],
  lastDelta: number[],
  cols: string[],
  c: number,
  iter: number,
): Error {
  let perfect = 0;
  let used = 0;
  for (let i = 0; i < eta.length; i++) {
    if (w[i] === 0) continue;
    used++;
    if ((eta[i] > 15 && y[i] === 1) || (eta[i] < -15 && y[i] === 0)) perfect++;
  }
  if (perfect === 0) {
    return new Error(`logistic: Newton–Raphson did not converge in ${iter} steps (no sign of separation); try more iterations`);
  }
  // Name the slope whose last step moved the linear predictor most (the intercept only if it is alone).
  let best = -1;
  let bestMove = -1;
  for (let j = 0; j < cols.length; j++) {
    if (j === c && cols.length > 1) continue;
    let mean = 0;
    for (const row of X) mean += row[j];
    mean /= X.length;
    let ss = 0;
    for (const row of X) ss += (row[j] - mean) ** 2;
    const spread = j === c ? Math.abs(X[0][j]) : Math.sqrt(ss / X.length);
    const move = Math.abs(lastDelta[j]) * spread;
    if (move > bestMove) {
      bestMove = move;
      best = j;
    }
  }
  return new Error(
    `logistic: (quasi-)complete separation: ${perfect} of ${used} observations are predicted perfectly and ` +
      `coefficient '${cols[best]}' is diverging (${beta[best].toPrecision(6)} after ${iter} Newton steps, still moving); ` +
      `the maximum-likelihood estimate does not exist. Drop, coarsen or penalise '${cols[best]}'.`,
  );
}
