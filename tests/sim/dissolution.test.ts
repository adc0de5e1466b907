/**
 * Dissolution (dissolution.ts): low-trust partnerships end, statutory ones only for
 * lack of members; cost-benefit reviews stop those not worth their staff time
 * (NAO [20c]); the background hazard falls with age (older ties decay less); schools
 * over their staff-time budget drop their least useful partnership (NAO [3.14]).
 */
import { describe, expect, it } from 'vitest';
import { dissolutionStep, overloadStep, reviewValue, scheduleFade } from '../../sim/dissolution.js';
import { removeMembership } from '../../sim/partnership.js';
import { ATTAINMENT, END_REASONS, LATER, MAX_SLOTS, R_POLICY, type State } from '../../sim/state.js';
import { endPartnership } from '../../sim/partnership.js';
import { bareState, binomTol, params, partnership, stream } from './helpers.js';

const reason = (s: State, p: number): string => END_REASONS[s.history.reasonOf(s.parts.hist[p])];

describe('dissolution step', () => {
  it('ends partnerships older than the lag whose trust is below the threshold, but not statutory or young ones', () => {
    const s = bareState(40);
    s.step = 4;
    const low: number[] = [];
    const high: number[] = [];
    for (let k = 0; k < 5; k++) {
      const p = partnership(s, [2 * k, 2 * k + 1], ATTAINMENT);
      s.parts.trust[p] = 0.1; // below 0.35
      s.parts.start[p] = 0; // 1.33 years old: past the one-year lag
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
    const young = partnership(s, [34, 35], ATTAINMENT);
    s.parts.trust[young] = 0.1; // new: given time to build trust
    dissolutionStep(s, stream('dissolve'), false, false);
    expect(s.parts.alive[young]).toBe(1);
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

  it('in a review, ends those whose benefit (60 staff days a point, 1 a fixed-term exclusion avoided) falls short of their cost', () => {
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
    const perPoint = s.p.levers.costBenefitReview.daysPerPoint;
    const good = make(1, perPoint / 5);
    const poor = make(1, perPoint * 5);
    // Behaviour benefits count too: 20 exclusions a year avoided over a mean life of 6 / ln 2 years at 1 day each = 173 days.
    const behaviour = make(0, 173.1 / 5);
    s.parts.reviewBeh[behaviour] = 20;
    expect(reviewValue(s, behaviour)).toBeCloseTo((20 * 6) / Math.LN2, 6);
    const young = make(0, 100);
    s.parts.start[young] = 5; // 1.3 years old: reviewers allow for the lag
    dissolutionStep(s, stream('review'), true, false);
    expect(s.parts.alive[behaviour]).toBe(1);
    expect(s.parts.alive[good]).toBe(1);
    expect(s.parts.alive[poor]).toBe(0);
    expect(reason(s, poor)).toBe('cost-benefit');
    expect(s.parts.alive[young]).toBe(1);
    // Survivors start a new review period.
    expect(s.parts.reviewBenefit[good]).toBe(0);
    expect(s.parts.reviewCost[good]).toBe(0);
    // Outside a review nothing is judged.
    const poor2 = make(0, 1000);
    dissolutionStep(s, stream('review-2'), false, false);
    expect(s.parts.alive[poor2]).toBe(1);
  });
});

describe('background hazard', () => {
  /** Fade ages (years) of N new partnerships, each with its own identity. */
  function fadeAges(N: number): number[] {
    const s = bareState(10);
    const r = stream('fade');
    const p = partnership(s, [0, 1], ATTAINMENT);
    const out: number[] = [];
    for (let k = 0; k < N; k++) {
      s.parts.uid[p] = k;
      scheduleFade(s, p, r);
      const at = s.parts.fadeAt[p];
      expect(at).toBeGreaterThan(0);
      out.push(at === LATER ? Infinity : at / s.spy);
    }
    return out;
  }
  // h(a) = 0.06 2^(-a/3) + 0.1397 (the fitted floor): H(a) = (0.06 x 3 / ln 2)(1 - 2^(-a/3)) + 0.1397 a.
  const total = (0.06 * 3) / Math.LN2;
  const H = (a: number): number => total * (1 - Math.pow(2, -a / 3)) + 0.1397 * a;
  const N = 40000;
  const ages = fadeAges(N);

  it('a new partnership fades within a year with probability 1 - e^-H(1) = 17.6%; none is immortal', () => {
    const within = ages.filter((a) => a <= 1).length / N;
    const pWithin = 1 - Math.exp(-H(1));
    expect(params().dissolution.hazardFloorPerYear).toBe(0.1397); // the default the hand values use
    expect(pWithin).toBeCloseTo(0.1757, 3);
    expect(Math.abs(within - pWithin)).toBeLessThan(binomTol(pWithin, N));
    expect(ages.every(Number.isFinite)).toBe(true);
  });

  it('older ties are less likely to decay: at 5 years the next year\'s chance is 1 - e^-(H(6) - H(5)) = 14.5%', () => {
    const alive5 = ages.filter((a) => a > 5);
    const within = alive5.filter((a) => a <= 6).length / alive5.length;
    const p = 1 - Math.exp(-(H(6) - H(5)));
    expect(p).toBeCloseTo(0.1449, 3);
    expect(Math.abs(within - p)).toBeLessThan(binomTol(p, alive5.length));
    expect(p).toBeLessThan(1 - Math.exp(-H(1)));
  });

  it('a partnership fades at its drawn step, with reason faded', () => {
    const s = bareState(10);
    s.step = 7;
    const p = partnership(s, [0, 1], ATTAINMENT);
    s.parts.trust[p] = 0.9;
    s.parts.fadeAt[p] = 8;
    dissolutionStep(s, stream('fade'), false, false);
    expect(s.parts.alive[p]).toBe(1);
    s.step = 8;
    dissolutionStep(s, stream('fade'), false, false);
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
    expect(s.members.part[s.slots[i * s.slotW]]).toBe(imposed);
    endPartnership(s, imposed, R_POLICY);
    expect(s.nSlots[i]).toBe(0);
  });
});
