/**
 * Chart 4 — share of schools in a partnership over time, by focus (attainment,
 * behaviour, any): median across replications with a band for the middle 50%,
 * one panel per scenario. Focus is shown by colour, line dash and point shape.
 * Workshop question: "How many schools end up partnering, for what, and how fast?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, pickOpacity, round, scenarioOrder, topLevel, simulatedRuns } from './common.js';
import { SHARE_METRICS } from './timepaths.js';

const NAME = 'partnering-share';
const TITLE = 'What share of schools is in a partnership each year, by what the partnership focuses on.';

const FOCUS_LABEL: Record<string, string> = {
  share_attainment_partnership: 'Attainment partnership',
  share_behaviour_partnership: 'Behaviour partnership',
  share_any_partnership: 'Any partnership',
};
const FOCUS_COLOUR: Record<string, string> = {
  share_attainment_partnership: '#0072B2',
  share_behaviour_partnership: '#D55E00',
  share_any_partnership: '#000000',
};
const FOCUS_DASH: Record<string, number[]> = {
  share_attainment_partnership: [1, 0],
  share_behaviour_partnership: [8, 4],
  share_any_partnership: [2, 3],
};
const FOCUS_SHAPE: Record<string, string> = {
  share_attainment_partnership: 'circle',
  share_behaviour_partnership: 'square',
  share_any_partnership: 'triangle-up',
};

/** Build the partnering-share lines (chart 4). */
export function buildPartnering(data: ReportData): ChartResult {
  const rows = data.timeseries.filter((t) => SHARE_METRICS.includes(t.metric));
  if (rows.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no partnering-share series (share_*_partnership) in timeseries.' };
  }
  const order = scenarioOrder(data, rows).filter((s) => rows.some((r) => r.scenario === s));
  const metrics = SHARE_METRICS.filter((m) => rows.some((r) => r.metric === m));
  const focusDomain = metrics.map((m) => FOCUS_LABEL[m]);
  const values = rows.map((r) => ({
    scenario: r.scenario,
    year: r.year,
    focus: FOCUS_LABEL[r.metric],
    median: round(r.median, 5),
    q25: round(r.q25, 5),
    q75: round(r.q75, 5),
    q05: round(r.q05, 5),
    q95: round(r.q95, 5),
  }));
  const columns = Math.min(order.length, 3);
  const width = Math.max(220, Math.ceil(720 / columns));
  const legendTitle = 'Partnership focus (colour, line style, marker)';
  const color = { field: 'focus', type: 'nominal', title: legendTitle, scale: { domain: focusDomain, range: metrics.map((m) => FOCUS_COLOUR[m]) } };
  const x = { field: 'year', type: 'quantitative', title: 'Year', axis: { format: 'd', tickMinStep: 1 }, scale: { nice: false } };
  const yMax = Math.min(1, Math.max(...rows.map((r) => r.q95)) * 1.05 || 1);
  const units = 'percentage of all secondary schools (0–100%) against year.';
  const reading =
    'Each panel is one scenario. The lines show, year by year, the share of secondary schools that belong to at ' +
    'least one attainment partnership, one behaviour partnership, or any partnership' +
    (simulatedRuns(data) <= 1 ? ' in this 1 simulated run. ' : ' (median run), with a band for the middle half of the runs. ') +
    'For comparison, the NAO’s survey of early 2009 found 80% of secondary ' +
    'schools in at least one attainment partnership and 65% in a behaviour partnership (Partnering for school ' +
    'improvement, 2009, para 2.2). Look at how high each line settles and how fast it gets there; lines are told apart by style and ' +
    'marker as well as colour.';
  const spec = topLevel(
    TITLE,
    units,
    {
      data: { values },
      facet: { field: 'scenario', type: 'nominal', sort: order, title: null, header: { labelAnchor: 'start', labelAlign: 'left' } },
      columns,
      spec: {
        width,
        height: 260,
        layer: [
          {
            mark: { type: 'area' },
            encoding: {
              x,
              y: {
                field: 'q25',
                type: 'quantitative',
                title: 'Share of schools',
                axis: { format: '.0%' },
                scale: { domain: [0, round(yMax, 3)] },
              },
              y2: { field: 'q75' },
              color: color,
              opacity: pickOpacity(0.22, 0.03),
            },
          },
          {
            mark: { type: 'line', strokeWidth: 3 },
            encoding: {
              x,
              y: { field: 'median', type: 'quantitative' },
              color,
              strokeDash: { field: 'focus', type: 'nominal', title: legendTitle, scale: { domain: focusDomain, range: metrics.map((m) => FOCUS_DASH[m]) } },
              opacity: pickOpacity(1, 0.15),
            },
          },
          {
            mark: { type: 'point', filled: true, size: 70 },
            encoding: {
              x,
              y: { field: 'median', type: 'quantitative' },
              color,
              shape: { field: 'focus', type: 'nominal', title: legendTitle, scale: { domain: focusDomain, range: metrics.map((m) => FOCUS_SHAPE[m]) } },
              opacity: pickOpacity(1, 0.15),
              tooltip: [
                { field: 'scenario', type: 'nominal', title: 'Scenario' },
                { field: 'focus', type: 'nominal', title: 'Focus' },
                { field: 'year', type: 'quantitative', title: 'Year' },
                { field: 'median', type: 'quantitative', title: 'Median share', format: '.1%' },
                { field: 'q25', type: 'quantitative', title: '25th percentile', format: '.1%' },
                { field: 'q75', type: 'quantitative', title: '75th percentile', format: '.1%' },
              ],
            },
          },
        ],
      },
    },
    { pick: true },
  );
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: true };
}
