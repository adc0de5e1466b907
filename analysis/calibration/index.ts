/**
 * Calibration of the simulator's free parameters to target moments: the
 * method of simulated moments and approximate Bayesian computation. Re-exports only.
 */
export { smm, maximinLatinHypercube } from './smm.js';
export type { MomentFunction, SmmEvaluation, SmmOptions, SmmResult, SmmTargetFit } from './smm.js';
export { abc } from './abc.js';
export type { AbcOptions, AbcParticle, AbcResult, AbcSummary } from './abc.js';
