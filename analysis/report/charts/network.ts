/**
 * Chart 5 — the partnership network of one local authority at the end of
 * replication 0, one panel per scenario: schools are markers at their map
 * position, coloured and shaped by FSM band and sized by attainment; each line is
 * a partnership tie, styled (colour and dash) by focus.
 * Workshop question: "Who partners with whom: do deprived schools link up with stronger ones?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, pickOpacity, round, scenarioOrder, topLevel } from './common.js';

const NAME = 'network';
const TITLE = 'Which schools in one local authority are partnered with which, at the end of the first run.';

/** FSM bands used for node markers (share of pupils on free school meals). */
export const NODE_FSM_BANDS = ['FSM under 5%', 'FSM 5–13%', 'FSM 13–30%', 'FSM 30% or more'];
const BAND_COLOURS = ['#FDE725', '#35B779', '#31688E', '#440154'];
const BAND_SHAPES = ['circle', 'square', 'triangle-up', 'diamond'];
const FOCUS = ['attainment', 'behaviour', 'both'];
const FOCUS_LABELS = ['Attainment', 'Behaviour', 'Both'];
const FOCUS_COLOURS = ['#0072B2', '#D55E00', '#000000'];
const FOCUS_DASHES = [[1, 0], [7, 4], [2, 3]];

function fsmBand(share: number): string {
  if (share < 0.05) return NODE_FSM_BANDS[0];
  if (share < 0.13) return NODE_FSM_BANDS[1];
  if (share < 0.3) return NODE_FSM_BANDS[2];
  return NODE_FSM_BANDS[3];
}

/** Build the network panels (chart 5). */
export function buildNetwork(data: ReportData): ChartResult {
  const nets = data.network.filter((n) => n.nodes.length > 0);
  if (nets.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no network snapshot (network is empty).' };
  }
  const order = scenarioOrder(data, nets).filter((s) => nets.some((n) => n.scenario === s));
  const las = new Set(nets.map((n) => n.la));
  const oneLa = las.size === 1 ? nets[0].la : null;
  // one LA everywhere: name it in the title and head panels by scenario alone
  const panelOf = (scenario: string, la: string): string => (oneLa === null ? `${scenario}\nLA: ${la}` : scenario);
  const title = oneLa === null ? TITLE : `Which schools in ${oneLa} are partnered with which, at the end of the first run.`;
  const panels = order.flatMap((s) => nets.filter((n) => n.scenario === s).map((n) => panelOf(n.scenario, n.la)));
  // FSM may come as a fraction (0–1) or as a percentage: normalise to a fraction.
  const maxFsm = Math.max(...nets.flatMap((n) => n.nodes.map((d) => d.fsm)));
  const fsmScale = maxFsm > 1 ? 0.01 : 1;
  const nodes = nets.flatMap((n) =>
    n.nodes.map((d) => ({
      kind: 'school',
      scenario: n.scenario,
      panel: panelOf(n.scenario, n.la),
      id: d.id,
      name: d.name,
      fsm: round(d.fsm * fsmScale, 4),
      band: fsmBand(d.fsm * fsmScale),
      attainment: round(d.attainment, 3),
      x: round(d.x, 5),
      y: round(d.y, 5),
    })),
  );
  const links = nets.flatMap((n) => {
    const pos = new Map(n.nodes.map((d) => [d.id, d]));
    return n.links.flatMap((l) => {
      const a = pos.get(l.source);
      const b = pos.get(l.target);
      if (!a || !b) return [];
      const fi = FOCUS.indexOf(l.focus);
      return [
        {
          kind: 'tie',
          scenario: n.scenario,
          panel: panelOf(n.scenario, n.la),
          focus: FOCUS_LABELS[fi],
          from: a.name,
          to: b.name,
          x: round(a.x, 5),
          y: round(a.y, 5),
          x2: round(b.x, 5),
          y2: round(b.y, 5),
        },
      ];
    });
  });
  const bandsUsed = NODE_FSM_BANDS.filter((b) => nodes.some((n) => n.band === b));
  const bi = bandsUsed.map((b) => NODE_FSM_BANDS.indexOf(b));
  const focusUsed = FOCUS_LABELS.filter((f) => links.some((l) => l.focus === f));
  const fi = focusUsed.map((f) => FOCUS_LABELS.indexOf(f));
  const columns = Math.min(panels.length, 3);
  const size = [720, 440, 330][columns - 1];
  const axisOff = { axis: null, scale: { zero: false, nice: false, padding: 12 } };
  const bandLegend = 'Pupils on free school meals (colour, marker)';
  const units = 'map position (no scale); marker size is the school’s attainment in points; FSM as a percentage of pupils.';
  const reading =
    'Each panel shows the same local authority at the end of the first run of one scenario. Each marker is a ' +
    'secondary school placed roughly where it is; its colour and shape give its share of pupils on free school ' +
    'meals (darker and more angular = more deprived) and its size its attainment. Each line joins two schools in ' +
    'a partnership: solid blue for attainment, dashed orange for behaviour, dotted black for both. Look for ' +
    'isolated schools, clusters, and whether high-FSM schools are tied to stronger ones. Hover over a school for ' +
    'its name and figures.';
  const spec = topLevel(
    title,
    units,
    {
      data: { values: [...links, ...nodes] },
      facet: { field: 'panel', type: 'nominal', sort: panels, title: null, header: {
          labelAnchor: 'start',
          labelAlign: 'left',
          labelLimit: size,
          labelLineHeight: 20,
          // two-line headings (scenario, then LA) when the LAs differ
          labelExpr: "split(datum.label, '\\n')",
        },
      },
      columns,
      spec: {
        width: size,
        height: size,
        layer: [
          {
            transform: [{ filter: "datum.kind == 'tie'" }],
            mark: { type: 'rule', strokeWidth: 2.5 },
            encoding: {
              x: { field: 'x', type: 'quantitative', ...axisOff },
              y: { field: 'y', type: 'quantitative', ...axisOff },
              x2: { field: 'x2' },
              y2: { field: 'y2' },
              color: {
                field: 'focus',
                type: 'nominal',
                title: 'Partnership focus (colour, line style)',
                scale: { domain: focusUsed, range: fi.map((i) => FOCUS_COLOURS[i]) },
              },
              strokeDash: {
                field: 'focus',
                type: 'nominal',
                title: 'Partnership focus (colour, line style)',
                scale: { domain: focusUsed, range: fi.map((i) => FOCUS_DASHES[i]) },
              },
              opacity: pickOpacity(0.75, 0.08),
              tooltip: [
                { field: 'from', type: 'nominal', title: 'School' },
                { field: 'to', type: 'nominal', title: 'Partner' },
                { field: 'focus', type: 'nominal', title: 'Focus' },
              ],
            },
          },
          {
            transform: [{ filter: "datum.kind == 'school'" }],
            mark: { type: 'point', filled: true, stroke: 'black', strokeWidth: 1 },
            encoding: {
              x: { field: 'x', type: 'quantitative', ...axisOff },
              y: { field: 'y', type: 'quantitative', ...axisOff },
              fill: {
                field: 'band',
                type: 'nominal',
                title: bandLegend,
                scale: { domain: bandsUsed, range: bi.map((i) => BAND_COLOURS[i]) },
              },
              shape: { field: 'band', type: 'nominal', title: bandLegend, scale: { domain: bandsUsed, range: bi.map((i) => BAND_SHAPES[i]) } },
              size: {
                field: 'attainment',
                type: 'quantitative',
                title: 'Attainment (points)',
                scale: { range: [60, 420], zero: false },
                legend: { symbolFillColor: '#999', symbolStrokeColor: 'black', tickCount: 4 },
              },
              opacity: pickOpacity(1, 0.15),
              tooltip: [
                { field: 'name', type: 'nominal', title: 'School' },
                { field: 'fsm', type: 'quantitative', title: 'Pupils on FSM', format: '.0%' },
                { field: 'attainment', type: 'quantitative', title: 'Attainment (points)', format: ',.1f' },
                { field: 'scenario', type: 'nominal', title: 'Scenario' },
              ],
            },
          },
        ],
      },
      resolve: { scale: { x: 'independent', y: 'independent' } },
    },
    { pick: true },
  );
  return { name: NAME, title, reading, units, spec, scenarioPick: true };
}
