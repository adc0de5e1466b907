/**
 * Mechanism 1 — need drives joining (NAO [7, 2.12-2.14]).
 * Schools join mainly in response to local need: poor attainment or behaviour.
 * Schools without such problems mostly see no reason to join, so partnering is
 * uneven: higher performers and low-FSM schools partner less (NAO [14, 2.6]).
 * Need is a number in [0, 1] per focus; "higher performing" is the top quartile of
 * attainment at 14 or Ofsted good/outstanding for progress or behaviour (NAO footnote 1).
 */
import { ATTAINMENT_MEAN } from './outcomes.js';
import type { State } from './state.js';

const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** Need scores for every school, plus the higher-performer flag. O(schools). */
export function updateNeed(s: State, topQuartile: number, nationalExclusionRate: number, nationalMean: number): void {
  const pn = s.p.need;
  const base = pn.baseline;
  const shift = nationalMean - ATTAINMENT_MEAN;
  for (let i = 0; i < s.n; i++) {
    const shortfall = (ATTAINMENT_MEAN + shift - s.attainment[i]) / pn.attainmentScale;
    const gp = s.ofstedProgress[i];
    const za = shortfall - (0.5 * s.trend[i]) / pn.attainmentScale + (gp >= 3 ? 0.7 : 0) + (gp === 4 ? 0.7 : 0);
    s.needAtt[i] = base + (1 - base) * logistic(2 * za - 1);
    const rate = s.fixedTerm[i] * s.spy / Math.max(1, s.world.pupils[i]);
    const excess = Math.log((rate + 0.005) / (nationalExclusionRate + 0.005)) / s.p.need.behaviourScale;
    const gb = s.ofstedBehaviour[i];
    // Deprivation drives both kinds of need, so a share of the attainment shortfall counts here too.
    const zb = excess + (gb >= 3 ? 0.7 : 0) + (gb === 4 ? 0.7 : 0) + pn.crossWeight * za;
    s.needBeh[i] = base + (1 - base) * logistic(2 * zb - 1);
    s.highPerformer[i] = s.attainment[i] >= topQuartile + shift || gp <= 2 || gb <= 2 ? 1 : 0;
  }
}

/** Willingness to partner on a focus: need (plus any incentive for higher performers, NAO [21e]) times the school's openness. */
export function willingness(s: State, i: number, behaviourFocus: boolean, incentive: number): number {
  const need = behaviourFocus ? s.needBeh[i] : s.needAtt[i];
  return (s.highPerformer[i] ? need + incentive : need) * s.openness[i];
}

/** Draw each school's openness: lognormal with mean 1. */
export function drawOpenness(s: State, rng: { normal(): number }): void {
  const sd = s.p.formation.opennessSd;
  for (let i = 0; i < s.n; i++) s.openness[i] = Math.exp(sd * rng.normal() - (sd * sd) / 2);
}
