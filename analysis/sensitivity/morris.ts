/**
 * Morris elementary-effects screening: for each parameter, the mean μ, the
 * mean absolute value μ* and the standard deviation σ of its elementary
 * effects along the trajectories of a {@link morrisDesign}. μ* ranks overall
 * influence; σ > 0 flags non-linearity or interaction with other parameters.
 *
 * Methods: M. D. Morris, "Factorial sampling plans for preliminary
 * computational experiments", Technometrics 33:161-174 (1991) (elementary
 * effects, μ, σ); F. Campolongo, J. Cariboni and A. Saltelli, "An effective
 * screening design for sensitivity analysis of large models", Environ. Model.
 * Softw. 22:1509-1518 (2007) (μ*, the mean of |EE|).
 *
 * Elementary effect of the step that moves factor i by s·Δ (s = ±1) in unit
 * coordinates: EE = (y_after − y_before) / (s·Δ), i.e. the change in output
 * per unit of the parameter's whole range ("per full range"). When `ranges`
 * are given, each EE is divided by the parameter's width on its own scale —
 * (max − min), or ln(max / min) for log parameters — so EE is in output units
 * per parameter unit (per e-fold for log parameters). For integer parameters
 * the nominal width max − min is used, not the realised integer step.
 */
import type { MorrisDesign, ParameterRange } from './designs.js';

/** Options for {@link morrisIndices}. */
export interface MorrisIndicesOptions {
  /** Parameter ranges, to express elementary effects per parameter unit (see module comment). */
  ranges?: readonly ParameterRange[];
}

/** Morris measures for one parameter. */
export interface MorrisParameterIndices {
  /** 0-based parameter index. */
  parameter: number;
  /** Mean elementary effect. */
  mu: number;
  /** Mean absolute elementary effect (Campolongo et al. 2007). */
  muStar: number;
  /** Sample standard deviation (divisor r − 1) of the elementary effects; NaN with one trajectory. */
  sigma: number;
  /** Number of elementary effects (= trajectories). */
  effects: number;
}

/**
 * Morris μ, μ* and σ for each parameter from outputs `y` on a
 * {@link MorrisDesign} (y[k] is the output at design.points[k]).
 *
 * @throws RangeError if y has the wrong length or a non-finite value, or if
 *   `ranges` has the wrong length.
 */
export function morrisIndices(
  design: MorrisDesign,
  y: ArrayLike<number>,
  options: MorrisIndicesOptions = {},
): MorrisParameterIndices[] {
  const d = design.dimension;
  const r = design.trajectories;
  if (y.length !== r * (d + 1)) {
    throw new RangeError(`expected ${r * (d + 1)} outputs for the Morris design, got ${y.length}`);
  }
  for (let k = 0; k < y.length; k++) {
    if (!Number.isFinite(y[k])) throw new RangeError(`output ${k} is not finite (${y[k]})`);
  }
  const width = new Float64Array(d).fill(1);
  if (options.ranges) {
    if (options.ranges.length !== d) {
      throw new RangeError(`expected ${d} ranges, got ${options.ranges.length}`);
    }
    for (let i = 0; i < d; i++) {
      const { min, max, log } = options.ranges[i];
      width[i] = log ? Math.log(max / min) : max - min;
      if (!(width[i] > 0) || !Number.isFinite(width[i])) throw new RangeError(`parameter ${i}: invalid range [${min}, ${max}]`);
    }
  }

  // ee[i * r + t]: effect of factor i in trajectory t.
  const ee = new Float64Array(d * r);
  const count = new Int32Array(d);
  for (let t = 0; t < r; t++) {
    const o = t * (d + 1);
    for (let k = 0; k < d; k++) {
      const i = design.changedFactor[t * d + k];
      const s = design.stepSign[t * d + k];
      if (count[i] !== t) throw new RangeError(`trajectory ${t} does not change factor ${i} exactly once`);
      ee[i * r + t] = (y[o + k + 1] - y[o + k]) / (s * design.delta) / width[i];
      count[i]++;
    }
  }
  for (let i = 0; i < d; i++) {
    if (count[i] !== r) throw new RangeError(`factor ${i} is not changed exactly once in every trajectory`);
  }

  const out: MorrisParameterIndices[] = [];
  for (let i = 0; i < d; i++) {
    let sum = 0;
    let sumAbs = 0;
    for (let t = 0; t < r; t++) {
      const e = ee[i * r + t];
      sum += e;
      sumAbs += Math.abs(e);
    }
    const mu = sum / r;
    let ss = 0;
    for (let t = 0; t < r; t++) {
      const dev = ee[i * r + t] - mu;
      ss += dev * dev;
    }
    out.push({ parameter: i, mu, muStar: sumAbs / r, sigma: r > 1 ? Math.sqrt(ss / (r - 1)) : NaN, effects: r });
  }
  return out;
}
