/**
 * Chart 2 — difference from baseline (forest plot): for each outcome and each
 * non-baseline scenario, the paired difference with its 95% bootstrap interval,
 * a zero line, and a verdict (better / worse / no clear difference) shown by
 * colour, point shape and a legend label.
 * Workshop question: "Compared with doing nothing new, which policy moves which outcome, and are we sure?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, chunk, describeMeasure, displayOf, distinct, measureHeading, notApplicable, OUTCOMES_PER_CHART, pickOpacity, round, scenarioOrder, topLevel, facetBy } from './common.js';

const NAME = 'differences';
const TITLE = 'How far each scenario moves each outcome away from the baseline, with 95% intervals.';

const VERDICTS = ['Better than baseline', 'Worse than baseline', 'Higher than baseline', 'Lower than baseline', 'No clear difference'];
const VERDICT_COLOURS = ['#009E73', '#D55E00', '#0072B2', '#E69F00', '#666666'];
const VERDICT_SHAPES = ['triangle-up', 'triangle-down', 'square', 'diamond', 'circle'];

/** Build the forest plot of differences from baseline (chart 2), split into charts of at most OUTCOMES_PER_CHART outcomes. */
export function buildDifferences(data: ReportData): ChartResult | ChartResult[] {
  if (data.differences.length === 0) {
    return {
      name: NAME,
      title: TITLE,
      omitted: 'there are no differences from a baseline (a single run, or no baseline scenario was compared).',
    };
  }
  const order = scenarioOrder(data, data.differences).filter((s) => s !== data.baseline);
  const outcomes = distinct(data.differences.map((d) => d.outcome));
  const headings = new Map(outcomes.map((o) => [o, measureHeading(data, o, 36, true)]));
  const factor = new Map(outcomes.map((o) => [o, displayOf(describeMeasure(data, o).unit).factor]));
  const allValues = data.differences.filter((d) => !notApplicable(d.scenario, d.outcome)).map((d) => {
    const f = factor.get(d.outcome)!;
    const meta = data.outcomes.find((o) => o.id === d.outcome);
    const clear = d.low > 0 || d.high < 0;
    let verdict = 'No clear difference';
    if (clear && meta) verdict = (d.estimate > 0) === meta.higherIsBetter ? 'Better than baseline' : 'Worse than baseline';
    else if (clear) verdict = d.estimate > 0 ? 'Higher than baseline' : 'Lower than baseline';
    return {
      scenario: d.scenario,
      outcomeId: d.outcome,
      outcome: headings.get(d.outcome),
      estimate: round(d.estimate * f, 6),
      low: round(d.low * f, 6),
      high: round(d.high * f, 6),
      effectSize: d.effectSize === null ? null : round(d.effectSize, 3),
      ksP: round(d.ksP, 4),
      mannWhitneyP: round(d.mannWhitneyP, 4),
      verdict,
    };
  });
  const used = VERDICTS.filter((v) => allValues.some((r) => r.verdict === v));
  const idx = used.map((v) => VERDICTS.indexOf(v));
  const parts = chunk(outcomes, OUTCOMES_PER_CHART);
  return parts.map((part, i) => {
    const name = parts.length > 1 ? `${NAME}-${i + 1}` : NAME;
    const title = parts.length > 1 ? `${TITLE.replace(/\.$/, '')} (part ${i + 1} of ${parts.length}).` : TITLE;
    const values = allValues.filter((v) => part.includes(v.outcomeId)).map(({ outcomeId: _o, ...v }) => v);
    const columns = part.length >= 2 ? 2 : 1;
    const width = columns === 2 ? 340 : 720;
    const y = { field: 'scenario', type: 'nominal', sort: order, title: null, scale: { domain: order } };
    const baseline = data.baseline ?? 'the baseline';
    const units =
      'each panel is one outcome, in its own unit (named in the panel heading; shares in percentage points): scenario minus baseline, ' +
      'paired by replication.';
    const reading =
      `Each panel is one outcome; each row compares a scenario with the baseline (“${baseline}”), replication by ` +
      'replication. The marker is the average difference and the bar is its 95% interval; the vertical line is ' +
      'no difference. A bar that crosses the line means we cannot tell the scenario apart from the baseline for ' +
      'that outcome. The marker’s shape and colour say whether the change is better, worse, or unclear, taking ' +
      'into account whether higher is good for that outcome (for exclusions, lower is better). Hover for the ' +
      'effect size and test p-values.';
    const tooltip = [
      { field: 'scenario', type: 'nominal', title: 'Scenario' },
      { field: 'outcome', type: 'nominal', title: 'Outcome' },
      { field: 'estimate', type: 'quantitative', title: 'Difference', format: ',.4~g' },
      { field: 'low', type: 'quantitative', title: '95% interval from', format: ',.4~g' },
      { field: 'high', type: 'quantitative', title: '95% interval to', format: ',.4~g' },
      { field: 'verdict', type: 'nominal', title: 'Verdict' },
      { field: 'effectSize', type: 'quantitative', title: "Cohen's d (baseline SD)", format: '.2f' },
      { field: 'ksP', type: 'quantitative', title: 'KS test p', format: '.3f' },
      { field: 'mannWhitneyP', type: 'quantitative', title: 'Mann–Whitney p', format: '.3f' },
    ];
    const spec = topLevel(
      title,
      units,
      {
        data: { values },
        facet: facetBy('outcome', part, headings),
        columns,
        resolve: { scale: { x: 'independent' } },
        spec: {
          width,
          height: { step: 40 },
          layer: [
            {
              mark: { type: 'rule', color: '#222', strokeDash: [6, 4], strokeWidth: 1.5 },
              encoding: { x: { datum: 0, type: 'quantitative' } },
            },
            {
              mark: { type: 'rule', strokeWidth: 3 },
              encoding: {
                y,
                x: { field: 'low', type: 'quantitative', title: null },
                x2: { field: 'high' },
                color: { field: 'verdict', type: 'nominal', title: 'Verdict (95% interval)', scale: { domain: used, range: idx.map((i) => VERDICT_COLOURS[i]) } },
                opacity: pickOpacity(1, 0.15),
                tooltip,
              },
            },
            {
              mark: { type: 'point', filled: true, size: 180, stroke: 'black', strokeWidth: 1 },
              encoding: {
                y,
                x: { field: 'estimate', type: 'quantitative' },
                color: {
                  field: 'verdict',
                  type: 'nominal',
                  title: 'Verdict (95% interval)',
                  scale: { domain: used, range: idx.map((i) => VERDICT_COLOURS[i]) },
                },
                shape: {
                  field: 'verdict',
                  type: 'nominal',
                  title: 'Verdict (95% interval)',
                  scale: { domain: used, range: idx.map((i) => VERDICT_SHAPES[i]) },
                },
                opacity: pickOpacity(1, 0.15),
                tooltip,
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
