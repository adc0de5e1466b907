/**
 * The baseline's calibration: the method of simulated moments over the free
 * parameters (evaluate.ts), then standard errors and a parameter sample.
 *
 * 1. Weights. At the starting values the moments are simulated once and each moment
 *    in J gets the diagonal weight 1/v_k, v_k = the survey's sampling variance of the
 *    figure (simulated: targets.ts) + the simulation's variance of its mean. The
 *    weights are then held fixed (a two-step estimator's first step).
 * 2. Fit, on one set of seeds (the fit seeds): a few Levenberg–Marquardt steps from the
 *    current values, then `smm` (optionally with a Latin hypercube) from there: bounded
 *    Nelder–Mead with restarts, whose simplex gives the convergence criterion.
 * 3. Standard errors: the Jacobian G of the moments at θ̂ by central differences
 *    (3% of each box side, under the same common random numbers), and the sandwich
 *        Var(θ̂) = (GᵀWG)⁻¹ GᵀW V W G (GᵀWG)⁻¹,
 *    V = the full simulated sampling covariance of the moments plus the simulation
 *    variance (Gouriéroux & Monfort 1996, ch. 2; Duffie & Singleton 1993,
 *    Econometrica 61:929). A parameter the moments do not move (a singular GᵀWG) is
 *    reported as not identified instead of given a number.
 * 4. Parameter sample: draws from the normal approximation N(θ̂, Var(θ̂)), truncated to
 *    the box by rejection; written for `compare --posterior`.
 */
import { setPath, type Params } from '../../sim/params.js';
import { Rng } from '../../sim/rng.js';
import { CollinearityError, factorSpd, inverseSpd, solveSpd } from '../regression/linalg.js';
import { applyTheta, FREE_PARAMETERS, jOf, meanMoments, momentVariances, simulateMoments, thetaOf, type JStatistic, type MomentSettings, type SimulatedMoments } from './evaluate.js';
import { smm } from './smm.js';
import { loadTargets, momentsInJ, type Target } from './targets.js';

export interface FitOptions {
  /** Most calls of the moment function in the search (the Jacobian's 2p calls come on top). */
  budget: number;
  /** Space-filling design points besides the start (default 1: a refit from the current values). */
  designSize?: number;
  /** Initial simplex edge as a share of each box side (default 0.05). */
  initialStep?: number;
  /** Simplex criterion: vertices within this share of each box side of the best... */
  xTolerance?: number;
  /** ...and J values within this of the best (or within twice J's simulation SD, if larger). */
  fTolerance?: number;
  /** Extra seed sets at θ̂ to measure J's simulation noise (default 3). */
  noiseSeeds?: number;
  /** Levenberg–Marquardt iterations before the simplex (default 4; 0 for none). */
  newtonIterations?: number;
  /** Standard errors from the last Levenberg–Marquardt Jacobian (forward differences) instead of fresh central differences at θ̂ (saves 2p evaluations). */
  jacobianFromNewton?: boolean;
  /** Search budget may be 0: no simplex phase (then `converged` is false). */
  /** Parameter draws to write (default 1000). */
  draws?: number;
  /** Called after each moment evaluation. */
  onEvaluation?: (count: number, J: number) => void;
}

export interface ParameterEstimate {
  path: string;
  start: number;
  estimate: number;
  /** Sandwich standard error; absent when not identified. */
  se?: number;
  /** estimate ± 1.96 se, clipped to the box. */
  low?: number;
  high?: number;
  lower: number;
  upper: number;
  atBound: boolean;
  identified: boolean;
}

export interface FitResult {
  free: typeof FREE_PARAMETERS;
  theta: number[];
  estimates: ParameterEstimate[];
  /** J on the fit seeds at θ̂ (with the fit's weights), and at the start. */
  fit: JStatistic;
  startJ: number;
  evaluations: number;
  jacobianEvaluations: number;
  iterations: number;
  converged: boolean;
  /**
   * The simplex criterion on the final simplex of the run that found θ̂: size (largest
   * max-norm distance of a vertex from the best, as a share of each box side) ≤
   * xTolerance, and spread of its J values ≤ max(fTolerance, 2 × jNoiseSd), jNoiseSd the
   * SD of J at θ̂ over the fit seeds and `noiseSeeds` other seed sets (the objective is a
   * simulation: vertices whose J values differ by less than re-running it would are
   * indistinguishable).
   */
  criterion: { xTolerance: number; fTolerance: number; jNoiseSd: number; effectiveFTolerance: number; simplexSize: number; valueSpread: number; searchStopped: boolean };
  /** Where the Jacobian for the standard errors came from. */
  jacobian: 'central differences at the estimate' | 'last Levenberg-Marquardt iteration (forward differences)';
  initialStep: number;
  designSize: number;
  /** The Levenberg–Marquardt phase: iterations taken, its evaluations (after the start) and J where it ended. */
  newton: { iterations: number; evaluations: number; J: number };
  /** Moment ids in J and their weights' standard deviations √v_k. */
  moments: string[];
  weightsSd: number[];
  /** Variance matrix of θ̂ (null when a parameter is not identified). */
  covariance: number[][] | null;
  /** Why the standard errors could not be computed, if so. */
  identification?: string;
  /** Draws of θ (rows in `free` order). */
  draws: number[][];
}

/** Fit the free parameters; `st.seed` is the fit seed. */
export async function fitBaseline(base: Params, st: MomentSettings, opts: FitOptions, targets: Target[] = loadTargets()): Promise<FitResult> {
  const free = FREE_PARAMETERS;
  const p = free.length;
  const inJ = momentsInJ(targets);
  const tvals = inJ.map((t) => t.value);
  const theta0 = thetaOf(base, free);
  const cache = new Map<string, SimulatedMoments>();
  let count = 0;
  const simulate = async (theta: number[]): Promise<SimulatedMoments> => {
    // Rounded: the search maps θ to the unit cube and back, which can move the last bit.
    const key = theta.map((v) => v.toPrecision(12)).join(',');
    const hit = cache.get(key);
    if (hit) return hit;
    const sim = await simulateMoments(applyTheta(base, theta, free), null, st, targets);
    cache.set(key, sim);
    count++;
    opts.onEvaluation?.(count, jOf(sim, targets, p).J);
    return sim;
  };

  // 1. Weights at the start.
  const start = await simulate(theta0);
  const weightsSd = momentVariances(start).map(Math.sqrt);

  // 2. The search: Levenberg–Marquardt steps towards the answer, then the simplex.
  const residuals = async (th: number[]): Promise<number[]> => meanMoments(await simulate(th)).map((m, k) => (m - tvals[k]) / weightsSd[k]);
  const newton = await levenbergMarquardt(residuals, theta0, free, opts.newtonIterations ?? 4);
  const newtonEvaluations = count;
  const xTolerance = opts.xTolerance ?? 0.01;
  const fTolerance = opts.fTolerance ?? 0.5;
  const res = await smm(async (th) => meanMoments(await simulate(th)), {
    lower: free.map((f) => f.lower),
    upper: free.map((f) => f.upper),
    targets: tvals,
    tolerances: weightsSd,
    rng: Rng.fromKey({ seed: st.seed, replication: 0, stream: 'calibration' }),
    budget: opts.budget,
    names: free.map((f) => f.path),
    starts: [newton.theta],
    designSize: opts.designSize ?? 0,
    refineStarts: 1,
    initialStep: opts.initialStep ?? 0.05,
    xTolerance,
    fTolerance,
  });
  const theta = res.theta;
  const searchEvaluations = count; // the start, Levenberg–Marquardt and the simplex

  // 3. Standard errors: central differences at θ̂ and the sandwich.
  const G: number[][] = inJ.map(() => new Array<number>(p).fill(0));
  const fromNewton = opts.jacobianFromNewton === true && newton.jacobian !== null;
  if (fromNewton) {
    // dr/du → dm/dθ: r_k = (m_k − t_k)/σ_k, u_j = (θ_j − lower_j)/(upper_j − lower_j).
    for (let k = 0; k < inJ.length; k++) for (let j = 0; j < p; j++) G[k][j] = (newton.jacobian![k][j] * weightsSd[k]) / (free[j].upper - free[j].lower);
  }
  for (let j = 0; j < p && !fromNewton; j++) {
    const h = 0.03 * (free[j].upper - free[j].lower);
    const up = theta.slice();
    const dn = theta.slice();
    up[j] = Math.min(free[j].upper, theta[j] + h);
    dn[j] = Math.max(free[j].lower, theta[j] - h);
    const mu = meanMoments(await simulate(up));
    const md = meanMoments(await simulate(dn));
    for (let k = 0; k < inJ.length; k++) G[k][j] = (mu[k] - md[k]) / (up[j] - dn[j]);
  }
  const jacobianEvaluations = count - searchEvaluations;
  const at = await simulate(theta);
  const w = weightsSd.map((s) => 1 / (s * s));
  const V = sandwichMiddle(at);
  let covariance: number[][] | null = null;
  let identification: string | undefined;
  try {
    covariance = sandwich(G, w, V, free.map((f) => f.path));
  } catch (e) {
    if (!(e instanceof CollinearityError)) throw e;
    identification = `not identified by the fitted targets: ${e.message}`;
  }
  const estimates: ParameterEstimate[] = free.map((f, j) => {
    const se = covariance ? Math.sqrt(Math.max(0, covariance[j][j])) : undefined;
    const atBound = theta[j] <= f.lower || theta[j] >= f.upper;
    return {
      path: f.path,
      start: theta0[j],
      estimate: theta[j],
      lower: f.lower,
      upper: f.upper,
      atBound,
      identified: covariance !== null,
      ...(se !== undefined ? { se, low: Math.max(f.lower, theta[j] - 1.96 * se), high: Math.min(f.upper, theta[j] + 1.96 * se) } : {}),
    };
  });

  // Simulation noise of J at θ̂: the same weights on other seed sets.
  const jWith = (sim: SimulatedMoments): number => {
    const m = meanMoments(sim);
    return m.reduce((acc, v, k) => acc + ((v - tvals[k]) / weightsSd[k]) ** 2, 0);
  };
  const jValues = [jWith(at)];
  for (let i = 1; i <= (opts.noiseSeeds ?? 3); i++) {
    jValues.push(jWith(await simulateMoments(applyTheta(base, theta, free), null, { ...st, seed: `${st.seed}-noise-${i}` }, targets)));
  }
  const jMean = jValues.reduce((a, b) => a + b, 0) / jValues.length;
  const jNoiseSd = jValues.length > 1 ? Math.sqrt(jValues.reduce((a, b) => a + (b - jMean) ** 2, 0) / (jValues.length - 1)) : 0;

  // 4. Parameter sample.
  const draws = covariance ? drawTruncatedNormal(theta, covariance, free, opts.draws ?? 1000, Rng.fromKey({ seed: st.seed, replication: 0, stream: 'calibration-draws' })) : [];
  const bestRun = res.runs.reduce((b, r) => (b === null || r.distance < b.distance ? r : b), null as (typeof res.runs)[number] | null);
  const effectiveFTolerance = Math.max(fTolerance, 2 * jNoiseSd);
  const converged = bestRun !== null && bestRun.distance <= res.distance && bestRun.simplexSize <= xTolerance && bestRun.valueSpread <= effectiveFTolerance;
  return {
    free,
    theta,
    estimates,
    fit: jOf(at, targets, p),
    startJ: jOf(start, targets, p).J,
    evaluations: searchEvaluations,
    jacobianEvaluations,
    iterations: res.iterations,
    converged,
    jacobian: fromNewton ? 'last Levenberg-Marquardt iteration (forward differences)' : 'central differences at the estimate',
    criterion: { xTolerance, fTolerance, jNoiseSd, effectiveFTolerance, simplexSize: bestRun?.simplexSize ?? NaN, valueSpread: bestRun?.valueSpread ?? NaN, searchStopped: res.converged },
    initialStep: opts.initialStep ?? 0.05,
    designSize: opts.designSize ?? 0,
    newton: { iterations: newton.iterations, evaluations: newtonEvaluations - 1, J: newton.f },
    moments: inJ.map((t) => t.id),
    weightsSd,
    covariance,
    ...(identification ? { identification } : {}),
    draws,
  };
}

/**
 * Levenberg–Marquardt (Levenberg 1944; Marquardt 1963) on the weighted residuals in the
 * unit cube of the box: a forward-difference Jacobian (3% of each side, inwards at the
 * upper face), the damped Gauss–Newton step (JᵀJ + λ diag JᵀJ) δ = −Jᵀr, capped at 0.2 of
 * each side and projected onto the box; λ shrinks after a step that lowers the sum of
 * squares and grows (up to four tries) after one that does not. Stops when no step helps.
 */
export async function levenbergMarquardt(
  residuals: (theta: number[]) => Promise<number[]>,
  theta0: number[],
  box: { lower: number; upper: number }[],
  iterations: number,
): Promise<{ theta: number[]; f: number; iterations: number; jacobian: number[][] | null }> {
  const d = theta0.length;
  const toTheta = (u: number[]): number[] => u.map((v, j) => box[j].lower + v * (box[j].upper - box[j].lower));
  const clamp = (v: number): number => Math.min(1, Math.max(0, v));
  let u = theta0.map((v, j) => clamp((v - box[j].lower) / (box[j].upper - box[j].lower)));
  let r = await residuals(toTheta(u));
  const ss = (x: number[]): number => x.reduce((a, b) => a + b * b, 0);
  let f = ss(r);
  let lambda = 0.01;
  let it = 0;
  let last: number[][] | null = null;
  for (; it < iterations && Number.isFinite(f); it++) {
    const J: number[][] = r.map(() => new Array<number>(d).fill(0));
    last = J;
    for (let j = 0; j < d; j++) {
      const h = u[j] + 0.03 <= 1 ? 0.03 : -0.03;
      const uj = u.slice();
      uj[j] += h;
      const rj = await residuals(toTheta(uj));
      for (let k = 0; k < r.length; k++) J[k][j] = (rj[k] - r[k]) / h;
    }
    const A: number[][] = [];
    const g = new Array<number>(d).fill(0);
    for (let a = 0; a < d; a++) {
      A.push(new Array<number>(d).fill(0));
      for (let k = 0; k < r.length; k++) g[a] += J[k][a] * r[k];
      for (let b = 0; b < d; b++) for (let k = 0; k < r.length; k++) A[a][b] += J[k][a] * J[k][b];
    }
    let accepted = false;
    for (let tries = 0; tries < 4 && !accepted; tries++) {
      const M = A.map((row, a) => row.map((v, b) => (a === b ? v * (1 + lambda) + 1e-9 : v)));
      let step: number[];
      try {
        step = solveSpd(factorSpd(M, box.map((_, j) => `theta${j}`), 1e-14), g.map((v) => -v));
      } catch (e) {
        if (!(e instanceof CollinearityError)) throw e;
        lambda *= 4;
        continue;
      }
      const big = Math.max(...step.map(Math.abs));
      if (big > 0.2) step = step.map((v) => (v * 0.2) / big);
      const u2 = u.map((v, j) => clamp(v + step[j]));
      const r2 = await residuals(toTheta(u2));
      const f2 = ss(r2);
      if (f2 < f) {
        u = u2;
        r = r2;
        f = f2;
        lambda = Math.max(1e-4, lambda / 3);
        accepted = true;
      } else lambda *= 4;
    }
    if (!accepted) break;
  }
  return { theta: toTheta(u), f, iterations: it, jacobian: last };
}

/** V: the sampling covariance of the moments plus the simulation variance of their means (diagonal). */
export function sandwichMiddle(sim: SimulatedMoments): number[][] {
  const total = momentVariances(sim);
  return sim.omega.map((row, j) => row.map((v, k) => (j === k ? total[j] : v)));
}

/** (GᵀWG)⁻¹ GᵀW V W G (GᵀWG)⁻¹ for diagonal W = diag(w); throws CollinearityError when GᵀWG is singular. */
export function sandwich(G: number[][], w: number[], V: number[][], names: string[]): number[][] {
  const K = G.length;
  const p = names.length;
  const A: number[][] = [];
  for (let a = 0; a < p; a++) {
    A.push([]);
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += G[k][a] * w[k] * G[k][b];
      A[a].push(s);
    }
  }
  const Ainv = inverseSpd(factorSpd(A, names, 1e-8));
  // H = Ainv Gᵀ W (p × K); Var = H V Hᵀ.
  const H: number[][] = [];
  for (let a = 0; a < p; a++) {
    H.push([]);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += Ainv[a][b] * G[k][b];
      H[a].push(s * w[k]);
    }
  }
  const out: number[][] = [];
  for (let a = 0; a < p; a++) {
    out.push([]);
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) s += H[a][k] * V[k][l] * H[b][l];
      out[a].push(s);
    }
  }
  return out;
}

/** Draws from N(mean, cov) kept only inside the box (rejection; integer parameters rounded). */
export function drawTruncatedNormal(mean: number[], cov: number[][], free: { lower: number; upper: number; integer?: boolean }[], n: number, rng: Rng): number[][] {
  const p = mean.length;
  const f = factorSpd(cov, mean.map((_, j) => `theta${j}`), 1e-12);
  const out: number[][] = [];
  let tries = 0;
  while (out.length < n) {
    if (++tries > 1000 * n) throw new Error('drawTruncatedNormal: the normal approximation lies almost wholly outside the box');
    const z = Array.from({ length: p }, () => rng.normal());
    const x = mean.map((m, i) => {
      let s = 0;
      for (let k = 0; k <= i; k++) s += f.L[i][k] * z[k];
      return m + s / f.scale[i];
    });
    if (x.every((v, j) => v >= free[j].lower && v <= free[j].upper)) out.push(x.map((v, j) => (free[j].integer ? Math.round(v) : v)));
  }
  return out;
}

/** Copy of params with the given values set at the given paths. */
export function withValues(params: Params, paths: string[], values: number[]): Params {
  const p = structuredClone(params);
  paths.forEach((path, j) => setPath(p, path, values[j]));
  return p;
}
