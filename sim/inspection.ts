/**
 * Mechanism 9 — Ofsted grades come from periodic inspections of a school's underlying
 * quality, with noise (NAO [3.2]); from September 2009 Ofsted planned to judge how
 * well schools work in partnership (NAO [21e]), which the incentive lever switches on.
 * Cut points are fixed at the start from the 2008/09 grade shares, so grades move
 * when schools really change. Inspections are scheduled, so a step costs one
 * comparison per school. Timing is drawn independently of grades (the inspection
 * stream at (school, step of the inspection, 2)), and so is the judgement noise
 * ((school, step, 0/4)), so two scenarios inspect the same schools at the same times
 * with the same noise. Each inspection records the grade with and without the credit
 * for partnership work, so a true improvement and the credit can be told apart.
 */
import type { Stream } from './streams.js';
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

/** Schedule each school's first inspection from `fromYear` (the start of the spin-up): uniform over one cycle. */
export function scheduleInspections(s: State, fromYear: number, st: Stream): void {
  const cycle = s.p.inspection.cycleYears;
  for (let i = 0; i < s.n; i++) s.nextInspection[i] = fromYear + cycle * st.u(i, s.step, 1);
}

/** Inspect the schools that are due. */
export function inspectionStep(s: State, year: number, c: GradeCuts, st: Stream): void {
  const ins = s.p.inspection;
  const sdQ = s.p.world.attainmentQualitySd;
  for (let i = 0; i < s.n; i++) {
    if (s.nextInspection[i] > year) continue;
    const credit = s.lev.ofstedJudgesPartnership && s.nSlots[i] > 0 ? ins.partnershipCredit : 0;
    const q = s.home[i] + s.shock[i] + s.improveAtt[i] / sdQ;
    const b = s.behHome[i] + s.behShock[i] + s.improveBeh[i] / BEHAVIOUR_EXCLUSION_WEIGHT;
    const e = ins.noise * st.normal(i, s.step, 0);
    s.ofstedProgress[i] = grade(q + credit + e, c.sd, c.progress);
    s.ofstedProgressTrue[i] = grade(q + e, c.sd, c.progress);
    s.ofstedBehaviour[i] = grade(b + ins.noise * st.normal(i, s.step, 4), c.sd, c.behaviour);
    s.nextInspection[i] = year + ins.cycleYears * (0.6 + 0.8 * st.u(i, s.step, 2));
  }
}
