/**
 * Scenario discovery over a results folder (issue 15): the cases PRIM works on,
 * from a robust run (one case per future: the uncertain parameters, and whether
 * the chosen policy's effect meets the `--where` condition there) or from any
 * sweep (one case per design point: the varied parameters, and whether the
 * point's mean outcome meets it). Pure: values come from the store's matrix.
 */
import { InputError } from '../../sim/errors.js';
import type { SweepPlan } from '../sweep/plan.js';
import { pointSummaries, type SweepMatrix } from '../sweep/summary.js';
import { variedParameters } from '../../scenarios/sweep-loader.js';
import { prim, type PrimOptions, type PrimResult } from '../prim/prim.js';
import { meets, thresholdText, type PolicyValues, type Threshold } from './metrics.js';
import type { RobustPlan } from './plan.js';

/** PRIM's cases: inputs, their ranges, each case's outcome value and label. */
export interface Cases {
  inputs: string[];
  bounds: [number, number][];
  /** x[j][i] */
  x: number[][];
  values: number[];
  interesting: number[];
  /** What the cases and values are, in words. */
  what: string;
}

/** Cases of a robust run: one per future with results for every policy. */
export function robustCases(plan: RobustPlan, pv: PolicyValues, policy: string, where: Threshold): Cases {
  const p = pv.policies.indexOf(policy);
  if (p < 0) {
    throw InputError.at(undefined, '--policy', `unknown policy '${policy}'; this experiment's policies are: ${pv.policies.join(', ')}`);
  }
  const o = pv.outcomes.indexOf(where.outcome);
  if (o < 0) throw InputError.at(undefined, '--where', `outcome '${where.outcome}' was not judged in this experiment; expected one of: ${pv.outcomes.join(', ')}`);
  const us = plan.spec.uncertainties;
  const values = pv.values[o][p];
  return {
    inputs: us.map((u) => u.path),
    bounds: us.map((u) => [u.range.min, u.range.max]),
    x: us.map((_, j) => pv.futures.map((f) => plan.futures[f].values[j])),
    values,
    interesting: values.map((v) => (meets(v, where) ? 1 : 0)),
    what: `futures in which ${policy}'s ${where.outcome === 'cost_per_point' ? 'cost per point gained (against no-partnering)' : `effect on ${where.outcome} (difference from ${plan.spec.reference}, same world and shocks)`} meets ${thresholdText(where)}`,
  };
}

/** Cases of a sweep: one per design point with a done run, valued at the point's mean over replications. */
export function sweepCases(plan: SweepPlan, m: SweepMatrix, where: Threshold): Cases {
  if (!m.outcomes.includes(where.outcome)) throw InputError.at(undefined, '--where', `outcome '${where.outcome}' is not kept by this sweep; expected one of: ${m.outcomes.join(', ')}`);
  const varied = variedParameters(plan.spec);
  if (varied.length === 0) throw new InputError('the sweep varies no parameter, so there is nothing to discover');
  const cols = varied.map((p) => plan.spec.parameters.indexOf(p));
  const rows = pointSummaries(plan, m).filter((s) => s.outcome === where.outcome);
  const num = (v: number | boolean): number => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
  return {
    inputs: varied.map((p) => p.path),
    bounds: varied.map((p) => {
      if (p.range) return [p.range.min, p.range.max];
      const lv = p.levels!.map(num);
      return [Math.min(...lv), Math.max(...lv)];
    }),
    x: cols.map((c) => rows.map((r) => num(plan.points[r.point].values[c]))),
    values: rows.map((r) => r.mean),
    interesting: rows.map((r) => (meets(r.mean, where) ? 1 : 0)),
    what: `design points whose mean ${where.outcome} over replications meets ${thresholdText(where)}`,
  };
}

/** A discovery: the question and what PRIM found. */
export interface Discovery {
  source: 'robust' | 'sweep';
  name: string;
  policy: string | null;
  where: string;
  what: string;
  cases: Cases;
  prim: PrimResult;
}

/** Run PRIM on the cases (the error says what to change when there is nothing to find). */
export function discover(source: Discovery['source'], name: string, policy: string | null, where: Threshold, cases: Cases, opts: PrimOptions = {}): Discovery {
  const n = cases.values.length;
  if (n < 2) throw new InputError(`only ${n} case(s) have results; PRIM needs more (finish the run, or merge every shard, first)`);
  return {
    source,
    name,
    policy,
    where: thresholdText(where),
    what: cases.what,
    cases,
    prim: prim({ names: cases.inputs, x: cases.x, y: cases.interesting, bounds: cases.bounds }, opts),
  };
}
