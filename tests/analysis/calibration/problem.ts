/**
 * A small calibration problem with a known answer, shared by the SMM and ABC tests.
 *
 * "Observed" data: 200 draws from N(μ = 2, σ = 1.5) (seeded). Targets: their
 * sample mean and standard deviation. Simulator: x_i = μ + σ z_i with one fixed
 * set of 200 standard-normal draws z (common random numbers), so the simulated
 * moments are exactly m(μ, σ) = (μ + σ z̄, σ s_z) and the moment equations have
 * the closed-form solution σ* = s_obs / s_z, μ* = x̄_obs − σ* z̄: the estimate
 * every method should find. The truth (2, 1.5) is within sampling error of it.
 */
import { Rng } from '../../../sim/rng.js';

export const TRUE_THETA = [2, 1.5];
const N = 200;

function meanSd(x: number[]): [number, number] {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  const v = x.reduce((s, u) => s + (u - m) ** 2, 0) / (x.length - 1);
  return [m, Math.sqrt(v)];
}

const obsRng = new Rng('calibration-test|observed');
const observed = Array.from({ length: N }, () => TRUE_THETA[0] + TRUE_THETA[1] * obsRng.normal());
export const TARGETS = meanSd(observed);

const crnRng = new Rng('calibration-test|crn');
const z = Array.from({ length: N }, () => crnRng.normal());
const [zbar, sz] = meanSd(z);

/** Mean and SD of the common random numbers. */
export const CRN = { mean: zbar, sd: sz };

/** The closed-form simulated-moments estimate. */
export const THETA_STAR = [TARGETS[0] - (TARGETS[1] / sz) * zbar, TARGETS[1] / sz];

/** Simulated mean and SD of μ + σz under the common random numbers; counts its calls. */
export function makeSimulator(): { moments: (theta: number[]) => Promise<number[]>; calls: number[][] } {
  const calls: number[][] = [];
  return {
    calls,
    moments: async (theta: number[]) => {
      calls.push(theta.slice());
      return meanSd(z.map((v) => theta[0] + theta[1] * v));
    },
  };
}

/** Standard errors of the targets (SD/√n and SD/√(2(n−1))), used as tolerances. */
export const TARGET_SE = [TARGETS[1] / Math.sqrt(N), TARGETS[1] / Math.sqrt(2 * (N - 1))];
