/**
 * The calibration targets (scenarios/calibration/targets.yaml, from NAO, Partnering
 * for school improvement, 2009) and how the model measures each one the way the
 * survey did: over secondary schools at the survey date, asking each about its
 * partnerships and its most effective one (sim/survey.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { SurveyAnswers } from '../../sim/survey.js';
import { builtinDir } from '../../scenarios/yaml-path.js';

export interface Target {
  id: string;
  description: string;
  value: number;
  tolerance: number;
  source: string;
  measure: string;
  /** `atLeast`: the report gives a lower bound. */
  kind?: 'equal' | 'atLeast';
}

/** The shipped targets. */
export function loadTargets(): Target[] {
  const doc = parse(readFileSync(join(builtinDir(), 'calibration', 'targets.yaml'), 'utf8')) as { targets: Target[] };
  return doc.targets;
}

/** Is a simulated value within a target's tolerance? */
export function within(t: Target, simulated: number): boolean {
  if (t.kind === 'atLeast') return simulated >= t.value - t.tolerance;
  return Math.abs(simulated - t.value) <= t.tolerance;
}

/** Survey-based moments from one replication's answers at the survey date. */
export function surveyMoments(a: SurveyAnswers, fundingIntent: number[]): Record<string, number> {
  let att = 0;
  let beh = 0;
  let both = 0;
  let neither = 0;
  let attCount = 0;
  let small = 0;
  let large = 0;
  let old = 0;
  let young = 0;
  let prim = 0;
  let answered = 0;
  let nonPartnering = 0;
  let notIssue = 0;
  for (let i = 0; i < a.n; i++) {
    const ia = a.inAttainment[i];
    const ib = a.inBehaviour[i];
    att += ia;
    beh += ib;
    both += ia & ib;
    if (!ia && !ib) neither++;
    if (ia) attCount += a.attainmentCount[i];
    if (a.attainmentCount[i] === 0 && a.behaviourCount[i] === 0) {
      nonPartnering++;
      notIssue += a.notAnIssue[i];
    }
    if (!Number.isNaN(a.meAge[i])) {
      answered++;
      if (a.meSecondaries[i] <= 5) small++;
      if (a.meSecondaries[i] >= 10) large++;
      if (a.meAge[i] >= 5) old++;
      if (a.meAge[i] < 1) young++;
      prim += a.mePrimaries[i];
    }
  }
  const n = a.n;
  const ends = fundingIntent.reduce((x, y) => x + y, 0);
  const share = (x: number, d: number): number => (d > 0 ? x / d : NaN);
  return {
    attainment_partnering: att / n,
    behaviour_partnering: beh / n,
    both: both / n,
    neither: neither / n,
    attainment_per_partnering_school: share(attCount, att),
    organisations_per_partnership: a.meanOrganisations,
    most_effective_small: share(small, answered),
    most_effective_large: share(large, answered),
    most_effective_old: share(old, answered),
    most_effective_new: share(young, answered),
    most_effective_primaries: share(prim, answered),
    funding_continue: share(fundingIntent[0], ends),
    funding_seek: share(fundingIntent[1], ends),
    funding_end: share(fundingIntent[2], ends),
    fragile: a.fragileShare,
    not_an_issue: share(notIssue, nonPartnering),
  };
}

/** Fall in days lost in the protocol's first year against the year before (yearly means, metric index given). */
export function protocolFall(yearly: number[], metrics: number, daysIndex: number, firstYearIndex: number): number {
  const before = yearly[(firstYearIndex - 1) * metrics + daysIndex];
  const after = yearly[firstYearIndex * metrics + daysIndex];
  return before > 0 ? 1 - after / before : NaN;
}
