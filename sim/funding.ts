/**
 * Mechanism 6 — funding ends. When dedicated funding stops, 35% of partnerships
 * expect to continue, about a third continue only if other funding is found, and 8%
 * plan to end (NAO [2.19]); the rest were unsure, and here they carry on only if
 * trust is high enough to make the work worth keeping. Grants carry end dates, so
 * a step checks each partnership once. O(partnerships).
 */
import type { Rng } from './rng.js';
import { endPartnership } from './partnership.js';
import { OWN_BUDGET, R_FUNDING, type State } from './state.js';

/** What happened to a partnership whose funding ended (index into State.fundingOutcomes). */
export const CONTINUED = 0;
export const FOUND_OTHER = 1;
export const ENDED = 2;
export const UNSURE_CONTINUED = 3;

/** Resolve a funding end for partnership p; returns the outcome. */
export function fundingEnds(s: State, p: number, rng: Rng): number {
  const f = s.p.funding;
  const u = rng.next();
  let outcome: number;
  if (u < f.continueShare) {
    s.fundingIntent[0]++;
    outcome = CONTINUED;
  } else if (u < f.continueShare + f.seekShare) {
    s.fundingIntent[1]++;
    outcome = rng.next() < f.findFunding && !s.lev.fundingWithdrawn ? FOUND_OTHER : ENDED;
  } else if (u < f.continueShare + f.seekShare + f.endShare) {
    s.fundingIntent[2]++;
    outcome = ENDED;
  } else {
    s.fundingIntent[3]++;
    outcome = s.parts.trust[p] >= 0.5 ? UNSURE_CONTINUED : ENDED;
  }
  s.fundingOutcomes[outcome]++;
  if (outcome === ENDED) endPartnership(s, p, R_FUNDING);
  else if (outcome === FOUND_OTHER) s.parts.fundingEnd[p] = s.step + Math.max(1, Math.round(rng.exponential(1 / f.grantYears) * s.spy));
  else {
    s.parts.funding[p] = OWN_BUDGET;
    s.parts.fundingEnd[p] = -1;
  }
  return outcome;
}

/** Partnerships whose dedicated funding ends this step. */
export function fundingStep(s: State, rng: Rng): void {
  const P = s.parts;
  const grantPerStep = s.p.costs.grantPerYear * s.dt;
  let grants = 0;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p] || P.fundingEnd[p] < 0) continue;
    if (P.fundingEnd[p] <= s.step) fundingEnds(s, p, rng);
    else grants += grantPerStep;
  }
  s.grantCostStep = grants;
}

/** Withdraw a share of dedicated grants now (the funding-withdrawn lever). */
export function withdrawFunding(s: State, share: number, rng: Rng): void {
  const P = s.parts;
  for (let p = 0; p < P.high; p++) {
    if (P.alive[p] && P.fundingEnd[p] > s.step && rng.next() < share) P.fundingEnd[p] = s.step;
  }
}
