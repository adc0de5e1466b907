import { describe, expect, it } from 'vitest';
import { compare, CompareAggregator, COST_PER_POINT, NO_PARTNERING } from '../../analysis/compare.js';
import { M, METRICS } from '../../sim/metrics.js';
import { normalCdf } from '../../analysis/stats/distributions.js';
import type { TaskRecord } from '../../workers/task.js';

const K = METRICS.length;

function record(scenario: string, rep: number, f: (j: number) => number): TaskRecord {
  const outcomes = Array.from({ length: K }, (_, j) => f(j));
  return { id: 0, scenario, point: 0, replication: rep, outcomes, yearly: [...outcomes, ...outcomes], breakdown: new Array(24).fill(rep) };
}

describe('compare', () => {
  // Baseline values vary by replication; the policy adds exactly 2 to every outcome.
  const reps = 10;
  const agg = new CompareAggregator(['baseline', 'policy', NO_PARTNERING], reps, 2);
  // Arrival order must not matter: add in reverse.
  for (let r = reps - 1; r >= 0; r--) {
    agg.add(record('policy', r, (j) => 10 * j + r + 2));
    agg.add(record('baseline', r, (j) => 10 * j + r));
    agg.add(record(NO_PARTNERING, r, (j) => (j === M.money_cost ? 10 * j + r - 100 : 10 * j + r - 1)));
  }
  const c = compare(agg, 'baseline', 1);

  it('summarises each outcome across replications (hand-computed)', () => {
    const s = c.results.baseline.attainment_mean.summary;
    // values r = 0..9: mean 4.5, sd sqrt(55/6), median 4.5, q05 (type 7) = 0.45
    expect(s.mean).toBeCloseTo(4.5, 12);
    expect(s.sd).toBeCloseTo(Math.sqrt(55 / 6), 12);
    expect(s.median).toBeCloseTo(4.5, 12);
    expect(s.q05).toBeCloseTo(0.45, 12);
  });

  it('pairs replications: a constant shift has a zero-width t interval at the shift', () => {
    const r = c.results.policy.exclusion_rate;
    expect(r.pairedMean).toBeCloseTo(2, 12);
    expect(r.tInterval![0]).toBeCloseTo(2, 12);
    expect(r.tInterval![1]).toBeCloseTo(2, 12);
    expect(r.bcaInterval!.low).toBeCloseTo(2, 12);
    expect(r.bcaInterval!.high).toBeCloseTo(2, 12);
    // d_z is infinite (no spread in the differences); Cohen's d uses the baseline SD sqrt(55/6).
    expect(r.dz).toBe(Infinity);
    expect(r.cohensD).toBeCloseTo(2 / Math.sqrt(55 / 6), 12);
    expect(c.results.baseline.exclusion_rate.pairedMean).toBeUndefined();
  });

  it('paired tests: every difference +2 of 10, adjusted by Holm over the family', () => {
    const r = c.results.policy.attainment_mean;
    // Ten tied |d|: R's normal approximation, σ² = 10·11·21/24 − (10³ − 10)/48 = 75.625, z = (55 − 27.5 − 0.5)/σ.
    const p = 2 * normalCdf(-27 / Math.sqrt(75.625));
    expect(r.wilcoxonP).toBeCloseTo(p, 14);
    expect(p).toBeCloseTo(0.0019042, 6);
    // Sign flips: only all-plus and all-minus reach |Σd| = 20.
    expect(r.permutationP).toBeCloseTo(2 / 1024, 14);
    // 2 scenarios x every outcome, every difference constant, so all p-values are equal and Holm multiplies each by their number.
    expect(c.family.tests).toBe(2 * METRICS.length);
    expect(r.testsInFamily).toBe(2 * METRICS.length);
    expect(r.adjustedP).toBeCloseTo(Math.min(1, 2 * METRICS.length * p), 12);
    expect(r.significant).toBe(false);
    const none = compare(agg, 'baseline', 1, { adjust: 'none' });
    expect(none.results.policy.attainment_mean.significant).toBe(true);
  });

  it('keeps KS and Mann-Whitney as an unpaired view', () => {
    // policy = baseline + 2 over 0..9: D = 2/10; U counts pairs policy > baseline (+ half ties).
    const u0 = c.results.policy.attainment_mean.unpaired!;
    expect(u0.ks.d).toBeCloseTo(0.2, 12);
    let u = 0;
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) u += i + 2 > j ? 1 : i + 2 === j ? 0.5 : 0;
    expect(u0.mannWhitney.u).toBeCloseTo(u, 12);
    expect(u0.mannWhitney.p).toBeGreaterThan(0.05);
  });

  it('cost per point is the ratio of mean cost to mean gain, in its own section, never tested', () => {
    // policy - no-partnering: money cost differs by 102 per replication, attainment by 3.
    const r = c.costPerPoint.find((x) => x.scenario === 'policy')!;
    expect(r.estimate).toBeCloseTo(102 / 3, 10);
    expect(r.low).toBeCloseTo(102 / 3, 10);
    expect(r.high).toBeCloseTo(102 / 3, 10);
    expect(r.undefinedResamples).toBe(0);
    expect(c.results.policy[COST_PER_POINT.id]).toBeUndefined();
    expect(Object.keys(r)).not.toContain('adjustedP');
  });

  it('cost per point: a zero mean gain is undefined, and a gain indistinguishable from 0 gives no finite upper end', () => {
    const g = new CompareAggregator(['baseline', 'same', NO_PARTNERING], 10, 2);
    for (let r = 0; r < 10; r++) {
      g.add(record('baseline', r, (j) => 10 * j + r));
      g.add(record('same', r, (j) => 10 * j + r));
      // no-partnering: attainment alternately 1 above and 1 below (mean gain 0), cost 50 lower.
      g.add(record(NO_PARTNERING, r, (j) => (j === M.money_cost ? 10 * j + r - 50 : j === M.attainment_mean ? 10 * j + r + (r % 2 ? 1 : -1) : 10 * j + r)));
    }
    const cg = compare(g, 'baseline', 1);
    const same = cg.costPerPoint.find((x) => x.scenario === 'same')!;
    expect(same.estimate).toBeNull();
    expect(same.note).toMatch(/undefined/);
    const g2 = new CompareAggregator(['baseline', 'noisy', NO_PARTNERING], 10, 2);
    for (let r = 0; r < 10; r++) {
      g2.add(record('baseline', r, (j) => 10 * j + r));
      g2.add(record('noisy', r, (j) => 10 * j + r));
      g2.add(record(NO_PARTNERING, r, (j) => (j === M.money_cost ? 10 * j + r - 50 : j === M.attainment_mean ? 10 * j + r - [3, -2, 1, -3, 2, -1, 2, -2, 1, -0.5][r] : 10 * j + r)));
    }
    const noisy = compare(g2, 'baseline', 1).costPerPoint.find((x) => x.scenario === 'noisy')!;
    expect(noisy.estimate).toBeCloseTo(50 / 0.05, 8);
    expect(noisy.high).toBeNull();
    expect(noisy.undefinedResamples).toBeGreaterThan(100);
    expect(noisy.note).toMatch(/unbounded/);
  });

  it('one replication: means and single differences, no intervals or tests, and a note', () => {
    const g = new CompareAggregator(['baseline', 'policy'], 1, 2);
    g.add(record('baseline', 0, (j) => j));
    g.add(record('policy', 0, (j) => j + 1));
    const c1 = compare(g, 'baseline', 1);
    const r = c1.results.policy.attainment_mean;
    expect(r.pairedMean).toBe(1);
    expect(r.tInterval).toBeNull();
    expect(r.bcaInterval).toBeNull();
    expect(r.adjustedP).toBeNull();
    expect(c1.family.tests).toBe(0);
    expect(c1.notes[0]).toMatch(/at least 2 replications/);
  });

  it('records that every replication arrived', () => {
    expect(agg.complete()).toBe(true);
  });
});
