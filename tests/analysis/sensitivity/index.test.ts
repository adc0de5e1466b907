import { describe, expect, it } from 'vitest';
import * as sensitivity from '../../../analysis/sensitivity/index.js';

describe('analysis/sensitivity index', () => {
  it('re-exports the designs, the Sobol sequence and both estimators', () => {
    for (const name of [
      'SobolSequence',
      'sobolPoints',
      'sobolDirectionNumbers',
      'sobolPolynomial',
      'gridDesign',
      'latinHypercube',
      'saltelliDesign',
      'morrisDesign',
      'scaleToRanges',
      'sobolIndices',
      'morrisIndices',
    ]) {
      expect(typeof (sensitivity as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(sensitivity.SOBOL_MAX_DIMENSION).toBe(2 * sensitivity.SALTELLI_MAX_PARAMETERS);
  });
});
