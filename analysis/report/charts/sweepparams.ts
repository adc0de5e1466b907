/**
 * Chart 10 (sweeps) — each outcome against each swept parameter: every design
 * point's mean with its interval, plus a smoothed (LOESS) trend line; rows are
 * outcomes, columns are parameters.
 * Workshop question: "Which settings move which outcome, and in which direction?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, chunk, distinct, measureHeading, round, sweepReplications, topLevel, MIN_REPS_FOR_INTERVALS } from './common.js';

const NAME = 'sweep-parameters';
const TITLE = 'How each outcome responds to each swept parameter, with intervals for every design point.';

/** Build the outcome-against-parameter panels (chart 10). */
export function buildSweepParameters(data: ReportData): ChartResult | ChartResult[] {
  const sweep = data.sweep;
  if (!sweep || sweep.points.length === 0 || sweep.parameters.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'this is not a parameter sweep (no sweep points).' };
  }
  const params = sweep.parameters.map((p) => p.name);
  const outcomes = distinct(sweep.points.map((p) => p.outcome));
  const headings = new Map(outcomes.map((o) => [o, measureHeading(data, o)]));
  const reps = sweepReplications(data);
  const intervals = reps !== undefined && reps >= MIN_REPS_FOR_INTERVALS;
  const headingOf = (o: string, p: string): string => `${headings.get(o)}\n${p}`;
  const allValues = sweep.points.flatMap((pt) =>
    params
      .filter((name) => Number.isFinite(pt.params[name]))
      .map((name) => ({
        point: pt.point,
        parameter: name,
        outcomeId: pt.outcome,
        panel: headingOf(pt.outcome, name),
        value: round(pt.params[name], 6),
        outcome: headings.get(pt.outcome),
        mean: round(pt.mean, 6),
        low: round(pt.low, 6),
        high: round(pt.high, 6),
      })),
  );
  // panels wrap in rows of at most 3, and each chart holds at most 9 panels (whole outcomes)
  const columns = Math.min(3, params.length);
  const width = 300;
  const perChart = Math.max(1, Math.floor(9 / params.length));
  const parts = chunk(outcomes, perChart);
  const levelsOf = new Map(params.map((p) => [p, distinct(allValues.filter((v) => v.parameter === p).map((v) => v.value)).sort((a, b) => a - b)]));
  const fewLevels = [...levelsOf.values()].every((l) => l.length <= 8);
  const x = { field: 'value', type: 'quantitative', title: null, scale: { zero: false, nice: false, padding: 12 }, axis: { labelOverlap: 'greedy', labelFlush: true } };
  const units = 'each panel is one outcome (heading, first line, in its own unit) against one swept parameter (heading, second line, in its own units, across).';
  const intervalText = intervals
    ? `, with a vertical bar for its 95% interval across its ${reps} replications`
    : ` (no interval is drawn: intervals need at least ${MIN_REPS_FOR_INTERVALS} replications per point, and this sweep has ${reps ?? 'an unknown number of'} replication${reps === 1 ? '' : 's'})`;
  const reading =
    'Each panel pairs one outcome with one swept parameter. Every dot is one design point of the sweep ' +
    `(all parameters set at once), drawn at its value of that panel’s parameter${intervalText}; the black line is a smoothed trend. ` +
    'A steep, tight trend means the parameter drives that outcome; a flat line with a wide scatter means other parameters matter more. ' +
    `Scales differ between panels${fewLevels ? '; the ticks across are the levels the sweep used' : ''}.`;
  return parts.map((part, i) => {
    const name = parts.length > 1 ? `${NAME}-${i + 1}` : NAME;
    const title = parts.length > 1 ? `${TITLE.replace(/\.$/, '')} (part ${i + 1} of ${parts.length}).` : TITLE;
    const values = allValues.filter((v) => part.includes(v.outcomeId)).map(({ outcomeId: _o, ...v }) => v);
    const panels = part.flatMap((o) => params.map((p) => headingOf(o, p)));
    const layer: Record<string, unknown>[] = [];
    if (intervals) {
      layer.push({
        mark: { type: 'rule', color: '#0072B2', strokeWidth: 1.5, opacity: 0.5 },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: null, scale: { zero: false } }, y2: { field: 'high' } },
      });
    }
    layer.push(
      {
        mark: { type: 'point', filled: true, color: '#0072B2', size: 40 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: null, scale: { zero: false } },
          tooltip: [
            { field: 'point', type: 'quantitative', title: 'Design point' },
            { field: 'parameter', type: 'nominal', title: 'Parameter' },
            { field: 'value', type: 'quantitative', title: 'Parameter value', format: ',.4~g' },
            { field: 'outcome', type: 'nominal', title: 'Outcome' },
            { field: 'mean', type: 'quantitative', title: 'Mean', format: ',.4~g' },
            ...(intervals
              ? [
                  { field: 'low', type: 'quantitative', title: '95% interval from', format: ',.4~g' },
                  { field: 'high', type: 'quantitative', title: '95% interval to', format: ',.4~g' },
                ]
              : []),
          ],
        },
      },
      {
        transform: [{ loess: 'mean', on: 'value', bandwidth: 0.5 }],
        mark: { type: 'line', color: 'black', strokeWidth: 3 },
        encoding: { x, y: { field: 'mean', type: 'quantitative' } },
      },
    );
    const spec = topLevel(title, units, {
      data: { values },
      facet: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelAnchor: 'start', labelAlign: 'left', labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelLineHeight: 20 } },
      columns,
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: { width, height: 180, layer },
    });
    return { name, title, reading, units, spec, scenarioPick: false };
  });
}
