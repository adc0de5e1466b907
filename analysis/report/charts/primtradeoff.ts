/**
 * Scenario discovery (issue 15) — PRIM's coverage-density trade-off: every box on
 * the peeling and pasting trajectory, by how many of the cases of interest it
 * holds (coverage) and how pure it is (density), with the chosen box marked.
 * Workshop question: "How sharp a description of the bad futures can we get?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, OKABE_ITO, SHAPES, round, topLevel } from './common.js';

const NAME = 'prim-tradeoff';
const TITLE = 'Scenario discovery: the trade-off between covering the cases of interest and describing them precisely.';

/** Build the coverage-density trade-off. */
export function buildPrimTradeoff(data: ReportData): ChartResult {
  const d = data.discovery;
  if (!d || !Array.isArray(d.trajectory) || d.trajectory.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no scenario discovery in this folder (run `partnersim discover DIR --where ...`).' };
  }
  const label = (n: number): string => `${n} input${n === 1 ? '' : 's'} restricted`;
  const levels = [...new Set(d.trajectory.map((t) => t.restricted))].sort((a, b) => a - b).map(label);
  const values = d.trajectory.map((t) => ({ step: t.step, coverage: round(t.coverage, 4), density: round(t.density, 4), mass: round(t.mass, 4), restricted: label(t.restricted), chosen: t.step === d.chosen }));
  const c = values.find((v) => v.chosen)!;
  const tooltip = [
    { field: 'step', type: 'quantitative', title: 'Step' },
    { field: 'coverage', type: 'quantitative', title: 'Coverage', format: '.0%' },
    { field: 'density', type: 'quantitative', title: 'Density', format: '.0%' },
    { field: 'mass', type: 'quantitative', title: 'Mass', format: '.0%' },
    { field: 'restricted', type: 'nominal', title: 'Restricted' },
  ];
  const axis = (title: string) => ({ title, scale: { domain: [0, 1] }, axis: { format: '.0%' } });
  const units = 'shares (0-100%): coverage across, density up.';
  const reading =
    `Cases of interest: ${d.question}. Each mark is one box PRIM tried, from the whole space (bottom right: all cases ` +
    'covered, density = how common the cases are overall) to ever narrower boxes (up and to the left: purer but covering ' +
    'fewer of the cases). Colour and shape give how many inputs the box restricts; a good box sits up and to the right. ' +
    `The ringed box is the one chosen (${d.chosenBy === 'knee' ? 'at the knee of the curve' : 'by the minimum density asked for'}): coverage ${Math.round(100 * c.coverage)}%, density ${Math.round(100 * c.density)}%.`;
  const spec = topLevel(TITLE, units, {
    width: 720,
    height: 480,
    data: { values },
    layer: [
      { mark: { type: 'line', color: '#999', strokeWidth: 1.5 }, encoding: { x: { field: 'coverage', type: 'quantitative', ...axis('Coverage (share of all cases of interest in the box)') }, y: { field: 'density', type: 'quantitative', ...axis('Density (share of the box that is of interest)') }, order: { field: 'step', type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 110, opacity: 0.9 },
        encoding: {
          x: { field: 'coverage', type: 'quantitative' },
          y: { field: 'density', type: 'quantitative' },
          color: { field: 'restricted', type: 'nominal', title: 'Inputs restricted', sort: levels, scale: { domain: levels, range: levels.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]) } },
          shape: { field: 'restricted', type: 'nominal', sort: levels, scale: { domain: levels, range: levels.map((_, i) => SHAPES[i % SHAPES.length]) } },
          tooltip,
        },
      },
      { transform: [{ filter: 'datum.chosen' }], mark: { type: 'point', shape: 'circle', size: 900, strokeWidth: 3, color: 'black', filled: false }, encoding: { x: { field: 'coverage', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' }, tooltip } },
      { transform: [{ filter: 'datum.chosen' }], mark: { type: 'text', align: 'right', dx: -22, dy: -16, fontSize: 15, fontWeight: 'bold' }, encoding: { x: { field: 'coverage', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' }, text: { value: 'chosen box' } } },
    ],
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
