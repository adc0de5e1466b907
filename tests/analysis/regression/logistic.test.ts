/**
 * Logistic regression against published fits of the Challenger O-ring data.
 *
 * 23 launches (Dalal, Fowlkes & Hoadley 1989, JASA 84:945–957; the table as
 * printed in OpenIntro Statistics and alr4::Challeng), outcome "any O-ring
 * damaged": R's glm(Fail > 0 ~ Temp, family = binomial) prints
 * (Intercept) 15.0429 (SE 7.3786), Temp −0.2322 (SE 0.1082), z 2.039 / −2.145,
 * p 0.0415 / 0.0320 (BYU-Idaho Statistics Notebook, "Challenger logistic regression").
 *
 * 24 launches as tabulated by Montgomery & Runger (Applied Statistics and
 * Probability for Engineers, S11-9, Minitab output) and a Memorial University
 * course page (R glm output): Constant 10.875 (SE 5.703), Temperature −0.17132
 * (SE 0.08344); R prints 10.87535 (5.70291), −0.17132 (0.08344), residual
 * deviance 23.03, null deviance 28.975.
 */
import { describe, expect, it } from 'vitest';
import { logistic } from '../../../analysis/regression/index.js';

// Temperature (°F) and number of damaged O-rings (of 6) for the 23 flights before Challenger.
const TEMP_23 = [53, 57, 58, 63, 66, 67, 67, 67, 68, 69, 70, 70, 70, 70, 72, 73, 75, 75, 76, 76, 78, 79, 81];
const DAMAGED_23 = [5, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];

const TEMP_24 = [53, 56, 57, 63, 66, 67, 67, 67, 68, 69, 70, 70, 70, 70, 72, 73, 75, 75, 76, 76, 78, 79, 80, 81];
const FAIL_24 = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];

describe('logistic: Challenger O-rings, 23 launches (glm reference)', () => {
  const fit = logistic(
    TEMP_23.map((t) => [t]),
    DAMAGED_23.map((d) => (d > 0 ? 1 : 0)),
    ['Temp'],
    { intercept: true },
  );
  const [a, b] = fit.coefficients;

  it('matches the printed coefficients and standard errors (4 decimals)', () => {
    expect(a.estimate).toBeCloseTo(15.0429, 4);
    expect(b.estimate).toBeCloseTo(-0.2322, 4);
    expect(a.se).toBeCloseTo(7.3786, 4);
    expect(b.se).toBeCloseTo(0.1082, 4);
  });

  it('matches the printed z values and p-values', () => {
    expect(a.z).toBeCloseTo(2.039, 3);
    expect(b.z).toBeCloseTo(-2.145, 3);
    expect(a.p).toBeCloseTo(0.0415, 4);
    expect(b.p).toBeCloseTo(0.032, 4);
  });

  it('reports a converged fit in a handful of Newton steps', () => {
    expect(fit.iterations).toBeLessThan(12);
    expect(fit.deviance).toBeCloseTo(-2 * fit.logLik, 12);
  });
});

describe('logistic: Challenger O-rings, 24 launches (glm and Minitab reference)', () => {
  const fit = logistic(
    TEMP_24.map((t) => [t]),
    FAIL_24,
    ['Temp'],
    { intercept: true },
  );
  const [a, b] = fit.coefficients;

  it('matches R: 10.87535, −0.17132 (0.08344); Minitab: SE(constant) 5.703', () => {
    expect(a.estimate).toBeCloseTo(10.87535, 5);
    expect(b.estimate).toBeCloseTo(-0.17132, 5);
    expect(b.se).toBeCloseTo(0.08344, 5);
    // R prints 5.70291: glm takes the covariance from the working weights of its last
    // IRLS step, evaluated one step before its (1e-8-converged) estimate. At the MLE the
    // inverse Fisher information gives 5.70313, which is Minitab's 5.703.
    expect(a.se).toBeCloseTo(5.703, 3);
    expect(b.z).toBeCloseTo(-2.053, 3);
    expect(b.p).toBeCloseTo(0.04, 3);
  });

  it('matches the residual and null deviance (23.03, 28.975) and Minitab log-likelihood (−11.515)', () => {
    expect(fit.deviance).toBeCloseTo(23.03, 2);
    expect(fit.nullDeviance).toBeCloseTo(28.975, 3);
    expect(fit.logLik).toBeCloseTo(-11.515, 3);
    expect(fit.aic).toBeCloseTo(27.03, 2);
  });

  it('frequency weights equal duplicated rows', () => {
    const w = TEMP_24.map((_, i) => (i % 3 === 0 ? 2 : 1));
    const Xd: number[][] = [];
    const yd: number[] = [];
    TEMP_24.forEach((t, i) => {
      for (let k = 0; k < w[i]; k++) {
        Xd.push([t]);
        yd.push(FAIL_24[i]);
      }
    });
    const weighted = logistic(TEMP_24.map((t) => [t]), FAIL_24, ['Temp'], { intercept: true, weights: w });
    const dup = logistic(Xd, yd, ['Temp'], { intercept: true });
    weighted.coefficients.forEach((c, j) => {
      expect(c.estimate).toBeCloseTo(dup.coefficients[j].estimate, 10);
      expect(c.se).toBeCloseTo(dup.coefficients[j].se, 10);
    });
  });
});

describe('logistic: failure modes', () => {
  it('detects complete separation and names the diverging coefficient', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => [v, (v * 7) % 5]);
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    expect(() => logistic(x, y, ['dose', 'noise'], { intercept: true })).toThrow(/separation.*'dose'/);
  });

  it('detects quasi-complete separation', () => {
    const x = [1, 2, 3, 3, 3, 4, 5, 6].map((v) => [v]);
    const y = [0, 0, 0, 1, 0, 1, 1, 1];
    expect(() => logistic(x, y, ['dose'], { intercept: true })).toThrow(/separation.*'dose'/);
  });

  it('names a collinear column rather than blaming separation', () => {
    const x = TEMP_24.map((t) => [t, 2 * t - 32]);
    expect(() => logistic(x, FAIL_24, ['F', 'G'], { intercept: true })).toThrow(/column 'G'.*linear combination/);
  });

  it('rejects outcomes that are not 0/1 or have no variation', () => {
    expect(() => logistic([[1], [2], [3]], [0, 2, 1], ['x'])).toThrow(/0 or 1/);
    expect(() => logistic([[1], [2], [3]], [1, 1, 1], ['x'], { intercept: true })).toThrow(/every/);
  });
});
