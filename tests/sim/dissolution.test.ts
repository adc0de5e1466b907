/**
 * Dissolution (dissolution.ts): low-trust partnerships end, statutory ones only for
 * lack of members; cost-benefit reviews stop those not worth their staff time
 * (NAO [20c]); the background hazard falls with age (older ties decay less); schools
 * over their staff-time budget drop their least useful partnership (NAO [3.14]).
 */
import { describe, expect, it } from 'vitest';
import { DAYS_PER_POINT, dissolutionStep, overloadStep, scheduleFade } from '../../sim/dissolution.js';
import { removeMembership } from '../../sim/partnership.js';
import { ATTAINMENT, END_REASONS, MAX_SLOTS, NEVER, R_POLICY, type State } from '../../sim/state.js';
import { endPartnership } from '../../sim/partnership.js';
import { bareState, binomTol, partnership, rng } from './helpers.js';

const reason = (s: State, p: number): string => END_REASONS[s.history.reason[s.parts.hist[p]]];

describe('dissolution step', () => {
  it('ends partnerships whose trust is below the threshold, but not statutory ones', () => {
    const s = bareState(40);
    s.step = 4;
    const low: number[] = [];
    const high: number[] = [];
    for (let k = 0; k < 5; k++) {
      const p = partnership(s, [2 * k, 2 * k + 1], ATTAINMENT);
      s.parts.trust[p] = 0.1; // below 0.15
      low.push(p);
      const q = partnership(s, [10 + 2 * k, 11 + 2 * k], ATTAINMENT);
      s.parts.trust[q] = 0.5;
      high.push(q);
    }
    const statutory = partnership(s, [30, 31], ATTAINMENT);
    s.parts.trust[statutory] = 0.01;
    s.parts.imposed[statutory] = 2;
    const lone = partnership(s, [32, 33], ATTAINMENT);
    s.parts.trust[lone] = 0.9;
    removeMembership(s, s.parts.head[lone]);
    dissolutionStep(s, rng('dissolve'), false);
    for (const p of low) {
      expect(s.parts.alive[p]).toBe(0);
      expect(reason(s, p)).toBe('trust');
    }
    for (const p of high) expect(s.parts.alive[p]).toBe(1);
    expect(s.parts.alive[statutory]).toBe(1);
    expect(s.parts.alive[lone]).toBe(0);
    expect(reason(s, lone)).toBe('members-left');
    expect(s.nSlots[32] + s.nSlots[33]).toBe(0);
  });

  it('in a review, ends those whose benefit (60 staff days a point) falls short of their cost', () => {
    const s = bareState(40);
    s.step = 9; // 3 years: past lag + 1
    let next = 0;
    const make = (benefit: number, cost: number): number => {
      const p = partnership(s, [next++, next++], ATTAINMENT);
      s.parts.start[p] = 0;
      s.parts.trust[p] = 0.8;
      s.parts.objectives[p] = 2; // clear objectives: judgement noise lognormal SD 0.25
      s.parts.reviewBenefit[p] = benefit;
      s.parts.reviewCost[p] = cost;
      return p;
    };
    // Worth 5 x cost (far above at noise 0.25) vs a fifth of it (far below).
    const good = make(1, DAYS_PER_POINT / 5);
    const poor = make(1, DAYS_PER_POINT * 5);
    const young = make(0, 100);
    s.parts.start[young] = 5; // 1.3 years old: reviewers allow for the lag
    dissolutionStep(s, rng('review'), true);
    expect(s.parts.alive[good]).toBe(1);
    expect(s.parts.alive[poor]).toBe(0);
    expect(reason(s, poor)).toBe('cost-benefit');
    expect(s.parts.alive[young]).toBe(1);
    // Survivors start a new review period.
    expect(s.parts.reviewBenefit[good]).toBe(0);
    expect(s.parts.reviewCost[good]).toBe(0);
    // Outside a review nothing is judged.
    const poor2 = make(0, 1000);
    dissolutionStep(s, rng('review-2'), false);
    expect(s.parts.alive[poor2]).toBe(1);
  });
});

describe('background hazard', () => {
  /** Share of N new partnerships (aged a0 years now) that fade within `years`, and that never fade. */
  function fades(a0: number, years: number, N: number): { within: number; never: number } {
    const s = bareState(10);
    s.step = Math.round(a0 * s.spy);
    const r = rng(`fade-${a0}`);
    const p = partnership(s, [0, 1], ATTAINMENT);
    s.parts.start[p] = 0;
    let within = 0;
    let never = 0;
    for (let k = 0; k < N; k++) {
      scheduleFade(s, p, r);
      const at = s.parts.fadeAt[p];
      if (at === NEVER) never++;
      else {
        expect(at).toBeGreaterThan(s.step - 1);
        if (at <= s.step + years * s.spy) within++;
      }
    }
    return { within: within / N, never: never / N };
  }
  // h(a) = 0.06 2^(-a/3): cumulative hazard H(a) = (0.06 x 3 / ln 2)(1 - 2^(-a/3)), total 0.2597.
  const total = (0.06 * 3) / Math.LN2;
  const H = (a: number): number => total * (1 - Math.pow(2, -a / 3));
  const N = 40000;

  it('a new partnership fades within a year with probability 1 - e^-H(1) = 5.2%, and never with e^-0.26 = 77%', () => {
    const { within, never } = fades(0, 1, N);
    const pWithin = 1 - Math.exp(-H(1));
    const pNever = Math.exp(-total);
    expect(pWithin).toBeCloseTo(0.0522, 3);
    expect(Math.abs(within - pWithin)).toBeLessThan(binomTol(pWithin, N));
    expect(Math.abs(never - pNever)).toBeLessThan(binomTol(pNever, N));
  });

  it('older ties are less likely to decay: at 5 years the next year\'s chance is 1 - e^-(H(6) - H(5)) = 1.7%', () => {
    const { within } = fades(5, 1, N);
    const p = 1 - Math.exp(-(H(6) - H(5)));
    expect(Math.abs(within - p)).toBeLessThan(binomTol(p, N));
    expect(within).toBeLessThan(fades(0, 1, N).within / 2);
  });

  it('a partnership fades at its drawn step, with reason faded', () => {
    const s = bareState(10);
    s.step = 7;
    const p = partnership(s, [0, 1], ATTAINMENT);
    s.parts.trust[p] = 0.9;
    s.parts.fadeAt[p] = 8;
    dissolutionStep(s, rng('fade'), false);
    expect(s.parts.alive[p]).toBe(1);
    s.step = 8;
    dissolutionStep(s, rng('fade'), false);
    expect(s.parts.alive[p]).toBe(0);
    expect(reason(s, p)).toBe('faded');
  });
});

describe('staff-time overload', () => {
  it('a school over 1.2 x its budget leaves its least beneficial partnership; a pair left alone ends', () => {
    const s = bareState(40);
    s.step = 3;
    const i = 0;
    const budget = s.world.staffDays[i];
    const ps = [1, 2, 3].map((k) => partnership(s, [i, k], ATTAINMENT));
    const big = partnership(s, [i, 10, 11, 12], ATTAINMENT);
    // Benefits per membership of school i: the second pair is the least useful.
    const benefit = [5, 0.1, 3, 4];
    [...ps, big].forEach((p, k) => {
      for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) if (s.members.school[m] === i) s.members.benefit[m] = benefit[k];
    });
    s.staffUsed[i] = 1.19 * budget;
    overloadStep(s);
    expect(s.nSlots[i]).toBe(4); // within tolerance: nothing happens
    s.staffUsed[i] = 1.5 * budget;
    overloadStep(s);
    expect(s.nSlots[i]).toBe(3);
    expect(s.parts.alive[ps[1]]).toBe(0);
    expect(reason(s, ps[1])).toBe('staff-time');
    expect(s.nSlots[2]).toBe(0);
    // Governor oversight holds schools to the budget itself.
    const t = bareState(40);
    const q = partnership(t, [0, 1], ATTAINMENT);
    t.staffUsed[0] = 1.1 * t.world.staffDays[0];
    overloadStep(t);
    expect(t.parts.alive[q]).toBe(1);
    t.lev.governorOversight = true;
    overloadStep(t);
    expect(t.parts.alive[q]).toBe(0);
  });

  it('leaving a larger partnership keeps it running; imposed and administrative ones cannot be left', () => {
    const s = bareState(40);
    const i = 0;
    const imposed = partnership(s, [i, 1], ATTAINMENT);
    s.parts.imposed[imposed] = 1;
    const big = partnership(s, [i, 10, 11], ATTAINMENT);
    s.staffUsed[i] = 10 * s.world.staffDays[i];
    overloadStep(s);
    expect(s.parts.alive[imposed]).toBe(1);
    expect(s.parts.alive[big]).toBe(1);
    expect(s.parts.size[big]).toBe(2);
    expect(s.nSlots[i]).toBe(1);
    s.staffUsed[i] = 10 * s.world.staffDays[i];
    overloadStep(s); // only the imposed one is left: nothing to drop
    expect(s.nSlots[i]).toBe(1);
    expect(s.members.part[s.slots[i * MAX_SLOTS]]).toBe(imposed);
    endPartnership(s, imposed, R_POLICY);
    expect(s.nSlots[i]).toBe(0);
  });
});
