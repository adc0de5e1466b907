import { describe, expect, it } from 'vitest';
import { compare, CompareAggregator, COST_PER_POINT, NO_PARTNERING } from '../../analysis/compare.js';
import { M, METRICS } from '../../sim/metrics.js';
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

  it('pairs replications: a constant shift has a zero-width interval at the shift', () => {
    const d = c.results.policy.exclusion_rate.difference!;
    expect(d.estimate).toBeCloseTo(2, 12);
    expect(d.low).toBeCloseTo(2, 12);
    expect(d.high).toBeCloseTo(2, 12);
    expect(c.results.baseline.exclusion_rate.difference).toBeUndefined();
  });

  it('runs KS and Mann-Whitney on the two distributions', () => {
    // policy = baseline + 2 over 0..9: D = 2/10; U counts pairs policy > baseline (+ half ties).
    const ks = c.results.policy.attainment_mean.ks!;
    expect(ks.d).toBeCloseTo(0.2, 12);
    const mw = c.results.policy.attainment_mean.mannWhitney!;
    // U for the policy sample: pairs with policy > baseline, ties counted half, enumerated by hand.
    let u = 0;
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) u += i + 2 > j ? 1 : i + 2 === j ? 0.5 : 0;
    expect(mw.u).toBeCloseTo(u, 12);
    expect(mw.p).toBeGreaterThan(0);
    expect(mw.p).toBeLessThan(1);
  });

  it('computes cost per point against no-partnering as a ratio of mean differences', () => {
    // policy - no-partnering: money cost differs by 102 per replication, attainment by 3.
    const r = c.results.policy[COST_PER_POINT.id];
    expect(r.difference!.estimate).toBeCloseTo(102 / 3, 10);
  });

  it('records that every replication arrived', () => {
    expect(agg.complete()).toBe(true);
  });
});
