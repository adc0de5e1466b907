/**
 * The calibration targets (scenarios/calibration/targets.yaml, from NAO, Partnering
 * for school improvement, 2009) and how the model measures each one the way the
 * survey did: over secondary schools at the survey date, asking each about its
 * partnerships and its most effective one (sim/survey.ts).
 *
 * Each target has a kind: `fitted` (used by the fit, enters J), `input` (a parameter
 * was set directly from the figure, so reproducing it is no evidence), or `check`
 * (used neither by the fit nor to set a parameter: an out-of-sample test).
 *
 * Sampling error of a survey moment. The report's figures come from a survey of 398
 * schools out of about 3,300, so each has a sampling error; the fit weights each
 * moment by the inverse of that error's variance (plus the simulation's own), which
 * is estimated from the simulated schools. Every school-level moment is a ratio
 * R = Σy/Σx over schools (a share: x = 1; a share of a subgroup: x = membership), so
 * in a simple random sample of n schools from N its variance is, to first order
 * (Cochran 1977, Sampling Techniques, 3rd ed., §6.4),
 *     Var(R̂) ≈ (1 − n/N)/n · S²(z),   z_i = (y_i − R x_i) / x̄,
 * and the covariance of two moments is the same with the two z's. Two figures are
 * not school-level in the model (the share of partnerships that are fragile and
 * member organisations per partnership); they get the variance of a mean over the
 * sampled schools that answer (binomial for the share; the most effective
 * partnership's member count for the other) and no covariance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../../sim/errors.js';
import type { SurveyAnswers } from '../../sim/survey.js';
import { builtinDir } from '../../scenarios/yaml-path.js';

export type TargetKind = 'fitted' | 'input' | 'check';
export const TARGET_KINDS: readonly TargetKind[] = ['fitted', 'input', 'check'];

export interface Target {
  id: string;
  kind: TargetKind;
  description: string;
  value: number;
  tolerance: number;
  source: string;
  measure: string;
  /** `atLeast` / `atMost`: the report gives a bound or a direction only. Default: equal. */
  bound?: 'equal' | 'atLeast' | 'atMost';
  /** For a fitted target that is a linear function of other fitted ones: the formula; it stays out of J. */
  dependent?: string;
  /** For an input: the parameters set directly from the figure. */
  setBy?: string[];
}

/** The schools the NAO surveyed and the secondaries in England then (MODEL.md). */
export const SURVEY_SCHOOLS = 398;
export const ENGLAND_SCHOOLS = 3300;

/** Where the shipped targets live. */
export function targetsFile(): string {
  return join(builtinDir(), 'calibration', 'targets.yaml');
}

/** The shipped targets, validated. */
export function loadTargets(file = targetsFile()): Target[] {
  const doc = parse(readFileSync(file, 'utf8')) as { targets?: unknown };
  if (!Array.isArray(doc?.targets)) throw InputError.at(file, 'targets', 'expected a list of targets');
  const seen = new Set<string>();
  return doc.targets.map((raw, i) => {
    const t = raw as Target;
    const at = (f: string): string => `targets[${i}]${f ? '.' + f : ''}`;
    if (typeof t.id !== 'string' || t.id === '') throw InputError.at(file, at('id'), 'expected a target id');
    if (seen.has(t.id)) throw InputError.at(file, at('id'), `duplicate target id '${t.id}'`);
    seen.add(t.id);
    if (!TARGET_KINDS.includes(t.kind)) throw InputError.at(file, at('kind'), `expected one of ${TARGET_KINDS.join(', ')}, got ${JSON.stringify(t.kind)}`);
    if (typeof t.value !== 'number' || !Number.isFinite(t.value)) throw InputError.at(file, at('value'), 'expected a number');
    if (typeof t.tolerance !== 'number' || !(t.tolerance >= 0)) throw InputError.at(file, at('tolerance'), 'expected a non-negative number');
    if (t.bound !== undefined && !['equal', 'atLeast', 'atMost'].includes(t.bound)) throw InputError.at(file, at('bound'), 'expected equal, atLeast or atMost');
    if (t.kind === 'fitted' && (t.bound ?? 'equal') !== 'equal') throw InputError.at(file, at('bound'), 'a fitted target must be an equality (a bound cannot enter J)');
    if (t.kind === 'fitted' && !(t.tolerance > 0)) throw InputError.at(file, at('tolerance'), 'a fitted target needs a positive tolerance');
    if (t.kind === 'input' && (!Array.isArray(t.setBy) || t.setBy.length === 0)) throw InputError.at(file, at('setBy'), 'an input target must name the parameters set from it');
    if (t.dependent !== undefined && t.kind !== 'fitted') throw InputError.at(file, at('dependent'), 'only a fitted target can be marked dependent');
    return { ...t, source: String(t.source), bound: t.bound ?? 'equal' };
  });
}

/** The fitted targets that enter J (fitted and not a linear function of the others). */
export function momentsInJ(targets: Target[]): Target[] {
  return targets.filter((t) => t.kind === 'fitted' && t.dependent === undefined);
}

/** Is a simulated value within a target's tolerance (or on the right side of its bound)? */
export function within(t: Target, simulated: number): boolean {
  if (!Number.isFinite(simulated)) return false;
  if (t.bound === 'atLeast') return simulated >= t.value - t.tolerance;
  if (t.bound === 'atMost') return simulated <= t.value + t.tolerance;
  return Math.abs(simulated - t.value) <= t.tolerance;
}

/** Per-school indicators of the survey answers. */
function perSchool(a: SurveyAnswers) {
  const n = a.n;
  const att = new Float64Array(n);
  const beh = new Float64Array(n);
  const both = new Float64Array(n);
  const neither = new Float64Array(n);
  const any = new Float64Array(n);
  const attCount = new Float64Array(n);
  const answered = new Float64Array(n);
  const small = new Float64Array(n);
  const large = new Float64Array(n);
  const old = new Float64Array(n);
  const young = new Float64Array(n);
  const prim = new Float64Array(n);
  const orgs = new Float64Array(n);
  const nonPartnering = new Float64Array(n);
  const notIssue = new Float64Array(n);
  const behInadequate = new Float64Array(n);
  const behSatisfactory = new Float64Array(n);
  const fsm = new Float64Array(n);
  const attainment = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ia = a.inAttainment[i];
    const ib = a.inBehaviour[i];
    att[i] = ia;
    beh[i] = ib;
    both[i] = ia & ib;
    neither[i] = !ia && !ib ? 1 : 0;
    const none = a.attainmentCount[i] === 0 && a.behaviourCount[i] === 0;
    any[i] = none ? 0 : 1;
    attCount[i] = ia ? a.attainmentCount[i] : 0;
    if (none) {
      nonPartnering[i] = 1;
      notIssue[i] = a.notAnIssue[i];
    }
    if (!Number.isNaN(a.meAge[i])) {
      answered[i] = 1;
      small[i] = a.meSecondaries[i] <= 5 ? 1 : 0;
      large[i] = a.meSecondaries[i] >= 10 ? 1 : 0;
      old[i] = a.meAge[i] >= 5 ? 1 : 0;
      young[i] = a.meAge[i] < 1 ? 1 : 0;
      prim[i] = a.mePrimaries[i];
      orgs[i] = a.meOrganisations[i];
    }
    behInadequate[i] = a.ofstedBehaviour[i] === 4 ? 1 : 0;
    behSatisfactory[i] = a.ofstedBehaviour[i] === 3 ? 1 : 0;
    fsm[i] = a.fsm[i];
    attainment[i] = a.attainment[i];
  }
  return { n, att, beh, both, neither, any, attCount, answered, small, large, old, young, prim, orgs, nonPartnering, notIssue, behInadequate, behSatisfactory, fsm, attainment };
}

const sum = (v: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
};

/** A ratio Σy/Σx over schools and its influence z_i = (y_i − R x_i)/x̄ (NaN ratio when Σx = 0). */
function ratio(y: Float64Array, x: Float64Array | null): { value: number; z: Float64Array } {
  const n = y.length;
  const sx = x ? sum(x) : n;
  const value = sx > 0 ? sum(y) / sx : NaN;
  const xbar = sx / n;
  const z = new Float64Array(n);
  if (sx > 0) for (let i = 0; i < n; i++) z[i] = (y[i] - value * (x ? x[i] : 1)) / xbar;
  return { value, z };
}

/** The difference of two subgroup means of v (group 1 minus group 0) and its influence. */
function gap(v: Float64Array, g: Float64Array): { value: number; z: Float64Array } {
  const n = v.length;
  const not = new Float64Array(n);
  const y1 = new Float64Array(n);
  const y0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    not[i] = 1 - g[i];
    y1[i] = g[i] * v[i];
    y0[i] = not[i] * v[i];
  }
  const a = ratio(y1, g);
  const b = ratio(y0, not);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = a.z[i] - b.z[i];
  return { value: a.value - b.value, z };
}

/** Simulated survey moments of one replication, with what is needed for their sampling covariance. */
export interface SurveyMoments {
  /** Target id -> value. */
  values: Record<string, number>;
  /** Target id -> per-school influence values (school-level moments). */
  influence: Record<string, Float64Array>;
  /** Target id -> sampling variance in a 398-school survey, for moments with no influence values. */
  variance: Record<string, number>;
}

/** Survey-based moments from one replication's answers at the survey date. */
export function surveyMoments(a: SurveyAnswers, fundingIntent: number[]): SurveyMoments {
  const s = perSchool(a);
  const r: Record<string, { value: number; z: Float64Array }> = {
    attainment_partnering: ratio(s.att, null),
    behaviour_partnering: ratio(s.beh, null),
    both: ratio(s.both, null),
    neither: ratio(s.neither, null),
    attainment_per_partnering_school: ratio(s.attCount, s.att),
    most_effective_small: ratio(s.small, s.answered),
    most_effective_large: ratio(s.large, s.answered),
    most_effective_old: ratio(s.old, s.answered),
    most_effective_new: ratio(s.young, s.answered),
    most_effective_primaries: ratio(s.prim, s.answered),
    not_an_issue: ratio(s.notIssue, s.nonPartnering),
    behaviour_inadequate: ratio(s.behInadequate, null),
    behaviour_satisfactory: ratio(s.behSatisfactory, null),
    partnering_fsm_gap: gap(s.fsm, s.any),
    partnering_attainment_gap: gap(s.attainment, s.any),
  };
  const values: Record<string, number> = {};
  const influence: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(r)) {
    values[k] = v.value;
    influence[k] = v.z;
  }
  const ends = fundingIntent.reduce((x, y) => x + y, 0);
  const share = (x: number, d: number): number => (d > 0 ? x / d : NaN);
  values.funding_continue = share(fundingIntent[0], ends);
  values.funding_seek = share(fundingIntent[1], ends);
  values.funding_end = share(fundingIntent[2], ends);
  values.fragile = a.fragileShare;
  values.organisations_per_partnership = a.meanOrganisations;
  // Partnership-level figures: schools answering in a 398-school survey.
  const f = 1 - SURVEY_SCHOOLS / ENGLAND_SCHOOLS;
  const anyShare = sum(s.any) / s.n;
  const answeredShare = sum(s.answered) / s.n;
  const variance: Record<string, number> = {
    fragile: (f * a.fragileShare * (1 - a.fragileShare)) / Math.max(1, SURVEY_SCHOOLS * anyShare),
    organisations_per_partnership: (f * sampleVariance(s.orgs, s.answered)) / Math.max(1, SURVEY_SCHOOLS * answeredShare),
  };
  return { values, influence, variance };
}

/** Variance of v over the schools where `mask` is 1. */
function sampleVariance(v: Float64Array, mask: Float64Array): number {
  let n = 0;
  let m = 0;
  let q = 0;
  for (let i = 0; i < v.length; i++) {
    if (!mask[i]) continue;
    n++;
    const d = v[i] - m;
    m += d / n;
    q += d * (v[i] - m);
  }
  return n > 1 ? q / (n - 1) : 0;
}

/**
 * Sampling covariance of the given moments in a survey of 398 of England's 3,300
 * schools (see the module comment): (1 − n/N)/n · Cov(z_j, z_k), where Cov is over
 * the simulated schools; moments without influence values get their own variance
 * and no covariance.
 */
export function samplingCovariance(m: SurveyMoments, ids: string[]): number[][] {
  const f = (1 - SURVEY_SCHOOLS / ENGLAND_SCHOOLS) / SURVEY_SCHOOLS;
  return ids.map((a) =>
    ids.map((b) => {
      const za = m.influence[a];
      const zb = m.influence[b];
      if (za && zb) {
        const n = za.length;
        let ma = 0;
        let mb = 0;
        for (let i = 0; i < n; i++) {
          ma += za[i];
          mb += zb[i];
        }
        ma /= n;
        mb /= n;
        let c = 0;
        for (let i = 0; i < n; i++) c += (za[i] - ma) * (zb[i] - mb);
        return n > 1 ? (f * c) / (n - 1) : NaN;
      }
      if (a === b) return m.variance[a] ?? NaN;
      return 0;
    }),
  );
}

/** Fall in a yearly metric in the protocol's first year against the year before (yearly means, metric index given). */
export function protocolFall(yearly: number[], metrics: number, index: number, firstYearIndex: number): number {
  const before = yearly[(firstYearIndex - 1) * metrics + index];
  const after = yearly[firstYearIndex * metrics + index];
  return before > 0 ? 1 - after / before : NaN;
}
