/**
 * Shared pieces for the chart builders: the chart result type, a projector-ready
 * vega-lite config (DejaVu Sans, labels ≥ 14 px, titles ≥ 18 px), the Okabe–Ito
 * palette with matching shape and dash ranges, the scenario-highlight parameter
 * driven by the report's picker, and small statistics helpers.
 *
 * User text (scenario names, LA names) only ever enters a spec as data values or
 * scale domains, never as field names or inside expressions.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { OutcomeMeta, ReportData } from '../data.js';

/** A built chart. */
export interface ChartSpec {
  /** File-name-safe identifier, e.g. `differences`. */
  name: string;
  /** A sentence in words. */
  title: string;
  /** One plain-English paragraph: what this shows and what to look at. */
  reading: string;
  /** The units on the chart's axes, in words. */
  units: string;
  /** vega-lite spec with data inlined. */
  spec: TopLevelSpec;
  /** True when the spec declares the `scenario_pick` highlight parameter. */
  scenarioPick: boolean;
}

/** A chart that could not be drawn from this data, with the reason shown in the report. */
export interface OmittedChart {
  name: string;
  title: string;
  omitted: string;
}

/** What a chart builder returns. */
export type ChartResult = ChartSpec | OmittedChart;

/** A chart builder. */
export type ChartBuilder = (data: ReportData) => ChartResult | ChartResult[];

/** True if the builder produced a chart rather than an omission. */
export function isChart(r: ChartResult): r is ChartSpec {
  return (r as ChartSpec).spec !== undefined;
}

/** The one font used everywhere (the PNG renderer loads the DejaVu TTF files). */
export const FONT = 'DejaVu Sans';

/** Okabe–Ito colour-blind-safe palette, yellow moved last (weak on white): the non-scenario colours (verdicts, focus, bands). */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000', '#F0E442'];

/** The baseline is drawn black, solid, with circles, in every chart. */
export const BASELINE_STYLE = { color: '#000000', shape: 'circle', dash: [1, 0] as number[] };

/** The no-partnering counterfactual is drawn grey, long-dashed, with squares. */
export const NO_PARTNERING_STYLE = { color: '#8C8C8C', shape: 'square', dash: [10, 5] as number[] };

/** Name of the counterfactual scenario (analysis/compare.ts NO_PARTNERING). */
export const NO_PARTNERING_NAME = 'no-partnering';

/**
 * Colours for the other scenarios: Okabe–Ito without black and yellow, then four from
 * Paul Tol's colour-blind-safe sets that stay apart from them; all readable on white.
 */
export const SCENARIO_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#882255', '#332288', '#999933', '#44AA99'];

/** A five-pointed star as a vega symbol path (unit size). */
const STAR = 'M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809L-0.38,0.124L-0.951,-0.309L-0.235,-0.324Z';
/** A hexagon as a vega symbol path. */
const HEXAGON = 'M0,-1L0.866,-0.5L0.866,0.5L0,1L-0.866,0.5L-0.866,-0.5Z';

/** Point shapes for the other scenarios, each different from the baseline's and no-partnering's (the second cue besides colour). */
export const SCENARIO_SHAPES = ['triangle-up', 'diamond', 'cross', 'triangle-down', STAR, 'triangle-right', HEXAGON, 'triangle-left', 'wedge', 'arrow'];

/** Stroke dash patterns for the other scenarios (all differ from each other and from the two special ones). */
export const SCENARIO_DASHES: number[][] = [[6, 3], [2, 3], [12, 3, 2, 3], [4, 2, 1, 2], [16, 4], [3, 6], [8, 2, 2, 2, 2, 2], [1, 4], [20, 3, 4, 3], [6, 6]];

/** Most scenarios that get a unique colour, shape and dash each. */
export const MAX_DISTINCT_SCENARIOS = 2 + SCENARIO_COLOURS.length;

/** Kept for compatibility: the shapes and dashes in the order the scenario styles use them. */
export const SHAPES = [BASELINE_STYLE.shape, ...SCENARIO_SHAPES];
export const DASHES: number[][] = [BASELINE_STYLE.dash, ...SCENARIO_DASHES];

/**
 * The colour, shape and dash of each scenario in `order`: the baseline black and
 * no-partnering grey wherever they appear, the others in turn from the scenario
 * palette, so up to 12 scenarios never share a colour, a shape or a dash.
 */
export function scenarioStyles(order: readonly string[], baseline: string | null = null): { color: string; shape: string; dash: number[] }[] {
  let k = 0;
  return order.map((name) => {
    if (baseline !== null && name === baseline) return BASELINE_STYLE;
    if (name === NO_PARTNERING_NAME) return NO_PARTNERING_STYLE;
    const i = k++;
    const n = SCENARIO_COLOURS.length;
    // beyond 12 scenarios colours repeat, but shapes shift so colour+shape pairs stay distinct
    return { color: SCENARIO_COLOURS[i % n], shape: SCENARIO_SHAPES[(i + Math.floor(i / n)) % SCENARIO_SHAPES.length], dash: SCENARIO_DASHES[i % SCENARIO_DASHES.length] };
  });
}

/** Minimum width of any chart, in CSS pixels. */
export const MIN_WIDTH = 720;

/** Name of the highlight parameter; '' means "all scenarios". */
export const PICK_PARAM = 'scenario_pick';

/** vega expression: true for marks of the picked scenario (or all when none is picked). */
export const PICK_TEST = `${PICK_PARAM} == '' || datum.scenario == ${PICK_PARAM}`;

/** The highlight parameter (no binding: the HTML report's picker sets it on every chart). */
export const PICK_PARAMS = [{ name: PICK_PARAM, value: '' }];

/** Opacity encoding that dims scenarios other than the picked one. */
export function pickOpacity(on = 1, off = 0.12): Record<string, unknown> {
  return { condition: { test: PICK_TEST, value: on }, value: off };
}

/** Projector-ready config shared by all charts. */
export function baseConfig(): Record<string, unknown> {
  return {
    font: FONT,
    background: 'white',
    padding: 16,
    title: { font: FONT, fontSize: 20, subtitleFontSize: 16, subtitleColor: '#333', anchor: 'start', offset: 12 },
    axis: {
      labelFontSize: 14,
      titleFontSize: 16,
      titleFontWeight: 'bold',
      labelLimit: 280,
      labelColor: '#222',
      titleColor: '#222',
      gridColor: '#ddd',
      labelSeparation: 10,
      labelFlush: false,
    },
    axisQuantitative: { tickCount: 6 },
    legend: {
      labelFontSize: 14,
      titleFontSize: 16,
      labelLimit: 320,
      symbolSize: 160,
      symbolStrokeWidth: 2,
      symbolOpacity: 1,
      titleLimit: 640,
      orient: 'bottom',
      direction: 'vertical',
    },
    header: { labelFontSize: 16, titleFontSize: 16, labelLimit: 420, labelFontWeight: 'bold' },
    text: { fontSize: 14, font: FONT },
    range: { category: OKABE_ITO },
    view: { stroke: '#999' },
    point: { size: 90 },
    line: { strokeWidth: 2.5 },
  };
}

/** Split a title into lines of at most `max` characters (vega titles do not wrap). */
export function wrapLines(text: string, max = 62): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > max) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [''];
}

/** vega-lite title block: the sentence, wrapped, with the units as subtitle. */
export function titleBlock(title: string, units: string): Record<string, unknown> {
  return { text: wrapLines(title), subtitle: wrapLines(`Units: ${units}`, 80) };
}

/**
 * Scenario names in display order: those declared in `data.scenarios`, then any
 * others met in `extra` rows, in order of appearance; the baseline first.
 */
export function scenarioOrder(data: ReportData, extra: { scenario: string }[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (s: string): void => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  if (data.baseline !== null && data.scenarios.some((s) => s.name === data.baseline)) add(data.baseline);
  for (const s of data.scenarios) add(s.name);
  for (const r of extra) add(r.scenario);
  return out;
}

/** Colour, shape and dash scales keyed on the scenario order, so a scenario looks the same in every chart. */
export function scenarioScales(order: string[], baseline: string | null = null): {
  color: Record<string, unknown>;
  shape: Record<string, unknown>;
  dash: Record<string, unknown>;
} {
  const st = scenarioStyles(order, baseline);
  return {
    color: { domain: order, range: st.map((s) => s.color) },
    shape: { domain: order, range: st.map((s) => s.shape) },
    dash: { domain: order, range: st.map((s) => s.dash) },
  };
}

/** Built-in labels for time-series metrics not described in `outcomes`. */
const METRIC_LABELS: Record<string, { label: string; unit: string }> = {
  share_attainment_partnership: { label: 'Share of schools in an attainment partnership', unit: 'share of schools' },
  share_behaviour_partnership: { label: 'Share of schools in a behaviour partnership', unit: 'share of schools' },
  share_any_partnership: { label: 'Share of schools in any partnership', unit: 'share of schools' },
  attainment_mean: { label: 'Mean attainment at 14', unit: 'points' },
  fsm_gap: { label: 'Attainment gap, non-FSM minus FSM pupils', unit: 'points' },
  exclusion_rate: { label: 'Fixed-term exclusions per pupil', unit: 'rate' },
  partnerships_alive: { label: 'Partnerships running', unit: 'count' },
  trust_mean: { label: 'Mean trust between partners', unit: 'index 0–1' },
};

/** Label and unit for an outcome or metric id, falling back to the id itself. */
export function describeMeasure(data: ReportData, id: string): { label: string; unit: string; meta?: OutcomeMeta } {
  const meta = data.outcomes.find((o) => o.id === id);
  if (meta) return { label: meta.label, unit: meta.unit, meta };
  const known = METRIC_LABELS[id];
  if (known) return known;
  return { label: id.replace(/_/g, ' '), unit: '' };
}

/** Units read as shares (0-1) that people read as percentages. */
const SHARE_UNIT = /^share\b|^share of /;

/** How to show a measure: shares as percentages (x100) with the unit reworded; everything else as is. */
export function displayOf(unit: string): { factor: number; unit: string; diffUnit: string; percent: boolean } {
  if (SHARE_UNIT.test(unit)) {
    const of = unit.replace(/^share( of )?/, '').trim();
    return { factor: 100, unit: of ? `% of ${of}` : '%', diffUnit: 'percentage points', percent: true };
  }
  return { factor: 1, unit, diffUnit: unit, percent: false };
}

/** Outcomes that do not exist without partnerships (n/a, not 0, under no-partnering). */
export const PARTNERSHIP_ONLY = new Set(['partnership_mean_size', 'partnership_mean_age', 'trust_mean']);

/** True when a scenario's value of `outcome` does not exist (no partnerships to measure). */
export function notApplicable(scenario: string, outcome: string): boolean {
  return scenario === NO_PARTNERING_NAME && PARTNERSHIP_ONLY.has(outcome);
}

/** "Label (unit)" for facet headers, with shares in %, wrapped onto lines of at most `max` characters. */
export function measureHeading(data: ReportData, id: string, max = 36, diff = false): string {
  const d = describeMeasure(data, id);
  const disp = displayOf(d.unit);
  const unit = diff ? disp.diffUnit : disp.unit;
  return wrapLines(unit ? `${d.label} (${unit})` : d.label, max).join('\n');
}

/** Years the run simulated (from the manifest, else the time series), or undefined if unknown. */
export function runYears(data: ReportData): number | undefined {
  const run = (data.manifest as { run?: { years?: unknown } }).run;
  if (run && typeof run.years === 'number' && run.years > 0) return run.years;
  const ys = new Set(data.timeseries.map((t) => t.year));
  return ys.size ? ys.size : undefined;
}

/** Sweep intervals are drawn only with at least this many replications per point. */
export const MIN_REPS_FOR_INTERVALS = 5;

/** Replications per sweep point, from the manifest (undefined if it does not say). */
export function sweepReplications(data: ReportData): number | undefined {
  const m = data.manifest as { replications?: unknown; sweep?: { replications?: unknown } };
  const r = typeof m.replications === 'number' ? m.replications : typeof m.sweep?.replications === 'number' ? m.sweep.replications : undefined;
  return r;
}

/** Simulated runs per scenario in the data (1 for a single run). */
export function simulatedRuns(data: ReportData): number {
  const per = new Map<string, Set<number>>();
  for (const r of data.replications) {
    const s = per.get(r.scenario) ?? new Set<number>();
    s.add(r.rep);
    per.set(r.scenario, s);
  }
  let n = 0;
  for (const s of per.values()) n = Math.max(n, s.size);
  return n === 0 ? (data.kind === 'run' ? 1 : 0) : n;
}

/** Outcomes per chart in the appendix walls, so no PNG grows beyond 2,000 x 3,000 pixels. */
export const OUTCOMES_PER_CHART = 6;

/** Split `xs` into consecutive pieces of at most `n`. */
export function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Distinct values in order of first appearance. */
export function distinct<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** Type-7 (linear) quantile of an ascending-sorted array. */
export function quantileSorted(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

/** Arithmetic mean. */
export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Width of each facet cell so that `n` columns (plus gaps) add up to at least MIN_WIDTH. */
export function cellWidth(columns: number, min = 200): number {
  return Math.max(min, Math.ceil((MIN_WIDTH - 40 * (columns - 1) - 180) / Math.max(1, columns)));
}

/** Round for display in data rows (keeps inlined JSON small and tooltips tidy). */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The vega-lite schema URL, added only to the standalone `.vl.json` files (never to the offline HTML). */
export const VL_SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Assemble a top-level spec with the shared config, title, and optional picker param. */
export function topLevel(
  title: string,
  units: string,
  body: Record<string, unknown>,
  opts: { pick?: boolean } = {},
): TopLevelSpec {
  const spec: Record<string, unknown> = {
    title: titleBlock(title, units),
    config: baseConfig(),
    ...(opts.pick ? { params: PICK_PARAMS } : {}),
    ...body,
  };
  return spec as unknown as TopLevelSpec;
}

/** Small multiples: one panel per value of `field`, in `order`, each headed by its label (left-aligned). */
export function facetBy(field: string, order: readonly string[], headings: Map<string, string>) {
  return {
    field,
    type: 'nominal' as const,
    sort: order.map((o) => headings.get(o)),
    title: null,
    // headings hold '\n' where they wrap: long titles wrap instead of being cut off
    header: { labelAnchor: 'start' as const, labelAlign: 'left' as const, labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelLineHeight: 20 },
  };
}
