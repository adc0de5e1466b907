/**
 * How a school's measured outcomes follow from its intake and its underlying state:
 * attainment at 14, contextual value added (CVA: results against what the intake
 * predicts, NAO [3.3, note 11]) and the exclusion propensity (NAO [3.4]). Shared by
 * the world generator and the per-step model so both use one definition.
 */
import type { Params } from './params.js';
import { DRAW_BLOCK, drawBuffer, type Stream } from './streams.js';
import type { State } from './state.js';
import * as fmath from './fmath.js';

/** The outcomes stream's purposes (c) of a school's four normals a step: quality shock, behaviour shock, attendance swing, cohort noise. */
const OUTCOME_PURPOSES = Int32Array.of(0, 2, 6, 4);

/** National school-mean attainment on the model scale. */
export const ATTAINMENT_MEAN = 100;
/** CVA is reported centred on 1000, as the DCSF did. */
export const CVA_CENTRE = 1000;
/** Weight of the behaviour climate on log exclusion propensity. */
export const BEHAVIOUR_EXCLUSION_WEIGHT = 0.5;

/** What the intake predicts: the contextual part of attainment (no school effect). */
export function expectedAttainment(p: Params, fsm: number, sen: number, attendance: number): number {
  const w = p.world;
  return (
    ATTAINMENT_MEAN +
    w.attainmentFsmSlope * (fsm - w.fsmMean) -
    12 * (sen - w.senMean) +
    p.effects.attendanceSlope * (attendance - (1 - w.absenceMean))
  );
}

/** Relative exclusion propensity of an intake: FSM pupils are `ratio` times as likely. */
export function intakeExclusionFactor(p: Params, fsm: number): number {
  return 1 + (p.world.fsmExclusionRatio - 1) * fsm;
}

/** Relative exclusion propensity of a school from its behaviour climate and any lasting improvement. */
export function climateExclusionFactor(behaviour: number, improvement: number): number {
  return fmath.exp(-BEHAVIOUR_EXCLUSION_WEIGHT * behaviour - improvement);
}

/**
 * Measured outcomes for every school this step: improvement stocks take in the
 * step's partnership gains and fade with their half-life; quality and behaviour
 * shocks follow a mean-reverting process; attendance responds to better behaviour and
 * swings about its own level (mean-reverting); attainment = intake prediction (from
 * attendance averaged over the key stage, so attainment follows attendance with a lag)
 * + quality + improvement + transition + cohort noise;
 * CVA = 1000 + attainment - prediction; trend = change over the last year. O(schools).
 * Each school draws four normals a step from the outcomes stream, at (school, step,
 * 0/2/4/6), so its shocks are the same in every scenario.
 */
export function updateOutcomes(s: State, st: Stream): void {
  const p = s.p;
  const e = p.effects;
  const dt = s.dt;
  const fade = fmath.pow(0.5, dt / e.persistenceYears);
  const revert = 1 - e.qualityDrift * dt;
  const qNoise = e.qualityNoise * Math.sqrt(dt);
  const sdQ = p.world.attainmentQualitySd;
  // Attendance swings: AR(1) with the stationary SD attendanceShockSd; attainment responds
  // to attendance averaged over the key stage (time constant attendanceLagYears).
  const attRevert = fmath.exp(-e.attendanceReversion * dt);
  const attNoise = e.attendanceShockSd * Math.sqrt(1 - attRevert * attRevert);
  const attWeight = 1 - fmath.exp(-dt / e.attendanceLagYears);
  const w = s.world;
  const ring = s.attainmentRing;
  const slot = ((s.step % s.spy) + s.spy) % s.spy;
  const b = s.step;
  const n = s.n;
  // The step's four normals per school, a block per purpose (the same numbers as one draw
  // per school), from one call site, so V8 compiles the block draw once, whole; DRAW_BLOCK
  // schools at a time, so the buffer stays small.
  const z = drawBuffer(4 * DRAW_BLOCK);
  for (let from = 0; from < n; from += DRAW_BLOCK) {
    const m = Math.min(DRAW_BLOCK, n - from);
    for (let k = 0; k < 4; k++) st.normals(z, k * DRAW_BLOCK, from, m, b, OUTCOME_PURPOSES[k]);
    for (let j = 0; j < m; j++) {
      const i = from + j;
      s.improveAtt[i] = s.improveAtt[i] * fade + s.gainAtt[i];
      s.improveBeh[i] = s.improveBeh[i] * fade + s.gainBeh[i];
      s.shock[i] = s.shock[i] * revert + qNoise * z[j];
      s.behShock[i] = s.behShock[i] * revert + qNoise * z[DRAW_BLOCK + j];
      s.attendanceShock[i] = s.attendanceShock[i] * attRevert + attNoise * z[2 * DRAW_BLOCK + j];
      const absence0 = 1 - w.attendance[i];
      const att = Math.min(1, Math.max(0.5, 1 - absence0 * fmath.exp(-0.5 * s.improveBeh[i]) + s.attendanceShock[i]));
      s.attendance[i] = att;
      const attKs = s.attendanceKs[i] + attWeight * (att - s.attendanceKs[i]);
      s.attendanceKs[i] = attKs;
      const exp = expectedAttainment(p, w.fsm[i], w.sen[i], attKs);
      const a = exp + sdQ * (s.home[i] + s.shock[i]) + s.improveAtt[i] + s.transition[i] + e.cohortNoise * z[3 * DRAW_BLOCK + j];
      s.attainment[i] = a;
      s.cva[i] = CVA_CENTRE + a - exp;
      const r = i * s.spy + slot;
      s.trend[i] = a - ring[r];
      ring[r] = a;
    }
  }
}
