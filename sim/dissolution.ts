/**
 * Dissolution — partnerships end when trust fails, when their objectives are met
 * (members no longer have the need they formed for), when net benefit fails a
 * cost-benefit review (NAO [20c]), when members leave (a school over its staff-time
 * tolerance drops its least useful partnership, NAO [3.14]), or fade with a
 * background hazard that falls with age (older ties are less likely to decay). Funding
 * ends and key people leaving are in funding.ts and people.ts. O(partnerships + schools).
 */
import type { Stream } from './streams.js';
import { endPartnership, removeMembership } from './partnership.js';
import { ATTAINMENT, LATER, laterStep, R_COST_BENEFIT, R_FADED, R_MEMBERS_LEFT, R_OBJECTIVES_MET, R_STAFF_TIME, R_TRUST, type State } from './state.js';
import { memberDays, staffBudget } from './costs.js';
import { tolerance } from './formation.js';
import * as fmath from './fmath.js';

/**
 * What a review values partnership p's benefits since the last review at, in staff
 * days: attainment points x daysPerPoint, plus fixed-term exclusions avoided a year x
 * their mean life (the improvement stocks' half-life / ln 2) x daysPerExclusionAvoided.
 */
export function reviewValue(s: State, p: number): number {
  const v = s.p.levers.costBenefitReview;
  const life = s.p.effects.persistenceYears / Math.LN2;
  return s.parts.reviewBenefit[p] * v.daysPerPoint + s.parts.reviewBeh[p] * life * v.daysPerExclusionAvoided;
}

/** Mean need of p's members on its focus. */
function memberNeed(s: State, p: number): number {
  const att = (s.parts.focus[p] & ATTAINMENT) !== 0;
  let sum = 0;
  let k = 0;
  for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) {
    const i = s.members.school[m];
    sum += att ? s.needAtt[i] : s.needBeh[i];
    k++;
  }
  return k > 0 ? sum / k : 0;
}

/** End partnerships whose trust, hazard, objectives or review says so. Draws: the dissolution stream at (uid, step, c). */
export function dissolutionStep(s: State, st: Stream, reviewNow: boolean, yearStart: boolean): void {
  const P = s.parts;
  const minTrust = s.p.trust.endThreshold;
  const lag = s.p.effects.lagYears;
  const d = s.p.dissolution;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p]) continue;
    if (P.size[p] < 2) {
      endPartnership(s, p, R_MEMBERS_LEFT);
      continue;
    }
    if (P.imposed[p] === 2) continue; // statutory: only lack of members ends it
    const age = s.ageYears(p);
    if (P.trust[p] < minTrust && age > lag) {
      endPartnership(s, p, R_TRUST);
      continue;
    }
    if (P.fadeAt[p] <= s.step) {
      endPartnership(s, p, R_FADED);
      continue;
    }
    if (yearStart && P.objectives[p] > 0 && !P.imposed[p] && age > lag + 1 && memberNeed(s, p) < d.objectivesMetNeed && st.u(P.uid[p], s.step, 2) < d.objectivesMetRate) {
      endPartnership(s, p, R_OBJECTIVES_MET);
      continue;
    }
    if (reviewNow) {
      // Reviewers allow for the lag before judging; clear objectives make the judgement less noisy.
      if (age > lag + 1 && !P.imposed[p]) {
        const noise = P.objectives[p] === 2 ? 0.25 : 0.6;
        const value = reviewValue(s, p) * fmath.exp(noise * st.normal(P.uid[p], s.step, 0));
        if (value < P.reviewCost[p]) {
          endPartnership(s, p, R_COST_BENEFIT);
          continue;
        }
      }
      P.reviewBenefit[p] = 0;
      P.reviewBeh[p] = 0;
      P.reviewCost[p] = 0;
    }
  }
}

/**
 * Draw when the background hazard will end partnership p (at formation). The hazard
 * is h(a) = h0 2^(-a/H) + floor: a part that falls with age (older ties are less likely
 * to decay) and a floor that never does. Each part's time is drawn by inverting its
 * cumulative hazard (one uniform each: the attributes stream's (uid, 0, 9) and
 * (uid, 0, 10)) and the earlier one is the fade, so a per-step coin flip becomes two
 * draws at birth.
 */
export function scheduleFade(s: State, p: number, attrs: Stream): void {
  const d = s.p.dissolution;
  const total = (d.hazardPerYear * d.hazardHalvingYears) / Math.LN2;
  const e = -fmath.log(attrs.u(s.parts.uid[p], 0, 9));
  const left = 1 - e / total;
  let ageYears = left > 0 ? -d.hazardHalvingYears * fmath.log2(left) : Infinity;
  if (d.hazardFloorPerYear > 0) ageYears = Math.min(ageYears, attrs.exponential(d.hazardFloorPerYear, s.parts.uid[p], 0, 10));
  s.parts.fadeAt[p] = Number.isFinite(ageYears) ? laterStep(s.parts.start[p] + Math.max(1, Math.ceil(ageYears * s.spy))) : LATER;
}

/**
 * Schools over their staff-time tolerance (the staffing factor fell, or policy added
 * memberships) leave their least beneficial partnership. A partnership left with one
 * member ends for lack of staff time.
 */
export function overloadStep(s: State): void {
  const tol = tolerance(s);
  for (let i = 0; i < s.n; i++) {
    const n = s.nSlots[i];
    if (n === 0 || s.staffUsed[i] <= staffBudget(s, i) * tol) continue;
    let worst = -1;
    let worstValue = Infinity;
    for (let k = 0; k < n; k++) {
      const m = s.slots[i * s.slotW + k];
      const p = s.members.part[m];
      if (s.parts.imposed[p] || s.parts.administrative[p]) continue; // statutory or mandated: cannot leave
      const v = s.members.benefit[m] / (1 + memberDays(s, p, s.ageYears(p)));
      if (v < worstValue) {
        worstValue = v;
        worst = m;
      }
    }
    if (worst < 0) continue;
    const p = s.members.part[worst];
    s.staffUsed[i] -= memberDays(s, p, s.ageYears(p));
    removeMembership(s, worst);
    if (s.parts.size[p] < 2) endPartnership(s, p, R_STAFF_TIME);
  }
}
