/** Statistics for comparing policy scenarios as outcome distributions over Monte Carlo replications. */
export {
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSidedP,
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
export { cohensDz, hedgesG } from './effect.js';
export { ksTwoSample, type KsResult } from './ks.js';
export { mannWhitneyU, type MannWhitneyResult } from './mannwhitney.js';
