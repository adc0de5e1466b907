/**
 * Regression models for the virtual NAO survey: OLS, binary logistic and
 * proportional-odds (ordinal logit). Re-exports only.
 */
export { ols } from './ols.js';
export type { OlsCoefficient, OlsOptions, OlsResult } from './ols.js';
export { logistic } from './logistic.js';
export type { LogisticCoefficient, LogisticOptions, LogisticResult } from './logistic.js';
export { CollinearityError } from './linalg.js';
export { ordinalLogit } from './ordinal.js';
export type { OrdinalOptions, OrdinalParameter, OrdinalResult } from './ordinal.js';
