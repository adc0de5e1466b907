/**
 * Mechanism 8 — exclusions cost money. A PRU place costs about £100 a day; under the
 * Tower Hamlets protocol the excluding school pays (£3,345 for a short PRU placement,
 * £6,345 with a managed move, £8,685 after permanent exclusion), and in its first year
 * days lost to exclusion fell 41% and permanent exclusions went from 51 to 38
 * (NAO [2.25, Figure 15, Case Example 2]). Schools respond to the charge: the log
 * exclusion propensity falls by `costElasticity` per £1,000 charged. Behaviour
 * partnerships turn some permanent exclusions into managed moves (NAO [2.4]).
 * Fixed-term and permanent exclusions are Poisson counts each step. O(schools).
 */
import type { Rng } from './rng.js';
import type { State } from './state.js';
import { climateExclusionFactor, intakeExclusionFactor } from './outcomes.js';

/** Multiplier on fixed-term exclusions where the excluding school pays for a short placement. */
export function protocolFixedFactor(s: State): number {
  return Math.exp((-s.p.exclusions.costElasticity * s.p.exclusions.shortPlacementCharge) / 1000);
}

/** Multiplier on permanent exclusions under the protocol: only the discretionary part responds. */
export function protocolPermanentFactor(s: State): number {
  const x = s.p.exclusions;
  const full = Math.exp((-x.costElasticity * x.permanentCharge) / 1000);
  return 1 - x.permanentDiscretion * (1 - full);
}

/** Fixed-term exclusions per pupil per year expected at school i now. */
export function fixedRate(s: State, i: number): number {
  const w = s.world;
  let r = s.fixedScale * intakeExclusionFactor(s.p, w.fsm[i]) * climateExclusionFactor(s.behHome[i] + s.behShock[i], s.improveBeh[i]);
  if (s.laProtocol[w.la[i]]) r *= protocolFixedFactor(s);
  return r;
}

/** Set the national scales so the starting world has the national totals. */
export function calibrateScales(s: State): void {
  const w = s.world;
  let weighted = 0;
  let pupils = 0;
  for (let i = 0; i < s.n; i++) {
    weighted += w.pupils[i] * intakeExclusionFactor(s.p, w.fsm[i]) * climateExclusionFactor(w.behaviour[i], 0);
    pupils += w.pupils[i];
  }
  // National fixed-term rate per pupil: 300,000 a year over about 3.3 million pupils (scaled with the world's pupils).
  const national = s.p.world.fixedTermPerYear / (3300 * s.p.world.meanPupils);
  s.fixedScale = (national * pupils) / weighted;
  s.permanentScale = (s.p.world.permanentPerThousand / 1000) * (pupils / weighted);
  s.nationalExclusionRate = national;
}

/** One step of exclusions for every school: counts, days lost, PRU places and protocol charges. */
export function exclusionsStep(s: State, rng: Rng): void {
  const w = s.world;
  const x = s.p.exclusions;
  const dt = s.dt;
  const permFactor = protocolPermanentFactor(s);
  const fixedFactor = protocolFixedFactor(s);
  let pruDays = 0;
  for (let i = 0; i < s.n; i++) {
    const pupils = w.pupils[i];
    const la = w.la[i];
    // One propensity serves both kinds: intake x climate (x the protocol's deterrence).
    const propensity = intakeExclusionFactor(s.p, w.fsm[i]) * climateExclusionFactor(s.behHome[i] + s.behShock[i], s.improveBeh[i]);
    const protocol = s.laProtocol[la] === 1;
    const fixed = rng.poisson(s.fixedScale * propensity * (protocol ? fixedFactor : 1) * pupils * dt);
    let permRate = s.permanentScale * propensity;
    if (protocol) permRate *= permFactor;
    if (s.behCount[i] > 0) permRate *= 1 - x.behaviourPartnershipShare;
    const perm = rng.poisson(permRate * pupils * dt);
    s.fixedTerm[i] = fixed;
    s.permanent[i] = perm;
    s.daysLost[i] = fixed * s.p.world.daysPerFixedTerm;
    const days = perm * x.pruDaysPerPermanent;
    s.laPruDays[la] += days;
    pruDays += days;
    s.protocolPaid[i] = s.laProtocol[la] ? perm * x.permanentCharge : 0;
  }
  s.pruCostStep = pruDays * x.pruDayCost;
}
