/**
 * Mechanism 3 — partner choice is local (NAO [2.12]; competition a minor barrier, 13% [3.19]).
 * An initiating school with need invites candidates from its own LA (sometimes a
 * neighbouring one); each accepts if its expected benefit (own need, trust already
 * built, a stronger partner) beats its coordination cost and threshold; the initiator
 * stops after a number of refusals (Tomasello, Burkholz & Schweitzer, arXiv 1712.01755;
 * complementarity and existing ties after Scheinert et al. 2017). Cost per initiation
 * is O(candidates): the pool is sampled, never scanned.
 * Attributes follow the survey: funding source [Figure 14], written objectives [3.17],
 * governance [2.16], shared resources [2.15], primaries [12, 2.10], other organisations [2.8].
 */
import type { Rng } from './rng.js';
import { addMember, isMember, openPartnership } from './partnership.js';
import { ATTAINMENT, BEHAVIOUR, BOTH, MAX_SLOTS, OWN_BUDGET, type State } from './state.js';
import { willingness } from './need.js';
import { LA_NEIGHBOURS } from './world.js';
import { scheduleFade } from './dissolution.js';

/** Options for a partnership created by policy rather than by schools. */
export interface CreateOptions {
  imposed?: boolean;
  administrative?: boolean;
  leader?: number;
}

/** Draw a candidate partner for school i: same LA mostly, a neighbouring LA sometimes. */
export function drawCandidate(s: State, i: number, rng: Rng): number {
  const w = s.world;
  let la = w.la[i];
  if (rng.fast() < s.p.formation.neighbourShare) {
    const nb = w.laNeighbours[la * LA_NEIGHBOURS + rng.int(LA_NEIGHBOURS)];
    if (nb >= 0) la = nb;
  }
  const a = w.laStart[la];
  const size = w.laStart[la + 1] - a;
  return a + rng.int(size);
}

/** Can school j take on another partnership? */
export function hasCapacity(s: State, j: number): boolean {
  const budget = (s.world.staffDays[j] * 3) / s.spy;
  return s.nSlots[j] < s.p.formation.maxPerSchool && s.staffUsed[j] < budget;
}

/** Net expected benefit for candidate j of joining initiator i's partnership on a focus. */
export function acceptUtility(s: State, i: number, j: number, behaviourFocus: boolean): number {
  const f = s.p.formation;
  const t = s.trust.get(i, j, s.step);
  const qi = s.home[i] + s.shock[i];
  const qj = s.home[j] + s.shock[j];
  return (
    willingness(s, j, behaviourFocus, s.lev.incentive) +
    f.trustWeight * (t - s.p.trust.initial) +
    f.complementarityWeight * (qi - qj) -
    f.coordinationCost * s.nSlots[j] +
    (s.world.laSupported[s.world.la[j]] ? 0.05 : -0.05) -
    f.acceptThreshold
  );
}

/** Target number of secondary schools for a new partnership: mostly small, some large networks [2.8]. */
export function targetSize(s: State, rng: Rng, focus: number): number {
  const f = s.p.formation;
  if (focus === ATTAINMENT && rng.next() < f.largeShare) return 10 + Math.floor(rng.exponential(1 / 5));
  if (focus === BEHAVIOUR) return 3 + Math.floor(rng.exponential(1 / 3));
  return 2 + Math.floor(rng.exponential(1 / Math.max(1e-6, f.smallMeanExtra)));
}

/** School i tries to start a partnership; returns the partnership or -1 if too few accepted. */
export function initiate(s: State, i: number, focus: number, rng: Rng): number {
  const f = s.p.formation;
  const target = targetSize(s, rng, focus);
  const beh = focus === BEHAVIOUR;
  // Invite into a scratch list first; only open the partnership if someone accepts.
  const chosen = s.scratch;
  let k = 0;
  let refusals = 0;
  const tries = Math.max(f.candidates, target + f.maxRefusals);
  const bonus = target >= 10 ? 0.3 : 0; // LA-convened networks recruit more easily
  for (let t = 0; t < tries && k + 1 < target && refusals < f.maxRefusals; t++) {
    const j = drawCandidate(s, i, rng);
    if (j === i || !hasCapacity(s, j)) continue;
    let dup = false;
    for (let c = 0; c < k; c++) if (chosen[c] === j) dup = true;
    if (dup) continue;
    if (acceptUtility(s, i, j, beh) + bonus > 0) chosen[k++] = j;
    else refusals++;
  }
  if (k === 0) return -1;
  const p = openPartnership(s, focus, s.world.la[i]);
  addMember(s, p, i);
  for (let c = 0; c < k; c++) addMember(s, p, chosen[c]);
  setup(s, p, i, rng, {});
  return p;
}

/** Give a new partnership its attributes (funding, objectives, sharing, primaries, fragility) and starting trust. */
export function setup(s: State, p: number, coordinator: number, rng: Rng, opts: CreateOptions): void {
  const f = s.p.formation;
  const fu = s.p.funding;
  const P = s.parts;
  P.imposed[p] = opts.imposed ? 1 : 0;
  P.administrative[p] = opts.administrative ? 1 : 0;
  P.leader[p] = opts.leader ?? -1;
  P.shares[p] = rng.next() < f.shareResources * (opts.administrative ? 0.3 : 1) ? 1 : 0;
  P.objectives[p] = s.lev.clearObjectives ? 2 : rng.next() < f.writtenObjectives ? 1 : 0;
  P.governance[p] = rng.next() < f.writtenGovernance ? 1 : 0;
  // Funding source [Figure 14]; grants get an end date.
  let src = OWN_BUDGET;
  if (!s.lev.fundingWithdrawn) {
    const total = fu.ownBudget + fu.grantToSchool + fu.grantToPartnership + fu.several + fu.other;
    let u = rng.next() * total - fu.ownBudget;
    src = 0;
    if (u >= 0) {
      src = 1;
      u -= fu.grantToSchool;
      if (u >= 0) {
        src = 2;
        u -= fu.grantToPartnership;
        if (u >= 0) src = u < fu.several ? 3 : 4;
      }
    }
  }
  P.funding[p] = src;
  P.fundingEnd[p] = src >= 1 && src <= 3 ? s.step + Math.max(1, Math.round(rng.exponential(1 / fu.grantYears) * s.spy)) : -1;
  // Transition partnerships bring the coordinator's feeder primaries [12, 2.10]; some bring other organisations [2.8].
  if (P.focus[p] & ATTAINMENT && rng.next() < f.primaryShare) P.primaries[p] = Math.min(65535, Math.max(1, s.feeders[coordinator]));
  P.others[p] = rng.next() < f.otherOrgShare ? 1 + rng.poisson(0.5) : 0;
  // Key people [2.20]: a partnership coordinated from a key-person school may hang on that person.
  const fragileP = s.p.people.fragileShare * (s.lev.governorOversight ? 0.5 : 1);
  if (s.world.keyPerson[coordinator]) {
    P.keySchool[p] = coordinator;
    P.fragile[p] = rng.next() < fragileP ? 1 : 0;
  }
  // Starting trust: what the coordinator already has with each member, or the imposed level.
  let sum = 0;
  let k = 0;
  for (let m = P.head[p]; m !== -1; m = s.members.next[m]) {
    const j = s.members.school[m];
    if (j === coordinator) continue;
    if (opts.imposed && !s.trust.has(coordinator, j)) s.trust.set(coordinator, j, s.step, s.p.trust.imposedInitial);
    sum += s.trust.get(coordinator, j, s.step);
    k++;
  }
  P.trust[p] = k > 0 ? sum / k : s.p.trust.initial;
  scheduleFade(s, p, rng);
}

/** Create a partnership of given members by policy (statutory or mandated). */
export function createWith(s: State, members: ArrayLike<number>, count: number, focus: number, rng: Rng, opts: CreateOptions): number {
  const p = openPartnership(s, focus, s.world.la[members[0]]);
  for (let c = 0; c < count; c++) addMember(s, p, members[c]);
  if (s.parts.size[p] < 2) {
    return p; // caller ends it; kept so history shows the attempt
  }
  setup(s, p, opts.leader ?? members[0], rng, opts);
  return p;
}

/**
 * One step of formation: each school with need and capacity may initiate, with a
 * chance proportional to its need (attainment and behaviour separately). O(schools).
 */
export function formationStep(s: State, rng: Rng): void {
  if (s.lev.noPartnering) return;
  const f = s.p.formation;
  const perStep = 3 / s.spy; // rates are per term
  const ra = f.initiationRate * perStep;
  const rb = f.behaviourInitiationRate * perStep;
  for (let i = 0; i < s.n; i++) {
    const u = rng.fast();
    if (!hasCapacity(s, i)) continue;
    const wa = willingness(s, i, false, s.lev.incentive);
    const wb = willingness(s, i, true, s.lev.incentive);
    if (u < ra * wa + rb * wb) {
      // A school with both needs often gives the partnership both focuses (NAO [2.2]: most partnering schools have both).
      const both = rng.fast() < f.bothShare * (u < ra * wa ? s.needBeh[i] : s.needAtt[i]);
      initiate(s, i, both ? BOTH : u < ra * wa ? ATTAINMENT : BEHAVIOUR, rng);
    }
  }
}

/** Is school j already partnering with i on this focus? (used by policy to avoid duplicates) */
export function sharesFocus(s: State, i: number, j: number, focus: number): boolean {
  for (let k = 0; k < s.nSlots[i]; k++) {
    const p = s.members.part[s.slots[i * MAX_SLOTS + k]];
    if (s.parts.focus[p] & focus && isMember(s, p, j)) return true;
  }
  return false;
}

/**
 * The partnerships already running in autumn 2007: rounds of formation at the start,
 * each new partnership backdated by an age drawn from an exponential distribution
 * (capped at 25 years), its fade, funding and trust set for that age. Trust between
 * members is what `age` years of interactions would have built on average: it moves
 * from the initial level towards the equilibrium of gains and breaches,
 * t* = a(1-b) / (a(1-b) + b(1-beta)).
 */
export function seedPartnerships(s: State, rng: Rng): void {
  const f = s.p.formation;
  const pt = s.p.trust;
  const a = pt.gain;
  const b = pt.breachRate;
  const eq = (a * (1 - b)) / (a * (1 - b) + b * (1 - pt.breach));
  const rate = a * (1 - b) + b * (1 - pt.breach);
  const before = s.history.n;
  for (let r = 0; r < f.initialRounds; r++) formationStep(s, rng);
  const P = s.parts;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p] || P.hist[p] < before) continue;
    const age = Math.min(25, rng.exponential(1 / f.initialAgeMeanYears));
    P.start[p] = -Math.round(age * s.spy);
    s.history.start[P.hist[p]] = P.start[p];
    for (let m = P.head[p]; m !== -1; m = s.members.next[m]) s.members.joined[m] = P.start[p];
    scheduleFade(s, p, rng);
    // Each pair interacts about 1/(m-1) times a step (m/2 interactions among m(m-1)/2 pairs).
    const m = P.size[p];
    const k = (age * s.spy) / Math.max(1, m - 1);
    const t = eq - (eq - pt.initial) * Math.pow(1 - rate, k);
    let sum = 0;
    let cnt = 0;
    for (let x = P.head[p]; x !== -1; x = s.members.next[x]) {
      for (let y = s.members.next[x]; y !== -1; y = s.members.next[y]) {
        s.trust.set(s.members.school[x], s.members.school[y], 0, t);
        sum += t;
        cnt++;
      }
    }
    P.trust[p] = cnt > 0 ? sum / cnt : t;
  }
}
