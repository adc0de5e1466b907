/**
 * Sensitivity analysis: experimental designs (grid, Latin hypercube,
 * Saltelli, Morris), the Sobol' sequence behind them, and the Sobol'-index
 * and Morris estimators. Re-exports only.
 */
export {
  SOBOL_BITS,
  SOBOL_MAX_DIMENSION,
  SobolSequence,
  sobolDirectionNumbers,
  sobolPoints,
  sobolPolynomial,
} from './sobol-sequence.js';
export type { SobolOptions, SobolPolynomial } from './sobol-sequence.js';

export {
  SALTELLI_MAX_PARAMETERS,
  gridDesign,
  latinHypercube,
  morrisDesign,
  saltelliDesign,
  scaleToRanges,
} from './designs.js';
export type {
  GridDesign,
  LatinHypercubeDesign,
  MorrisDesign,
  MorrisOptions,
  ParameterRange,
  SaltelliDesign,
  SaltelliOptions,
} from './designs.js';

export { sobolIndices } from './sobol-indices.js';
export type { SobolIndicesOptions, SobolIndicesResult, SobolParameterIndices } from './sobol-indices.js';

export { morrisIndices } from './morris.js';
export type { MorrisIndicesOptions, MorrisParameterIndices } from './morris.js';
