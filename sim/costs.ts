/**
 * Mechanism 5 — costs are mostly staff time, highest at the start and falling as a
 * partnership settles (NAO [16, 2.24, Case Example 5]). Lack of staff time is the
 * most cited barrier (NAO [3.14]); a school has a limited budget of staff days, which
 * varies with a persistent staffing factor, and holding more partnerships than it can
 * staff dilutes each of them. A running dedicated grant pays cover for part of the
 * members' time (funding.staffCover); a written governance document costs some.
 */
import type { Stream } from './streams.js';
import { ATTAINMENT, BEHAVIOUR, type State } from './state.js';
import * as fmath from './fmath.js';

/** Staff days a term one member spends on partnership p at age `ageYears`. */
export function memberDays(s: State, p: number, ageYears: number): number {
  const c = s.p.costs;
  const P = s.parts;
  const f = P.focus[p];
  let base = (f & ATTAINMENT ? c.attainmentDays : 0) + (f & BEHAVIOUR ? c.behaviourDays : 0);
  if (P.administrative[p]) base *= 0.3;
  if (P.governance[p]) base += c.governanceDays;
  if (P.funded[p]) base *= 1 - s.p.funding.staffCover;
  const startup = 1 + (c.startupMultiplier - 1) * fmath.exp(-Math.max(0, ageYears) / c.settleYears);
  return (base * startup * 3) / s.spy;
}

/** Staff days school i can give to partnering this step. */
export function staffBudget(s: State, i: number): number {
  return (s.staffBudget[i] * 3) / s.spy;
}

/** Share of each partnership's effect a school can deliver given its staff time (1 = fully staffed). */
export function dilution(s: State, i: number): number {
  const used = s.staffUsed[i];
  const budget = staffBudget(s, i);
  return used <= budget ? 1 : budget / used;
}

/** Money for a step's staff days (GBP). */
export function staffCost(s: State, days: number): number {
  return days * s.p.costs.staffDayCost;
}

/**
 * The staffing factor, once a year: z <- rho z + sqrt(1 - rho^2) e, budget = staffDays
 * exp(sd z - sd^2/2), with e the staffing stream's normal at (school, step). With
 * `start` the factor is drawn from its stationary distribution. O(schools).
 */
export function staffingStep(s: State, st: Stream, start: boolean): void {
  const w = s.p.world;
  const sd = w.staffingSd;
  const rho = start ? 0 : w.staffingPersistence;
  const k = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < s.n; i++) {
    const z = rho * s.staffZ[i] + k * st.normal(i, s.step, 0);
    s.staffZ[i] = z;
    s.staffBudget[i] = s.world.staffDays[i] * fmath.exp(sd * z - (sd * sd) / 2);
  }
}
