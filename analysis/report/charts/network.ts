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

/** Most scenario panels drawn (the baseline first); more would turn the chart into a wall. */
export const MAX_NETWORK_PANELS = 6;

/** Most partnerships drawn per panel (the largest first). */
export const MAX_PARTNERSHIPS_SHOWN = 24;

/**
 * A readable layout: each partnership (a star of ties from its lowest-numbered member,
 * with one focus) is drawn as its own small ring of members, the rings on a grid,
 * largest first; a school in several partnerships appears in each. Map positions are
 * not used: with every partnership in one LA they make a hairball.
 */
export function partnershipLayout(links: { source: number; target: number; focus: string }[], max = MAX_PARTNERSHIPS_SHOWN): { groups: { focus: string; members: number[]; cx: number; cy: number; pos: { x: number; y: number }[] }[]; total: number } {
  const byKey = new Map<string, { focus: string; members: number[] }>();
  for (const l of links) {
    const key = `${l.source}|${l.focus}`;
    const g = byKey.get(key) ?? { focus: l.focus, members: [l.source] };
    if (!g.members.includes(l.target)) g.members.push(l.target);
    byKey.set(key, g);
  }
  const all = [...byKey.values()].sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0]);
  const shown = all.slice(0, max);
  const cols = Math.max(1, Math.ceil(Math.sqrt(shown.length * 1.5)));
  return {
    total: all.length,
    groups: shown.map((g, k) => {
      const cx = (k % cols) + 0.5;
      const cy = -(Math.floor(k / cols) + 0.5);
      const r = 0.3;
      const pos = g.members.map((_, i) => {
        const t = (2 * Math.PI * i) / g.members.length - Math.PI / 2;
        return { x: round(cx + r * Math.cos(t), 4), y: round(cy + r * Math.sin(t), 4) };
      });
      return { ...g, cx, cy, pos };
    }),
  };
}

/** Build the network panels (chart 5). */
export function buildNetwork(data: ReportData): ChartResult {
  const all = data.network.filter((n) => n.nodes.length > 0);
  const allOrder = scenarioOrder(data, all).filter((s) => all.some((n) => n.scenario === s));
  const kept = allOrder.slice(0, MAX_NETWORK_PANELS);
  const nets = all.filter((n) => kept.includes(n.scenario)).map((n) => ({ ...n, layout: partnershipLayout(n.links) }));
  if (nets.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no network snapshot (network is empty).' };
  }
  const las = new Set(nets.map((n) => n.la));
  const oneLa = las.size === 1 ? nets[0].la : null;
  // one LA everywhere: name it in the title and head panels by scenario alone
  const layoutOf = new Map(nets.map((n) => [`${n.scenario}\u0000${n.la}`, n.layout]));
  const panelOf = (scenario: string, la: string): string => {
    const l = layoutOf.get(`${scenario}\u0000${la}`)!;
    const sub = l.total > l.groups.length ? `largest ${l.groups.length} of ${l.total} partnerships` : `${l.total} partnerships`;
    return oneLa === null ? `${scenario}\nLA: ${la}\n${sub}` : `${scenario}\n${sub}`;
  };
  const title = oneLa === null ? TITLE : `Which schools in ${oneLa} are partnered with which, at the end of the first run.`;
  const panels = kept.flatMap((s) => nets.filter((n) => n.scenario === s).map((n) => panelOf(n.scenario, n.la)));
  // FSM may come as a fraction (0–1) or as a percentage: normalise to a fraction.
  const maxFsm = Math.max(...nets.flatMap((n) => n.nodes.map((d) => d.fsm)));
  const fsmScale = maxFsm > 1 ? 0.01 : 1;
  const nodes = nets.flatMap((n) => {
    const info = new Map(n.nodes.map((d) => [d.id, d]));
    return n.layout.groups.flatMap((g, k) =>
      g.members.map((id, i) => {
        const d = info.get(id) ?? { id, name: `school ${id}`, fsm: 0, attainment: NaN, x: 0, y: 0 };
        return {
          kind: 'school',
          scenario: n.scenario,
          panel: panelOf(n.scenario, n.la),
          id: d.id,
          partnership: k + 1,
          name: d.name,
          fsm: round(d.fsm * fsmScale, 4),
          band: fsmBand(d.fsm * fsmScale),
          attainment: round(d.attainment, 3),
          x: g.pos[i].x,
          y: g.pos[i].y,
        };
      }),
    );
  });
  const links = nets.flatMap((n) =>
    n.layout.groups.flatMap((g, k) =>
      g.members.map((_, i) => {
        // a ring through the members: partners drawn side by side, whatever the size
        const j = (i + 1) % g.members.length;
        if (g.members.length === 2 && i === 1) return null;
        const fi = FOCUS.indexOf(g.focus);
        return {
          kind: 'tie',
          scenario: n.scenario,
          panel: panelOf(n.scenario, n.la),
          focus: FOCUS_LABELS[fi],
          from: `partnership ${k + 1}`,
          to: `${g.members.length} schools`,
          x: g.pos[i].x,
          y: g.pos[i].y,
          x2: g.pos[j].x,
          y2: g.pos[j].y,
        };
      }).filter((x) => x !== null),
    ),
  );
  const bandsUsed = NODE_FSM_BANDS.filter((b) => nodes.some((n) => n.band === b));
  const bi = bandsUsed.map((b) => NODE_FSM_BANDS.indexOf(b));
  const focusUsed = FOCUS_LABELS.filter((f) => links.some((l) => l.focus === f));
  const fi = focusUsed.map((f) => FOCUS_LABELS.indexOf(f));
  const columns = Math.min(panels.length, 3);
  const size = [720, 440, 330][columns - 1];
  const axisOff = { axis: null, scale: { zero: false, nice: false, padding: 12 } };
  const bandLegend = 'Pupils on free school meals (colour, marker)';
  const units = 'no scale: each ring is one partnership; marker size is the school’s attainment in points; FSM as a percentage of pupils.';
  const left = allOrder.length - kept.length;
  const reading =
    'Each panel shows the same local authority at the end of the first run of one scenario' +
    (left > 0 ? ` (the first ${kept.length} scenarios; ${left} more are in the data files)` : '') +
    '. Each ring is one partnership, largest first (at most ' + MAX_PARTNERSHIPS_SHOWN + ' per panel), joined by a line in the partnership’s style; a school in several partnerships appears in each ring. Each marker is a secondary school; its colour and shape give its share of pupils on free school ' +
    'meals (darker and more angular = more deprived) and its size its attainment. The ring’s line shows the ' +
    'partnership’s focus: solid blue for attainment, dashed orange for behaviour, dotted black for both. Look at ' +
    'how big partnerships are, what they focus on, and whether high-FSM schools share rings with stronger ones. ' +
    'Hover over a school for its name and figures.';
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
                scale: { range: [30, 150], zero: false },
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
