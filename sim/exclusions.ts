/**
 * Mechanism 8 — exclusions cost money. A PRU place costs about £100 a day; under the
 * Tower Hamlets protocol the excluding school pays (£3,345 for a short PRU placement,
 * £6,345 with a managed move, £8,685 after permanent exclusion), and in its first year
 * days lost to exclusion fell 41% and permanent exclusions went from 51 to 38
 * (NAO [2.25, Figure 15, Case Example 2]). Schools respond to the charge: the log
 * exclusion propensity falls by `costElasticity` per £1,000 charged. Behaviour
 * partnerships turn some permanent exclusions into managed moves (NAO [2.4]); under
 * the protocol a managed move is charged too (£6,345, managedMoveCharge), so it is
 * deterred in the same way. Fixed-term exclusions, permanent exclusions and managed
 * moves are Poisson counts each step, each by inversion of one uniform of the
 * exclusions stream at (school, step, 0/1/2). O(schools).
 */
import { DRAW_BLOCK, drawBuffer, poissonInverses, type Stream } from './streams.js';
import type { State } from './state.js';
import { climateExclusionFactor, intakeExclusionFactor } from './outcomes.js';
import * as fmath from './fmath.js';

/** Multiplier on fixed-term exclusions where the excluding school pays for a short placement. */
export function protocolFixedFactor(s: State): number {
  return fmath.exp((-s.p.exclusions.costElasticity * s.p.exclusions.shortPlacementCharge) / 1000);
}

/** Multiplier on permanent exclusions under the protocol: only the discretionary part responds. */
export function protocolPermanentFactor(s: State): number {
  const x = s.p.exclusions;
  const full = fmath.exp((-x.costElasticity * x.permanentCharge) / 1000);
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

/** Multiplier on managed moves under the protocol (the same deterrence, at the managed-move charge). */
export function protocolMoveFactor(s: State): number {
  const x = s.p.exclusions;
  const full = fmath.exp((-x.costElasticity * x.managedMoveCharge) / 1000);
  return 1 - x.permanentDiscretion * (1 - full);
}

/** One step of exclusions for every school: counts, days lost, PRU places and protocol charges. */
export function exclusionsStep(s: State, st: Stream): void {
  const w = s.world;
  const x = s.p.exclusions;
  const dt = s.dt;
  const permFactor = protocolPermanentFactor(s);
  const fixedFactor = protocolFixedFactor(s);
  const moveFactor = protocolMoveFactor(s);
  const b = s.step;
  const n = s.n;
  // Every school's three uniforms (fixed-term, permanent, managed moves), a block each (the
  // same numbers as a draw per school); then every Poisson mean; then every count by
  // inversion in one loop (poissonInverses), so no call in the school loop boxes a double.
  // DRAW_BLOCK schools at a time, so the buffer stays small.
  const B = DRAW_BLOCK;
  const buf = drawBuffer(6 * B);
  let pruDays = 0;
  let moves = 0;
  let paid = 0;
  for (let from = 0; from < n; from += B) {
    const m = Math.min(B, n - from);
    for (let k = 0; k < 3; k++) st.uniforms(buf, k * B, from, m, b, k);
    for (let j = 0; j < m; j++) {
      const i = from + j;
      const pupils = w.pupils[i];
      // One propensity serves both kinds: intake x climate (x the protocol's deterrence).
      const propensity = intakeExclusionFactor(s.p, w.fsm[i]) * climateExclusionFactor(s.behHome[i] + s.behShock[i], s.improveBeh[i]);
      const protocol = s.laProtocol[w.la[i]] === 1;
      buf[3 * B + j] = s.fixedScale * propensity * (protocol ? fixedFactor : 1) * pupils * dt;
      const base = s.permanentScale * propensity * pupils * dt;
      // In a behaviour partnership a share of would-be permanent exclusions become managed moves [2.4].
      const moveShare = s.behCount[i] > 0 ? x.behaviourPartnershipShare : 0;
      buf[4 * B + j] = base * (1 - moveShare) * (protocol ? permFactor : 1);
      buf[5 * B + j] = moveShare > 0 ? base * moveShare * (protocol ? moveFactor : 1) : 0;
    }
    // Counts in place of the means (the three blocks of means are contiguous, as are the uniforms).
    if (m === B) poissonInverses(buf, 3 * B, 0, 3 * B);
    else for (let k = 0; k < 3; k++) poissonInverses(buf, (3 + k) * B, k * B, m);
    for (let j = 0; j < m; j++) {
      const i = from + j;
      const la = w.la[i];
      const protocol = s.laProtocol[la] === 1;
      const fixed = buf[3 * B + j];
      const perm = buf[4 * B + j];
      const move = buf[5 * B + j];
      moves += move;
      s.fixedTerm[i] = fixed;
      s.permanent[i] = perm;
      const days = perm * x.pruDaysPerPermanent;
      s.laPruDays[la] += days;
      pruDays += days;
      if (protocol) paid += perm * x.permanentCharge + move * x.managedMoveCharge;
    }
  }
  s.pruCostStep = pruDays * x.pruDayCost;
  s.managedMovesStep = moves;
  s.protocolPaidStep = paid;
}
