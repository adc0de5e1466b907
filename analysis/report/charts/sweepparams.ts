/**
 * Chart 10 (sweeps) — each outcome against each swept parameter: every design
 * point's mean with its interval, plus a smoothed (LOESS) trend line; rows are
 * outcomes, columns are parameters.
 * Workshop question: "Which settings move which outcome, and in which direction?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, distinct, measureHeading, round, topLevel } from './common.js';

const NAME = 'sweep-parameters';
const TITLE = 'How each outcome responds to each swept parameter, with intervals for every design point.';

/** Build the outcome-against-parameter panels (chart 10). */
export function buildSweepParameters(data: ReportData): ChartResult {
  const sweep = data.sweep;
  if (!sweep || sweep.points.length === 0 || sweep.parameters.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'this is not a parameter sweep (no sweep points).' };
  }
  const params = sweep.parameters.map((p) => p.name);
  const outcomes = distinct(sweep.points.map((p) => p.outcome));
  const headings = new Map(outcomes.map((o) => [o, measureHeading(data, o)]));
  const values = sweep.points.flatMap((pt) =>
    params
      .filter((name) => Number.isFinite(pt.params[name]))
      .map((name) => ({
        point: pt.point,
        parameter: name,
        value: round(pt.params[name], 6),
        outcome: headings.get(pt.outcome),
        mean: round(pt.mean, 6),
        low: round(pt.low, 6),
        high: round(pt.high, 6),
      })),
  );
  const width = Math.max(220, Math.ceil(720 / params.length));
  const x = { field: 'value', type: 'quantitative', title: null, scale: { zero: false, nice: false } };
  const units = 'each column is one parameter in its own units (across); each row is one outcome in its own unit (up).';
  const reading =
    'Each row is one outcome and each column one swept parameter. Every dot is one design point of the sweep ' +
    '(all parameters set at once), drawn at its value of that column’s parameter, with a vertical bar for its ' +
    'interval across replications; the black line is a smoothed trend. A steep, tight trend means the parameter ' +
    'drives that outcome; a flat line with a wide scatter means other parameters matter more. Scales differ ' +
    'between panels.';
  const spec = topLevel(TITLE, units, {
    data: { values },
    facet: {
      row: { field: 'outcome', type: 'nominal', sort: outcomes.map((o) => headings.get(o)), title: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left', labelLimit: 600, labelPadding: 6 } },
      column: { field: 'parameter', type: 'nominal', sort: params, title: null },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width,
      height: 180,
      layer: [
        {
          mark: { type: 'rule', color: '#0072B2', strokeWidth: 1.5, opacity: 0.5 },
          encoding: { x, y: { field: 'low', type: 'quantitative', title: null, scale: { zero: false } }, y2: { field: 'high' } },
        },
        {
          mark: { type: 'point', filled: true, color: '#0072B2', size: 40 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative' },
            tooltip: [
              { field: 'point', type: 'quantitative', title: 'Design point' },
              { field: 'parameter', type: 'nominal', title: 'Parameter' },
              { field: 'value', type: 'quantitative', title: 'Parameter value', format: ',.4~g' },
              { field: 'outcome', type: 'nominal', title: 'Outcome' },
              { field: 'mean', type: 'quantitative', title: 'Mean', format: ',.4~g' },
              { field: 'low', type: 'quantitative', title: 'Interval from', format: ',.4~g' },
              { field: 'high', type: 'quantitative', title: 'Interval to', format: ',.4~g' },
            ],
          },
        },
        {
          transform: [{ loess: 'mean', on: 'value', bandwidth: 0.5 }],
          mark: { type: 'line', color: 'black', strokeWidth: 3 },
          encoding: { x, y: { field: 'mean', type: 'quantitative' } },
        },
      ],
    },
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
