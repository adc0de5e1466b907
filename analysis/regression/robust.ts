/**
 * Heteroskedasticity-robust and cluster-robust ("sandwich") standard errors for
 * the survey regressions, whose schools cluster within local authorities (LAs):
 * outcomes of schools in one LA share its shocks and its partnerships, so the
 * classical errors assume an independence the data do not have.
 *
 * For a fit with bread B (OLS: (XᵀX)⁻¹; maximum likelihood: the inverse observed
 * information) and per-observation scores s_i (OLS: x_i e_i; ML: the gradient of
 * observation i's log-likelihood):
 * - HC1 (White 1980 with MacKinnon & White's 1985 degrees-of-freedom factor):
 *   V = n/(n − k) · B (Σ_i s_i s_iᵀ) B;
 * - clustered by group g (Liang & Zeger 1986; Stata's and statsmodels' default
 *   small-sample factor): V = G/(G − 1) · (n − 1)/(n − k) · B (Σ_g S_g S_gᵀ) B with
 *   S_g = Σ_{i in g} s_i and G groups. Tests on clustered errors use Student's t
 *   with G − 1 degrees of freedom (Cameron & Miller 2015, J. Human Resources
 *   50:317-372, section VI).
 */

/** Robust covariance matrices of a fit. */
export interface RobustCovariance {
  hc1: number[][];
  /** null when no clusters were given or there are fewer than 2. */
  cluster: number[][] | null;
  /** Number of clusters G. */
  groups: number;
}

/**
 * Sandwich covariances from the bread `bread` (k×k) and per-observation scores
 * `scores` (n×k), optionally clustered by `clusters` (one label per observation).
 */
export function sandwich(bread: number[][], scores: number[][], clusters?: ArrayLike<number>): RobustCovariance {
  const n = scores.length;
  const k = bread.length;
  const meat = zeros(k);
  for (const s of scores) addOuter(meat, s, s);
  const hc1 = scale(sandwichOf(bread, meat), n > k ? n / (n - k) : NaN);
  if (!clusters) return { hc1, cluster: null, groups: 0 };
  if (clusters.length !== n) throw new RangeError(`sandwich: ${clusters.length} cluster labels for ${n} observations`);
  const sums = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = clusters[i];
    let acc = sums.get(g);
    if (!acc) sums.set(g, (acc = new Array<number>(k).fill(0)));
    for (let a = 0; a < k; a++) acc[a] += scores[i][a];
  }
  const G = sums.size;
  if (G < 2) return { hc1, cluster: null, groups: G };
  const meatG = zeros(k);
  for (const s of sums.values()) addOuter(meatG, s, s);
  const factor = (G / (G - 1)) * ((n - 1) / (n - k));
  return { hc1, cluster: scale(sandwichOf(bread, meatG), factor), groups: G };
}

function zeros(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

function addOuter(m: number[][], a: number[], b: number[]): void {
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) m[i][j] += a[i] * b[j];
}

function sandwichOf(B: number[][], M: number[][]): number[][] {
  const k = B.length;
  const BM = zeros(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) BM[i][j] += B[i][l] * M[l][j];
  const out = zeros(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) out[i][j] += BM[i][l] * B[l][j];
  return out;
}

function scale(m: number[][], f: number): number[][] {
  return m.map((row) => row.map((v) => v * f));
}
