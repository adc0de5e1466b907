/**
 * Proportional-odds model against published fits, the logistic special case,
 * and recovery of known parameters from simulated data.
 *
 * housing: Venables & Ripley, Modern Applied Statistics with S (4th ed.,
 * §7.3), MASS::housing (1,681 tenants' satisfaction, as 72 frequency cells).
 * polr(Sat ~ Infl + Type + Cont, weights = Freq) prints
 *   InflMedium 0.5663937 (SE 0.1046528)   InflHigh 1.2888191 (0.1271561)
 *   TypeApartment −0.5723501 (0.1192380)  TypeAtrium −0.3661866 (0.1551733)
 *   TypeTerrace −1.0910149 (0.1514860)    ContHigh 0.3602841 (0.0955358)
 *   Low|Medium −0.4961353 (0.1248472)     Medium|High 0.6907083 (0.1254719)
 *   Residual deviance 3479.149, AIC 3495.149.
 *
 * wine: Randall (1989), bitterness of wine, as in Table 1 of Christensen's
 * "A Tutorial on fitting Cumulative Link Models with the ordinal Package";
 * clm(rating ~ temp + contact) prints tempwarm 2.5031 (0.5287),
 * contactyes 1.5278 (0.4766), thresholds 1|2 −1.3444 (0.5171),
 * 2|3 1.2508 (0.4379), 3|4 3.4669 (0.5978), 4|5 5.0064 (0.7309),
 * logLik −86.49, z(tempwarm) 4.735 with p 2.19e-06.
 */
import { describe, expect, it } from 'vitest';
import { logistic, ordinalLogit } from '../../../analysis/regression/index.js';
import { Rng } from '../../../sim/rng.js';

// MASS::housing Freq: Sat (Low, Medium, High) fastest, then Infl (Low, Medium, High),
// Type (Tower, Apartment, Atrium, Terrace), Cont (Low, High).
const HOUSING_FREQ = [
  21, 21, 28, 34, 22, 36, 10, 11, 36, 61, 23, 17, 43, 35, 40, 26, 18, 54, 13, 9, 10, 8, 8, 12, 6, 7, 9, 18, 6, 7, 15, 13,
  13, 7, 5, 11, 14, 19, 37, 17, 23, 40, 3, 5, 23, 78, 46, 43, 48, 45, 86, 15, 25, 62, 20, 23, 20, 10, 22, 24, 7, 10,
  21, 57, 23, 13, 31, 21, 13, 5, 6, 13,
];

function housing(): { X: number[][]; y: number[]; w: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  let r = 0;
  for (let cont = 0; cont < 2; cont++) {
    for (let type = 0; type < 4; type++) {
      for (let infl = 0; infl < 3; infl++) {
        for (let sat = 1; sat <= 3; sat++) {
          X.push([+(infl === 1), +(infl === 2), +(type === 1), +(type === 2), +(type === 3), +(cont === 1)]);
          y.push(sat);
          r++;
        }
      }
    }
  }
  return { X, y, w: HOUSING_FREQ.slice(0, r) };
}

const HOUSING_NAMES = ['InflMedium', 'InflHigh', 'TypeApartment', 'TypeAtrium', 'TypeTerrace', 'ContHigh'];
const POLR_BETA = [0.5663937, 1.2888191, -0.5723501, -0.3661866, -1.0910149, 0.3602841];
const POLR_BETA_SE = [0.1046528, 0.1271561, 0.119238, 0.1551733, 0.151486, 0.0955358];
const POLR_THETA = [-0.4961353, 0.6907083];
const POLR_THETA_SE = [0.1248472, 0.1254719];

describe('ordinal: MASS housing (polr reference)', () => {
  const { X, y, w } = housing();
  const fit = ordinalLogit(X, y, HOUSING_NAMES, { weights: w });

  it('matches polr coefficients and thresholds to 1e-6', () => {
    fit.coefficients.forEach((c, k) => {
      expect(c.name).toBe(HOUSING_NAMES[k]);
      expect(Math.abs(c.estimate - POLR_BETA[k])).toBeLessThan(1e-6);
    });
    expect(fit.thresholds.map((t) => t.name)).toEqual(['1|2', '2|3']);
    fit.thresholds.forEach((t, j) => expect(Math.abs(t.estimate - POLR_THETA[j])).toBeLessThan(1e-6));
  });

  it('matches polr standard errors to 1e-6', () => {
    fit.coefficients.forEach((c, k) => expect(Math.abs(c.se - POLR_BETA_SE[k])).toBeLessThan(1e-6));
    fit.thresholds.forEach((t, j) => expect(Math.abs(t.se - POLR_THETA_SE[j])).toBeLessThan(1e-6));
  });

  it('matches the residual deviance and AIC', () => {
    expect(fit.deviance).toBeCloseTo(3479.149, 3);
    expect(fit.aic).toBeCloseTo(3495.149, 3);
    expect(fit.notes).toEqual([]);
    expect(fit.levels).toEqual([1, 2, 3]);
  });
});

// Table 1 of the clm tutorial: rows are bottles (temperature, contact), columns judges 1..9.
const WINE: { warm: number; contact: number; ratings: number[] }[] = [
  { warm: 0, contact: 0, ratings: [2, 1, 2, 3, 2, 3, 1, 2, 1] },
  { warm: 0, contact: 0, ratings: [3, 2, 3, 2, 3, 2, 1, 2, 2] },
  { warm: 0, contact: 1, ratings: [3, 1, 3, 3, 4, 3, 2, 2, 3] },
  { warm: 0, contact: 1, ratings: [4, 3, 2, 2, 3, 2, 2, 3, 2] },
  { warm: 1, contact: 0, ratings: [4, 2, 5, 3, 3, 2, 2, 3, 3] },
  { warm: 1, contact: 0, ratings: [4, 3, 5, 2, 3, 4, 3, 3, 2] },
  { warm: 1, contact: 1, ratings: [5, 5, 4, 5, 3, 5, 2, 3, 4] },
  { warm: 1, contact: 1, ratings: [5, 4, 4, 3, 3, 4, 3, 4, 4] },
];

describe('ordinal: wine bitterness (clm reference)', () => {
  const X: number[][] = [];
  const y: number[] = [];
  for (const b of WINE) {
    for (const r of b.ratings) {
      X.push([b.warm, b.contact]);
      y.push(r);
    }
  }
  const fit = ordinalLogit(X, y, ['tempwarm', 'contactyes']);

  it('matches the printed estimates and standard errors (4 decimals)', () => {
    expect(fit.n).toBe(72);
    const [temp, contact] = fit.coefficients;
    expect(temp.estimate).toBeCloseTo(2.5031, 4);
    expect(temp.se).toBeCloseTo(0.5287, 4);
    expect(contact.estimate).toBeCloseTo(1.5278, 4);
    expect(contact.se).toBeCloseTo(0.4766, 4);
    const theta = [-1.3444, 1.2508, 3.4669, 5.0064];
    const thetaSe = [0.5171, 0.4379, 0.5978, 0.7309];
    expect(fit.thresholds.map((t) => t.name)).toEqual(['1|2', '2|3', '3|4', '4|5']);
    fit.thresholds.forEach((t, j) => {
      expect(t.estimate).toBeCloseTo(theta[j], 4);
      expect(t.se).toBeCloseTo(thetaSe[j], 4);
    });
  });

  it('matches the printed z, p and log-likelihood', () => {
    expect(fit.coefficients[0].z).toBeCloseTo(4.735, 3);
    expect(fit.coefficients[0].p).toBeCloseTo(2.19e-6, 8);
    expect(fit.coefficients[1].p).toBeCloseTo(0.00135, 5);
    expect(fit.logLik).toBeCloseTo(-86.49, 2);
    expect(fit.aic).toBeCloseTo(184.98, 2);
  });
});

describe('ordinal: two categories reproduce logistic regression', () => {
  // logit P(Y ≤ 1) = θ − xβ is logit P(Y = 2) = −θ + xβ: intercept −θ, same slope.
  const temp = [53, 56, 57, 63, 66, 67, 67, 67, 68, 69, 70, 70, 70, 70, 72, 73, 75, 75, 76, 76, 78, 79, 80, 81];
  const fail = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  const lg = logistic(temp.map((t) => [t]), fail, ['Temp'], { intercept: true });
  const od = ordinalLogit(temp.map((t) => [t]), fail, ['Temp']);

  it('θ = −intercept and β = slope, with equal standard errors and likelihood', () => {
    expect(od.thresholds[0].estimate).toBeCloseTo(-lg.coefficients[0].estimate, 8);
    expect(od.thresholds[0].se).toBeCloseTo(lg.coefficients[0].se, 8);
    expect(od.coefficients[0].estimate).toBeCloseTo(lg.coefficients[1].estimate, 10);
    expect(od.coefficients[0].se).toBeCloseTo(lg.coefficients[1].se, 10);
    expect(od.logLik).toBeCloseTo(lg.logLik, 10);
    expect(od.thresholds[0].name).toBe('0|1');
  });
});

/** Draw from the model with latent Y* = xβ + logistic noise, Y = 1 + #{j : θ_j < Y*}. */
function simulate(n: number, beta: number[], theta: number[], seed: string): { X: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng.normal(), rng.bernoulli(0.4) ? 1 : 0];
    const u = rng.next();
    const latent = x[0] * beta[0] + x[1] * beta[1] + Math.log(u / (1 - u));
    X.push(x);
    y.push(1 + theta.filter((t) => t < latent).length);
  }
  return { X, y };
}

describe('ordinal: recovers known parameters from a large simulated sample', () => {
  const beta = [0.8, -0.5];
  const theta = [-1, 0.5, 2];
  const { X, y } = simulate(20000, beta, theta, 'ordinal-recovery');
  const fit = ordinalLogit(X, y, ['x', 'd'], { levels: [1, 2, 3, 4] });

  it('every estimate within 4 standard errors of the truth (and the standard errors small)', () => {
    // 4 SE is the sampling bound; a fixed absolute bound would depend on the simulated draws.
    fit.coefficients.forEach((c, k) => {
      expect(Math.abs(c.estimate - beta[k])).toBeLessThan(4 * c.se);
      expect(c.se).toBeLessThan(0.04);
    });
    fit.thresholds.forEach((t, j) => {
      expect(Math.abs(t.estimate - theta[j])).toBeLessThan(4 * t.se);
      expect(t.se).toBeLessThan(0.04);
    });
  });

  it('standard errors agree with the simulation scale (0.005 < se < 0.05)', () => {
    for (const c of [...fit.coefficients, ...fit.thresholds]) {
      expect(c.se).toBeGreaterThan(0.005);
      expect(c.se).toBeLessThan(0.05);
    }
  });
});

describe('ordinal: absent categories are collapsed with a note', () => {
  const { X, y } = simulate(3000, [0.8, -0.5], [-1, 0.5, 2], 'ordinal-collapse');

  it('an empty top grade: levels 1–3 modelled, same fit as without declaring 4', () => {
    const keep = y.map((_, i) => i).filter((i) => y[i] !== 4);
    const Xk = keep.map((i) => X[i]);
    const yk = keep.map((i) => y[i]);
    const declared = ordinalLogit(Xk, yk, ['x', 'd'], { levels: [1, 2, 3, 4] });
    const plain = ordinalLogit(Xk, yk, ['x', 'd']);
    expect(declared.levels).toEqual([1, 2, 3]);
    expect(declared.thresholds.map((t) => t.name)).toEqual(['1|2', '2|3']);
    expect(declared.notes).toHaveLength(1);
    expect(declared.notes[0]).toMatch(/level 4 does not occur/);
    expect(plain.notes).toEqual([]);
    expect(declared.coefficients[0].estimate).toBe(plain.coefficients[0].estimate);
  });

  it('an empty middle grade merges its two thresholds', () => {
    const keep = y.map((_, i) => i).filter((i) => y[i] !== 2);
    const fit = ordinalLogit(
      keep.map((i) => X[i]),
      keep.map((i) => y[i]),
      ['x', 'd'],
      { levels: [1, 2, 3, 4] },
    );
    expect(fit.levels).toEqual([1, 3, 4]);
    expect(fit.thresholds.map((t) => t.name)).toEqual(['1|3', '3|4']);
    expect(fit.notes[0]).toMatch(/level 2 does not occur.*1\|3, 3\|4/);
  });
});

describe('ordinal: failure modes', () => {
  it('refuses an intercept column (the thresholds are the intercepts)', () => {
    expect(() => ordinalLogit([[1, 0], [1, 1], [1, 2]], [1, 2, 3], ['one', 'x'])).toThrow(/'one' is constant/);
  });

  it('names a collinear covariate', () => {
    const X = [0, 1, 2, 3, 4, 5].map((v) => [v, 3 * v + 1]);
    expect(() => ordinalLogit(X, [1, 2, 1, 3, 2, 3], ['a', 'b'])).toThrow(/column 'b'.*linear combination/);
  });

  it('reports a diverging coefficient under separation', () => {
    const X = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => [v]);
    expect(() => ordinalLogit(X, [1, 1, 1, 2, 2, 2, 3, 3, 3], ['x'])).toThrow(/'x' is diverging/);
  });

  it('rejects a value outside the declared levels, and a single level', () => {
    expect(() => ordinalLogit([[1], [2]], [1, 5], ['x'], { levels: [1, 2, 3, 4] })).toThrow(/y = 5/);
    expect(() => ordinalLogit([[1], [2]], [2, 2], ['x'])).toThrow(/only 1 level/);
  });
});
