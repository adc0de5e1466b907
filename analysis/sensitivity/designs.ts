/**
 * Experimental designs for parameter sweeps and sensitivity analysis.
 *
 * Every design except the grid produces points in the unit hypercube (one
 * coordinate per parameter), to be mapped to parameter values with
 * {@link scaleToRanges}; the grid takes and returns actual parameter values.
 * Designs are deterministic: the Sobol'-based Saltelli design has no
 * randomness at all, and the random designs draw only from the `Rng` passed
 * in, in a fixed documented order, so the same generator key gives the same
 * design.
 *
 * Methods:
 * - Full factorial grid.
 * - Latin hypercube sampling: M. D. McKay, R. J. Beckman and W. J. Conover,
 *   "A comparison of three methods for selecting values of input variables in
 *   the analysis of output from a computer code", Technometrics 21:239-245 (1979).
 * - Saltelli design (radial A / B / AB_i matrices) for first-order and total
 *   Sobol' indices: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto
 *   and S. Tarantola, "Variance based sensitivity analysis of model output.
 *   Design and estimator for the total sensitivity index", Comput. Phys.
 *   Commun. 181:259-270 (2010), built from a 2d-dimensional Sobol' sequence
 *   with Joe & Kuo (2008) direction numbers.
 * - Morris elementary-effects trajectories: M. D. Morris, "Factorial sampling
 *   plans for preliminary computational experiments", Technometrics
 *   33:161-174 (1991).
 */
import type { Rng } from '../../sim/rng.js';
import { SOBOL_MAX_DIMENSION, SobolSequence } from './sobol-sequence.js';

// ───────────────────────────── grid ─────────────────────────────

/** A full factorial design over explicit levels. */
export interface GridDesign {
  readonly kind: 'grid';
  /** Number of parameters. */
  readonly dimension: number;
  /** The levels of each parameter, as given. */
  readonly levels: readonly (readonly number[])[];
  /** Actual parameter values (not unit points), in the order documented on {@link gridDesign}. */
  readonly points: number[][];
}

/**
 * Full factorial design over explicit levels: every combination of one level
 * per parameter. Points are actual values, in lexicographic order of the level
 * indices with the first parameter varying slowest and the last fastest
 * (like nested loops, or an odometer): for levels `[[1, 2], [10, 20, 30]]` the
 * order is (1,10) (1,20) (1,30) (2,10) (2,20) (2,30). The number of points is
 * the product of the numbers of levels. With no parameters the design is a
 * single empty point.
 *
 * @throws RangeError if a parameter has no levels or a level is not finite.
 */
export function gridDesign(levels: readonly (readonly number[])[]): GridDesign {
  const d = levels.length;
  let count = 1;
  for (let i = 0; i < d; i++) {
    const l = levels[i];
    if (l.length === 0) throw new RangeError(`grid parameter ${i} has no levels`);
    for (const v of l) if (!Number.isFinite(v)) throw new RangeError(`grid parameter ${i} has a non-finite level ${v}`);
    count *= l.length;
  }
  if (!Number.isSafeInteger(count)) throw new RangeError(`grid has too many points (${count})`);
  const points: number[][] = new Array(count);
  const idx = new Array<number>(d).fill(0);
  for (let p = 0; p < count; p++) {
    const pt = new Array<number>(d);
    for (let i = 0; i < d; i++) pt[i] = levels[i][idx[i]];
    points[p] = pt;
    // Odometer increment, last parameter fastest.
    for (let i = d - 1; i >= 0; i--) {
      if (++idx[i] < levels[i].length) break;
      idx[i] = 0;
    }
  }
  return { kind: 'grid', dimension: d, levels: levels.map((l) => l.slice()), points };
}

// ───────────────────────── Latin hypercube ─────────────────────────

/** A Latin hypercube sample in the unit hypercube. */
export interface LatinHypercubeDesign {
  readonly kind: 'lhs';
  readonly dimension: number;
  /** Number of points (= number of strata per coordinate). */
  readonly samples: number;
  /** n points in [0, 1)^d. */
  readonly points: number[][];
}

/**
 * McKay Latin hypercube sample of `n` points in [0, 1)^d: for each coordinate
 * the interval is cut into n equal strata [k/n, (k+1)/n) and each stratum
 * holds exactly one point, placed uniformly within it; the strata are paired
 * across coordinates by independent random permutations.
 *
 * Draw order (fixed, for reproducibility): for each coordinate j = 0..d-1 in
 * turn, a Fisher–Yates shuffle of 0..n-1 (n-1 calls to `rng.int`, i = n-1
 * down to 1), then n calls to `rng.next()` for the positions within strata.
 */
export function latinHypercube(d: number, n: number, rng: Rng): LatinHypercubeDesign {
  checkCount('dimension', d, 1);
  checkCount('number of points', n, 1);
  const points: number[][] = new Array(n);
  for (let i = 0; i < n; i++) points[i] = new Array<number>(d);
  const perm = new Int32Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const k = rng.int(i + 1);
      const t = perm[i];
      perm[i] = perm[k];
      perm[k] = t;
    }
    for (let i = 0; i < n; i++) points[i][j] = inStratum(perm[i], rng.next(), n);
  }
  return { kind: 'lhs', dimension: d, samples: n, points };
}

/** (k + u) / n, nudged down if rounding pushed it out of [k/n, (k+1)/n). */
function inStratum(k: number, u: number, n: number): number {
  let x = (k + u) / n;
  while (x > 0 && (x >= 1 || Math.floor(x * n) > k)) x = nextDown(x);
  while (Math.floor(x * n) < k) x = nextUp(x);
  return x;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** The largest double below a positive finite x. */
function nextDown(x: number): number {
  f64[0] = x;
  u64[0] -= 1n;
  return f64[0];
}
/** The smallest double above a non-negative finite x. */
function nextUp(x: number): number {
  f64[0] = x;
  u64[0] += 1n;
  return f64[0];
}

// ──────────────────────────── Saltelli ────────────────────────────

/** Options for {@link saltelliDesign}. */
export interface SaltelliOptions {
  /** Second-order indices need the extra BA_i matrices; not supported, must be false or omitted. */
  secondOrder?: false;
  /**
   * Leading points of the 2d-dimensional Sobol' sequence to skip (default 0:
   * keep the first point, so every 2^m-point prefix is a (t, m, s)-net; skipping
   * it breaks that balance and makes errors worse, Owen 2020, "On dropping the
   * first Sobol' point").
   */
  skip?: number;
  /**
   * Independent randomised replicates (default 1). The n base rows are split into
   * this many blocks of n / replicates rows, each from its own scrambled Sobol'
   * sequence; the spread between blocks gives the indices' confidence intervals.
   * More than one needs `scramble`.
   */
  replicates?: number;
  /** Scramble each replicate's sequence with draws from this generator (randomised QMC). */
  scramble?: Rng;
}

/**
 * A Saltelli (2010) design for first-order and total Sobol' indices.
 *
 * Layout: base row j (0 ≤ j < n) occupies the `stride` = d + 2 consecutive
 * points starting at j·stride, in the order
 * `A_j, AB_(1)j, ..., AB_(d)j, B_j` (as SALib's `saltelli.sample` with
 * second-order indices off). So with `o = j * stride`:
 * f(A_j) = y[o + offsetA], f(AB_(i)j) = y[o + offsetAB + i] (i 0-based),
 * f(B_j) = y[o + offsetB].
 */
export interface SaltelliDesign {
  readonly kind: 'saltelli';
  /** Number of parameters d. */
  readonly dimension: number;
  /** Number of base rows n (rows of A and of B). */
  readonly baseRows: number;
  readonly secondOrder: false;
  /** Sobol' points skipped before row 0 of each replicate. */
  readonly skip: number;
  /** Independent replicates: base rows r·m .. (r+1)·m − 1 (m = baseRows / replicates) come from replicate r. */
  readonly replicates: number;
  /** Whether each replicate's sequence is scrambled (randomised). */
  readonly scrambled: boolean;
  /** Points per base row: d + 2. */
  readonly stride: number;
  /** Offset of A_j within a base row's block: 0. */
  readonly offsetA: number;
  /** Offset of AB_(0)j within a base row's block (AB_(i)j is at offsetAB + i): 1. */
  readonly offsetAB: number;
  /** Offset of B_j within a base row's block: d + 1. */
  readonly offsetB: number;
  /** n·(d+2) points in [0, 1)^d. */
  readonly points: number[][];
}

/** Largest number of parameters {@link saltelliDesign} supports (the Sobol' table has 2·this dimensions). */
export const SALTELLI_MAX_PARAMETERS = Math.floor(SOBOL_MAX_DIMENSION / 2);

/**
 * Saltelli (2010) design from a 2d-dimensional Sobol' sequence: point j of the
 * sequence (after `skip`) gives row j of A (its first d coordinates) and of B
 * (its last d); AB_i is A with column i taken from B. Returns n·(d+2) points
 * in the interleaved order documented on {@link SaltelliDesign}. For balance
 * choose n a power of two.
 *
 * @param d number of parameters, 1..{@link SALTELLI_MAX_PARAMETERS}
 * @param n number of base rows
 */
export function saltelliDesign(d: number, n: number, options: SaltelliOptions = {}): SaltelliDesign {
  checkCount('dimension', d, 1);
  checkCount('number of base rows', n, 1);
  if ((options.secondOrder as boolean | undefined) === true) {
    throw new Error('saltelliDesign: second-order indices are not supported');
  }
  if (d > SALTELLI_MAX_PARAMETERS) {
    throw new RangeError(`saltelliDesign supports at most ${SALTELLI_MAX_PARAMETERS} parameters (2d Sobol dimensions), got ${d}`);
  }
  const skip = options.skip ?? 0;
  const replicates = options.replicates ?? 1;
  if (!Number.isInteger(replicates) || replicates < 1 || n % replicates !== 0) {
    throw new RangeError(`saltelliDesign: replicates must be a positive integer dividing n = ${n} (got ${replicates})`);
  }
  if (replicates > 1 && !options.scramble) throw new RangeError('saltelliDesign: independent replicates need a scramble generator');
  const m = n / replicates;
  const stride = d + 2;
  const points: number[][] = new Array(n * stride);
  const buf = new Float64Array(2 * d);
  for (let r = 0; r < replicates; r++) {
    const seq = new SobolSequence(2 * d, { skip, scramble: options.scramble });
    for (let q = 0; q < m; q++) {
      const j = r * m + q;
      seq.next(buf);
      const a = Array.from(buf.subarray(0, d));
      const b = Array.from(buf.subarray(d, 2 * d));
      const o = j * stride;
      points[o] = a;
      for (let i = 0; i < d; i++) {
        const ab = a.slice();
        ab[i] = b[i];
        points[o + 1 + i] = ab;
      }
      points[o + d + 1] = b;
    }
  }
  return {
    kind: 'saltelli',
    dimension: d,
    baseRows: n,
    secondOrder: false,
    skip,
    replicates,
    scrambled: options.scramble !== undefined,
    stride,
    offsetA: 0,
    offsetAB: 1,
    offsetB: d + 1,
    points,
  };
}

// ───────────────────────────── Morris ─────────────────────────────

/** Options for {@link morrisDesign}. */
export interface MorrisOptions {
  /** Number of grid levels p (even, ≥ 2; default 4). */
  levels?: number;
  /** Source of the randomisation. */
  rng: Rng;
}

/**
 * Morris (1991) one-at-a-time trajectories.
 *
 * Trajectory t (0 ≤ t < r) occupies points t·(d+1) .. t·(d+1)+d. Step k of
 * trajectory t (0 ≤ k < d) goes from point t·(d+1)+k to t·(d+1)+k+1 and
 * changes only factor `changedFactor[t·d + k]`, by `stepSign[t·d + k]`·Δ.
 */
export interface MorrisDesign {
  readonly kind: 'morris';
  readonly dimension: number;
  /** Number of trajectories r. */
  readonly trajectories: number;
  /** Number of grid levels p. */
  readonly levels: number;
  /** Step Δ = p / (2(p−1)), in unit coordinates. */
  readonly delta: number;
  /** r·(d+1) points on the grid {0, 1/(p−1), ..., 1} (both ends included). */
  readonly points: number[][];
  /** For each step, the 0-based index of the factor that changes. */
  readonly changedFactor: number[];
  /** For each step, +1 if the factor increases by Δ, −1 if it decreases. */
  readonly stepSign: number[];
}

/**
 * r Morris trajectories of d+1 points each on the p-level grid
 * {0, 1/(p−1), ..., 1} with step Δ = p/(2(p−1)). Per trajectory, as Morris's
 * randomised B* = (J x* + (Δ/2)[(2B − J)D* + J]) P*: a base point x* uniform
 * over the grid values with x* + Δ ≤ 1, a random direction ±1 per factor, and
 * a random order of factors. The trajectory starts at x*_i (direction +1) or
 * x*_i + Δ (direction −1) and changes each factor exactly once, in the random
 * order, by its direction times Δ. Points lie in [0, 1] (1 included, unlike
 * the other designs; {@link scaleToRanges} accepts it).
 *
 * Draw order per trajectory: d calls `rng.int(p/2)` for the base levels, d
 * calls `rng.next()` for the directions (−1 if < 0.5), then a Fisher–Yates
 * shuffle of the factor order (d−1 calls to `rng.int`).
 */
export function morrisDesign(d: number, r: number, options: MorrisOptions): MorrisDesign {
  checkCount('dimension', d, 1);
  checkCount('number of trajectories', r, 1);
  const p = options.levels ?? 4;
  if (!Number.isInteger(p) || p < 2 || p % 2 !== 0) {
    throw new RangeError(`Morris levels must be an even integer >= 2, got ${p}`);
  }
  const rng = options.rng;
  const half = p / 2; // Δ in grid steps
  const delta = p / (2 * (p - 1));
  const points: number[][] = [];
  const changedFactor: number[] = [];
  const stepSign: number[] = [];
  const lvl = new Int32Array(d); // current grid level of each factor
  const sign = new Int8Array(d);
  const order = new Int32Array(d);
  for (let t = 0; t < r; t++) {
    for (let i = 0; i < d; i++) lvl[i] = rng.int(half);
    for (let i = 0; i < d; i++) sign[i] = rng.next() < 0.5 ? -1 : 1;
    for (let i = 0; i < d; i++) order[i] = i;
    for (let i = d - 1; i > 0; i--) {
      const k = rng.int(i + 1);
      const tmp = order[i];
      order[i] = order[k];
      order[k] = tmp;
    }
    for (let i = 0; i < d; i++) if (sign[i] < 0) lvl[i] += half;
    points.push(gridPoint(lvl, p));
    for (let k = 0; k < d; k++) {
      const i = order[k];
      lvl[i] += sign[i] * half;
      points.push(gridPoint(lvl, p));
      changedFactor.push(i);
      stepSign.push(sign[i]);
    }
  }
  return { kind: 'morris', dimension: d, trajectories: r, levels: p, delta, points, changedFactor, stepSign };
}

function gridPoint(lvl: Int32Array, p: number): number[] {
  const pt = new Array<number>(lvl.length);
  for (let i = 0; i < lvl.length; i++) pt[i] = lvl[i] / (p - 1);
  return pt;
}

// ─────────────────────────── scaling ───────────────────────────

/** How a unit coordinate maps to one parameter. */
export interface ParameterRange {
  min: number;
  max: number;
  /** Log-uniform between min and max (both must be > 0). */
  log?: boolean;
  /** Integer-valued: each integer in min..max gets an equal share of [0, 1). */
  integer?: boolean;
}

/**
 * Map a point of the unit hypercube to parameter values, coordinate by
 * coordinate (u in [0, 1]; 1 is accepted for Morris grids):
 * - linear: min + u·(max − min);
 * - log: exp(ln min + u·(ln max − ln min));
 * - integer: min + ⌊u·(max − min + 1)⌋, capped at max, so each of the
 *   max − min + 1 integers gets an equal share of [0, 1) (min and max must be
 *   integers);
 * - log + integer: ⌊exp(ln min + u·(ln(max + 1) − ln min))⌋, capped at max
 *   (integer k gets a share proportional to ln((k+1)/k)).
 * Results are clamped to [min, max] against rounding.
 *
 * @throws RangeError on a length mismatch, u outside [0, 1], or an invalid range.
 */
export function scaleToRanges(unitPoint: ArrayLike<number>, ranges: readonly ParameterRange[]): number[] {
  if (unitPoint.length !== ranges.length) {
    throw new RangeError(`point has ${unitPoint.length} coordinates but ${ranges.length} ranges were given`);
  }
  const out = new Array<number>(ranges.length);
  for (let i = 0; i < ranges.length; i++) {
    const u = unitPoint[i];
    const { min, max, log = false, integer = false } = ranges[i];
    if (!(u >= 0 && u <= 1)) throw new RangeError(`coordinate ${i} = ${u} is outside [0, 1]`);
    if (!Number.isFinite(min) || !Number.isFinite(max) || !(min <= max)) {
      throw new RangeError(`parameter ${i}: invalid range [${min}, ${max}]`);
    }
    if (log && !(min > 0)) throw new RangeError(`parameter ${i}: log scale needs min > 0, got ${min}`);
    if (integer && (!Number.isInteger(min) || !Number.isInteger(max))) {
      throw new RangeError(`parameter ${i}: integer range needs integer bounds, got [${min}, ${max}]`);
    }
    let v: number;
    if (integer) {
      v = log
        ? Math.floor(Math.exp(Math.log(min) + u * (Math.log(max + 1) - Math.log(min))))
        : min + Math.floor(u * (max - min + 1));
    } else {
      v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
    }
    out[i] = v < min ? min : v > max ? max : v;
  }
  return out;
}

function checkCount(what: string, v: number, least: number): void {
  if (!Number.isInteger(v) || v < least) throw new RangeError(`${what} must be an integer >= ${least}, got ${v}`);
}
