/**
 * Mechanism 8, exclusions cost money (exclusions.ts; NAO [2.25, Figure 15, Case
 * Example 2]): national calibration of the rates, and the Tower Hamlets protocol
 * cutting days lost by about 41% in its first year and permanent exclusions from
 * about 51 to 38, both in isolation and in a full run against the same seed.
 */
import { describe, expect, it } from 'vitest';
import { calibrateScales, exclusionsStep, fixedRate, protocolFixedFactor, protocolPermanentFactor } from '../../sim/exclusions.js';
import { M, METRICS } from '../../sim/metrics.js';
import type { Model } from '../../sim/model.js';
import type { State } from '../../sim/state.js';
import { bareState, model, params, stream, world } from './helpers.js';

describe('the protocol charge', () => {
  it('cuts fixed-term exclusions by 1 - exp(-e x 3.345), about 41%, and permanent ones 51 -> 38', () => {
    const s = bareState(10);
    const e = s.p.exclusions.costElasticity; // calibrated
    expect(1 - protocolFixedFactor(s)).toBeCloseTo(1 - Math.exp(-e * 3.345), 6);
    expect(1 - protocolFixedFactor(s)).toBeCloseTo(0.41, 1); // NAO Case Example 2: 41%
    // Only the discretionary share responds: 1 - d (1 - e^(-e x 8.685)).
    const d = s.p.exclusions.permanentDiscretion;
    expect(protocolPermanentFactor(s)).toBeCloseTo(1 - d * (1 - Math.exp(-e * 8.685)), 6);
    expect(Math.abs(51 * protocolPermanentFactor(s) - 38)).toBeLessThan(1);
  });
});

describe('exclusions in isolation', () => {
  it('days lost are each school\'s fixed-term count times the days of one (derived, not stored), as the metric sums them', () => {
    const p = params((q) => {
      q.world.daysPerFixedTerm = 2.7;
    });
    const m = model(world(300, 'days', p), p, 1, 'days').run();
    const s = m.s;
    let fixed = 0;
    let pupils = 0;
    for (let i = 0; i < s.n; i++) {
      expect(s.daysLost(i)).toBe(Math.fround(s.fixedTerm[i] * 2.7));
      fixed += s.fixedTerm[i];
      pupils += s.world.pupils[i];
    }
    expect(fixed).toBeGreaterThan(0);
    const last = (m.steps - 1) * METRICS.length + M.days_lost;
    expect(m.timeseries[last]).toBeCloseTo((fixed * 2.7 * s.spy * 100) / pupils, 4);
  });

  /** Sum days lost and permanent exclusions over `steps` steps at a fixed state. */
  function tally(s: State, steps: number, seed: string): { days: number; perm: number; paid: number } {
    // The model's counter-based stream, one step after another, so each step draws afresh.
    const r = stream(seed);
    let days = 0;
    let perm = 0;
    let paid = 0;
    for (let t = 0; t < steps; t++) {
      s.step = t;
      exclusionsStep(s, r);
      for (let i = 0; i < s.n; i++) {
        days += s.daysLost(i);
        perm += s.permanent[i];
      }
      paid += s.protocolPaidStep;
    }
    return { days, perm, paid };
  }

  it('the national scale gives 300,000 fixed-term exclusions a year per 3.3 million pupils', () => {
    const s = bareState(600);
    calibrateScales(s);
    let num = 0;
    let pupils = 0;
    for (let i = 0; i < s.n; i++) {
      num += fixedRate(s, i) * s.world.pupils[i];
      pupils += s.world.pupils[i];
    }
    expect(num / pupils).toBeCloseTo(300000 / 3.3e6, 6);
    expect(s.nationalExclusionRate).toBeCloseTo(300000 / 3.3e6, 9);
    // ...and 2 permanent exclusions per 1,000 pupils a year, on average over pupils.
    const { perm } = tally(s, 30, 'national'); // ten years of termly draws
    const want = 0.002 * pupils * 10;
    expect(Math.abs(perm - want)).toBeLessThan(4 * Math.sqrt(want));
  });

  it('with every LA charging, days lost fall 41% and permanent exclusions by a quarter (Poisson tolerance)', () => {
    const s = bareState(600);
    calibrateScales(s);
    const steps = 30; // ten termly years at a fixed state
    const before = tally(s, steps, 'before');
    s.laProtocol.fill(1);
    const after = tally(s, steps, 'after');
    // Days lost: about 18,000 exclusions a term, so Poisson noise is far below 1%.
    expect(after.days / before.days).toBeCloseTo(protocolFixedFactor(s), 2);
    // Permanent: about 400 a term; SE of the ratio 0.745 sqrt(1/12000 + 1/8900) = 0.010.
    const ratio = after.perm / before.perm;
    const se = ratio * Math.sqrt(1 / before.perm + 1 / after.perm);
    expect(Math.abs(ratio - protocolPermanentFactor(s))).toBeLessThan(4 * se);
    // The excluding school pays 8,685 a permanent exclusion; nobody paid before.
    expect(before.paid).toBe(0);
    expect(after.paid).toBeCloseTo(after.perm * 8685, 0);
  });

  it('behaviour partnerships turn 10% of permanent exclusions into managed moves', () => {
    const s = bareState(600);
    calibrateScales(s);
    const before = tally(s, 30, 'managed-before');
    s.behCount.fill(1);
    const after = tally(s, 30, 'managed-after');
    const ratio = after.perm / before.perm;
    expect(Math.abs(ratio - 0.9)).toBeLessThan(4 * ratio * Math.sqrt(1 / before.perm + 1 / after.perm));
    expect(after.days / before.days).toBeCloseTo(1, 1); // fixed-term exclusions untouched
  });
});

describe('exclusion protocol in a full run, same seed with and without the lever', () => {
  it('days lost fall about 41% in the protocol\'s first year; permanent exclusions about 51 -> 38', () => {
    const yearOf = (m: Model, metric: string, year: number): number => {
      let t = 0;
      for (let k = year * 3; k < year * 3 + 3; k++) t += m.timeseries[k * METRICS.length + M[metric]];
      return t / 3;
    };
    const base = params();
    const lever = params((p) => {
      p.levers.exclusionCostProtocol.enabled = true;
      p.levers.exclusionCostProtocol.startYear = 2009;
    });
    const w = world(3300, 'protocol', base);
    const without = model(w, base, 3, 'protocol').run();
    const withIt = model(w, lever, 3, 'protocol').run();
    // Before the lever the two runs are the same run (common random numbers).
    expect(yearOf(withIt, 'days_lost', 0)).toBe(yearOf(without, 'days_lost', 0));
    expect(yearOf(withIt, 'days_lost', 1)).toBe(yearOf(without, 'days_lost', 1));
    const fall = 1 - yearOf(withIt, 'days_lost', 2) / yearOf(without, 'days_lost', 2);
    // Partnership dynamics differ a little once the lever changes behaviour need; 3 points either way.
    expect(Math.abs(fall - 0.41)).toBeLessThan(0.03);
    // Permanent: about 6,600 a year at 3,300 schools; SE of the ratio about 0.014, 4 SE = 0.056 (2.9 of 51).
    const ratio = yearOf(withIt, 'permanent_exclusions', 2) / yearOf(without, 'permanent_exclusions', 2);
    expect(Math.abs(51 * ratio - 38)).toBeLessThan(51 * 0.056);
  });
});
