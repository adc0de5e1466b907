/**
 * Chart 8 — cost-effectiveness plane: each replication as a small marker at
 * (cost per school per year, attainment points gained over no partnering), and
 * each scenario's average as a large labelled marker; a dashed line marks no gain.
 * Workshop question: "What do we get for the money, and which option gives most per pound?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, mean, pickOpacity, round, scenarioOrder, scenarioScales, topLevel } from './common.js';

const NAME = 'cost-effect';
const TITLE = 'What each scenario costs per school per year against the attainment it gains over no partnering.';

/** Build the cost-effectiveness plane (chart 8). */
export function buildCostEffect(data: ReportData): ChartResult {
  if (data.costEffect.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no cost and gain figures (costEffect is empty).' };
  }
  const order = scenarioOrder(data, data.costEffect).filter((s) => data.costEffect.some((r) => r.scenario === s));
  const sc = scenarioScales(order, data.baseline);
  const reps = data.costEffect.map((r) => ({
    kind: 'rep',
    scenario: r.scenario,
    rep: r.rep,
    cost: round(r.costPerSchool, 2),
    gain: round(r.attainmentGain, 4),
    perPoint: r.attainmentGain > 0 ? round(r.costPerSchool / r.attainmentGain, 0) : null,
  }));
  const means = order.map((s) => {
    const rows = data.costEffect.filter((r) => r.scenario === s);
    const cost = mean(rows.map((r) => r.costPerSchool));
    const gain = mean(rows.map((r) => r.attainmentGain));
    return { kind: 'mean', scenario: s, reps: rows.length, cost: round(cost, 2), gain: round(gain, 4), perPoint: gain > 0 ? round(cost / gain, 0) : null };
  });
  const legend = 'Scenario (colour and marker)';
  const color = { field: 'scenario', type: 'nominal', scale: sc.color, title: legend, legend: { columns: 2, labelLimit: 300 } };
  const shape = { field: 'scenario', type: 'nominal', scale: sc.shape, title: legend };
  const money = "'£' + format(datum.value, ',.0f')";
  const x = { field: 'cost', type: 'quantitative', title: 'Cost per school per year (£)', axis: { labelExpr: money } };
  const y = { field: 'gain', type: 'quantitative', title: 'Attainment gained over no partnering (points)' };
  const units = 'pounds (£) per school per year across; attainment points gained over the no-partnering counterfactual up.';
  const reading =
    'Each small marker is one run; each large marker is a scenario’s average (named in the legend by colour and marker; hover for names). Further right costs ' +
    'more (mostly staff time, priced in pounds); higher up gains more attainment than the same schools would have ' +
    'without partnering. The best value is up and to the left; anything below the dashed line made results worse. ' +
    'A cloud of small markers that straddles the dashed line means the gain is not reliable. Hover for the cost ' +
    'per attainment point gained.';
  const tooltip = [
    { field: 'scenario', type: 'nominal', title: 'Scenario' },
    { field: 'cost', type: 'quantitative', title: 'Cost per school per year (£)', format: ',.0f' },
    { field: 'gain', type: 'quantitative', title: 'Points gained', format: ',.3f' },
    { field: 'perPoint', type: 'quantitative', title: '£ per point gained', format: ',.0f' },
  ];
  const spec = topLevel(
    TITLE,
    units,
    {
      width: 720,
      height: 420,
      data: { values: [...reps, ...means] },
      layer: [
        {
          mark: { type: 'rule', strokeDash: [6, 4], color: '#222', strokeWidth: 1.5 },
          encoding: { y: { datum: 0, type: 'quantitative' } },
        },
        {
          transform: [{ filter: "datum.kind == 'rep'" }],
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            x,
            y,
            color: color,
            shape: shape,
            opacity: pickOpacity(0.45, 0.06),
            tooltip: [...tooltip, { field: 'rep', type: 'quantitative', title: 'Replication' }],
          },
        },
        {
          transform: [{ filter: "datum.kind == 'mean'" }],
          mark: { type: 'point', filled: true, size: 420, stroke: 'black', strokeWidth: 1.5 },
          encoding: { x, y, color, shape, opacity: pickOpacity(1, 0.15), tooltip: [...tooltip, { field: 'reps', type: 'quantitative', title: 'Replications' }] },
        },
      ],
    },
    { pick: true },
  );
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: true };
}
