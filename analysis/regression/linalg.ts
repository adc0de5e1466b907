/**
 * Small dense linear algebra shared by the regression fits.
 *
 * The fits only ever need to solve with, and invert, a symmetric
 * positive-definite cross-product matrix of modest size (XᵀX, XᵀWX, or the
 * observed information), so this module offers exactly that: a Cholesky
 * factorisation (Golub & Van Loan, Matrix Computations, 4th ed., §4.2) applied
 * after diagonal equilibration A → SAS with S = diag(1/√a_jj). Equilibration
 * makes the matrix unit-diagonal, so the pivot at step j is 1 − R²_j of column
 * j regressed on the earlier columns; a pivot below the tolerance is reported
 * as collinearity naming the offending column, instead of a silently wrong fit.
 */

/** Thrown when a column is (numerically) a linear combination of earlier ones, or has no variation. */
export class CollinearityError extends Error {
  /** Index of the offending column in the matrix that was factorised. */
  readonly column: number;
  /** Name of the offending column. */
  readonly columnName: string;

  constructor(message: string, column: number, columnName: string) {
    super(message);
    this.name = 'CollinearityError';
    this.column = column;
    this.columnName = columnName;
  }
}

/** Cholesky factor of an equilibrated symmetric positive-definite matrix: A = S⁻¹ L Lᵀ S⁻¹. */
export interface SpdFactor {
  /** Lower-triangular factor of SAS. */
  readonly L: number[][];
  /** The equilibration scales S_jj = 1/√A_jj. */
  readonly scale: number[];
}

/** Default threshold on the pivot 1 − R²_j below which a column is called collinear. */
export const DEFAULT_COLLINEARITY_TOLERANCE = 1e-10;

/**
 * Factorise a symmetric positive-definite matrix, or throw a {@link CollinearityError}
 * naming the first column that is (nearly) a combination of the earlier ones.
 *
 * @param A symmetric matrix (only the lower triangle is read)
 * @param names column names used in error messages
 * @param tolerance smallest acceptable pivot 1 − R²_j of the unit-diagonal matrix
 */
export function factorSpd(
  A: number[][],
  names: string[],
  tolerance = DEFAULT_COLLINEARITY_TOLERANCE,
): SpdFactor {
  const p = A.length;
  const scale = new Array<number>(p);
  for (let j = 0; j < p; j++) {
    const d = A[j][j];
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new CollinearityError(
        `column '${names[j]}' has no variation (its sum of squares is ${d}), so its coefficient is not identified`,
        j,
        names[j],
      );
    }
    scale[j] = 1 / Math.sqrt(d);
  }
  const L: number[][] = [];
  for (let i = 0; i < p; i++) L.push(new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let pivot = A[j][j] * scale[j] * scale[j];
    for (let k = 0; k < j; k++) pivot -= L[j][k] * L[j][k];
    if (!(pivot > tolerance)) {
      throw new CollinearityError(collinearityMessage(A, L, scale, names, j, pivot), j, names[j]);
    }
    const ljj = Math.sqrt(pivot);
    L[j][j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i][j] * scale[i] * scale[j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / ljj;
    }
  }
  return { L, scale };
}

/** Describe which earlier columns column j depends on, from the partial factor. */
function collinearityMessage(
  A: number[][],
  L: number[][],
  scale: number[],
  names: string[],
  j: number,
  pivot: number,
): string {
  // Coefficients of column j on columns 0..j-1 in the equilibrated metric: solve L Lᵀ c = b.
  const b = new Array<number>(j);
  for (let i = 0; i < j; i++) b[i] = A[j][i] * scale[j] * scale[i];
  const c = backward(L, forward(L, b, j), j);
  const max = c.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const partners = c
    .map((v, i) => ({ v, i }))
    .filter(({ v }) => Math.abs(v) > 1e-6 * max)
    .sort((a, b2) => Math.abs(b2.v) - Math.abs(a.v))
    .map(({ i }) => `'${names[i]}'`);
  const with_ = partners.length > 0 ? ` of ${partners.join(', ')}` : ' of the earlier columns';
  const r2 = (1 - Math.max(pivot, 0)).toPrecision(12);
  return (
    `column '${names[j]}' is (nearly) a linear combination${with_} ` +
    `(R² of '${names[j]}' on them = ${r2}); drop it or one of those columns`
  );
}

/** Solve L z = b for the leading n×n block. */
function forward(L: number[][], b: number[], n = L.length): number[] {
  const z = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  return z;
}

/** Solve Lᵀ x = z for the leading n×n block. */
function backward(L: number[][], z: number[], n = L.length): number[] {
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Solve A x = b given the factor of A. */
export function solveSpd(f: SpdFactor, b: number[]): number[] {
  const sb = b.map((v, i) => v * f.scale[i]);
  const x = backward(f.L, forward(f.L, sb));
  return x.map((v, i) => v * f.scale[i]);
}

/** A⁻¹ given the factor of A (symmetric). */
export function inverseSpd(f: SpdFactor): number[][] {
  const p = f.L.length;
  const inv: number[][] = [];
  for (let j = 0; j < p; j++) {
    const e = new Array<number>(p).fill(0);
    e[j] = 1;
    inv.push(backward(f.L, forward(f.L, e)));
  }
  // inv is (SAS)⁻¹ = S⁻¹A⁻¹S⁻¹; undo the scaling and symmetrise.
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (inv[i][j] + inv[j][i]) * f.scale[i] * f.scale[j];
      inv[i][j] = v;
      inv[j][i] = v;
    }
    inv[i][i] *= f.scale[i] * f.scale[i];
  }
  return inv;
}

/**
 * Check a design matrix and response: rectangular, matching lengths, finite values.
 * Throws an Error naming the first bad row or column.
 */
export function checkDesign(X: number[][], y: number[], names: string[], what: string): void {
  if (!Array.isArray(X) || !Array.isArray(y)) throw new Error(`${what}: X and y must be arrays`);
  if (X.length !== y.length) {
    throw new Error(`${what}: X has ${X.length} rows but y has ${y.length} values`);
  }
  if (X.length === 0) throw new Error(`${what}: no observations`);
  const p = names.length;
  if (new Set(names).size !== p) throw new Error(`${what}: column names must be distinct`);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (row.length !== p) {
      throw new Error(`${what}: row ${i} has ${row.length} values but ${p} column names were given`);
    }
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(row[j])) {
        throw new Error(`${what}: column '${names[j]}' has a non-finite value (${row[j]}) in row ${i}`);
      }
    }
    if (!Number.isFinite(y[i])) throw new Error(`${what}: y has a non-finite value (${y[i]}) in row ${i}`);
  }
}

/** Check optional case weights: finite, non-negative, one per row, not all zero. */
export function checkWeights(weights: number[] | undefined, n: number, what: string): number[] {
  if (weights === undefined) return new Array<number>(n).fill(1);
  if (weights.length !== n) throw new Error(`${what}: ${weights.length} weights for ${n} rows`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) throw new Error(`${what}: weight ${w} in row ${i} is not a finite non-negative number`);
    total += w;
  }
  if (!(total > 0)) throw new Error(`${what}: the weights sum to zero`);
  return weights.slice();
}

/** Prepend a column of ones named '(Intercept)' when asked. */
export function withIntercept(
  X: number[][],
  names: string[],
  add: boolean,
): { X: number[][]; names: string[] } {
  if (!add) return { X, names };
  return { X: X.map((row) => [1, ...row]), names: ['(Intercept)', ...names] };
}

/** Index of the (single) constant non-zero column, or -1; throws if a column is all zero. */
export function findConstantColumn(X: number[][], names: string[], what: string): number {
  const p = names.length;
  let found = -1;
  for (let j = 0; j < p; j++) {
    const v0 = X[0][j];
    let constant = true;
    for (let i = 1; i < X.length && constant; i++) constant = X[i][j] === v0;
    if (!constant) continue;
    if (v0 === 0) {
      throw new CollinearityError(`${what}: column '${names[j]}' is all zero, so its coefficient is not identified`, j, names[j]);
    }
    if (found >= 0) {
      throw new CollinearityError(
        `${what}: column '${names[j]}' is constant, like '${names[found]}': the two are collinear (two intercepts?)`,
        j,
        names[j],
      );
    }
    found = j;
  }
  return found;
}
