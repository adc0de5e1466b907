/**
 * The report's Figure 3 as checkable expectations: among partnering schools, which
 * features went with better outcomes (NAO [Figure 3, 3.9, 2.9]):
 *  - attainment outcomes (CVA, attainment trend, Ofsted progress grade): better with
 *    longer time in an attainment partnership, with sharing resources and with being in
 *    a behaviour partnership;
 *  - behaviour outcomes (fixed-term exclusion rate, Ofsted behaviour grade): better with
 *    sharing resources and with the attainment partnership's duration;
 *  - attendance predicted all five outcomes (better with higher attendance);
 *  - partnership size showed no link.
 * "Better" is higher CVA and trend, and lower exclusion rates and grade numbers (grade 1
 * is outstanding); in the proportional-odds models a positive coefficient means worse
 * grades, so better is a negative coefficient there. A replication matches a signed
 * expectation when its estimate points the better way; it matches "no link" when the
 * estimate is not significant at 5%. The virtual survey reports, per coefficient, the
 * share of replications that match.
 */
import type { SurveyResult } from './index.js';

export type ReportSign = 'better' | 'no link';

export interface Figure3Expectation {
  /** Outcome name, as the survey's regressions name it. */
  outcome: string;
  /** Coefficient name, as the survey's regressions name it. */
  coefficient: string;
  sign: ReportSign;
  /** Which way the coefficient points when the outcome is better: +1 (higher is better) or -1. */
  better: 1 | -1;
}

const CVA = 'CVA';
const TREND = 'attainment trend';
const PROGRESS = 'Ofsted progress grade (1 outstanding - 4 inadequate)';
const EXCLUSIONS = 'fixed-term exclusion rate';
const BEHAVIOUR = 'Ofsted behaviour grade (1 outstanding - 4 inadequate)';

const YEARS = 'years in attainment partnership';
const IN_BEHAVIOUR = 'in behaviour partnership';
const SHARES = 'shares resources';
const SIZE = 'partnership size (secondaries)';
const ATTENDANCE = 'attendance';

/** Direction of "better" for each outcome's coefficients. */
const BETTER: Record<string, 1 | -1> = { [CVA]: 1, [TREND]: 1, [PROGRESS]: -1, [EXCLUSIONS]: -1, [BEHAVIOUR]: -1 };

/** The report's Figure 3 findings, one row per (outcome, coefficient). */
export const FIGURE3: Figure3Expectation[] = [
  ...[CVA, TREND, PROGRESS].flatMap((outcome) =>
    [YEARS, SHARES, IN_BEHAVIOUR].map((coefficient) => ({ outcome, coefficient, sign: 'better' as const, better: BETTER[outcome] })),
  ),
  ...[EXCLUSIONS, BEHAVIOUR].flatMap((outcome) => [SHARES, YEARS].map((coefficient) => ({ outcome, coefficient, sign: 'better' as const, better: BETTER[outcome] }))),
  ...[CVA, TREND, PROGRESS, EXCLUSIONS, BEHAVIOUR].map((outcome) => ({ outcome, coefficient: ATTENDANCE, sign: 'better' as const, better: BETTER[outcome] })),
  ...[CVA, TREND, PROGRESS, EXCLUSIONS, BEHAVIOUR].map((outcome) => ({ outcome, coefficient: SIZE, sign: 'no link' as const, better: BETTER[outcome] })),
];

/** Does one estimate match the expectation? null when the regression gave no estimate. */
export function matches(e: Figure3Expectation, estimate: number, p: number): boolean | null {
  if (!Number.isFinite(estimate)) return null;
  if (e.sign === 'no link') return Number.isFinite(p) ? p >= 0.05 : null;
  return Math.sign(estimate) === e.better;
}

export interface Figure3Row {
  outcome: string;
  coefficient: string;
  /** The report's finding: "better" (the feature went with better outcomes) or "no link". */
  reportSign: ReportSign;
  /** The sign of the coefficient that "better" means in this regression (+1 or -1). */
  expectedSign: 1 | -1 | 0;
  /** Share of replications whose estimate matches (of those where the regression ran). */
  matchShare: number;
  replications: number;
  /** Mean estimate over replications. */
  meanEstimate: number;
}

/** Per expectation, the share of replications whose survey reproduces the report's finding. */
export function figure3(results: SurveyResult[]): { rows: Figure3Row[]; matchedMajority: number; total: number } {
  const rows = FIGURE3.map((e) => {
    let n = 0;
    let hit = 0;
    let sum = 0;
    for (const r of results) {
      const table = r.regressions.find((t) => t.outcome === e.outcome);
      const c = table?.coefficients.find((x) => x.name === e.coefficient);
      if (!c) continue;
      const m = matches(e, c.estimate, c.p);
      if (m === null) continue;
      n++;
      sum += c.estimate;
      if (m) hit++;
    }
    return {
      outcome: e.outcome,
      coefficient: e.coefficient,
      reportSign: e.sign,
      expectedSign: e.sign === 'no link' ? (0 as const) : e.better,
      matchShare: n > 0 ? hit / n : NaN,
      replications: n,
      meanEstimate: n > 0 ? sum / n : NaN,
    };
  });
  return { rows, matchedMajority: rows.filter((r) => r.matchShare > 0.5).length, total: rows.length };
}

/**
 * The report's partnering vs non-partnering comparisons (NAO [3.6, 2.6, 14]): partnering
 * schools had more FSM pupils, lower attainment against expectation, fewer judged
 * outstanding for progress and more behaviour problems (fewer outstanding for behaviour).
 * `direction` is the sign of (partnering - non-partnering) the report found.
 */
export const COMPARISON_DIRECTIONS: { measure: string; direction: 1 | -1 }[] = [
  { measure: 'FSM share', direction: 1 },
  { measure: 'CVA above expectation (share)', direction: -1 },
  { measure: 'Ofsted outstanding for progress (share)', direction: -1 },
  { measure: 'Ofsted outstanding for behaviour (share)', direction: -1 },
];

export interface ComparisonRow {
  measure: string;
  reportDirection: 'partnering higher' | 'partnering lower';
  matchShare: number;
  replications: number;
}

/** Per comparison, the share of replications whose survey difference points the report's way. */
export function comparisonsMatch(results: SurveyResult[]): ComparisonRow[] {
  return COMPARISON_DIRECTIONS.map(({ measure, direction }) => {
    let n = 0;
    let hit = 0;
    for (const r of results) {
      const c = r.comparisons.find((x) => x.measure === measure);
      if (!c || !Number.isFinite(c.difference)) continue;
      n++;
      if (Math.sign(c.difference) === direction) hit++;
    }
    return { measure, reportDirection: direction > 0 ? 'partnering higher' : 'partnering lower', matchShare: n > 0 ? hit / n : NaN, replications: n };
  });
}
