/**
 * Mechanism 5 — costs are mostly staff time, highest at the start and falling as a
 * partnership settles (NAO [16, 2.24, Case Example 5]). Lack of staff time is the
 * most cited barrier (NAO [3.14]); a school has a limited budget of staff days, and
 * holding more partnerships than it can staff dilutes each of them.
 */
import { ATTAINMENT, BEHAVIOUR, type State } from './state.js';

/** Staff days a term one member spends on partnership p at age `ageYears`. */
export function memberDays(s: State, p: number, ageYears: number): number {
  const c = s.p.costs;
  const f = s.parts.focus[p];
  let base = (f & ATTAINMENT ? c.attainmentDays : 0) + (f & BEHAVIOUR ? c.behaviourDays : 0);
  if (s.parts.administrative[p]) base *= 0.3;
  if (s.lev.imposedForms) base *= 1.2;
  const startup = 1 + (c.startupMultiplier - 1) * Math.exp(-ageYears / c.settleYears);
  return (base * startup * 3) / s.spy;
}

/** Share of each partnership's effect a school can deliver given its staff time (1 = fully staffed). */
export function dilution(s: State, i: number): number {
  const used = s.staffUsed[i];
  const budget = (s.world.staffDays[i] * 3) / s.spy;
  return used <= budget ? 1 : budget / used;
}

/** Money for a step's staff days (GBP). */
export function staffCost(s: State, days: number): number {
  return days * s.p.costs.staffDayCost;
}
