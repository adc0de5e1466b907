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
 * The stock of partnerships running in autumn 2007 is built by the spin-up (model.ts),
 * i.e. by this same mechanism running from a world without partnerships.
 */
import type { Stream } from './streams.js';
import { partnershipUid } from './streams.js';
import { addMember, isMember, openPartnership } from './partnership.js';
import { ATTAINMENT, BEHAVIOUR, BOTH, laterStep, MAX_SLOTS, OWN_BUDGET, type State } from './state.js';
import { willingness } from './need.js';
import { LA_NEIGHBOURS } from './world.js';
import { scheduleFade } from './dissolution.js';
import { memberDays, staffBudget } from './costs.js';

/** How a partnership was made: part of its identity for its own random draws. */
export const MADE_BY_SCHOOLS = 0;
export const MADE_BY_MANDATE = 1;
export const MADE_BY_STATUTE = 2;

/** Options for a partnership created by policy rather than by schools. */
export interface CreateOptions {
  imposed?: boolean;
  administrative?: boolean;
  leader?: number;
  /** MADE_BY_* (default MADE_BY_SCHOOLS). */
  madeBy?: number;
}

/**
 * Draw a candidate partner for school i: same LA mostly, a neighbouring LA sometimes.
 * Uses the three uniforms (i, b, c), (i, b, c + 1), (i, b, c + 2) of stream `st`.
 */
export function drawCandidate(s: State, i: number, st: Stream, b: number, c: number): number {
  const w = s.world;
  let la = w.la[i];
  if (st.u(i, b, c) < s.p.formation.neighbourShare) {
    const nb = w.laNeighbours[la * LA_NEIGHBOURS + st.int(LA_NEIGHBOURS, i, b, c + 1)];
    if (nb >= 0) la = nb;
  }
  const a = w.laStart[la];
  const size = w.laStart[la + 1] - a;
  return a + st.int(size, i, b, c + 2);
}

/** Staff-time tolerance: schools stretch to this multiple of their budget (governors hold them to it, NAO [20b]). */
export function tolerance(s: State): number {
  return s.lev.governorOversight ? 1 : s.p.dissolution.overloadTolerance;
}

/**
 * Can school j take on another membership costing `days` staff days this step (the
 * membership being added, at its start-up cost)? It must have a free slot and the
 * staff time, counting what it already spends.
 */
export function hasCapacity(s: State, j: number, days: number): boolean {
  return s.nSlots[j] < s.p.formation.maxPerSchool && s.staffUsed[j] + days <= staffBudget(s, j) * tolerance(s);
}

/** Add school i to partnership p and charge its staff time for this step at once. */
export function join(s: State, p: number, i: number): boolean {
  if (!addMember(s, p, i)) return false;
  s.staffUsed[i] += memberDays(s, p, 0);
  return true;
}

/** Start-up staff days of a new membership on a focus (before the partnership exists). */
export function newMemberDays(s: State, focus: number): number {
  const c = s.p.costs;
  let base = (focus & ATTAINMENT ? c.attainmentDays : 0) + (focus & BEHAVIOUR ? c.behaviourDays : 0);
  if (s.lev.imposedForms) base += c.governanceDays;
  return (base * c.startupMultiplier * 3) / s.spy;
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

/** Target number of secondary schools for a new partnership: mostly small, some large networks [2.8]. Uniforms (i, b, c) and (i, b, c + 1). */
export function targetSize(s: State, st: Stream, i: number, b: number, c: number, focus: number): number {
  const f = s.p.formation;
  const u = st.u(i, b, c);
  const e = st.exponential(1, i, b, c + 1);
  if (focus === ATTAINMENT && u < f.largeShare) return 10 + Math.floor(e * 5);
  if (focus === BEHAVIOUR) return 3 + Math.floor(e * 3);
  return 2 + Math.floor(e * Math.max(1e-6, f.smallMeanExtra));
}

/** Uniform slots per step a school's initiation may use in the formation stream. */
const INVITE_BASE = 8;

/**
 * School i tries to start a partnership; returns the partnership or -1 if nobody accepted.
 * Every draw is the formation stream's (i, step, c): a school's invitations never
 * shift with what other schools or processes drew.
 */
export function initiate(s: State, i: number, focus: number, st: Stream, attrs: Stream): number {
  const f = s.p.formation;
  const b = s.step;
  const target = targetSize(s, st, i, b, 2, focus);
  const beh = focus === BEHAVIOUR;
  const days = newMemberDays(s, focus);
  // Invite into a scratch list first; only open the partnership if someone accepts.
  const chosen = s.scratch;
  let k = 0;
  let refusals = 0;
  const tries = Math.max(f.candidates, target + f.maxRefusals);
  // LA-convened partnerships recruit beyond need: behaviour partnerships, which the Department
  // expected every school to join from 2007 (NAO [2.3, 2.9]), and large attainment networks.
  const bonus = focus === BEHAVIOUR ? f.behaviourConvening : target >= 10 ? f.networkConvening : 0;
  for (let t = 0; t < tries && k + 1 < target && refusals < f.maxRefusals; t++) {
    const j = drawCandidate(s, i, st, b, INVITE_BASE + 3 * t);
    if (j === i || !hasCapacity(s, j, days)) continue;
    let dup = false;
    for (let c = 0; c < k; c++) if (chosen[c] === j) dup = true;
    if (dup) continue;
    if (acceptUtility(s, i, j, beh) + bonus > 0) chosen[k++] = j;
    else refusals++;
  }
  if (k === 0) return -1;
  const p = openPartnership(s, focus, s.world.la[i]);
  join(s, p, i);
  for (let c = 0; c < k; c++) join(s, p, chosen[c]);
  setup(s, p, i, attrs, {});
  return p;
}

/**
 * Give a new partnership its identity, attributes (funding, objectives, governance,
 * sharing, primaries, other organisations, fragility) and starting trust. Draws come
 * from the attributes stream at (uid, 0, c), where uid hashes (coordinator, step, how made).
 */
export function setup(s: State, p: number, coordinator: number, st: Stream, opts: CreateOptions): void {
  const f = s.p.formation;
  const fu = s.p.funding;
  const P = s.parts;
  const id = partnershipUid(coordinator, s.step, opts.madeBy ?? MADE_BY_SCHOOLS);
  P.uid[p] = id;
  P.imposed[p] = opts.imposed ? 1 : 0;
  P.administrative[p] = opts.administrative ? 1 : 0;
  P.leader[p] = opts.leader ?? -1;
  P.shares[p] = st.u(id, 0, 0) < f.shareResources * (opts.administrative ? 0.3 : 1) ? 1 : 0;
  P.objectives[p] = s.lev.clearObjectives ? 2 : st.u(id, 0, 1) < f.writtenObjectives ? 1 : 0;
  // A standard imposed form comes with a written governance document (NAO [20d, 2.16]).
  P.governance[p] = s.lev.imposedForms || st.u(id, 0, 2) < f.writtenGovernance ? 1 : 0;
  // Funding source [Figure 14]; grants get an end date.
  let src = OWN_BUDGET;
  if (!s.lev.fundingWithdrawn) {
    const total = fu.ownBudget + fu.grantToSchool + fu.grantToPartnership + fu.several + fu.other;
    let u = st.u(id, 0, 3) * total - fu.ownBudget;
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
  P.funded[p] = src >= 1 && src <= 3 ? 1 : 0;
  P.fundingEnd[p] = P.funded[p] ? laterStep(s.step + Math.max(1, Math.round(st.exponential(1 / fu.grantYears, id, 0, 4) * s.spy))) : 0;
  // Transition partnerships bring the coordinator's feeder primaries [12, 2.10]; some bring other organisations [2.8].
  if (P.focus[p] & ATTAINMENT && st.u(id, 0, 5) < f.primaryShare) P.primaries[p] = Math.min(65535, Math.max(1, s.feeders[coordinator]));
  P.others[p] = st.u(id, 0, 6) < f.otherOrgShare ? 1 + st.poisson(0.5, id, 0, 7) : 0;
  // Key people [2.20]: a partnership coordinated from a key-person school may hang on that person;
  // succession planning (governor oversight [20b]) and a written governance document [2.16] reduce the risk.
  const fragileP = s.p.people.fragileShare * (s.lev.governorOversight ? 0.5 : 1) * (P.governance[p] ? 1 - s.p.people.governanceSuccession : 1);
  if (s.world.keyPerson[coordinator]) {
    P.keySchool[p] = coordinator;
    P.fragile[p] = st.u(id, 0, 8) < fragileP ? 1 : 0;
  }
  // Starting trust: what the coordinator already has with each member. Partnerships imposed on
  // schools (by mandate, statute or a standard form) start at the imposed level where no trust exists [13].
  const imposedStart = opts.imposed || s.lev.imposedForms;
  let sum = 0;
  let k = 0;
  for (let m = P.head[p]; m !== -1; m = s.members.next[m]) {
    const j = s.members.school[m];
    if (j === coordinator) continue;
    if (imposedStart && !s.trust.has(coordinator, j)) s.trust.set(coordinator, j, s.step, s.p.trust.imposedInitial);
    sum += s.trust.get(coordinator, j, s.step);
    k++;
  }
  P.trust[p] = k > 0 ? sum / k : s.p.trust.initial;
  scheduleFade(s, p, st);
}

/** Create a partnership of given members by policy (statutory or mandated). */
export function createWith(s: State, members: ArrayLike<number>, count: number, focus: number, st: Stream, opts: CreateOptions): number {
  const p = openPartnership(s, focus, s.world.la[members[0]]);
  for (let c = 0; c < count; c++) join(s, p, members[c]);
  if (s.parts.size[p] < 2) {
    return p; // caller ends it; kept so history shows the attempt
  }
  setup(s, p, opts.leader ?? members[0], st, opts);
  return p;
}

/**
 * One step of formation: each school with need and capacity may initiate, with a
 * chance proportional to its willingness (attainment and behaviour separately).
 * School i's uniforms are the formation stream's (i, step, c). O(schools).
 */
export function formationStep(s: State, st: Stream, attrs: Stream): void {
  if (s.lev.noPartnering) return;
  const f = s.p.formation;
  const perStep = 3 / s.spy; // rates are per term
  const ra = f.initiationRate * perStep;
  const rb = f.behaviourInitiationRate * perStep;
  const b = s.step;
  for (let i = 0; i < s.n; i++) {
    const wa = willingness(s, i, false, s.lev.incentive);
    const wb = willingness(s, i, true, s.lev.incentive);
    const pa = ra * wa;
    const pb = rb * wb;
    if (pa + pb <= 0) continue;
    const u = st.u(i, b, 0);
    if (u >= pa + pb) continue;
    // A school with both needs often gives the partnership both focuses (NAO [2.2]: most partnering schools have both).
    const both = st.u(i, b, 1) < f.bothShare * (u < pa ? s.needBeh[i] : s.needAtt[i]);
    const focus = both ? BOTH : u < pa ? ATTAINMENT : BEHAVIOUR;
    if (!hasCapacity(s, i, newMemberDays(s, focus))) continue;
    initiate(s, i, focus, st, attrs);
  }
}

/** Is school j already partnering with i on this focus? (used by policy to avoid duplicates) */
export function sharesFocus(s: State, i: number, j: number, focus: number): boolean {
  for (let k = 0; k < s.nSlots[i]; k++) {
    const p = s.members.part[s.slots[i * s.slotW + k]];
    if (s.parts.focus[p] & focus && isMember(s, p, j)) return true;
  }
  return false;
}
