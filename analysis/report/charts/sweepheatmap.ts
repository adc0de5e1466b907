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
  // a grid design: one cell per pair of levels, axes labelled with the levels; otherwise bins
  const levels = (name: string): number[] => distinct(sweep.points.map((pt) => pt.params[name]).filter(Number.isFinite)).sort((a, b) => a - b);
  const lx = levels(px.name);
  const ly = levels(py.name);
  const grid = lx.length <= 12 && ly.length <= 12;
  const nb = Math.min(8, Math.max(3, Math.floor(Math.sqrt(perOutcome / 2))));
  const binOf = (v: number, lo: number, hi: number): number => Math.min(nb - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * nb)));
  const edge = (lo: number, hi: number, i: number): number => round(lo + ((hi - lo) * i) / nb, 6);
  const label = (lo: number, hi: number): string => `${fmtLevel(lo)}–${fmtLevel(hi)}`;
  const xLabels = grid ? lx.map(fmtLevel) : Array.from({ length: nb }, (_, i) => label(edge(px.min, px.max, i), edge(px.min, px.max, i + 1)));
  const yLabels = grid ? ly.map(fmtLevel) : Array.from({ length: nb }, (_, i) => label(edge(py.min, py.max, i), edge(py.min, py.max, i + 1)));
  let digitsAll = 0;
  const values = outcomes.flatMap((o) => {
    const cells = new Map<string, { bx: number; by: number; sum: number; n: number }>();
    for (const pt of sweep.points) {
      if (pt.outcome !== o) continue;
      const vx = pt.params[px.name];
      const vy = pt.params[py.name];
      if (!Number.isFinite(vx) || !Number.isFinite(vy)) continue;
      const bx = grid ? lx.indexOf(vx) : binOf(vx, px.min, px.max);
      const by = grid ? ly.indexOf(vy) : binOf(vy, py.min, py.max);
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
    // enough decimals that the cells' printed values differ (the spread's scale plus one digit, at most 6)
    const spread = hi - lo;
    const digits = spread > 0 ? Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(spread / Math.max(1, rows.length))))) : 2;
    digitsAll = Math.max(digitsAll, digits);
    return rows.map((r) => ({
      outcome: headings.get(o),
      xl: xLabels[r.bx],
      yl: yLabels[r.by],
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
    (grid ? `Each panel is one outcome. Each cell is one combination of the levels of ` : `Each panel is one outcome. The sweep's runs are grouped into a ${nb} × ${nb} grid by the values of `) +
    `${px.name} (across) and ${py.name} (up); each cell's colour and printed number give the average outcome of ` +
    'the runs that fell in it (blank cells had no runs). Look for where the numbers are best and whether the ' +
    'change runs mostly across (the first parameter matters), mostly up (the second matters), or diagonally ' +
    `(they interact). Each panel has its own colour scale.${others}`;
  const xEnc = { field: 'xl', type: 'ordinal', title: px.name, sort: xLabels, scale: { domain: xLabels }, axis: { labelAngle: 0, labelOverlap: 'greedy' } };
  const yEnc = { field: 'yl', type: 'ordinal', title: py.name, sort: [...yLabels].reverse(), scale: { domain: [...yLabels].reverse() } };
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
            y: yEnc,
            color: { field: 'value', type: 'quantitative', title: 'Mean outcome', scale: { scheme: 'viridis' }, legend: { orient: 'right', direction: 'vertical', gradientLength: 160 } },
            tooltip: [
              { field: 'outcome', type: 'nominal', title: 'Outcome' },
              { field: 'xl', type: 'ordinal', title: px.name },
              { field: 'yl', type: 'ordinal', title: py.name },
              { field: 'value', type: 'quantitative', title: 'Mean outcome', format: ',.4~g' },
              { field: 'points', type: 'quantitative', title: 'Design points' },
            ],
          },
        },
        {
          mark: { type: 'text', fontSize: 14 },
          encoding: {
            x: xEnc,
            y: yEnc,
            text: { field: 'value', type: 'quantitative', format: `,.${digitsAll}f` },
            color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: false };
}

/** A parameter level as people read it (at most 4 significant digits). */
function fmtLevel(v: number): string {
  return Number(v.toPrecision(4)).toLocaleString('en-GB', { maximumFractionDigits: 6 });
}
