import { describe, expect, it } from 'vitest';
import { ols } from '../../../analysis/regression/ols.js';
import { ordinalLogit } from '../../../analysis/regression/ordinal.js';

// Reference: the sandwich formulas of statsmodels' OLS cov_type='HC1' and
// cov_type='cluster' (small-sample factor G/(G−1)·(N−1)/(N−K), t with G − 1 df),
// evaluated with numpy 2.4 / SciPy 1.17 offline; numbers recorded here.
const x1 = [1.2, 2.3, 3.1, 4.8, 5.0, 6.7, 7.1, 8.4, 9.9, 10.5, 11.2, 12.8];
const x2 = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0];
const y = [2.1, 4.0, 3.9, 7.2, 6.1, 7.9, 9.8, 9.1, 11.5, 14.2, 13.1, 14.0];
const g = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];
const X = x1.map((v, i) => [v, x2[i]]);

describe('OLS robust standard errors', () => {
  const r = ols(X, y, ['x1', 'x2'], { intercept: true, clusters: g });
  it('classical, HC1 and clustered SEs match the reference', () => {
    const ref = {
      b: [0.5193962118088011, 1.0779957892909082, 1.198932491191514],
      se: [0.4472043046397467, 0.0516974246315483, 0.37003304177895574],
      hc1: [0.3403460396827282, 0.04725548258871936, 0.3733099709249404],
      cl: [0.14372986192709575, 0.013615469575928494, 0.2990020327827378],
      pcl: [0.03640863224374363, 4.440870088386249e-6, 0.027829949001805618],
      phc1: [0.16133215122864458, 2.8373918950246857e-9, 0.010631143927712673],
    };
    r.coefficients.forEach((c, j) => {
      expect(c.estimate).toBeCloseTo(ref.b[j], 12);
      expect(c.se).toBeCloseTo(ref.se[j], 12);
      expect(c.seHC1).toBeCloseTo(ref.hc1[j], 12);
      expect(c.seCluster).toBeCloseTo(ref.cl[j], 12);
      expect(c.pCluster / ref.pcl[j]).toBeCloseTo(1, 8);
      expect(c.pHC1 / ref.phc1[j]).toBeCloseTo(1, 8);
    });
    expect(r.clusters).toBe(4);
  });
  it('without clusters the clustered SE is NaN; one cluster per observation gives HC1 exactly', () => {
    const none = ols(X, y, ['x1', 'x2'], { intercept: true });
    expect(none.coefficients[1].seCluster).toBeNaN();
    const own = ols(X, y, ['x1', 'x2'], { intercept: true, clusters: y.map((_, i) => i) });
    own.coefficients.forEach((c) => expect(c.seCluster).toBeCloseTo(c.seHC1, 12));
  });
});

describe('ordinal logit robust standard errors', () => {
  const grade = [1, 2, 1, 3, 2, 2, 3, 3, 2, 4, 3, 4];
  it('one cluster per observation gives the HC1 sandwich exactly; LA clusters change it; estimates are unchanged', () => {
    const plain = ordinalLogit(X, grade, ['x1', 'x2'], { levels: [1, 2, 3, 4] });
    const own = ordinalLogit(X, grade, ['x1', 'x2'], { levels: [1, 2, 3, 4], clusters: grade.map((_, i) => i) });
    const la = ordinalLogit(X, grade, ['x1', 'x2'], { levels: [1, 2, 3, 4], clusters: g });
    own.coefficients.forEach((c, k) => {
      expect(c.estimate).toBe(plain.coefficients[k].estimate);
      expect(c.seCluster).toBeCloseTo(c.seHC1, 12);
      expect(la.coefficients[k].seCluster).not.toBeCloseTo(c.seHC1, 6);
      expect(c.seHC1).toBeGreaterThan(0);
    });
  });
  it('saturated model (thresholds only): the outer product of scores equals the information, so HC1 = model SE · √(n/(n − k))', () => {
    const only = ordinalLogit([[], [], [], [], [], [], [], []], [1, 1, 2, 2, 2, 3, 3, 4], [], { levels: [1, 2, 3, 4] });
    only.thresholds.forEach((t) => expect(t.seHC1 / t.se).toBeCloseTo(Math.sqrt(8 / 5), 10));
  });
});
