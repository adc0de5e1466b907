/**
 * Calibration by the method of simulated moments (McFadden 1989,
 * Econometrica 57:995–1026; Gouriéroux & Monfort, Simulation-Based
 * Econometric Methods, 1996): choose the simulator's free parameters θ inside
 * a box to minimise
 *
 *     D(θ) = Σ_k w_k (m_k(θ) − target_k)² / tol_k²
 *
 * where m(θ) is computed by the caller (replications under common random
 * numbers, so D is a deterministic, smooth-ish function of θ).
 *
 * Optimiser (derivative-free, written here):
 * 1. A space-filling start: a Latin hypercube (McKay, Beckman & Conover 1979,
 *    Technometrics 21:239–245) in the unit cube, the best of several by the
 *    maximin distance criterion (Johnson, Moore & Ylvisaker 1990).
 * 2. Bounded Nelder–Mead (Nelder & Mead 1965, Computer Journal 7:308–313, with
 *    the ordering and tie rules of Lagarias et al. 1998, SIAM J. Optim.
 *    9:112–147; coefficients 1, 2, ½, ½) from the best few distinct design
 *    points, in coordinates scaled to the unit cube. Trial points are
 *    projected onto the box, so every evaluated θ respects the bounds; as a
 *    projected simplex can collapse onto a face, each run is restarted once
 *    from its best point with a fresh simplex and kept going while that helps.
 * The budget counts calls of m(θ); repeated θ are answered from a cache.
 *
 * Goodness of fit: J = D(θ̂) and the number of targets with
 * |m_k − target_k| ≤ tol_k. When tol_k are the standard errors of the targets
 * and w = 1, J is approximately χ² with K − dim(θ) degrees of freedom under
 * a correctly specified model (Hansen 1982), and `pValue` reports that
 * approximation (ignoring simulation noise in m).
 */
import type { Rng } from '../../sim/rng.js';
import { chiSquareCdf } from '../stats/distributions.js';

/** The caller's simulator: moments at θ (same length and order as the targets). */
export type MomentFunction = (theta: number[]) => Promise<number[]>;

/** Options for {@link smm}. */
export interface SmmOptions {
  /** Lower bounds of the parameter box. */
  lower: number[];
  /** Upper bounds of the parameter box (each > the lower bound). */
  upper: number[];
  /** Target moments. */
  targets: number[];
  /** Tolerance (scale) of each target, > 0: a deviation of one tolerance costs w_k. */
  tolerances: number[];
  /** Non-negative weights w_k (default 1). */
  weights?: number[];
  /** Random source for the space-filling design (the only randomness used). */
  rng: Rng;
  /** Maximum number of calls of the moment function. */
  budget: number;
  /** Space-filling design size (default min(max(10·dim, 20), ⌊budget/2⌋); may be 0 when `starts` are given). */
  designSize?: number;
  /** Number of best distinct design points refined by Nelder–Mead (default 3). */
  refineStarts?: number;
  /** Known good points (in parameter units, inside the box) added to the start of the design, e.g. the current values. */
  starts?: number[][];
  /** Initial simplex edge as a fraction of each box side (default 0.1). */
  initialStep?: number;
  /** Stop a simplex when its size in the unit cube is below this (default 1e-7)... */
  xTolerance?: number;
  /** ...and its distance values span less than this (default 1e-12). */
  fTolerance?: number;
  /** Latin hypercubes generated to pick the maximin one from (default 10). */
  designCandidates?: number;
  /** Design points evaluated at once (default 1); results do not depend on it. */
  concurrency?: number;
  /** Parameter names, for the report. */
  names?: string[];
}

/** One call of the moment function. */
export interface SmmEvaluation {
  /** 0-based order of the call. */
  index: number;
  theta: number[];
  moments: number[];
  /** D(θ); Infinity when a moment was not finite. */
  distance: number;
  /** 'design' for the space-filling start, 'simplex' for Nelder–Mead. */
  phase: 'design' | 'simplex';
  /** Which Nelder–Mead run (0-based), or -1 in the design phase. */
  run: number;
}

/** Per-target goodness of fit. */
export interface SmmTargetFit {
  target: number;
  simulated: number;
  tolerance: number;
  weight: number;
  /** (simulated − target) / tolerance. */
  standardized: number;
  within: boolean;
}

/** Result of {@link smm}. */
export interface SmmResult {
  /** Best θ found. */
  theta: number[];
  /** Moments at θ. */
  moments: number[];
  /** D(θ). */
  distance: number;
  fit: {
    /** J-statistic-style weighted sum, equal to `distance`. */
    j: number;
    /** Targets with |m_k − target_k| ≤ tol_k. */
    withinTolerance: number;
    /** Number of targets K. */
    targets: number;
    /** K − dim(θ). */
    df: number;
    /** P(χ²_df ≥ J) when df > 0 (meaningful only if the tolerances are standard errors), else NaN. */
    pValue: number;
    perTarget: SmmTargetFit[];
  };
  /** Calls of the moment function made (≤ budget). */
  evaluations: number;
  /** Every call, in order. */
  history: SmmEvaluation[];
  /** The Nelder–Mead runs: where each started and ended, its iterations and whether its simplex met the convergence criterion. */
  runs: { start: number[]; theta: number[]; distance: number; evaluations: number; iterations: number; converged: boolean; simplexSize: number; valueSpread: number }[];
  /** Nelder–Mead iterations over all runs. */
  iterations: number;
  /**
   * The simplex criterion held at the end of the run that found the best point: its
   * vertices within `xTolerance` of the best in the unit cube (max norm) and their
   * values within `fTolerance` of the best, with a restart from a fresh simplex
   * finding nothing better. False when the budget ran out first (or no run was made).
   */
  converged: boolean;
  names: string[];
}

/**
 * Minimise the weighted moment distance over the box; see the module comment for the method.
 *
 * @throws Error on inconsistent options, or when the moment function returns
 *   the wrong number of moments
 */
export async function smm(moments: MomentFunction, options: SmmOptions): Promise<SmmResult> {
  const { lower, upper, targets, tolerances, rng } = options;
  const d = lower.length;
  checkBox(lower, upper, 'smm');
  const K = targets.length;
  if (K === 0) throw new Error('smm: no targets');
  if (tolerances.length !== K) throw new Error(`smm: ${tolerances.length} tolerances for ${K} targets`);
  const weights = options.weights ?? new Array<number>(K).fill(1);
  if (weights.length !== K) throw new Error(`smm: ${weights.length} weights for ${K} targets`);
  for (let k = 0; k < K; k++) {
    if (!(tolerances[k] > 0) || !Number.isFinite(tolerances[k])) throw new Error(`smm: tolerance ${k} must be a positive number`);
    if (!(weights[k] >= 0) || !Number.isFinite(weights[k])) throw new Error(`smm: weight ${k} must be non-negative`);
    if (!Number.isFinite(targets[k])) throw new Error(`smm: target ${k} is not finite`);
  }
  const budget = Math.floor(options.budget);
  if (!(budget >= 1)) throw new Error('smm: budget must be at least 1');
  const names = options.names ?? lower.map((_, j) => `theta${j}`);
  if (names.length !== d) throw new Error(`smm: ${names.length} names for ${d} parameters`);
  // At least one point in all: a design of 0 is allowed when starts are given.
  const designSize = Math.max((options.starts ?? []).length > 0 ? 0 : 1, Math.min(options.designSize ?? Math.min(Math.max(10 * d, 20), Math.floor(budget / 2)), budget));
  const refineStarts = Math.max(0, options.refineStarts ?? 3);
  const step = options.initialStep ?? 0.1;
  const xtol = options.xTolerance ?? 1e-7;
  const ftol = options.fTolerance ?? 1e-12;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));

  const distanceOf = (m: number[]): number => {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const z = (m[k] - targets[k]) / tolerances[k];
      s += weights[k] * z * z;
    }
    return Number.isFinite(s) ? s : Infinity;
  };
  const toTheta = (u: number[]): number[] => u.map((v, j) => (v === 1 ? upper[j] : lower[j] + v * (upper[j] - lower[j])));

  const history: SmmEvaluation[] = [];
  const cache = new Map<string, { moments: number[]; distance: number }>();
  let best: { index: number; theta: number[]; moments: number[]; distance: number } | null = null;

  /** D at unit-cube point u, or null when the budget is spent. */
  const evaluate = async (u: number[], phase: 'design' | 'simplex', run: number): Promise<number | null> => {
    const theta = toTheta(u);
    const key = theta.join(',');
    const hit = cache.get(key);
    if (hit) return hit.distance;
    if (history.length >= budget) return null;
    const index = history.length;
    // Reserve the slot before awaiting so concurrent calls keep their order.
    history.push({ index, theta, moments: [], distance: Infinity, phase, run });
    const m = await moments(theta.slice());
    if (!Array.isArray(m) || m.length !== K) {
      throw new Error(`smm: the moment function returned ${Array.isArray(m) ? m.length : typeof m} values for ${K} targets`);
    }
    const distance = distanceOf(m);
    history[index] = { index, theta, moments: m.slice(), distance, phase, run };
    cache.set(key, { moments: m.slice(), distance });
    // Ties go to the earlier call, so concurrent design batches cannot change the answer.
    if (best === null || distance < best.distance || (distance === best.distance && index < best.index)) {
      best = { index, theta, moments: m.slice(), distance };
    }
    return distance;
  };

  // 1. Space-filling design.
  const toUnit = (th: number[]): number[] => th.map((v, j) => Math.min(1, Math.max(0, (v - lower[j]) / (upper[j] - lower[j]))));
  const design = [...(options.starts ?? []).map(toUnit), ...(designSize > 0 ? maximinLatinHypercube(designSize, d, rng, options.designCandidates ?? 10) : [])];
  const designValues: number[] = new Array<number>(design.length).fill(Infinity);
  for (let i = 0; i < design.length; i += concurrency) {
    const batch = design.slice(i, i + concurrency);
    const values = await Promise.all(batch.map((u) => evaluate(u, 'design', -1)));
    values.forEach((v, b) => (designValues[i + b] = v ?? Infinity));
  }

  // 2. Nelder–Mead from the best few distinct design points.
  const order = design.map((_, i) => i).sort((a, b) => designValues[a] - designValues[b] || a - b);
  const chosen: number[][] = [];
  for (const i of order) {
    if (chosen.length >= refineStarts) break;
    if (!Number.isFinite(designValues[i])) continue;
    if (chosen.some((c) => maxAbsDiff(c, design[i]) < 1e-9)) continue;
    chosen.push(design[i]);
  }
  const runs: SmmResult['runs'] = [];
  for (let r = 0; r < chosen.length; r++) {
    const remaining = budget - history.length;
    if (remaining <= 0) break;
    const allowance = Math.floor(remaining / (chosen.length - r));
    const limit = history.length + Math.max(allowance, 1);
    const bounded = async (u: number[]): Promise<number | null> =>
      history.length >= limit && !cache.has(toTheta(u).join(',')) ? null : evaluate(u, 'simplex', r);
    const before = history.length;
    const out = await nelderMeadWithRestarts(bounded, chosen[r], designValues[design.indexOf(chosen[r])], step, xtol, ftol);
    runs.push({
      start: toTheta(chosen[r]),
      theta: toTheta(out.u),
      distance: out.f,
      evaluations: history.length - before,
      iterations: out.iterations,
      converged: out.converged,
      simplexSize: out.size,
      valueSpread: out.spread,
    });
  }

  if (best === null) throw new Error('smm: no evaluation was made');
  const b: { theta: number[]; moments: number[]; distance: number } = best;
  const perTarget: SmmTargetFit[] = targets.map((t, k) => {
    const standardized = (b.moments[k] - t) / tolerances[k];
    return {
      target: t,
      simulated: b.moments[k],
      tolerance: tolerances[k],
      weight: weights[k],
      standardized,
      within: Math.abs(b.moments[k] - t) <= tolerances[k],
    };
  });
  const df = K - d;
  // The run whose end point is the best found (the design phase alone cannot converge).
  let bestRun = -1;
  runs.forEach((r, i) => {
    if (bestRun < 0 || r.distance < runs[bestRun].distance) bestRun = i;
  });
  const converged = bestRun >= 0 && runs[bestRun].converged && runs[bestRun].distance <= b.distance;
  return {
    theta: b.theta.slice(),
    moments: b.moments.slice(),
    distance: b.distance,
    fit: {
      j: b.distance,
      withinTolerance: perTarget.filter((p) => p.within).length,
      targets: K,
      df,
      pValue: df > 0 && Number.isFinite(b.distance) ? 1 - chiSquareCdf(b.distance, df) : NaN,
      perTarget,
    },
    evaluations: history.length,
    history,
    runs,
    iterations: runs.reduce((t, r) => t + r.iterations, 0),
    converged,
    names,
  };
}

/** Validate a parameter box. */
export function checkBox(lower: number[], upper: number[], what: string): void {
  if (lower.length === 0) throw new Error(`${what}: no parameters`);
  if (upper.length !== lower.length) throw new Error(`${what}: ${lower.length} lower bounds but ${upper.length} upper bounds`);
  for (let j = 0; j < lower.length; j++) {
    if (!Number.isFinite(lower[j]) || !Number.isFinite(upper[j]) || !(upper[j] > lower[j])) {
      throw new Error(`${what}: parameter ${j} has an empty or infinite box [${lower[j]}, ${upper[j]}]`);
    }
  }
}

function maxAbsDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
}

/**
 * A Latin hypercube of n points in [0, 1)^d: each axis cut into n equal
 * strata, one point per stratum per axis, uniformly placed within its cell.
 * Of `candidates` such designs, the one with the largest smallest pairwise
 * distance is returned.
 */
export function maximinLatinHypercube(n: number, d: number, rng: Rng, candidates = 10): number[][] {
  let best: number[][] = [];
  let bestScore = -1;
  for (let c = 0; c < Math.max(1, candidates); c++) {
    const pts: number[][] = [];
    for (let i = 0; i < n; i++) pts.push(new Array<number>(d));
    for (let j = 0; j < d; j++) {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const k = rng.int(i + 1);
        const t = perm[i];
        perm[i] = perm[k];
        perm[k] = t;
      }
      for (let i = 0; i < n; i++) pts[i][j] = (perm[i] + rng.next()) / n;
    }
    let score = Infinity;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (pts[a][j] - pts[b][j]) ** 2;
        score = Math.min(score, s);
      }
    }
    if (score > bestScore) {
      bestScore = score;
      best = pts;
    }
  }
  return best;
}

type Objective = (u: number[]) => Promise<number | null>;

interface NmOutcome {
  u: number[];
  f: number;
  converged: boolean;
  /** True when the objective refused (budget spent). */
  exhausted: boolean;
  /** Nelder–Mead iterations (reflections, with whatever followed them). */
  iterations: number;
  /** Final simplex: largest max-norm distance of a vertex from the best, and spread of values. */
  size: number;
  spread: number;
}

/** Nelder–Mead, restarted from its best point while a restart still improves it. */
async function nelderMeadWithRestarts(
  f: Objective,
  start: number[],
  fStart: number,
  step: number,
  xtol: number,
  ftol: number,
): Promise<NmOutcome> {
  let out = await nelderMead(f, start, fStart, step, xtol, ftol);
  let iterations = out.iterations;
  for (let r = 0; r < 20 && out.converged && !out.exhausted; r++) {
    const again = await nelderMead(f, out.u, out.f, step, xtol, ftol);
    iterations += again.iterations;
    const improved = again.f < out.f - ftol;
    // A restart that finds nothing better confirms the convergence, even if it was cut short.
    if (improved || (again.f <= out.f && again.converged)) out = again;
    if (!improved) break;
  }
  return { ...out, iterations };
}

/**
 * One bounded Nelder–Mead run in the unit cube. Trial points are projected
 * onto [0, 1]^d; the initial simplex steps inwards from faces.
 */
async function nelderMead(
  f: Objective,
  start: number[],
  fStart: number,
  step: number,
  xtol: number,
  ftol: number,
): Promise<NmOutcome> {
  const d = start.length;
  const clamp = (u: number[]): number[] => u.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v));
  const simplex: { u: number[]; f: number }[] = [{ u: start.slice(), f: fStart }];
  let iterations = 0;
  for (let j = 0; j < d; j++) {
    const u = start.slice();
    u[j] = u[j] + step <= 1 ? u[j] + step : u[j] - step;
    const v = await f(clamp(u));
    if (v === null) return finish(simplex, false, true, iterations);
    simplex.push({ u: clamp(u), f: v });
  }
  const alpha = 1;
  const gamma = 2;
  const rho = 0.5;
  const sigma = 0.5;
  for (;; iterations++) {
    // Stable sort keeps the older vertex first among ties (Lagarias et al.'s rule).
    simplex.sort((a, b) => a.f - b.f);
    const bestV = simplex[0];
    const worst = simplex[d];
    let size = 0;
    for (let i = 1; i <= d; i++) size = Math.max(size, maxAbsDiff(simplex[i].u, bestV.u));
    if (size <= xtol && worst.f - bestV.f <= ftol) return finish(simplex, true, false, iterations);
    if (size <= 1e-14) return finish(simplex, true, false, iterations); // Collapsed (e.g. onto a face); a restart will rebuild it.
    const centroid = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j] += simplex[i].u[j] / d;
    const along = (t: number): number[] => clamp(centroid.map((c, j) => c + t * (worst.u[j] - c)));

    const ur = along(-alpha);
    const fr = await f(ur);
    if (fr === null) return finish(simplex, false, true, iterations);
    if (fr < bestV.f) {
      const ue = along(-alpha * gamma);
      const fe = await f(ue);
      if (fe === null) return finish(simplex, false, true, iterations);
      simplex[d] = fe < fr ? { u: ue, f: fe } : { u: ur, f: fr };
      continue;
    }
    if (fr < simplex[d - 1].f) {
      simplex[d] = { u: ur, f: fr };
      continue;
    }
    const outside = fr < worst.f;
    const uc = along(outside ? -alpha * rho : rho);
    const fc = await f(uc);
    if (fc === null) return finish(simplex, false, true, iterations);
    if (outside ? fc <= fr : fc < worst.f) {
      simplex[d] = { u: uc, f: fc };
      continue;
    }
    // Shrink towards the best vertex.
    for (let i = 1; i <= d; i++) {
      const us = clamp(simplex[i].u.map((v, j) => bestV.u[j] + sigma * (v - bestV.u[j])));
      const fs = await f(us);
      if (fs === null) return finish(simplex, false, true, iterations);
      simplex[i] = { u: us, f: fs };
    }
  }
}

function finish(simplex: { u: number[]; f: number }[], converged: boolean, exhausted: boolean, iterations: number): NmOutcome {
  let b = simplex[0];
  for (const s of simplex) if (s.f < b.f) b = s;
  let size = 0;
  let spread = 0;
  for (const s of simplex) {
    size = Math.max(size, maxAbsDiff(s.u, b.u));
    spread = Math.max(spread, s.f - b.f);
  }
  return { u: b.u.slice(), f: b.f, converged, exhausted, iterations, size, spread };
}
