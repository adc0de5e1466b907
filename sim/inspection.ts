/**
 * Mechanism 9 — Ofsted grades come from periodic inspections of a school's underlying
 * quality, with noise (NAO [3.2]); from September 2009 Ofsted planned to judge how
 * well schools work in partnership (NAO [21e]), which the incentive lever switches on.
 * Cut points are fixed at the start from the 2008/09 grade shares, so grades move
 * when schools really change. Inspections are scheduled, so a step costs one
 * comparison per school.
 */
import type { Rng } from './rng.js';
import type { State } from './state.js';
import { cuts, grade } from './generate.js';
import { BEHAVIOUR_EXCLUSION_WEIGHT } from './outcomes.js';

/** Cut points for progress and behaviour grades, from the starting shares. */
export interface GradeCuts {
  progress: [number, number, number];
  behaviour: [number, number, number];
  sd: number;
}

export function gradeCuts(s: State): GradeCuts {
  const w = s.p.world;
  return {
    progress: cuts(w.ofstedOutstanding, w.ofstedGood, w.ofstedInadequate),
    behaviour: cuts(w.behaviourOutstanding, 1 - w.behaviourOutstanding - w.behaviourSatisfactory - w.behaviourInadequate, w.behaviourInadequate),
    sd: Math.sqrt(1 + s.p.inspection.noise * s.p.inspection.noise),
  };
}

/** Schedule each school's next inspection after its last one. */
export function scheduleInspections(s: State, startYear: number, rng: Rng): void {
  const cycle = s.p.inspection.cycleYears;
  for (let i = 0; i < s.n; i++) {
    let next = s.world.lastInspection[i] + cycle * rng.uniform(0.6, 1.4);
    if (next < startYear) next = startYear + rng.uniform(0, cycle * 0.5);
    s.nextInspection[i] = next;
  }
}

/** Inspect the schools that are due. */
export function inspectionStep(s: State, year: number, c: GradeCuts, rng: Rng): void {
  const ins = s.p.inspection;
  const sdQ = s.p.world.attainmentQualitySd;
  for (let i = 0; i < s.n; i++) {
    if (s.nextInspection[i] > year) continue;
    const credit = s.lev.ofstedJudgesPartnership && s.nSlots[i] > 0 ? ins.partnershipCredit : 0;
    const q = s.home[i] + s.shock[i] + s.improveAtt[i] / sdQ;
    const b = s.behHome[i] + s.behShock[i] + s.improveBeh[i] / BEHAVIOUR_EXCLUSION_WEIGHT;
    s.ofstedProgress[i] = grade(q + credit + ins.noise * rng.normal(), c.sd, c.progress);
    s.ofstedBehaviour[i] = grade(b + ins.noise * rng.normal(), c.sd, c.behaviour);
    // Weaker schools are seen again sooner.
    const soon = s.ofstedProgress[i] >= 3 ? 0.7 : 1;
    s.nextInspection[i] = year + ins.cycleYears * soon * rng.uniform(0.6, 1.4);
  }
}
