/**
 * Chart 11 (sweeps) — Sobol sensitivity indices: for each outcome, each
 * parameter's first-order index (its effect alone) and total index (including
 * interactions) as bars with 95% intervals; the two indices are separate
 * columns, so nothing depends on colour.
 * Workshop question: "Which settings matter most for each outcome?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, distinct, measureHeading, round, topLevel } from './common.js';

const NAME = 'sweep-sobol';
const TITLE = 'Which swept parameters explain most of the variation in each outcome (Sobol indices).';

/** Build the Sobol index bars (chart 11). */
export function buildSweepSobol(data: ReportData): ChartResult {
  const sobol = data.sweep?.sobol ?? [];
  if (sobol.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no Sobol sensitivity indices (not a sweep, or the sweep design did not allow them).' };
  }
  const outcomes = distinct(sobol.map((s) => s.outcome));
  const headings = new Map(outcomes.map((o) => [o, measureHeading(data, o)]));
  const params = distinct([...(data.sweep?.parameters.map((p) => p.name) ?? []), ...sobol.map((s) => s.parameter)]).filter((p) =>
    sobol.some((s) => s.parameter === p),
  );
  const S1 = 'First-order (alone)';
  const ST = 'Total (with interactions)';
  const values = sobol.flatMap((s) => [
    { outcome: headings.get(s.outcome), parameter: s.parameter, index: S1, value: round(s.S1, 4), low: round(s.S1low, 4), high: round(s.S1high, 4) },
    { outcome: headings.get(s.outcome), parameter: s.parameter, index: ST, value: round(s.ST, 4), low: round(s.STlow, 4), high: round(s.SThigh, 4) },
  ]);
  const lo = Math.min(0, ...values.map((v) => v.low));
  const hi = Math.max(1, ...values.map((v) => v.high));
  const xScale = { domain: [round(lo, 3), round(hi, 3)], nice: false };
  const y = { field: 'parameter', type: 'nominal', sort: params, title: null };
  const units = 'share of the outcome’s variance (0 = none, 1 = all), by parameter.';
  const reading =
    'Each row of panels is one outcome; the left column shows how much of the outcome’s run-to-run variation ' +
    'across the sweep each parameter explains on its own, the right column how much it explains including its ' +
    'interactions with other parameters. Bars near 1 mark the settings that matter; bars near 0 can be left at ' +
    'their defaults. A total bar much longer than the first-order bar means the parameter works through ' +
    'interactions. The thin black lines are 95% intervals; bars whose interval reaches 0 may not matter at all.';
  const tooltip = [
    { field: 'outcome', type: 'nominal', title: 'Outcome' },
    { field: 'parameter', type: 'nominal', title: 'Parameter' },
    { field: 'index', type: 'nominal', title: 'Index' },
    { field: 'value', type: 'quantitative', title: 'Estimate', format: '.3f' },
    { field: 'low', type: 'quantitative', title: '95% interval from', format: '.3f' },
    { field: 'high', type: 'quantitative', title: '95% interval to', format: '.3f' },
  ];
  const spec = topLevel(TITLE, units, {
    data: { values },
    facet: {
      row: { field: 'outcome', type: 'nominal', sort: outcomes.map((o) => headings.get(o)), title: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left', labelLimit: 600, labelPadding: 6 } },
      column: { field: 'index', type: 'nominal', sort: [S1, ST], title: null },
    },
    spec: {
      width: 300,
      height: { step: 30 },
      layer: [
        {
          mark: { type: 'bar', color: '#56B4E9', stroke: '#0072B2', strokeWidth: 1 },
          encoding: { y, x: { field: 'value', type: 'quantitative', title: 'Sobol index', scale: xScale }, tooltip },
        },
        {
          mark: { type: 'rule', color: 'black', strokeWidth: 2 },
          encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, tooltip },
        },
        {
          mark: { type: 'text', align: 'left', dx: 6, dy: -9, fontSize: 14 },
          encoding: { y, x: { field: 'high', type: 'quantitative' }, text: { field: 'value', type: 'quantitative', format: '.2f' } },
        },
      ],
    },
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
