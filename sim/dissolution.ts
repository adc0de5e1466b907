/**
 * Dissolution — partnerships end when trust fails, when net benefit fails a
 * cost-benefit review (NAO [20c]), when members leave (a school over its staff-time
 * budget drops its least useful partnership, NAO [3.14]), or fade with a background
 * hazard that falls with age (older ties are less likely to decay). Funding ends and
 * key people leaving are in funding.ts and people.ts. O(partnerships + schools).
 */
import type { Rng } from './rng.js';
import { endPartnership, removeMembership } from './partnership.js';
import { MAX_SLOTS, NEVER, R_COST_BENEFIT, R_FADED, R_MEMBERS_LEFT, R_STAFF_TIME, R_TRUST, type State } from './state.js';
import { memberDays } from './costs.js';

/** Staff days of value one attainment point is judged worth at a cost-benefit review. */
export const DAYS_PER_POINT = 60;

/** End partnerships whose trust, hazard or review says so. */
export function dissolutionStep(s: State, rng: Rng, reviewNow: boolean): void {
  const P = s.parts;
  const minTrust = s.p.trust.endThreshold;
  const lag = s.p.effects.lagYears;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p]) continue;
    if (P.size[p] < 2) {
      endPartnership(s, p, R_MEMBERS_LEFT);
      continue;
    }
    if (P.imposed[p] === 2) continue; // statutory: only lack of members ends it
    if (P.trust[p] < minTrust) {
      endPartnership(s, p, R_TRUST);
      continue;
    }
    if (P.fadeAt[p] <= s.step) {
      endPartnership(s, p, R_FADED);
      continue;
    }
    const age = s.ageYears(p);
    if (reviewNow) {
      // Reviewers allow for the lag before judging; clear objectives make the judgement less noisy.
      if (age > lag + 1 && !P.imposed[p]) {
        const noise = P.objectives[p] === 2 ? 0.25 : 0.6;
        const value = P.reviewBenefit[p] * DAYS_PER_POINT * Math.exp(noise * rng.normal());
        if (value < P.reviewCost[p]) {
          endPartnership(s, p, R_COST_BENEFIT);
          continue;
        }
      }
      P.reviewBenefit[p] = 0;
      P.reviewCost[p] = 0;
    }
  }
}

/**
 * Draw when the background hazard will end partnership p. The hazard falls with age,
 * h(a) = h0 2^(-a/H), so the cumulative hazard is bounded (h0 H / ln 2) and some
 * partnerships never fade; inverting it turns a per-step coin flip into one draw at birth.
 */
export function scheduleFade(s: State, p: number, rng: Rng): void {
  const d = s.p.dissolution;
  const total = (d.hazardPerYear * d.hazardHalvingYears) / Math.LN2;
  // Conditional on surviving to its current age a0: solve H(a) - H(a0) = E.
  const a0 = Math.max(0, s.ageYears(p));
  const left = Math.pow(2, -a0 / d.hazardHalvingYears) - rng.exponential(1) / total;
  if (left <= 0) {
    s.parts.fadeAt[p] = NEVER;
    return;
  }
  const ageYears = -d.hazardHalvingYears * Math.log2(left);
  s.parts.fadeAt[p] = s.parts.start[p] + Math.max(1, Math.ceil(ageYears * s.spy));
}

/**
 * Schools over their staff-time tolerance leave their least beneficial partnership
 * (governor oversight holds them to their budget). A partnership left with one
 * member ends for lack of staff time.
 */
export function overloadStep(s: State): void {
  const tol = s.lev.governorOversight ? 1 : s.p.dissolution.overloadTolerance;
  const perStep = 3 / s.spy;
  for (let i = 0; i < s.n; i++) {
    const n = s.nSlots[i];
    if (n === 0 || s.staffUsed[i] <= s.world.staffDays[i] * perStep * tol) continue;
    let worst = -1;
    let worstValue = Infinity;
    for (let k = 0; k < n; k++) {
      const m = s.slots[i * MAX_SLOTS + k];
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
