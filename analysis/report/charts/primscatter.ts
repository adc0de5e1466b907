/**
 * Scenario discovery (issue 15) — every case on the two most restricted inputs,
 * cases of interest marked by colour and shape, with the chosen box drawn.
 * Workshop question: "Where in the space of assumptions do the bad cases sit?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, round, topLevel } from './common.js';

const NAME = 'prim-scatter';
const TITLE = 'Scenario discovery: the cases on the two most restricted inputs, with the chosen box.';

/** Build the pairwise scatter. */
export function buildPrimScatter(data: ReportData): ChartResult {
  const d = data.discovery;
  if (!d || !d.pair || !Array.isArray(d.cases) || d.cases.length === 0 || !Array.isArray(d.inputs)) {
    return { name: NAME, title: TITLE, omitted: 'no scenario-discovery box with two inputs to plot (run `partnersim discover DIR --where ...`).' };
  }
  const { x: nx, y: ny } = d.pair;
  const ix = d.inputs.find((i) => i.name === nx)!;
  const iy = d.inputs.find((i) => i.name === ny)!;
  const lx = d.limits.find((l) => l.input === nx);
  const ly = d.limits.find((l) => l.input === ny);
  const YES = 'case of interest';
  const NO = 'other case';
  const values = d.cases.map((c) => ({ x: round(c.x, 6), y: round(c.y, 6), kind: c.interesting ? YES : NO }));
  const box = [{ x0: lx ? lx.lower : ix.min, x1: lx ? lx.upper : ix.max, y0: ly ? ly.lower : iy.min, y1: ly ? ly.upper : iy.max }];
  const units = `${nx} across and ${ny} up, each in its own unit.`;
  const reading =
    `Cases of interest: ${d.question}. Every mark is one case (a sampled future, or a design point of a sweep), placed by ` +
    `its values of the two inputs the box restricts most (${nx} across, ${ny} up). Filled orange triangles are the cases of ` +
    'interest, open blue circles the others. The black rectangle is the chosen box on these two inputs: a good box holds ' +
    'most of the triangles and few circles. Inputs not shown may restrict the box further.';
  const spec = topLevel(TITLE, units, {
    width: 640,
    height: 480,
    layer: [
      {
        data: { values },
        mark: { type: 'point', size: 90, strokeWidth: 2 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: nx, scale: { domain: [ix.min, ix.max], nice: false } },
          y: { field: 'y', type: 'quantitative', title: ny, scale: { domain: [iy.min, iy.max], nice: false } },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: [YES, NO], range: ['#D55E00', '#0072B2'] } },
          shape: { field: 'kind', type: 'nominal', scale: { domain: [YES, NO], range: ['triangle-up', 'circle'] } },
          fill: { condition: { test: `datum.kind == '${YES}'`, value: '#D55E00' }, value: 'transparent' },
          tooltip: [
            { field: 'x', type: 'quantitative', title: nx, format: ',.4~g' },
            { field: 'y', type: 'quantitative', title: ny, format: ',.4~g' },
            { field: 'kind', type: 'nominal', title: 'Case' },
          ],
        },
      },
      {
        data: { values: box },
        mark: { type: 'rect', fill: null, stroke: 'black', strokeWidth: 3 },
        encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' }, y: { field: 'y0', type: 'quantitative' }, y2: { field: 'y1' }, tooltip: [{ field: 'x0', type: 'quantitative', title: `${nx} from`, format: ',.4~g' }, { field: 'x1', type: 'quantitative', title: `${nx} to`, format: ',.4~g' }, { field: 'y0', type: 'quantitative', title: `${ny} from`, format: ',.4~g' }, { field: 'y1', type: 'quantitative', title: `${ny} to`, format: ',.4~g' }] },
      },
    ],
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
