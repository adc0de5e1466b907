/**
 * What the report draws for a robust run and a discovery (issue 15): the regret
 * of every policy in every future, and PRIM's trajectory, chosen box and cases.
 * Written into DIR/report-data.json as the `robust` and `discovery` sections;
 * non-finite numbers (a cost per point with no points gained) are left out, as
 * JSON cannot hold them.
 */
import type { Discovery } from './discover.js';
import type { PolicyValues, RobustSummary } from './metrics.js';
import { regretTable, higherIsBetter } from './metrics.js';

/** The robust section of report-data.json. */
export interface RobustReport {
  name: string;
  reference: string;
  policies: string[];
  outcomes: { id: string; label: string; unit: string; higherIsBetter: boolean }[];
  /** Regret of each policy in each future (finite only). */
  regret: { policy: string; outcome: string; future: number; regret: number }[];
  summary: { policy: string; outcome: string; regretMax: number | null; regretP90: number | null; bestShare: number | null; mean: number | null }[];
}

/** The discovery section of report-data.json. */
export interface DiscoveryReport {
  /** e.g. "funding-withdrawn: attainment_mean<0". */
  question: string;
  what: string;
  inputs: { name: string; min: number; max: number }[];
  trajectory: { step: number; coverage: number; density: number; mass: number; restricted: number }[];
  chosen: number;
  chosenBy: string;
  coverage: number;
  density: number;
  limits: { input: string; lower: number; upper: number; min: number; max: number; qp: number | null }[];
  /** The two inputs of the scatter (the two most restricted; the second may be unrestricted), and every case on them. */
  pair: { x: string; y: string } | null;
  cases: { x: number; y: number; interesting: boolean }[];
}

const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The robust section from the policy values and their summary. */
export function robustReport(pv: PolicyValues, s: RobustSummary): RobustReport {
  const regret: RobustReport['regret'] = [];
  pv.outcomes.forEach((o, oi) => {
    const table = regretTable(pv.values[oi], higherIsBetter(o));
    pv.policies.forEach((p, pi) =>
      table[pi].forEach((r, k) => {
        if (Number.isFinite(r)) regret.push({ policy: p, outcome: o, future: pv.futures[k], regret: r });
      }),
    );
  });
  return {
    name: s.experiment,
    reference: s.reference,
    policies: s.policies,
    outcomes: s.outcomes,
    regret,
    summary: s.rows.map((r) => ({ policy: r.policy, outcome: r.outcome, regretMax: fin(r.regretMax), regretP90: fin(r.regretP90), bestShare: fin(r.bestShare), mean: fin(r.mean) })),
  };
}

/** The discovery section from the first box PRIM found (null when it found none). */
export function discoveryReport(d: Discovery): DiscoveryReport | null {
  const box = d.prim.boxes[0];
  if (!box) return null;
  const qp = (l: (typeof box.limits)[number]): number | null => {
    const v = [l.qpLower, l.qpUpper].filter((x): x is number => x !== null);
    return v.length ? Math.max(...v) : null;
  };
  const restricted = box.limits.map((l) => l.input);
  const others = d.cases.inputs.filter((n) => !restricted.includes(n));
  const pairNames = [...restricted, ...others].slice(0, 2);
  const pair = pairNames.length === 2 ? { x: pairNames[0], y: pairNames[1] } : null;
  const col = (name: string): number[] => d.cases.x[d.cases.inputs.indexOf(name)];
  return {
    question: `${d.policy ? `${d.policy}: ` : ''}${d.where}`,
    what: d.what,
    inputs: d.cases.inputs.map((name, j) => ({ name, min: d.cases.bounds[j][0], max: d.cases.bounds[j][1] })),
    trajectory: box.trajectory.map((t) => ({ step: t.step, coverage: t.coverage, density: t.density, mass: t.mass, restricted: t.restricted })),
    chosen: box.chosen,
    chosenBy: box.chosenBy,
    coverage: box.coverage,
    density: box.density,
    limits: box.limits.map((l) => ({ input: l.input, lower: l.lower, upper: l.upper, min: l.min, max: l.max, qp: qp(l) })),
    pair,
    cases: pair ? col(pair.x).map((x, i) => ({ x, y: col(pair.y)[i], interesting: d.cases.interesting[i] === 1 })) : [],
  };
}
