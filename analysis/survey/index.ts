/**
 * The virtual NAO survey: draw 398 secondary schools at the survey date as the NAO
 * did (about 1 in 8; here stratified by FSM quartile with proportional allocation),
 * take their answers, and run the NAO's own analyses (NAO [3.6-3.9, Figure 3]):
 *  - partnering vs non-partnering schools compared on FSM share, CVA above
 *    expectation, Ofsted outstanding for progress and for behaviour;
 *  - among partnering schools, regressions of five outcomes (CVA, attainment trend,
 *    Ofsted progress grade, exclusion rate, Ofsted behaviour grade) on partnership
 *    features (years in an attainment partnership, being in a behaviour partnership,
 *    sharing resources, size) plus attendance, deprivation (FSM) and SEN; OLS, or a
 *    proportional-odds model for the grades.
 * Beside each estimate goes the model's true causal effect: the same schools'
 * outcomes under no-partnering, with common random numbers, so tau_i = Y_i(baseline)
 * - Y_i(no partnering); the truth for a regression coefficient is the coefficient of
 * the same regression of tau on the same features over all partnering schools. The
 * truth is an OLS coefficient, so it is set beside OLS estimates only: for the Ofsted
 * grades an OLS of the grade number runs beside the NAO's proportional-odds model
 * (whose log-odds coefficients are on another scale and get no truth).
 * Standard errors: classical, HC1 and clustered by local authority; significance (p)
 * uses the clustered ones, since sampled schools in one LA are not independent.
 */
import type { Rng } from '../../sim/rng.js';
import type { SurveyAnswers } from '../../sim/survey.js';
import { ols } from '../regression/ols.js';
import { ordinalLogit } from '../regression/ordinal.js';

/** The NAO's sample: 398 of about 3,300 secondary schools. */
export const NAO_SAMPLE = 398;
export const NAO_POPULATION = 3300;

/** Stratified random sample (FSM quartiles, proportional allocation, largest remainder) of `size` schools. */
export function drawSample(a: SurveyAnswers, size: number, rng: Rng): Int32Array {
  const n = a.n;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a.fsm[x] - a.fsm[y] || x - y);
  const strata: number[][] = [[], [], [], []];
  order.forEach((i, r) => strata[Math.min(3, Math.floor((r * 4) / n))].push(i));
  const take = Math.min(size, n);
  const exact = strata.map((s) => (take * s.length) / n);
  const alloc = exact.map(Math.floor);
  let left = take - alloc.reduce((x, y) => x + y, 0);
  const byRemainder = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [, k] of byRemainder) if (left-- > 0) alloc[k]++;
  const out: number[] = [];
  strata.forEach((s, k) => {
    const pool = s.slice();
    for (let j = 0; j < alloc[k]; j++) {
      const r = j + rng.int(pool.length - j);
      [pool[j], pool[r]] = [pool[r], pool[j]];
      out.push(pool[j]);
    }
  });
  return Int32Array.from(out.sort((x, y) => x - y));
}

export interface Comparison {
  measure: string;
  partnering: number;
  nonPartnering: number;
  difference: number;
  /** The true effect of partnering on this measure among the partnering schools (ATT). */
  trueEffect: number | null;
}

export interface Coefficient {
  name: string;
  estimate: number;
  /** Classical (model-based) standard error. */
  se: number;
  /** HC1 heteroskedasticity-robust standard error. */
  seHC1: number;
  /** Standard error clustered by local authority (schools in one LA share its shocks and partnerships). */
  seCluster: number;
  /** Two-sided p from the LA-clustered error (Student's t with LAs − 1 df): the one used for significance. */
  p: number;
  /** Two-sided p from the classical error. */
  pClassical: number;
  /** Two-sided p from the HC1 error. */
  pHC1: number;
  /** The same coefficient in the regression of the true effect tau on the same features (all partnering schools). */
  trueEffect: number | null;
}

export interface RegressionTable {
  outcome: string;
  model: 'ols' | 'ordinal logit' | 'ols (grade as number)';
  n: number;
  /** Local authorities the sampled schools fall in (the clusters of seCluster). */
  clusters: number;
  coefficients: Coefficient[];
  error?: string;
  note?: string;
}

export interface SurveyResult {
  sampled: number;
  partnering: number;
  comparisons: Comparison[];
  regressions: RegressionTable[];
}

const partnering = (a: SurveyAnswers, i: number): boolean => a.attainmentCount[i] + a.behaviourCount[i] > 0;

const FEATURES = ['years in attainment partnership', 'in behaviour partnership', 'shares resources', 'partnership size (secondaries)', 'attendance', 'FSM share', 'SEN share'];

function features(a: SurveyAnswers, i: number): number[] {
  // Sharing as the NAO asked it: about the most effective attainment partnership [2.15].
  return [a.attainmentYears[i], a.inBehaviour[i], a.meShares[i], Number.isNaN(a.meSecondaries[i]) ? 0 : a.meSecondaries[i], a.attendance[i], a.fsm[i], a.sen[i]];
}

interface OutcomeDef {
  name: string;
  kind: 'ols' | 'ordinal';
  value: (a: SurveyAnswers, i: number) => number;
}

const OUTCOMES: OutcomeDef[] = [
  { name: 'CVA', kind: 'ols', value: (a, i) => a.cva[i] },
  { name: 'attainment trend', kind: 'ols', value: (a, i) => a.trend[i] },
  { name: 'Ofsted progress grade (1 outstanding - 4 inadequate)', kind: 'ordinal', value: (a, i) => a.ofstedProgress[i] },
  { name: 'fixed-term exclusion rate', kind: 'ols', value: (a, i) => a.exclusionRate[i] },
  { name: 'Ofsted behaviour grade (1 outstanding - 4 inadequate)', kind: 'ordinal', value: (a, i) => a.ofstedBehaviour[i] },
];

/** Analyse one replication's survey: `base` answers under the baseline, `none` under no-partnering (same schools). */
export function analyseSurvey(base: SurveyAnswers, none: SurveyAnswers, sample: Int32Array): SurveyResult {
  const inS = sample;
  const part = Array.from(inS).filter((i) => partnering(base, i));
  const non = Array.from(inS).filter((i) => !partnering(base, i));
  const allPart: number[] = [];
  for (let i = 0; i < base.n; i++) if (partnering(base, i)) allPart.push(i);
  const mean = (idx: number[], f: (i: number) => number): number => (idx.length ? idx.reduce((s, i) => s + f(i), 0) / idx.length : NaN);
  const cmp = (measure: string, f: (a: SurveyAnswers, i: number) => number, causal: boolean): Comparison => {
    const p = mean(part, (i) => f(base, i));
    const q = mean(non, (i) => f(base, i));
    return { measure, partnering: p, nonPartnering: q, difference: p - q, trueEffect: causal ? mean(allPart, (i) => f(base, i) - f(none, i)) : null };
  };
  const comparisons = [
    cmp('FSM share', (a, i) => a.fsm[i], false),
    cmp('CVA above expectation (share)', (a, i) => (a.cva[i] > 1000 ? 1 : 0), true),
    cmp('Ofsted outstanding for progress (share)', (a, i) => (a.ofstedProgress[i] === 1 ? 1 : 0), true),
    cmp('Ofsted outstanding for behaviour (share)', (a, i) => (a.ofstedBehaviour[i] === 1 ? 1 : 0), true),
  ];
  // Regressions among sampled schools in an attainment partnership (so size is defined), as the NAO did among partnering schools.
  const rows = part.filter((i) => base.inAttainment[i]);
  const truthRows = allPart.filter((i) => base.inAttainment[i]);
  const regressions = OUTCOMES.flatMap((o) => regress(o, base, none, rows, truthRows));
  return { sampled: inS.length, partnering: part.length, comparisons, regressions };
}

function regress(o: OutcomeDef, base: SurveyAnswers, none: SurveyAnswers, rows: number[], truthRows: number[]): RegressionTable[] {
  const X = rows.map((i) => features(base, i));
  const y = rows.map((i) => o.value(base, i));
  const clusters = rows.map((i) => base.la[i]);
  const nClusters = new Set(clusters).size;
  // Truth: regress tau_i = Y_i(baseline) - Y_i(no partnering) on the same features (OLS; grades as numbers).
  let truth: number[] | null = null;
  try {
    const t = ols(
      truthRows.map((i) => features(base, i)),
      truthRows.map((i) => o.value(base, i) - o.value(none, i)),
      FEATURES,
      { intercept: true },
    );
    truth = FEATURES.map((f) => t.coefficients.find((c) => c.name === f)!.estimate);
  } catch {
    truth = null;
  }
  const olsTable = (model: RegressionTable['model'], note?: string): RegressionTable => {
    try {
      const r = ols(X, y, FEATURES, { intercept: true, clusters });
      return {
        outcome: o.name,
        model,
        n: r.n,
        clusters: nClusters,
        ...(note ? { note } : {}),
        coefficients: r.coefficients
          .filter((c) => c.name !== '(Intercept)')
          .map((c, k) => ({ name: c.name, estimate: c.estimate, se: c.se, seHC1: c.seHC1, seCluster: c.seCluster, p: c.pCluster, pClassical: c.p, pHC1: c.pHC1, trueEffect: truth ? truth[k] : null })),
      };
    } catch (e) {
      return { outcome: o.name, model, n: rows.length, clusters: nClusters, coefficients: [], error: (e as Error).message };
    }
  };
  if (o.kind === 'ols') return [olsTable('ols')];
  let logit: RegressionTable;
  try {
    const r = ordinalLogit(X, y, FEATURES, { levels: [1, 2, 3, 4], clusters });
    logit = {
      outcome: o.name,
      model: 'ordinal logit',
      n: r.n,
      clusters: nClusters,
      note: 'Proportional odds, logit P(grade <= j) = theta_j - x.beta: a positive coefficient means worse grades. Log-odds are not on the scale of the true effect (a change in grade number); see the OLS of the grade number for that comparison.',
      coefficients: r.coefficients.map((c) => ({ name: c.name, estimate: c.estimate, se: c.se, seHC1: c.seHC1, seCluster: c.seCluster, p: c.pCluster, pClassical: c.p, pHC1: c.pHC1, trueEffect: null })),
    };
  } catch (e) {
    logit = { outcome: o.name, model: 'ordinal logit', n: rows.length, clusters: nClusters, coefficients: [], error: (e as Error).message };
  }
  return [logit, olsTable('ols (grade as number)', 'OLS of the grade number (1 outstanding - 4 inadequate), on the same scale as the true effect.')];
}
