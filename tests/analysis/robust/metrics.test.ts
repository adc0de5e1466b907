/**
 * Robustness metrics against hand-computed tables: regret, its maximum and 90th
 * percentile, best-policy shares (3 policies x 4 futures), satisficing, threshold
 * parsing, and paired effects from a plan-ordered results matrix.
 */
import { describe, expect, it } from 'vitest';
import { bestShares, parseThresholds, policyValues, regretTable, robustSummary, type PolicyValues } from '../../../analysis/robust/metrics.js';
import type { RobustPlan } from '../../../analysis/robust/plan.js';

// Policies A, B, C (rows) in futures 1-4 (columns).
const TABLE = [
  [1, 4, 2, 0],
  [3, 1, 2, 5],
  [2, 3, 6, 1],
];

function fakePlan(futures: number, arms: { name: string; role: 'policy' | 'counterfactual' }[], outcomes: string[], replications = 1): RobustPlan {
  return {
    spec: { name: 'test', reference: arms[0].name, arms, outcomes, replications },
    futures: Array.from({ length: futures }, (_, i) => ({ index: i, key: `f${i}`, canonical: '', values: [] })),
  } as unknown as RobustPlan;
}

describe('regret', () => {
  it('higher is better: shortfall from the best policy in each future', () => {
    // best per future: 3, 4, 6, 5
    expect(regretTable(TABLE, true)).toEqual([
      [2, 0, 4, 5],
      [0, 3, 4, 0],
      [1, 1, 0, 4],
    ]);
    // A best in future 2, B in 1 and 4, C in 3
    expect(bestShares(TABLE, true)).toEqual([0.25, 0.5, 0.25]);
  });

  it('lower is better: excess over the best; ties share a future', () => {
    // best per future: 1, 1, 2, 0 (A and B tie in future 3)
    expect(regretTable(TABLE, false)).toEqual([
      [0, 3, 0, 0],
      [2, 0, 0, 5],
      [1, 2, 4, 1],
    ]);
    expect(bestShares(TABLE, false)).toEqual([2.5 / 4, 1.5 / 4, 0]);
  });

  it('robustSummary: maximum, 90th percentile (type 7) and mean regret, minimax, satisficing', () => {
    const pv: PolicyValues = { outcomes: ['attainment_mean'], policies: ['A', 'B', 'C'], futures: [0, 1, 2, 3], values: [TABLE], replications: [1, 1, 1, 1] };
    const s = robustSummary(fakePlan(4, [{ name: 'A', role: 'policy' }], ['attainment_mean']), pv, parseThresholds('attainment_mean>=2', '--satisfy', ['attainment_mean']));
    const row = (p: string) => s.rows.find((r) => r.policy === p)!;
    // A: regrets sorted 0, 2, 4, 5: 90th percentile at h = 3 x 0.9 = 2.7: 4 + 0.7 x (5 - 4) = 4.7
    expect([row('A').regretMax, row('A').regretP90, row('A').regretMean]).toEqual([5, expect.closeTo(4.7, 12), 2.75]);
    // B: 0, 0, 3, 4 -> 3 + 0.7 x 1 = 3.7; C: 0, 1, 1, 4 -> 1 + 0.7 x 3 = 3.1
    expect([row('B').regretMax, row('B').regretP90, row('B').regretMean]).toEqual([4, expect.closeTo(3.7, 12), 1.75]);
    expect([row('C').regretMax, row('C').regretP90, row('C').regretMean]).toEqual([4, expect.closeTo(3.1, 12), 1.5]);
    // B and C tie on maximum regret 4: the first listed is reported
    expect(s.minimax).toEqual([{ outcome: 'attainment_mean', policy: 'B', regretMax: 4 }]);
    // Values: A [1,4,2,0] mean 1.75, median 1.5; values >= 2: A 2 of 4, B 3 of 4, C 3 of 4
    expect([row('A').mean, row('A').median]).toEqual([1.75, 1.5]);
    expect(s.satisfy!.shares.map((x) => x.all)).toEqual([0.5, 0.75, 0.75]);
  });
});

describe('thresholds', () => {
  it('parses OUTCOME OP NUMBER lists and names the option on errors', () => {
    expect(parseThresholds('attainment_mean>=+0.2, cost_per_point<=5000', '--satisfy', ['attainment_mean', 'cost_per_point'])).toEqual([
      { outcome: 'attainment_mean', op: '>=', value: 0.2 },
      { outcome: 'cost_per_point', op: '<=', value: 5000 },
    ]);
    expect(parseThresholds('attainment_mean < -1e-2', '--where', ['attainment_mean'])).toEqual([{ outcome: 'attainment_mean', op: '<', value: -0.01 }]);
    expect(() => parseThresholds('attainment_mean=0', '--where', ['attainment_mean'])).toThrow(/--where: expected OUTCOME<NUMBER/);
    expect(() => parseThresholds('atainment_mean<0', '--where', ['attainment_mean'])).toThrow(/unknown outcome 'atainment_mean'/);
  });
});

describe('policyValues', () => {
  it('pairs each policy with the reference in the same future and replication, and cost per point with no-partnering', () => {
    // arms: baseline (reference), P, no-partnering (counterfactual); 2 futures x 2 replications; stored: attainment_mean, money_cost
    const plan = fakePlan(2, [{ name: 'baseline', role: 'policy' }, { name: 'P', role: 'policy' }, { name: 'no-partnering', role: 'counterfactual' }], ['attainment_mean', 'cost_per_point'], 2);
    // ordinal = (future x 2 + rep) x 3 + arm; values [attainment, cost]
    const rows = [
      [100, 10], [101, 30], [99, 0], // f0 r0
      [102, 10], [102.5, 20], [100, 0], // f0 r1
      [100, 10], [99, 50], [99.5, 0], // f1 r0
      [100, 10], [100, 40], [100, 0], // f1 r1: P not done
    ];
    const values = Float64Array.from(rows.flat());
    const done = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1]);
    const pv = policyValues(plan, ['attainment_mean', 'money_cost'], values, done);
    expect(pv.policies).toEqual(['baseline', 'P']);
    expect(pv.futures).toEqual([0, 1]);
    expect(pv.replications).toEqual([2, 1]);
    // P - baseline: f0 mean(1, 0.5) = 0.75; f1 only r0: -1
    expect(pv.values[0]).toEqual([[0, 0], [0.75, -1]]);
    // cost per point vs no-partnering: f0 baseline (10+10)/(1+2) = 6.667, P (30+20)/(2+2.5) = 11.11;
    // f1 baseline: r0 and r1: (10+10)/(0.5+0) = 40; P only r0: gains -0.5 points: no points gained -> Infinity
    expect(pv.values[1][0][0]).toBeCloseTo(20 / 3, 12);
    expect(pv.values[1][1][0]).toBeCloseTo(50 / 4.5, 12);
    expect(pv.values[1][0][1]).toBeCloseTo(40, 12);
    expect(pv.values[1][1][1]).toBe(Infinity);
  });
});
