/**
 * Mechanism 4 — effects on outcomes, arriving with a lag and growing with age and trust.
 * Among partnering schools the NAO found better attainment with longer time in an
 * attainment partnership, with sharing resources and with being in a behaviour
 * partnership; better behaviour with sharing and with the attainment partnership's
 * duration; attendance predicting all five outcomes; size showing no link
 * (NAO [Figure 3, 3.9, 2.9]). So a member's gain per step is
 *   full rate x ramp(age) x trust x complementarity x sharing x objectives x staffing
 *   x resources (a running dedicated grant) x other organisations,
 * where ramp is 0 until the lag and then 1 - exp(-(age - lag)/rampYears), and
 * complementarity is a base share plus how far the other members are stronger; the base
 * share is larger (sharedBaseGain) where members share staff, facilities and documents,
 * which serve every member school whatever its starting point (NAO [2.15]).
 * Size enters nowhere. Gains accumulate into per-school improvement stocks that fade
 * with a half-life once nothing sustains them.
 */
import { ATTAINMENT, BEHAVIOUR, type State } from './state.js';
import { dilution } from './costs.js';
import * as fmath from './fmath.js';

/** Share of its full effect a partnership of this age delivers. */
export function ramp(s: State, ageYears: number): number {
  const e = s.p.effects;
  if (ageYears <= e.lagYears) return 0;
  return 1 - fmath.exp(-(ageYears - e.lagYears) / e.rampYears);
}

/**
 * Add partnership p's gains to each member's step gains. Members are in s.scratch
 * (schools) and s.scratchM (memberships); `meanQ` is the members' mean quality.
 */
export function memberGains(s: State, p: number, count: number, r: number, trust: number, sumQ: number): void {
  if (r === 0 || count < 2) return;
  const e = s.p.effects;
  const P = s.parts;
  const f = P.focus[p];
  const dt = s.dt;
  let mult = trust * (P.shares[p] ? e.sharingMultiplier : 1) * (P.objectives[p] === 2 ? e.objectivesMultiplier : 1);
  if (P.administrative[p]) mult *= 0.2;
  if (P.funded[p]) mult *= e.fundedMultiplier;
  if (P.others[p] > 0) mult *= e.otherOrgMultiplier;
  // Shared staff, facilities and documents serve every member, not only the weaker ones (NAO [2.15]).
  const base = P.shares[p] !== 0 ? e.sharedBaseGain : e.baseGain;
  const transitionLevel = P.primaries[p] > 0 ? e.transitionPoints * r * trust : 0;
  let total = 0;
  let avoided = 0;
  for (let k = 0; k < count; k++) {
    const i = s.scratch[k];
    const qi = s.home[i] + s.shock[i];
    const others = (sumQ - qi) / (count - 1);
    const complement = base + Math.max(0, others - qi);
    const d = dilution(s, i) * mult * r;
    let ga = 0;
    let gb = 0;
    if (f & ATTAINMENT) {
      ga += e.attainmentPerYear * dt * complement * d;
      gb += e.attainmentOnBehaviour * dt * d;
    }
    if (f & BEHAVIOUR) {
      ga += e.behaviourOnAttainment * dt * d;
      gb += e.behaviourPerYear * dt * d * (0.5 + complement);
    }
    s.gainAtt[i] += ga;
    s.gainBeh[i] += gb;
    if (transitionLevel > s.transition[i]) s.transition[i] = transitionLevel;
    s.members.benefit[s.scratchM[k]] += ga;
    total += ga;
    // Fixed-term exclusions a year this step's behaviour gain avoids (a fall gb in log propensity).
    avoided += gb * s.fixedTerm[i] * s.spy;
  }
  P.benefit[p] += total;
  P.reviewBenefit[p] += total;
  P.reviewBeh[p] += avoided;
}
