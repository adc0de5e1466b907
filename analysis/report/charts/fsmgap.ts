/**
 * Chart 7 — attainment by FSM band: for each band of schools by share of pupils
 * on free school meals, each scenario's median attainment across replications
 * (marker; shape and colour by scenario) with the middle 50% (thick bar) and
 * 90% (thin bar) of replications.
 * Workshop question: "Does partnering narrow the gap between deprived and affluent schools?"
 */
import type { ReportData } from '../data.js';
import {
  type ChartResult,
  distinct,
  pickOpacity,
  quantileSorted,
  round,
  scenarioOrder,
  scenarioScales,
  topLevel,
} from './common.js';

const NAME = 'fsm-gap';
const TITLE = 'How attainment differs between schools with few and many pupils on free school meals, by scenario.';

/** Build the attainment-by-FSM-band chart (chart 7). */
export function buildFsmGap(data: ReportData): ChartResult {
  if (data.fsmBands.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no attainment by FSM band (fsmBands is empty).' };
  }
  const order = scenarioOrder(data, data.fsmBands).filter((s) => data.fsmBands.some((r) => r.scenario === s));
  const bands = distinct(data.fsmBands.map((r) => r.band));
  const values = order.flatMap((s) =>
    bands.flatMap((b) => {
      const xs = data.fsmBands
        .filter((r) => r.scenario === s && r.band === b)
        .map((r) => r.attainment)
        .sort((p, q) => p - q);
      if (xs.length === 0) return [];
      return [
        {
          scenario: s,
          band: b,
          reps: xs.length,
          median: round(quantileSorted(xs, 0.5), 4),
          q05: round(quantileSorted(xs, 0.05), 4),
          q25: round(quantileSorted(xs, 0.25), 4),
          q75: round(quantileSorted(xs, 0.75), 4),
          q95: round(quantileSorted(xs, 0.95), 4),
        },
      ];
    }),
  );
  const sc = scenarioScales(order, data.baseline);
  const x = { field: 'band', type: 'ordinal', sort: bands, title: 'Schools grouped by share of pupils on free school meals', scale: { domain: bands }, axis: { labelAngle: 0 } };
  const xOffset = { field: 'scenario', type: 'nominal', sort: order, scale: { domain: order, paddingInner: 0.15 } };
  const legend = 'Scenario (colour and marker)';
  const units = 'attainment at 14 in points (the simulator’s test-score scale), by FSM band.';
  const reading =
    'Schools are grouped by how many of their pupils receive free school meals, from the least to the most ' +
    'deprived intakes (left to right). For each group, each scenario has a marker at its median attainment ' +
    'across runs, a thick bar for the middle half of runs and a thin bar for 90% of runs. The fall from left to ' +
    'right is the deprivation gap; a scenario that narrows it has markers that fall less steeply, especially a ' +
    'higher marker in the right-hand group. Scenarios are told apart by marker shape and by their order within ' +
    'each group as well as by colour.';
  const tooltip = [
    { field: 'scenario', type: 'nominal', title: 'Scenario' },
    { field: 'band', type: 'ordinal', title: 'FSM band' },
    { field: 'median', type: 'quantitative', title: 'Median attainment', format: ',.2f' },
    { field: 'q25', type: 'quantitative', title: '25th percentile', format: ',.2f' },
    { field: 'q75', type: 'quantitative', title: '75th percentile', format: ',.2f' },
    { field: 'q05', type: 'quantitative', title: '5th percentile', format: ',.2f' },
    { field: 'q95', type: 'quantitative', title: '95th percentile', format: ',.2f' },
    { field: 'reps', type: 'quantitative', title: 'Replications' },
  ];
  const color = { field: 'scenario', type: 'nominal', scale: sc.color, title: legend, legend: { columns: 3, labelLimit: 280 } };
  const spec = topLevel(
    TITLE,
    units,
    {
      data: { values },
      // at most 960 px wide, so the chart fits a 1,280 px screen with 12 scenarios
      width: Math.min(960, Math.max(720, bands.length * order.length * 20)),
      height: 360,
      encoding: { x, xOffset },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y: { field: 'q05', type: 'quantitative', title: 'Attainment (points)', scale: { zero: false } },
            y2: { field: 'q95' },
            color: color,
            opacity: pickOpacity(1, 0.12),
          },
        },
        {
          mark: { type: 'rule', strokeWidth: 7 },
          encoding: {
            y: { field: 'q25', type: 'quantitative' },
            y2: { field: 'q75' },
            color: color,
            opacity: pickOpacity(0.6, 0.08),
          },
        },
        {
          mark: { type: 'point', filled: true, size: 160, stroke: 'black', strokeWidth: 1 },
          encoding: {
            y: { field: 'median', type: 'quantitative' },
            color,
            shape: { field: 'scenario', type: 'nominal', scale: sc.shape, title: legend, legend: { columns: 3, labelLimit: 280 } },
            opacity: pickOpacity(1, 0.15),
            tooltip,
          },
        },
      ],
    },
    { pick: true },
  );
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: true };
}
