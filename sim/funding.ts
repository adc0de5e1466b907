/**
 * Mechanism 6 — funding ends. When dedicated funding stops, 35% of partnerships
 * expect to continue, about a third continue only if other funding is found, and 8%
 * plan to end (NAO [2.19]); the rest were unsure, and here they carry on only if
 * trust is high enough to make the work worth keeping. Grants carry end dates, so
 * a step checks each partnership once. O(partnerships).
 * A running grant buys something: cover for part of the members' staff time
 * (funding.staffCover, in costs.ts) and resources that raise the partnership's effect
 * (effects.fundedMultiplier, in effects.ts). So withdrawing funding acts through them:
 * partnerships that continue on their own budget cost their schools more time and
 * deliver less. Draws: the funding stream at (partnership uid, step, c).
 */
import type { Stream } from './streams.js';
import { endPartnership } from './partnership.js';
import { laterStep, OWN_BUDGET, R_FUNDING, type State } from './state.js';

/** What happened to a partnership whose funding ended (index into State.fundingOutcomes). */
export const CONTINUED = 0;
export const FOUND_OTHER = 1;
export const ENDED = 2;
export const UNSURE_CONTINUED = 3;

/** Resolve a funding end for partnership p; returns the outcome. */
export function fundingEnds(s: State, p: number, st: Stream): number {
  const f = s.p.funding;
  const id = s.parts.uid[p];
  const u = st.u(id, s.step, 0);
  let outcome: number;
  if (u < f.continueShare) {
    s.fundingIntent[0]++;
    outcome = CONTINUED;
  } else if (u < f.continueShare + f.seekShare) {
    s.fundingIntent[1]++;
    outcome = st.u(id, s.step, 1) < f.findFunding && !s.lev.fundingWithdrawn ? FOUND_OTHER : ENDED;
  } else if (u < f.continueShare + f.seekShare + f.endShare) {
    s.fundingIntent[2]++;
    outcome = ENDED;
  } else {
    s.fundingIntent[3]++;
    outcome = s.parts.trust[p] >= 0.5 ? UNSURE_CONTINUED : ENDED;
  }
  s.fundingOutcomes[outcome]++;
  if (outcome === ENDED) endPartnership(s, p, R_FUNDING);
  else if (outcome === FOUND_OTHER) s.parts.fundingEnd[p] = laterStep(s.step + Math.max(1, Math.round(st.exponential(1 / f.grantYears, id, s.step, 2) * s.spy)));
  else {
    s.parts.funding[p] = OWN_BUDGET;
    s.parts.funded[p] = 0;
  }
  return outcome;
}

/** Partnerships whose dedicated funding ends this step. */
export function fundingStep(s: State, st: Stream): void {
  const P = s.parts;
  const grantPerStep = s.p.costs.grantPerYear * s.dt;
  let grants = 0;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p] || !P.funded[p]) continue;
    if (P.fundingEnd[p] <= s.step) fundingEnds(s, p, st);
    else grants += grantPerStep;
  }
  s.grantCostStep = grants;
}

/** Withdraw a share of dedicated grants now (the funding-withdrawn lever): the policy stream's (uid, step, 0). */
export function withdrawFunding(s: State, share: number, st: Stream): void {
  const P = s.parts;
  for (let p = 0; p < P.high; p++) {
    if (P.alive[p] && P.funded[p] && P.fundingEnd[p] > s.step && st.u(P.uid[p], s.step, 0) < share) P.fundingEnd[p] = s.step;
  }
}
