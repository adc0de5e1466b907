/**
 * Ordinary least squares, used by the virtual NAO survey for its continuous
 * outcomes (contextual value added, attainment trend, exclusion rate) regressed
 * on partnership features and school characteristics.
 *
 * Method: the normal equations, solved by Cholesky decomposition of the
 * cross-product matrix (see linalg.ts), with two safeguards that make this
 * accurate on ill-conditioned data such as Longley's (1967) macro series:
 * when the design has an intercept the other columns and y are centred first
 * (two-pass means), which removes the near-dependence of every column on the
 * constant, and the centred cross-product matrix is equilibrated to unit
 * diagonal before factorising. One step of iterative refinement then recovers
 * most of the digits the squaring of the condition number costs. Verified
 * against the NIST StRD certified values for Longley (tests/analysis/regression).
 * Standard errors are σ̂²(XᵀX)⁻¹ with σ̂² = RSS/(n − p); t-tests are two-sided
 * against Student's t with n − p degrees of freedom. HC1 and (given cluster
 * labels) cluster-robust errors come beside them (robust.ts).
 */
import { studentTTwoSidedP } from '../stats/distributions.js';
import { sandwich } from './robust.js';
import {
  CollinearityError,
  DEFAULT_COLLINEARITY_TOLERANCE,
  checkDesign,
  factorSpd,
  findConstantColumn,
  inverseSpd,
  solveSpd,
  withIntercept,
} from './linalg.js';

/** One row of a linear-model coefficient table. */
export interface OlsCoefficient {
  name: string;
  estimate: number;
  /** Standard error. */
  se: number;
  /** estimate / se. */
  t: number;
  /** Two-sided p-value from Student's t with `df` degrees of freedom. */
  p: number;
  /** HC1 (heteroskedasticity-robust) standard error. */
  seHC1: number;
  /** Two-sided p from the HC1 error, Student's t with n − p df. */
  pHC1: number;
  /** Cluster-robust standard error (NaN without `clusters`, or with fewer than 2). */
  seCluster: number;
  /** Two-sided p from the clustered error, Student's t with G − 1 df (NaN without clusters). */
  pCluster: number;
}

/** Options for {@link ols}. */
export interface OlsOptions {
  /**
   * Prepend a column of ones named '(Intercept)'. Default false: X is fitted
   * exactly as given, so a caller who wants an intercept either passes
   * `intercept: true` or includes a constant column itself (both give the same
   * fit; a constant column is recognised and used as the intercept).
   */
  intercept?: boolean;
  /** Smallest acceptable 1 − R² of a column on the others before it is called collinear (default 1e-10). */
  tolerance?: number;
  /** Cluster label per observation (e.g. the local authority) for cluster-robust standard errors. */
  clusters?: ArrayLike<number>;
}

/** Result of {@link ols}. */
export interface OlsResult {
  coefficients: OlsCoefficient[];
  /** R²: centred (1 − RSS/TSS) when the model has an intercept, uncentred (1 − RSS/Σy²) otherwise, as R's summary.lm. */
  r2: number;
  /** Adjusted R². */
  adjR2: number;
  /** Residual standard deviation √(RSS/df). */
  sigma: number;
  /** Number of observations. */
  n: number;
  /** Residual degrees of freedom n − p. */
  df: number;
  /** Residual sum of squares. */
  rss: number;
  /** Overall F statistic against the intercept-only model (or the zero model without an intercept); NaN when p = 1 with intercept. */
  f: number;
  /** Whether a constant column (intercept) was present. */
  hasIntercept: boolean;
  /** Number of clusters behind seCluster (0 without clusters). */
  clusters: number;
  /** Covariance matrix of the estimates, in coefficient order. */
  covariance: number[][];
  /** Fitted values Xβ̂. */
  fitted: number[];
  /** Residuals y − Xβ̂. */
  residuals: number[];
}

/**
 * Fit y = Xβ + ε by least squares.
 *
 * @param X n×p design matrix (rows are observations)
 * @param y n responses
 * @param names p column names (the coefficient names)
 * @param options see {@link OlsOptions}; note the intercept is NOT added unless asked
 * @throws Error on mismatched shapes, non-finite values, n ≤ p, or a
 *   {@link CollinearityError} naming the column that is (nearly) a linear
 *   combination of the others
 */
export function ols(X: number[][], y: number[], names: string[], options: OlsOptions = {}): OlsResult {
  checkDesign(X, y, names, 'ols');
  const tol = options.tolerance ?? DEFAULT_COLLINEARITY_TOLERANCE;
  const d = withIntercept(X, names, options.intercept ?? false);
  const Xd = d.X;
  const cols = d.names;
  const n = Xd.length;
  const p = cols.length;
  if (p === 0) throw new Error('ols: no columns');
  if (n <= p) throw new Error(`ols: ${n} observations cannot estimate ${p} coefficients with a residual variance (need n > p)`);
  const c = findConstantColumn(Xd, cols, 'ols');

  // The columns that enter the cross-product system: all but the constant one when there is an intercept.
  const free: number[] = [];
  for (let j = 0; j < p; j++) if (j !== c) free.push(j);
  const q = free.length;
  const freeNames = free.map((j) => cols[j]);

  const means = new Array<number>(p).fill(0);
  let ybar = 0;
  if (c >= 0) {
    for (let i = 0; i < n; i++) {
      ybar += y[i];
      for (const j of free) means[j] += Xd[i][j];
    }
    ybar /= n;
    for (const j of free) means[j] /= n;
  }
  // Centred (or raw, without intercept) copies; the second pass of the two-pass means.
  const Z: number[][] = Xd.map((row) => free.map((j) => row[j] - means[j]));
  const yc = y.map((v) => v - ybar);

  let slopes: number[] = [];
  let inv: number[][] = [];
  if (q > 0) {
    const A: number[][] = [];
    for (let a = 0; a < q; a++) A.push(new Array<number>(q).fill(0));
    const b = new Array<number>(q).fill(0);
    for (let i = 0; i < n; i++) {
      const zi = Z[i];
      for (let a = 0; a < q; a++) {
        b[a] += zi[a] * yc[i];
        for (let k = 0; k <= a; k++) A[a][k] += zi[a] * zi[k];
      }
    }
    for (let a = 0; a < q; a++) for (let k = 0; k < a; k++) A[k][a] = A[a][k];
    let factor;
    try {
      factor = factorSpd(A, freeNames, tol);
    } catch (e) {
      if (e instanceof CollinearityError) {
        const idx = free[e.column];
        throw new CollinearityError(`ols: ${e.message}`, idx, cols[idx]);
      }
      throw e;
    }
    slopes = solveSpd(factor, b);
    // One step of iterative refinement: solve for the correction from the current residuals.
    const r = residualsOf(Z, yc, slopes);
    const g = new Array<number>(q).fill(0);
    for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) g[a] += Z[i][a] * r[i];
    const delta = solveSpd(factor, g);
    slopes = slopes.map((v, a) => v + delta[a]);
    inv = inverseSpd(factor);
  }

  const resid = residualsOf(Z, yc, slopes);
  let rss = 0;
  for (const e of resid) rss += e * e;
  const df = n - p;
  const sigma2 = rss / df;

  // Assemble the estimates and covariance in the original column order.
  const beta = new Array<number>(p).fill(0);
  free.forEach((j, a) => (beta[j] = slopes[a]));
  const cov: number[][] = [];
  for (let i = 0; i < p; i++) cov.push(new Array<number>(p).fill(0));
  for (let a = 0; a < q; a++) for (let k = 0; k < q; k++) cov[free[a]][free[k]] = sigma2 * inv[a][k];
  if (c >= 0) {
    const k0 = Xd[0][c];
    let fit = ybar;
    for (let a = 0; a < q; a++) fit -= means[free[a]] * slopes[a];
    beta[c] = fit / k0;
    // Var(a) = σ²(1/n + m̄ᵀA⁻¹m̄)/k², Cov(a, b) = −σ² A⁻¹m̄ / k, from a = (ȳ − m̄ᵀb)/k.
    const Am = new Array<number>(q).fill(0);
    for (let a = 0; a < q; a++) for (let k = 0; k < q; k++) Am[a] += inv[a][k] * means[free[k]];
    let mAm = 0;
    for (let a = 0; a < q; a++) mAm += means[free[a]] * Am[a];
    cov[c][c] = (sigma2 * (1 / n + mAm)) / (k0 * k0);
    for (let a = 0; a < q; a++) {
      const v = (-sigma2 * Am[a]) / k0;
      cov[c][free[a]] = v;
      cov[free[a]][c] = v;
    }
  }

  const fitted = y.map((v, i) => v - resid[i]);
  let tss = 0;
  if (c >= 0) for (const v of yc) tss += v * v;
  else for (const v of y) tss += v * v;
  const r2 = tss > 0 ? 1 - rss / tss : NaN;
  const dfModel = c >= 0 ? p - 1 : p;
  const dfTotal = c >= 0 ? n - 1 : n;
  const adjR2 = 1 - ((1 - r2) * dfTotal) / df;
  const f = dfModel > 0 ? ((tss - rss) / dfModel) / sigma2 : NaN;

  // Sandwich errors: bread (XᵀX)⁻¹ = cov / σ², scores x_i e_i (see robust.ts).
  const bread = cov.map((row) => row.map((v) => (sigma2 > 0 ? v / sigma2 : 0)));
  const robust = sandwich(bread, Xd.map((row, i) => row.map((v) => v * resid[i])), options.clusters);
  const G = robust.cluster ? robust.groups : 0;
  const coefficients: OlsCoefficient[] = cols.map((name, j) => {
    const se = Math.sqrt(cov[j][j]);
    const t = beta[j] / se;
    const seHC1 = Math.sqrt(robust.hc1[j][j]);
    const seCluster = robust.cluster ? Math.sqrt(robust.cluster[j][j]) : NaN;
    return {
      name,
      estimate: beta[j],
      se,
      t,
      p: studentTTwoSidedP(t, df),
      seHC1,
      pHC1: studentTTwoSidedP(beta[j] / seHC1, df),
      seCluster,
      pCluster: robust.cluster && G > 1 ? studentTTwoSidedP(beta[j] / seCluster, G - 1) : NaN,
    };
  });

  return {
    coefficients,
    r2,
    adjR2,
    sigma: Math.sqrt(sigma2),
    n,
    df,
    rss,
    f,
    hasIntercept: c >= 0,
    clusters: G,
    covariance: cov,
    fitted,
    residuals: resid,
  };
}

function residualsOf(Z: number[][], yc: number[], b: number[]): number[] {
  return yc.map((v, i) => {
    let s = v;
    const zi = Z[i];
    for (let a = 0; a < b.length; a++) s -= zi[a] * b[a];
    return s;
  });
}
