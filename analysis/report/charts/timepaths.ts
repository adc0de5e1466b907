/**
 * Chart 3 — time paths with fan bands: for each metric (other than the
 * partnering shares, which have their own chart), the median across
 * replications by year as a line, with shaded bands for the middle 50% and 90%
 * of replications; scenarios differ by colour and line dash.
 * Workshop question: "How quickly do things change, and do scenarios drift apart over the years?"
 */
import type { ReportData } from '../data.js';
import {
  type ChartResult,
  distinct,
  measureHeading,
  pickOpacity,
  round,
  scenarioOrder,
  scenarioScales,
  topLevel,
  facetBy,
  chunk,
  OUTCOMES_PER_CHART,
  simulatedRuns,
  describeMeasure,
  displayOf,
  notApplicable,
} from './common.js';

const NAME = 'time-paths';
const TITLE = 'How each measure changes year by year: the median run with bands for the middle 50% and 90% of runs.';

/** Metrics drawn by the partnering-share chart instead. */
export const SHARE_METRICS = ['share_attainment_partnership', 'share_behaviour_partnership', 'share_any_partnership'];

/** Build the fan chart of time paths (chart 3). */
export function buildTimePaths(data: ReportData): ChartResult | ChartResult[] {
  const rows = data.timeseries.filter((t) => !SHARE_METRICS.includes(t.metric));
  if (rows.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no year-by-year series other than partnering shares (timeseries is empty).' };
  }
  const order = scenarioOrder(data, rows);
  const metrics = distinct(rows.map((r) => r.metric));
  const headings = new Map(metrics.map((m) => [m, measureHeading(data, m)]));
  // shares in %; no line where the measure does not exist (no partnerships under no-partnering)
  const factor = new Map(metrics.map((m) => [m, displayOf(describeMeasure(data, m).unit).factor]));
  const allValues = rows.filter((r) => !notApplicable(r.scenario, r.metric)).map((r) => {
    const f = factor.get(r.metric)!;
    return {
      metricId: r.metric,
      scenario: r.scenario,
      year: r.year,
      metric: headings.get(r.metric),
      q05: round(r.q05 * f, 6),
      q25: round(r.q25 * f, 6),
      median: round(r.median * f, 6),
      q75: round(r.q75 * f, 6),
      q95: round(r.q95 * f, 6),
    };
  });
  const single = simulatedRuns(data) <= 1;
  const parts = chunk(metrics, OUTCOMES_PER_CHART);
  return parts.map((part, i) => {
    const name = parts.length > 1 ? `${NAME}-${i + 1}` : NAME;
    const title = parts.length > 1 ? `${TITLE.replace(/\.$/, '')} (part ${i + 1} of ${parts.length}).` : single ? 'How each measure changes year by year in this run.' : TITLE;
    const values = allValues.filter((v) => part.includes(v.metricId)).map(({ metricId: _m, ...v }) => v);
    const sc = scenarioScales(order, data.baseline);
    const columns = part.length >= 2 ? 2 : 1;
    const width = columns === 2 ? 340 : 720;
    const color = {
      field: 'scenario',
      type: 'nominal',
      scale: sc.color,
      title: 'Scenario (colour and line style)',
      legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 600 },
    };
    const x = { field: 'year', type: 'quantitative', title: 'Year', axis: { format: 'd', tickMinStep: 1 }, scale: { nice: false } };
    const units = 'years on the horizontal axis; each panel’s vertical axis is in the unit named in its heading.';
    const reading = single
      ? 'Each panel follows one measure over the simulated years in this 1 simulated run (one run has no spread ' +
        'to show; run replications for that). Scenarios are told apart by line style and marker as well as colour.'
      : 'Each panel follows one measure over the simulated years. The solid or dashed line is the median run of ' +
        'each scenario; the darker band holds the middle half of the runs and the paler band 90% of them. Where ' +
        'the bands of two scenarios separate, the difference is larger than run-to-run chance. Scenarios are told ' +
        'apart by line style and marker as well as colour; use the scenario picker to show one at a time.';
    const spec = topLevel(
      title,
      units,
      {
        data: { values },
        facet: facetBy('metric', part, headings),
        columns,
        resolve: { scale: { y: 'independent' } },
        spec: {
          width,
          height: 220,
          layer: [
            ...(single ? [] : [{
              mark: { type: 'area' },
              encoding: {
                x,
                y: { field: 'q05', type: 'quantitative', title: null, scale: { zero: false } },
                y2: { field: 'q95' },
                color: color,
                opacity: pickOpacity(0.14, 0.02),
              },
            },
            {
              mark: { type: 'area' },
              encoding: {
                x,
                y: { field: 'q25', type: 'quantitative' },
                y2: { field: 'q75' },
                color: color,
                opacity: pickOpacity(0.3, 0.03),
              },
            }]),
            {
              mark: { type: 'line', strokeWidth: 3, point: false },
              encoding: {
                x,
                y: { field: 'median', type: 'quantitative', title: null, scale: { zero: false } },
                color,
                strokeDash: { field: 'scenario', type: 'nominal', scale: sc.dash, title: 'Scenario (colour and line style)' },
                opacity: pickOpacity(1, 0.15),
              },
            },
            {
              mark: { type: 'point', filled: true, size: 70 },
              encoding: {
                x,
                y: { field: 'median', type: 'quantitative' },
                color: color,
                shape: { field: 'scenario', type: 'nominal', scale: sc.shape, title: 'Scenario (colour and line style)' },
                opacity: pickOpacity(0.9, 0.1),
                tooltip: [
                  { field: 'scenario', type: 'nominal', title: 'Scenario' },
                  { field: 'metric', type: 'nominal', title: 'Measure' },
                  { field: 'year', type: 'quantitative', title: 'Year' },
                  { field: 'median', type: 'quantitative', title: 'Median', format: ',.4~g' },
                  { field: 'q25', type: 'quantitative', title: '25th percentile', format: ',.4~g' },
                  { field: 'q75', type: 'quantitative', title: '75th percentile', format: ',.4~g' },
                  { field: 'q05', type: 'quantitative', title: '5th percentile', format: ',.4~g' },
                  { field: 'q95', type: 'quantitative', title: '95th percentile', format: ',.4~g' },
                ],
              },
            },
          ],
        },
      },
      { pick: true },
    );
    return { name, title, reading, units, spec, scenarioPick: true };
  });
}
