/**
 * Statistics over a sweep's results (issue 6): each design point's mean outcome
 * with a 95% interval across its replications (the report's `sweep.points`), and
 * the sensitivity indices its design allows: first-order and total Sobol indices
 * with bootstrap intervals from a Saltelli design, or Morris μ*, μ and σ from
 * trajectories. Estimators are analysis/sensitivity's; each design position's
 * output is the mean over the point's replications, so replication noise averages
 * down instead of masquerading as sensitivity (its remaining share is reported).
 * Pure: values come in as the plan-ordered matrix the store reads.
 */
import { InputError } from '../../sim/errors.js';
import { METRICS } from '../../sim/metrics.js';
import { morrisIndices } from '../sensitivity/morris.js';
import { sobolIndices } from '../sensitivity/sobol-indices.js';
import { studentTQuantile } from '../stats/distributions.js';
import type { SweepPlan } from './plan.js';

/** Results of a sweep folder as read by the store. */
export interface SweepMatrix {
  /** Kept outcome ids, in column order. */
  outcomes: string[];
  /** values[ordinal * K + j]; NaN where the run is not done. */
  values: Float64Array;
  /** done[ordinal] = 1 for done runs. */
  done: Uint8Array;
}

/** One point's summary for one outcome. */
export interface PointSummary {
  point: number;
  outcome: string;
  /** Replications done. */
  n: number;
  mean: number;
  /** 95% t interval for the mean across replications (low = high = mean with one replication). */
  low: number;
  high: number;
  /** Sample variance across replications (NaN with one). */
  variance: number;
}

/** Two-sided Student t critical value t_{1-α/2, df}. */
export function tCritical(df: number, level = 0.95): number {
  return studentTQuantile(1 - (1 - level) / 2, df);
}

/** Per point and outcome: replications done, mean, 95% interval, variance. Points with no done run are left out. */
export function pointSummaries(plan: SweepPlan, m: SweepMatrix): PointSummary[] {
  const k = m.outcomes.length;
  const byPoint: number[][] = plan.points.map(() => []);
  for (const r of plan.runs) if (m.done[r.ordinal]) byPoint[r.point].push(r.ordinal);
  const crit = new Map<number, number>();
  const out: PointSummary[] = [];
  for (const pt of plan.points) {
    const ords = byPoint[pt.index];
    const n = ords.length;
    if (n === 0) continue;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (const o of ords) s += m.values[o * k + j];
      const mean = s / n;
      let ss = 0;
      for (const o of ords) ss += (m.values[o * k + j] - mean) ** 2;
      const variance = n > 1 ? ss / (n - 1) : NaN;
      let half = 0;
      if (n > 1) {
        if (!crit.has(n)) crit.set(n, tCritical(n - 1));
        half = crit.get(n)! * Math.sqrt(variance / n);
      }
      out.push({ point: pt.index, outcome: m.outcomes[j], n, mean, low: mean - half, high: mean + half, variance });
    }
  }
  return out;
}

/** Sobol indices for one parameter. */
export interface SobolRow {
  parameter: string;
  S1: number;
  S1low: number;
  S1high: number;
  ST: number;
  STlow: number;
  SThigh: number;
}

/** Morris measures for one parameter (elementary effects per full swept range). */
export interface MorrisRow {
  parameter: string;
  muStar: number;
  mu: number;
  sigma: number;
}

/** Sensitivity of one outcome. */
export interface OutcomeSensitivity {
  outcome: string;
  label: string;
  unit: string;
  /** Mean and variance of the outcome over the design (point means). */
  mean: number;
  variance: number;
  /**
   * Share of that variance that is replication noise left in the point means
   * (mean within-point variance / replications / variance); NaN with one replication.
   */
  noiseShare: number;
  /** Sobol: independent scrambled replicates behind the intervals. */
  replicates?: number;
  /** Sobol: whether S1 and ST were corrected for replication noise (needs 2 or more replications). */
  noiseCorrected?: boolean;
  sobol?: SobolRow[];
  morris?: MorrisRow[];
}

/** Sensitivity of every kept outcome to the swept parameters. */
export interface SensitivityReport {
  sweep: string;
  design: SweepPlan['spec']['design'];
  method: string;
  parameters: string[];
  replications: number;
  points: number;
  runs: number;
  outcomes: OutcomeSensitivity[];
}

/**
 * Sensitivity indices from a complete sweep with a sobol or morris design.
 *
 * @throws InputError when the design allows none (grid, lhs) or runs are missing.
 */
export function sensitivity(plan: SweepPlan, m: SweepMatrix): SensitivityReport {
  const design = plan.design;
  if (design.type !== 'sobol' && design.type !== 'morris') {
    throw new InputError(`sensitivity indices need a sobol or morris design; this sweep's design is ${design.type} (see docs/sweeps.md)`);
  }
  let missing = 0;
  for (let o = 0; o < plan.runs.length; o++) if (!m.done[o]) missing++;
  if (missing > 0) {
    throw new InputError(`the sweep is incomplete: ${missing} of ${plan.runs.length} runs have no results; finish it with \`partnersim sweep SPEC --out DIR --resume\` (or merge every shard) first`);
  }
  const k = m.outcomes.length;
  const R = plan.spec.replications;
  const names = design.columns.map((c) => plan.spec.parameters[c].path);
  const summaries = pointSummaries(plan, m);
  const meanOf = new Float64Array(plan.points.length * k);
  const varOf = new Float64Array(plan.points.length * k);
  for (const s of summaries) {
    const j = m.outcomes.indexOf(s.outcome);
    meanOf[s.point * k + j] = s.mean;
    varOf[s.point * k + j] = s.variance;
  }
  const outcomes: OutcomeSensitivity[] = m.outcomes.map((id, j) => {
    const meta = METRICS.find((x) => x.id === id);
    const y = plan.positions.map((p) => meanOf[p * k + j]);
    let mu = 0;
    for (const v of y) mu += v;
    mu /= y.length;
    let v2 = 0;
    for (const v of y) v2 += (v - mu) ** 2;
    const variance = v2 / y.length;
    let within = 0;
    for (let p = 0; p < plan.points.length; p++) within += varOf[p * k + j];
    const noiseShare = R > 1 && variance > 0 ? within / plan.points.length / R / variance : NaN;
    const row: OutcomeSensitivity = { outcome: id, label: meta?.label ?? id, unit: meta?.unit ?? '', mean: mu, variance, noiseShare };
    if (design.type === 'sobol') {
      // Each design position's noise variance: its point's within-point variance / replications.
      const noiseVariance = R > 1 ? plan.positions.map((p) => varOf[p * k + j] / R) : undefined;
      const res = sobolIndices(design.saltelli, y, { noiseVariance });
      row.replicates = res.replicates;
      row.noiseCorrected = noiseVariance !== undefined;
      row.sobol = res.parameters.map((p) => ({
        parameter: names[p.parameter],
        S1: p.S1,
        S1low: p.S1Interval[0],
        S1high: p.S1Interval[1],
        ST: p.ST,
        STlow: p.STInterval[0],
        SThigh: p.STInterval[1],
      }));
    } else {
      row.morris = morrisIndices(design.morris, y).map((p) => ({ parameter: names[p.parameter], muStar: p.muStar, mu: p.mu, sigma: p.sigma }));
    }
    return row;
  });
  const method =
    design.type === 'sobol'
      ? `Sobol indices from a Saltelli design (n = ${design.saltelli.baseRows} base rows in ${design.saltelli.replicates} independently scrambled Sobol' replicates): first order after Saltelli et al. (2010), total after Jansen (1999), each corrected for replication noise (within-point variance / replications subtracted from the variance and the Jansen sum${R > 1 ? '' : '; not possible with one replication'}); 95% t intervals from the delete-one-replicate jackknife over the ${design.saltelli.replicates} replicates`
      : `Morris elementary effects (${design.morris.trajectories} trajectories, ${design.morris.levels} levels; Morris 1991, μ* after Campolongo et al. 2007), in outcome units per full swept range of each parameter`;
  return {
    sweep: plan.spec.name,
    design: plan.spec.design,
    method,
    parameters: names,
    replications: R,
    points: plan.points.length,
    runs: plan.runs.length,
    outcomes,
  };
}

/** The swept parameters as the report lists them: name and the span of values used. */
export function reportParameters(plan: SweepPlan): { name: string; min: number; max: number }[] {
  return plan.spec.parameters.map((p) => {
    if (p.range) return { name: p.path, min: p.range.min, max: p.range.max };
    const nums = p.levels!.map(Number);
    return { name: p.path, min: Math.min(...nums), max: Math.max(...nums) };
  });
}

/**
 * The report's data for a sweep (analysis/report/data.ts, kind 'sweep'): the swept
 * parameters, every point's mean and 95% interval per outcome, and Sobol indices
 * when the design gives them (finite ones only).
 */
export function sweepReportData(
  plan: SweepPlan,
  m: SweepMatrix,
  manifest: Record<string, unknown>,
  base: { name: string; description: string },
  sens?: SensitivityReport,
): Record<string, unknown> {
  const points = pointSummaries(plan, m).map((s) => ({
    point: s.point,
    params: Object.fromEntries(plan.spec.parameters.map((p, i) => [p.path, Number(plan.points[s.point].values[i])])),
    outcome: s.outcome,
    mean: s.mean,
    low: s.low,
    high: s.high,
  }));
  const sobol = sens?.outcomes.flatMap((o) =>
    (o.sobol ?? []).filter((r) => [r.S1, r.S1low, r.S1high, r.ST, r.STlow, r.SThigh].every(Number.isFinite)).map((r) => ({ outcome: o.outcome, ...r })),
  );
  return {
    kind: 'sweep',
    title: `partnersim sweep: ${plan.spec.name}`,
    manifest,
    baseline: null,
    scenarios: [{ name: base.name, description: base.description }],
    outcomes: METRICS.filter((x) => m.outcomes.includes(x.id)),
    replications: [],
    differences: [],
    timeseries: [],
    network: [],
    partnerships: [],
    fsmBands: [],
    costEffect: [],
    sweep: {
      parameters: reportParameters(plan),
      points: points.filter((p) => [p.mean, p.low, p.high].every(Number.isFinite)),
      ...(sobol ? { sobol } : {}),
    },
  };
}
