/**
 * Scenario discovery (issue 15) — the chosen box's limits on each input against
 * the input's full sampled range: a grey bar for the range, a dark bar for the
 * part the box keeps, with the limits and quasi-p-values printed.
 * Workshop question: "Which assumptions must hold for the bad cases to occur?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, round, topLevel } from './common.js';

const NAME = 'prim-limits';
const TITLE = 'Scenario discovery: the ranges of each uncertain input that the chosen box keeps.';

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

/** Build the box-limits chart. */
export function buildPrimLimits(data: ReportData): ChartResult {
  const d = data.discovery;
  if (!d || !Array.isArray(d.limits) || d.limits.length === 0 || !Array.isArray(d.inputs)) {
    return { name: NAME, title: TITLE, omitted: 'no scenario-discovery box in this folder (run `partnersim discover DIR --where ...`).' };
  }
  const restricted = new Map(d.limits.map((l) => [l.input, l]));
  const order = [...d.limits.map((l) => l.input), ...d.inputs.map((i) => i.name).filter((n) => !restricted.has(n))];
  const values = order.map((name) => {
    const inp = d.inputs.find((i) => i.name === name)!;
    const l = restricted.get(name);
    const span = inp.max - inp.min || 1;
    const lower = l ? l.lower : inp.min;
    const upper = l ? l.upper : inp.max;
    return {
      input: name,
      zero: 0,
      one: 1,
      lo: round((lower - inp.min) / span, 4),
      hi: round((upper - inp.min) / span, 4),
      range: `${fmt(inp.min)} to ${fmt(inp.max)}`,
      kept: l ? `${fmt(lower)} to ${fmt(upper)}${l.qp !== null ? `  (quasi-p ${l.qp < 0.001 ? l.qp.toExponential(0) : l.qp.toFixed(3)})` : ''}` : 'not restricted',
    };
  });
  const y = { field: 'input', type: 'nominal', sort: order, title: null };
  const tooltip = [
    { field: 'input', type: 'nominal', title: 'Input' },
    { field: 'range', type: 'nominal', title: 'Full range' },
    { field: 'kept', type: 'nominal', title: 'Kept by the box' },
  ];
  const units = "position within each input's sampled range (0% = its minimum, 100% = its maximum); actual values printed.";
  const reading =
    `Cases of interest: ${d.question}. Each row is one uncertain input; the light bar is the whole range that was sampled, ` +
    'the dark bar the part the chosen box keeps (printed in the input’s own units). Inputs whose dark bar is short are ' +
    'the ones that matter: the cases of interest occur mainly in that part of their range. A quasi-p-value above 0.05 ' +
    'means that limit could be chance; inputs marked "not restricted" do not help explain the cases.';
  const spec = topLevel(TITLE, units, {
    width: 640,
    height: { step: 44 },
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#dddddd', height: 26 }, encoding: { y, x: { field: 'zero', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'Position within the sampled range' }, x2: { field: 'one' }, tooltip } },
      { mark: { type: 'bar', color: '#0072B2', height: 14 }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, tooltip } },
      { mark: { type: 'text', align: 'left', dx: 8, fontSize: 14 }, encoding: { y, x: { field: 'one', type: 'quantitative' }, text: { field: 'kept', type: 'nominal' } } },
    ],
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
