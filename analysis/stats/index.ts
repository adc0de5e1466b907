/** Statistics for comparing policy scenarios as outcome distributions over Monte Carlo replications. */
export {
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSidedP,
  studentTQuantile,
  chiSquareCdf,
  kolmogorovSurvival,
} from './distributions.js';
export { mean, variance, sd, quantileSorted, summarise, type Summary } from './describe.js';
export {
  bootstrapMeanCI,
  pairedDifferenceCI,
  independentDifferenceCI,
  type BootstrapOptions,
  type BootstrapInterval,
} from './bootstrap.js';
export { cohensDz, cohensDBaseline, hedgesG } from './effect.js';
export { differences, pairedT, wilcoxonSignedRank, signFlipTest, SIGN_FLIP_EXACT_MAX, type PairedTResult, type WilcoxonResult, type SignFlipResult } from './paired.js';
export { adjustP, ADJUST_METHODS, type AdjustMethod } from './adjust.js';
export { ksTwoSample, type KsResult } from './ks.js';
export { mannWhitneyU, type MannWhitneyResult } from './mannwhitney.js';
