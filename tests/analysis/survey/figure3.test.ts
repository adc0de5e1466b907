/**
 * The Figure 3 block of the virtual survey (analysis/survey/figure3.ts): the report's
 * signs per outcome and feature, matched per replication, and the comparisons' directions.
 */
import { describe, expect, it } from 'vitest';
import { FIGURE3, comparisonsMatch, figure3, matches } from '../../../analysis/survey/figure3.js';
import type { SurveyResult } from '../../../analysis/survey/index.js';

const table = (outcome: string, coefs: Record<string, [number, number]>) => ({ outcome, model: 'ols' as const, n: 100, coefficients: Object.entries(coefs).map(([name, [estimate, p]]) => ({ name, estimate, se: 1, p, trueEffect: null })) });

describe('Figure 3 expectations', () => {
  it('lists 23 findings: 9 attainment, 4 behaviour, 5 attendance, 5 size', () => {
    expect(FIGURE3).toHaveLength(23);
    expect(FIGURE3.filter((e) => e.coefficient === 'attendance')).toHaveLength(5);
    expect(FIGURE3.filter((e) => e.sign === 'no link').map((e) => e.coefficient)).toEqual(new Array(5).fill('partnership size (secondaries)'));
    // Better is higher CVA but a lower grade number or exclusion rate.
    expect(FIGURE3.find((e) => e.outcome === 'CVA' && e.coefficient === 'shares resources')!.better).toBe(1);
    expect(FIGURE3.find((e) => e.outcome === 'fixed-term exclusion rate' && e.coefficient === 'shares resources')!.better).toBe(-1);
  });

  it('matches a signed finding by direction and "no link" by p >= 0.05', () => {
    const cva = FIGURE3.find((e) => e.outcome === 'CVA' && e.coefficient === 'in behaviour partnership')!;
    expect(matches(cva, 0.4, 0.5)).toBe(true);
    expect(matches(cva, -0.4, 0.001)).toBe(false);
    const size = FIGURE3.find((e) => e.outcome === 'CVA' && e.coefficient === 'partnership size (secondaries)')!;
    expect(matches(size, 3, 0.2)).toBe(true);
    expect(matches(size, 0.01, 0.01)).toBe(false);
    expect(matches(cva, NaN, 0.5)).toBeNull();
  });

  it('counts the share of replications matching, per finding, and the comparisons\' directions', () => {
    const rep = (est: number, fsmDiff: number): SurveyResult => ({
      sampled: 398,
      partnering: 300,
      comparisons: [{ measure: 'FSM share', partnering: 0.15, nonPartnering: 0.15 - fsmDiff, difference: fsmDiff, trueEffect: null }],
      regressions: [table('CVA', { 'years in attainment partnership': [est, 0.5], 'partnership size (secondaries)': [0.1, est > 0 ? 0.5 : 0.01] })],
    });
    const f = figure3([rep(1, 0.02), rep(1, 0.03), rep(-1, -0.01)]);
    const years = f.rows.find((r) => r.outcome === 'CVA' && r.coefficient === 'years in attainment partnership')!;
    expect(years.matchShare).toBeCloseTo(2 / 3, 12);
    expect(years.replications).toBe(3);
    expect(years.meanEstimate).toBeCloseTo(1 / 3, 12);
    expect(f.rows.find((r) => r.outcome === 'CVA' && r.coefficient === 'partnership size (secondaries)')!.matchShare).toBeCloseTo(2 / 3, 12);
    // Findings whose regression is absent have no replications.
    expect(f.rows.find((r) => r.outcome === 'attainment trend' && r.coefficient === 'attendance')!.replications).toBe(0);
    expect(f.matchedMajority).toBe(2);
    const c = comparisonsMatch([rep(1, 0.02), rep(1, 0.03), rep(-1, -0.01)]);
    expect(c[0]).toEqual({ measure: 'FSM share', reportDirection: 'partnering higher', matchShare: 2 / 3, replications: 3 });
  });
});
