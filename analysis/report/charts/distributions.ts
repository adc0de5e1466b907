/**
 * Chart 1 — outcome distributions by scenario: one horizontal box plot per
 * scenario (box = middle half of replications, whiskers = full range) with every
 * replication drawn as a tick, one panel per outcome.
 * Workshop question: "How much do results vary between runs, and do the scenarios overlap?"
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
  displayOf,
  describeMeasure,
  notApplicable,
  chunk,
  OUTCOMES_PER_CHART,
} from './common.js';

const NAME = 'distributions';
const TITLE = 'How each outcome varies across replications in each scenario.';

/** Build the outcome-distribution box plots (chart 1), split into charts of at most OUTCOMES_PER_CHART outcomes. */
export function buildDistributions(data: ReportData): ChartResult | ChartResult[] {
  if (data.replications.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no per-replication outcome values (replications is empty).' };
  }
  const order = scenarioOrder(data, data.replications);
  const outcomes = distinct(data.replications.map((r) => r.outcome));
  const headings = new Map(outcomes.map((o) => [o, measureHeading(data, o)]));
  // shares in %, and no value where the measure does not exist (no partnerships under no-partnering)
  const factor = new Map(outcomes.map((o) => [o, displayOf(describeMeasure(data, o).unit).factor]));
  const allValues = data.replications
    .filter((r) => !notApplicable(r.scenario, r.outcome))
    .map((r) => ({
      scenario: r.scenario,
      rep: r.rep,
      outcomeId: r.outcome,
      outcome: headings.get(r.outcome),
      value: round(r.value * factor.get(r.outcome)!, 6),
    }));
  const maxReps = Math.max(...order.map((s) => new Set(data.replications.filter((r) => r.scenario === s).map((r) => r.rep)).size));
  if (maxReps < 2) {
    return {
      name: NAME,
      title: TITLE,
      omitted: 'each scenario has a single replication, so there is no spread across runs to show (run more replications).',
    };
  }
  const parts = chunk(outcomes, OUTCOMES_PER_CHART);
  return parts.map((part, i) => {
    const name = parts.length > 1 ? `${NAME}-${i + 1}` : NAME;
    const title = parts.length > 1 ? `${TITLE.replace(/\.$/, '')} (part ${i + 1} of ${parts.length}).` : TITLE;
    const values = allValues.filter((v) => part.includes(v.outcomeId)).map(({ outcomeId: _o, ...v }) => v);
    const columns = part.length >= 2 ? 2 : 1;
    const cellWidth = columns === 2 ? 340 : 720;
    const sc = scenarioScales(order, data.baseline);
    const y = { field: 'scenario', type: 'nominal', sort: order, title: null, scale: { domain: order } };
    const units = 'each panel is one outcome in its own unit (named in the panel heading; shares in %); rows are scenarios.';
    const reading =
      `Each panel is one outcome; each row is a scenario. The box spans the middle half of the ${maxReps} ` +
      'replications, the line inside it is the median and the whiskers reach the lowest and highest run; each thin ' +
      'tick is one replication. Look for boxes that do not overlap: those scenarios differ by more than run-to-run ' +
      'chance. Wide boxes mean the outcome depends a lot on luck. Panels have their own scales, so compare rows ' +
      'within a panel, not across panels.';
    const spec = topLevel(
      title,
      units,
      {
        data: { values },
        facet: facetBy('outcome', part, headings),
        columns,
        resolve: { scale: { x: 'independent' } },
        spec: {
          width: cellWidth,
          height: { step: 34 },
          layer: [
            {
              mark: { type: 'boxplot', extent: 'min-max', size: 22, median: { color: 'black', strokeWidth: 2 } },
              encoding: {
                y,
                x: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
                color: { field: 'scenario', type: 'nominal', scale: sc.color, legend: null },
                opacity: pickOpacity(0.55, 0.1),
              },
            },
            {
              // the median again as the scenario's marker: colour and shape, as in every other chart
              mark: { type: 'point', filled: true, size: 120, stroke: 'black', strokeWidth: 1 },
              encoding: {
                y,
                x: { field: 'value', type: 'quantitative', aggregate: 'median' },
                color: { field: 'scenario', type: 'nominal', scale: sc.color, legend: null },
                shape: { field: 'scenario', type: 'nominal', scale: sc.shape, legend: null },
                opacity: pickOpacity(1, 0.15),
              },
            },
            {
              mark: { type: 'tick', thickness: 2, size: 14, color: 'black' },
              encoding: {
                y,
                x: { field: 'value', type: 'quantitative' },
                opacity: pickOpacity(0.7, 0.1),
                tooltip: [
                  { field: 'scenario', type: 'nominal', title: 'Scenario' },
                  { field: 'outcome', type: 'nominal', title: 'Outcome' },
                  { field: 'rep', type: 'quantitative', title: 'Replication' },
                  { field: 'value', type: 'quantitative', title: 'Value', format: ',.4~g' },
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
