/**
 * Chart 9 (sweeps) — an outcome over two parameters as a heatmap: the sweep's
 * design points are binned on the first two parameters, each cell shows the
 * mean outcome of the points falling in it, as colour and as a printed number.
 * Workshop question: "Which combination of these two settings works best?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, distinct, measureHeading, round, topLevel, facetBy } from './common.js';

const NAME = 'sweep-heatmap';
const TITLE = 'How each outcome changes across combinations of the first two swept parameters.';

/** Build the two-parameter heatmap (chart 9). */
export function buildSweepHeatmap(data: ReportData): ChartResult {
  const sweep = data.sweep;
  if (!sweep || sweep.points.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'this is not a parameter sweep (no sweep points).' };
  }
  const params = sweep.parameters.filter((p) => p.max > p.min && sweep.points.some((pt) => Number.isFinite(pt.params[p.name])));
  if (params.length < 2) {
    return { name: NAME, title: TITLE, omitted: 'the sweep varies fewer than two parameters, so there is no second axis.' };
  }
  const [px, py] = params;
  const outcomes = distinct(sweep.points.map((p) => p.outcome));
  const headings = new Map(outcomes.map((o) => [o, measureHeading(data, o)]));
  const perOutcome = sweep.points.length / outcomes.length;
  const nb = Math.min(8, Math.max(3, Math.floor(Math.sqrt(perOutcome / 2))));
  const binOf = (v: number, lo: number, hi: number): number => Math.min(nb - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * nb)));
  const values = outcomes.flatMap((o) => {
    const cells = new Map<string, { bx: number; by: number; sum: number; n: number }>();
    for (const pt of sweep.points) {
      if (pt.outcome !== o) continue;
      const vx = pt.params[px.name];
      const vy = pt.params[py.name];
      if (!Number.isFinite(vx) || !Number.isFinite(vy)) continue;
      const bx = binOf(vx, px.min, px.max);
      const by = binOf(vy, py.min, py.max);
      const key = `${bx},${by}`;
      const c = cells.get(key) ?? { bx, by, sum: 0, n: 0 };
      c.sum += pt.mean;
      c.n++;
      cells.set(key, c);
    }
    const rows = [...cells.values()].map((c) => ({ ...c, value: c.sum / c.n }));
    const lo = Math.min(...rows.map((r) => r.value));
    const hi = Math.max(...rows.map((r) => r.value));
    const mid = (lo + hi) / 2;
    const wx = (px.max - px.min) / nb;
    const wy = (py.max - py.min) / nb;
    return rows.map((r) => ({
      outcome: headings.get(o),
      x0: round(px.min + r.bx * wx, 6),
      x1: round(px.min + (r.bx + 1) * wx, 6),
      y0: round(py.min + r.by * wy, 6),
      y1: round(py.min + (r.by + 1) * wy, 6),
      xc: round(px.min + (r.bx + 0.5) * wx, 6),
      yc: round(py.min + (r.by + 0.5) * wy, 6),
      value: round(r.value, 6),
      points: r.n,
      // viridis is dark at the low end: print light text on dark cells
      dark: r.value < mid,
    }));
  });
  const columns = outcomes.length >= 2 ? 2 : 1;
  const width = columns === 2 ? 360 : 720;
  const others = params.length > 2 ? ` Other swept parameters (${params.slice(2).map((p) => p.name).join(', ')}) are averaged over.` : '';
  const units = `${px.name} across and ${py.name} up, in the parameters' own units; cell values in each outcome's unit (panel heading).`;
  const reading =
    `Each panel is one outcome. The sweep's runs are grouped into a ${nb} × ${nb} grid by the values of ` +
    `${px.name} (across) and ${py.name} (up); each cell's colour and printed number give the average outcome of ` +
    'the runs that fell in it (blank cells had no runs). Look for where the numbers are best and whether the ' +
    'change runs mostly across (the first parameter matters), mostly up (the second matters), or diagonally ' +
    `(they interact). Each panel has its own colour scale.${others}`;
  const xEnc = { field: 'x0', type: 'quantitative', title: px.name, scale: { domain: [px.min, px.max], nice: false } };
  const yEnc = { field: 'y0', type: 'quantitative', title: py.name, scale: { domain: [py.min, py.max], nice: false } };
  const spec = topLevel(TITLE, units, {
    data: { values },
    facet: facetBy('outcome', outcomes, headings),
    columns,
    resolve: { scale: { color: 'independent' } },
    spec: {
      width,
      height: Math.round(width * 0.75),
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
          encoding: {
            x: xEnc,
            x2: { field: 'x1' },
            y: yEnc,
            y2: { field: 'y1' },
            color: { field: 'value', type: 'quantitative', title: 'Mean outcome', scale: { scheme: 'viridis' }, legend: { orient: 'right', direction: 'vertical', gradientLength: 160 } },
            tooltip: [
              { field: 'outcome', type: 'nominal', title: 'Outcome' },
              { field: 'x0', type: 'quantitative', title: `${px.name} from`, format: ',.4~g' },
              { field: 'x1', type: 'quantitative', title: `${px.name} to`, format: ',.4~g' },
              { field: 'y0', type: 'quantitative', title: `${py.name} from`, format: ',.4~g' },
              { field: 'y1', type: 'quantitative', title: `${py.name} to`, format: ',.4~g' },
              { field: 'value', type: 'quantitative', title: 'Mean outcome', format: ',.4~g' },
              { field: 'points', type: 'quantitative', title: 'Design points' },
            ],
          },
        },
        {
          mark: { type: 'text', fontSize: 14 },
          encoding: {
            x: { field: 'xc', type: 'quantitative' },
            y: { field: 'yc', type: 'quantitative' },
            text: { field: 'value', type: 'quantitative', format: ',.3~g' },
            color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}
