/**
 * Policy levers (NAO [20, 21, Figure 4]): which are in force each step, and the
 * one-off events they trigger when they start. Each lever has a start year; from
 * then on it changes the mechanisms it names:
 *   incentiveHighPerformers  higher performers more willing; Ofsted credits partnership work [21e]
 *   statutoryBehaviourPartnerships  every school put in a behaviour partnership [2.2]
 *   fundingWithdrawn         dedicated grants end now; new ones are not given [2.19]
 *   costBenefitReview        periodic review ends partnerships not worth their cost [20c]
 *   clearObjectives          every new partnership has clear, measurable objectives [20a]
 *   governorOversight        succession plans (less fragile), staff time held to budget [20b]
 *   imposedForms             a standard form instead of local freedom [20d]
 *   mandatedPairing          weak schools paired with strong ones without prior trust [Case Example 6]
 *   exclusionCostProtocol    every LA charges excluding schools (Tower Hamlets) [2.25]
 *   noPartnering             no partnership ever, from the start of the spin-up: the counterfactual
 *   stopPartnering           every partnership ends at the start year, none form after
 * docs/ODD.md traces each from its YAML key to the step where it acts. Draws: the
 * policy stream at (school or partnership uid, step, c).
 */
import type { Stream } from './streams.js';
import { createWith, drawCandidate, hasCapacity, join, MADE_BY_MANDATE, MADE_BY_STATUTE, newMemberDays, setup } from './formation.js';
import { withdrawFunding } from './funding.js';
import { endPartnership, openPartnership } from './partnership.js';
import { ATTAINMENT, BEHAVIOUR, R_POLICY, type State } from './state.js';

/** Imposed flag value for statutory partnerships (cannot be left or dissolved). */
export const STATUTORY = 2;

/** Set which levers are in force at `year`. */
export function updateLevers(s: State, year: number): void {
  const L = s.p.levers;
  const on = (l: { enabled: boolean; startYear: number }): boolean => l.enabled && year >= l.startYear;
  s.lev.incentive = on(L.incentiveHighPerformers) ? L.incentiveHighPerformers.strength : 0;
  s.lev.ofstedJudgesPartnership = on(L.incentiveHighPerformers);
  s.lev.statutoryBehaviour = on(L.statutoryBehaviourPartnerships);
  s.lev.fundingWithdrawn = on(L.fundingWithdrawn);
  s.lev.costBenefitReview = on(L.costBenefitReview);
  s.lev.clearObjectives = on(L.clearObjectives);
  s.lev.governorOversight = on(L.governorOversight);
  s.lev.imposedForms = on(L.imposedForms);
  s.lev.exclusionProtocol = on(L.exclusionCostProtocol);
  s.lev.noPartnering = L.noPartnering.enabled || on(L.stopPartnering);
}

/** True in the step in which `startYear` is reached. */
function starts(year: number, dt: number, startYear: number): boolean {
  return year >= startYear && year - dt < startYear;
}

/** One-off events of levers that start this step, plus statutory membership each step. */
export function policyStep(s: State, year: number, st: Stream, attrs: Stream, laStatutory: Int32Array): void {
  const L = s.p.levers;
  const dt = s.dt;
  if (L.stopPartnering.enabled && starts(year, dt, L.stopPartnering.startYear)) {
    for (let p = 0; p < s.parts.high; p++) if (s.parts.alive[p]) endPartnership(s, p, R_POLICY);
  }
  if (L.fundingWithdrawn.enabled && starts(year, dt, L.fundingWithdrawn.startYear)) withdrawFunding(s, L.fundingWithdrawn.share, st);
  if (L.exclusionCostProtocol.enabled && starts(year, dt, L.exclusionCostProtocol.startYear)) s.laProtocol.fill(1);
  if (L.mandatedPairing.enabled && starts(year, dt, L.mandatedPairing.startYear)) mandatePairs(s, st, attrs, L.mandatedPairing.share);
  if (s.lev.statutoryBehaviour && !s.lev.noPartnering) statutoryMembership(s, st, attrs, laStatutory, L.statutoryBehaviourPartnerships.administrativeShare);
}

/** Pair a share of the weakest quartile with a strong school nearby, the strong one leading. */
function mandatePairs(s: State, st: Stream, attrs: Stream, share: number): void {
  const sorted = Float32Array.from(s.attainment).sort();
  const q1 = sorted[Math.floor(s.n * 0.25)];
  const q3 = sorted[Math.floor(s.n * 0.75)];
  const pair = new Int32Array(2);
  const days = newMemberDays(s, ATTAINMENT);
  const b = s.step;
  for (let i = 0; i < s.n; i++) {
    if (s.attainment[i] > q1 || st.u(i, b, 0) >= share || !hasCapacity(s, i, days)) continue;
    let best = -1;
    for (let t = 0; t < s.p.formation.candidates * 2; t++) {
      const j = drawCandidate(s, i, st, b, 1 + 3 * t);
      if (j !== i && s.attainment[j] >= q3 && hasCapacity(s, j, days) && (best < 0 || s.attainment[j] > s.attainment[best])) best = j;
    }
    if (best < 0) continue;
    pair[0] = i;
    pair[1] = best;
    createWith(s, pair, 2, ATTAINMENT, attrs, { imposed: true, leader: best, madeBy: MADE_BY_MANDATE });
  }
}

/** Put every school without a behaviour partnership into its LA's statutory one (groups of up to 12). */
function statutoryMembership(s: State, st: Stream, attrs: Stream, laStatutory: Int32Array, administrativeShare: number): void {
  const w = s.world;
  const b = s.step;
  for (let i = 0; i < s.n; i++) {
    if (s.behCount[i] > 0) continue;
    const la = w.la[i];
    let p = laStatutory[la];
    if (p < 0 || !s.parts.alive[p] || s.parts.imposed[p] !== STATUTORY || s.parts.size[p] >= 12) {
      p = openPartnership(s, BEHAVIOUR, la);
      laStatutory[la] = p;
      join(s, p, i);
      // A lone school is joined by a neighbour so the partnership is real.
      for (let t = 0; t < 8 && s.parts.size[p] < 2; t++) {
        const j = drawCandidate(s, i, st, b, 40 + 3 * t);
        if (j !== i) join(s, p, j);
      }
      setup(s, p, i, attrs, { imposed: true, administrative: st.u(i, b, 39) < administrativeShare, madeBy: MADE_BY_STATUTE });
      s.parts.imposed[p] = STATUTORY;
    } else join(s, p, i);
  }
}
