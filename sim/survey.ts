/**
 * The NAO questionnaire, asked of the model's secondary schools at the survey date
 * (January-February 2009): which partnerships a school is in, and about its *most
 * effective* attainment partnership (NAO [2.5-2.20]). Pure: reads the state, draws
 * only the headteacher's judgement noise from the generator it is given.
 *
 * A partnership's effectiveness, as a headteacher judges it, is what it has delivered
 * to the school in the last year plus what its trust, sharing and partners promise,
 * seen with noise (headteachers judge by test results, attainment generally, internal
 * monitoring and behaviour, NAO [3.11]) — so a young, promising partnership can be
 * named most effective before it has delivered.
 */
import type { Rng } from './rng.js';
import { ATTAINMENT, type State } from './state.js';
import * as fmath from './fmath.js';

/** One school's answers. Fields of the most effective attainment partnership are NaN when it has none. */
export interface SurveyAnswers {
  n: number;
  inAttainment: Uint8Array;
  inBehaviour: Uint8Array;
  attainmentCount: Uint8Array;
  behaviourCount: Uint8Array;
  /** Most effective attainment partnership: age (years), secondary schools, member organisations, primaries (0/1), shares (0/1), written objectives (0/1), trust. */
  meAge: Float32Array;
  meSecondaries: Float32Array;
  meOrganisations: Float32Array;
  mePrimaries: Float32Array;
  meShares: Float32Array;
  meObjectives: Float32Array;
  meTrust: Float32Array;
  /** Years the school has been in any attainment partnership (max membership age). */
  attainmentYears: Float32Array;
  sharesAny: Uint8Array;
  /** Non-partnering schools only: 1 if attainment is "not an issue" for it (NAO [2.13]). */
  notAnIssue: Uint8Array;
  // school characteristics
  fsm: Float32Array;
  attendance: Float32Array;
  sen: Float32Array;
  attainment: Float32Array;
  cva: Float32Array;
  trend: Float32Array;
  exclusionRate: Float32Array;
  ofstedProgress: Uint8Array;
  ofstedBehaviour: Uint8Array;
  la: Int32Array;
  /** Share of live partnerships that would fail if certain individuals left (NAO [2.20]). */
  fragileShare: number;
  /** Mean member organisations over live attainment partnerships (NAO [2.9]). */
  meanOrganisations: number;
}

/** Member organisations of partnership p: secondaries, primaries and other organisations. */
export function organisations(s: State, p: number): number {
  return s.parts.size[p] + s.parts.primaries[p] + s.parts.others[p];
}

/** The NAO survey date, January-February 2009, in academic years (2008-09 began in autumn 2008; about 0.4 of the way in). */
export const NAO_SURVEY_YEAR = 2008.4;

/** A survey date (academic years) as a step index, given the run's start and steps a year. */
export function surveyStep(startYear: number, stepsPerYear: number, at = NAO_SURVEY_YEAR): number {
  return Math.max(0, Math.floor((at - startYear) * stepsPerYear));
}

/** Ask every school the questionnaire now. */
export function askSurvey(s: State, rng: Rng): SurveyAnswers {
  const n = s.n;
  const w = s.world;
  const a: SurveyAnswers = {
    n,
    inAttainment: new Uint8Array(n),
    inBehaviour: new Uint8Array(n),
    attainmentCount: new Uint8Array(n),
    behaviourCount: new Uint8Array(n),
    meAge: new Float32Array(n).fill(NaN),
    meSecondaries: new Float32Array(n).fill(NaN),
    meOrganisations: new Float32Array(n).fill(NaN),
    mePrimaries: new Float32Array(n).fill(NaN),
    meShares: new Float32Array(n).fill(NaN),
    meObjectives: new Float32Array(n).fill(NaN),
    meTrust: new Float32Array(n).fill(NaN),
    attainmentYears: new Float32Array(n),
    sharesAny: new Uint8Array(n),
    notAnIssue: new Uint8Array(n),
    fsm: Float32Array.from(w.fsm),
    attendance: Float32Array.from(s.attendance),
    sen: Float32Array.from(w.sen),
    attainment: Float32Array.from(s.attainment),
    cva: Float32Array.from(s.cva),
    trend: Float32Array.from(s.trend),
    exclusionRate: new Float32Array(n),
    ofstedProgress: Uint8Array.from(s.ofstedProgress),
    ofstedBehaviour: Uint8Array.from(s.ofstedBehaviour),
    la: Int32Array.from(w.la),
    fragileShare: 0,
    meanOrganisations: 0,
  };
  const P = s.parts;
  const lag = s.p.effects.lagYears;
  for (let i = 0; i < n; i++) {
    a.attainmentCount[i] = s.attCount[i];
    a.behaviourCount[i] = s.behCount[i];
    a.inAttainment[i] = s.attCount[i] > 0 ? 1 : 0;
    a.inBehaviour[i] = s.behCount[i] > 0 ? 1 : 0;
    a.exclusionRate[i] = (s.fixedTerm[i] * s.spy * 100) / Math.max(1, w.pupils[i]);
    if (s.nSlots[i] === 0) a.notAnIssue[i] = s.needAtt[i] < s.p.need.notAnIssue ? 1 : 0;
    let best = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < s.nSlots[i]; k++) {
      const m = s.slots[i * s.slotW + k];
      const p = s.members.part[m];
      if (P.shares[p]) a.sharesAny[i] = 1;
      if (!(P.focus[p] & ATTAINMENT)) continue;
      const memberYears = (s.step - s.members.joined[m]) / s.spy;
      if (memberYears > a.attainmentYears[i]) a.attainmentYears[i] = memberYears;
      const age = s.ageYears(p);
      // Delivered so far per year (points) plus promise, judged with noise.
      const delivered = s.members.benefit[m] / Math.max(1, memberYears);
      const promise = P.trust[p] * (P.shares[p] ? 1.5 : 1) * (age < lag ? 0.6 : 1) * 0.1;
      const score = (delivered + promise) * fmath.exp(0.6 * rng.normal());
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
    if (best >= 0) {
      a.meAge[i] = s.ageYears(best);
      a.meSecondaries[i] = P.size[best];
      a.meOrganisations[i] = organisations(s, best);
      a.mePrimaries[i] = P.primaries[best] > 0 ? 1 : 0;
      a.meShares[i] = P.shares[best];
      a.meObjectives[i] = P.objectives[best] > 0 ? 1 : 0;
      a.meTrust[i] = P.trust[best];
    }
  }
  let alive = 0;
  let fragile = 0;
  let attParts = 0;
  let orgs = 0;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p]) continue;
    alive++;
    fragile += P.fragile[p];
    if (P.focus[p] & ATTAINMENT) {
      attParts++;
      orgs += organisations(s, p);
    }
  }
  a.fragileShare = alive > 0 ? fragile / alive : 0;
  a.meanOrganisations = attParts > 0 ? orgs / attParts : 0;
  return a;
}
