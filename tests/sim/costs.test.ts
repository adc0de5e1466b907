/**
 * Mechanism 5, costs are mostly staff time (costs.ts; NAO [16, 2.24, Case Example 5]):
 * highest at the start and falling as a partnership settles; a school's limited
 * staff time dilutes its partnerships; money follows staff days.
 */
import { describe, expect, it } from 'vitest';
import { dilution, memberDays, staffCost } from '../../sim/costs.js';
import { M, METRICS } from '../../sim/metrics.js';
import { ATTAINMENT, BEHAVIOUR, BOTH } from '../../sim/state.js';
import { bareState, model, params, partnership, world } from './helpers.js';

describe('staff days per member', () => {
  it('start at 2.5 x the settled level and fall with age towards it (by hand)', () => {
    const s = bareState(10);
    const att = partnership(s, [0, 1], ATTAINMENT);
    const beh = partnership(s, [2, 3], BEHAVIOUR);
    const both = partnership(s, [4, 5], BOTH);
    // Attainment: 3 days a term settled; x (1 + 1.5 e^(-age / 1 year)).
    expect(memberDays(s, att, 0)).toBeCloseTo(7.5, 10);
    expect(memberDays(s, att, 1)).toBeCloseTo(3 * (1 + 1.5 * Math.exp(-1)), 10);
    expect(memberDays(s, att, 50)).toBeCloseTo(3, 10);
    expect(memberDays(s, beh, 0)).toBeCloseTo(5, 10);
    expect(memberDays(s, both, 0)).toBeCloseTo(12.5, 10);
    // Strictly decreasing in age.
    for (const p of [att, beh, both]) {
      let prev = Infinity;
      for (let a = 0; a <= 10; a += 1 / 3) {
        const d = memberDays(s, p, a);
        expect(d).toBeLessThan(prev);
        expect(d).toBeGreaterThan(0);
        prev = d;
      }
    }
  });

  it('administrative partnerships take 30%; written governance adds its days; a running grant covers 30%; six steps a year halve a step', () => {
    const s = bareState(10);
    const p = partnership(s, [0, 1], ATTAINMENT);
    const base = memberDays(s, p, 2);
    const startup = 1 + 1.5 * Math.exp(-2); // start-up multiplier 2.5 falling with a one-year settling time
    expect(base).toBeCloseTo(3 * startup, 10); // 3 days a term for an attainment partnership
    s.parts.administrative[p] = 1;
    expect(memberDays(s, p, 2)).toBeCloseTo(0.3 * base, 10);
    s.parts.administrative[p] = 0;
    s.parts.governance[p] = 1;
    expect(memberDays(s, p, 2)).toBeCloseTo((3 + 0.3) * startup, 10);
    s.parts.governance[p] = 0;
    s.parts.funded[p] = 1;
    expect(memberDays(s, p, 2)).toBeCloseTo(0.7 * base, 10);
    s.parts.funded[p] = 0;
    const six = bareState(10, params(), 1, 6);
    const q = partnership(six, [0, 1], ATTAINMENT);
    expect(memberDays(six, q, 2)).toBeCloseTo(base / 2, 10);
  });

  it('dilution is 1 within the budget and budget / used beyond it; money is 250 a day', () => {
    const s = bareState(10);
    const budget = s.world.staffDays[3]; // a term's budget at termly steps
    s.staffUsed[3] = 0.5 * budget;
    expect(dilution(s, 3)).toBe(1);
    s.staffUsed[3] = budget;
    expect(dilution(s, 3)).toBe(1);
    s.staffUsed[3] = 4 * budget;
    expect(dilution(s, 3)).toBeCloseTo(0.25, 6);
    expect(staffCost(s, 12)).toBe(3000);
  });
});

describe('costs in a run', () => {
  it('a cohort of new partnerships costs most in its first term and less every term after', () => {
    const p = params((q) => (q.spinup.years = 0));
    const m = model(world(300, 'costs', p), p, 3, 'costs');
    // Partnerships formed at the end of step 0, followed by their history id (slots are renumbered once a year).
    const perMember: number[] = [];
    let cohort = new Set<number>();
    let last = new Map<number, number>();
    m.run((t) => {
      const P = m.s.parts;
      const slotOf = new Map<number, number>();
      for (let q = 0; q < P.high; q++) if (P.alive[q]) slotOf.set(P.hist[q], q);
      if (t === 0) {
        for (const [h, q] of slotOf) if (P.start[q] === 0) cohort.add(h);
        for (const h of cohort) last.set(h, P.costDays[slotOf.get(h)!]);
        return;
      }
      cohort = new Set([...cohort].filter((h) => slotOf.has(h)));
      let days = 0;
      let members = 0;
      const next = new Map<number, number>();
      for (const h of cohort) {
        const q = slotOf.get(h)!;
        days += P.costDays[q] - (last.get(h) ?? 0);
        members += P.size[q];
        next.set(h, P.costDays[q]);
      }
      last = next;
      perMember.push(days / members);
    });
    expect(perMember.length).toBe(8);
    for (let k = 1; k < perMember.length; k++) expect(perMember[k]).toBeLessThan(perMember[k - 1]);
    // Ages 1/3 .. 8/3 years: from 3 x (1 + 1.5 e^-1/3) = 6.2 toward the settled 3 days (attainment).
    expect(perMember[0]).toBeGreaterThan(perMember[7] * 1.4);
  });

  it('the money cost includes staff days at 250 a day', () => {
    const p = params();
    const m = model(world(300, 'money', p), p, 1, 'money');
    const k = METRICS.length;
    m.run((t) => {
      const row = m.timeseries.subarray(t * k, (t + 1) * k);
      const staffMoney = (row[M.staff_days] * m.s.n * 250) / m.s.spy;
      expect(m.s.staffCostStep).toBeCloseTo(staffMoney, 3);
      expect(row[M.money_cost]).toBeCloseTo(((m.s.staffCostStep + m.s.grantCostStep + m.s.pruCostStep) * m.s.spy) / m.s.n, 6);
      expect(row[M.money_cost] * m.s.n).toBeGreaterThan(staffMoney * m.s.spy);
    });
  });
});
