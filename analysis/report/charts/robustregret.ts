/**
 * Robust runs (issue 15) — regret by policy across futures: for each outcome, every
 * future's regret of every policy (its shortfall from the best policy in that
 * future) as a dot, with the 90th percentile and the maximum marked.
 * Workshop question: "Which policy do we regret least, whatever the future?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, OKABE_ITO, SHAPES, round, topLevel } from './common.js';

const NAME = 'robust-regret';
const TITLE = 'How far each policy falls short of the best policy, future by future (regret).';

/** Type-7 quantile of an ascending array. */
function q(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

/** Build the regret strip chart. */
export function buildRobustRegret(data: ReportData): ChartResult {
  const r = data.robust;
  if (!r || !Array.isArray(r.regret) || r.regret.length === 0 || !Array.isArray(r.policies) || !Array.isArray(r.outcomes)) {
    return { name: NAME, title: TITLE, omitted: 'this is not a robust run (no regret of policies across futures).' };
  }
  const heading = new Map(r.outcomes.map((o) => [o.id, `${o.label} (${o.unit}; ${o.higherIsBetter ? 'higher' : 'lower'} is better)`]));
  const outcomes = r.outcomes.map((o) => o.id).filter((id) => r.regret.some((x) => x.outcome === id));
  const dots = r.regret
    .filter((x) => Number.isFinite(x.regret) && heading.has(x.outcome))
    .map((x) => ({ policy: x.policy, outcome: heading.get(x.outcome), future: x.future, regret: round(x.regret, 6) }));
  const marks: { policy: string; outcome: string | undefined; zero: number; p90: number; max: number }[] = [];
  for (const o of outcomes) {
    for (const p of r.policies) {
      const v = r.regret.filter((x) => x.outcome === o && x.policy === p && Number.isFinite(x.regret)).map((x) => x.regret).sort((a, b) => a - b);
      if (v.length) marks.push({ policy: p, outcome: heading.get(o), zero: 0, p90: round(q(v, 0.9), 6), max: round(v[v.length - 1], 6) });
    }
  }
  const order = r.policies;
  const color = { field: 'policy', type: 'nominal', title: 'Policy', scale: { domain: order, range: order.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]) }, legend: null };
  const shape = { field: 'policy', type: 'nominal', scale: { domain: order, range: order.map((_, i) => SHAPES[i % SHAPES.length]) }, legend: null };
  const y = { field: 'policy', type: 'nominal', sort: order, title: null };
  const units = "each panel in its outcome's own unit (the panel heading): 0 = the best policy in that future.";
  const reading =
    'Each panel is one outcome, each row one policy. Every dot is one sampled future: how far the policy falls short of ' +
    'whichever policy did best in that same future (0 = it was the best). The thin black tick marks the 90th percentile ' +
    'of those shortfalls and the thick bar the worst case (maximum regret). A robust choice has its dots bunched near 0 ' +
    'and a short bar: it is rarely far from the best, whatever the future turns out to be.';
  const spec = topLevel(TITLE, units, {
    facet: { row: { field: 'outcome', type: 'nominal', sort: outcomes.map((o) => heading.get(o)), title: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left', labelLimit: 1100, labelPadding: 6 } } },
    resolve: { scale: { x: 'independent' } },
    data: { values: [...dots.map((d) => ({ ...d, kind: 'future' })), ...marks.map((m) => ({ ...m, kind: 'summary' }))] },
    spec: {
      width: 760,
      height: { step: 34 },
      layer: [
        {
          transform: [{ filter: "datum.kind == 'summary'" }],
          mark: { type: 'rule', color: '#333', strokeWidth: 5, opacity: 0.35 },
          encoding: { y, x: { field: 'zero', type: 'quantitative' }, x2: { field: 'max' }, tooltip: [{ field: 'policy', type: 'nominal', title: 'Policy' }, { field: 'max', type: 'quantitative', title: 'Maximum regret', format: ',.4~g' }, { field: 'p90', type: 'quantitative', title: '90th percentile', format: ',.4~g' }] },
        },
        {
          transform: [{ filter: "datum.kind == 'future'" }],
          mark: { type: 'point', filled: true, opacity: 0.6, size: 70 },
          encoding: {
            y,
            x: { field: 'regret', type: 'quantitative', title: 'Regret (shortfall from the best policy in the same future)' },
            color,
            shape,
            tooltip: [
              { field: 'policy', type: 'nominal', title: 'Policy' },
              { field: 'future', type: 'quantitative', title: 'Future' },
              { field: 'regret', type: 'quantitative', title: 'Regret', format: ',.4~g' },
            ],
          },
        },
        {
          transform: [{ filter: "datum.kind == 'summary'" }],
          mark: { type: 'tick', color: 'black', thickness: 3, size: 26 },
          encoding: { y, x: { field: 'p90', type: 'quantitative' }, tooltip: [{ field: 'policy', type: 'nominal', title: 'Policy' }, { field: 'p90', type: 'quantitative', title: '90th percentile of regret', format: ',.4~g' }] },
        },
      ],
    },
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
