/**
 * The workshop page's five headline charts and their plain-English readings:
 * attainment, the gap between low- and high-FSM schools and exclusions against the
 * baseline (paired, replication by replication, with the 95% interval once the run is
 * complete), the share of schools partnering year by year, and the cost per attainment
 * point gained over no partnering. Live rows come from the aggregator as records
 * arrive; the final numbers are the comparison's (analysis/compare.ts), the same as
 * `partnersim compare --json`. Pure: vega-lite specs and strings.
 */
import { M, METRICS } from '../sim/metrics.js';
import { NO_PARTNERING, type CompareAggregator, type Comparison } from '../analysis/compare.js';

/** A scenario's paired difference from the baseline with its 95% t interval, when the comparison has one. */
export function differenceOf(c: Comparison | undefined, scenario: string, outcome: string): { estimate: number; low: number; high: number } | undefined {
  const r = c?.results[scenario]?.[outcome];
  if (r?.pairedMean === undefined || !r.tInterval) return undefined;
  return { estimate: r.pairedMean, low: r.tInterval[0], high: r.tInterval[1] };
}
import { scenarioStyles } from '../analysis/report/charts/common.js';
import { academicYear } from './levers.js';

/** A headline chart: the data-independent spec, and how to fill its named data sources. */
export interface Headline {
  id: string;
  title: string;
  spec: Record<string, unknown>;
}

/** The three outcomes shown as paired differences from the baseline. */
export const DIFF_OUTCOMES = [
  { id: 'attainment_mean', title: 'Attainment at 14 against the baseline', what: 'attainment at 14', unit: 'points', higher: 'higher', lower: 'lower', digits: 2 },
  { id: 'fsm_gap', title: 'Gap between schools with few and many pupils on free school meals', what: 'the attainment gap between schools with few and many FSM pupils', unit: 'points', higher: 'wider', lower: 'narrower', digits: 2 },
  { id: 'exclusion_rate', title: 'Fixed-term exclusions against the baseline', what: 'fixed-term exclusions', unit: 'per 100 pupils a year', higher: 'higher', lower: 'lower', digits: 2 },
] as const;

const FONT = 'DejaVu Sans, Verdana, sans-serif';

/** Shared, projector-readable vega-lite config (18 px labels and more). */
export function headlineConfig(): Record<string, unknown> {
  return {
    font: FONT,
    background: 'white',
    padding: 8,
    axis: { labelFontSize: 18, titleFontSize: 18, labelLimit: 240, labelColor: '#111', titleColor: '#111', gridColor: '#ddd', labelOverlap: true, titleFontWeight: 'normal' },
    legend: { labelFontSize: 18, titleFontSize: 18, symbolSize: 200, symbolStrokeWidth: 2.5, orient: 'bottom', direction: 'horizontal', labelLimit: 360, columns: 2 },
    view: { stroke: null },
  };
}

/** Display names of the three scenarios the page runs. */
export interface Names {
  baseline: string;
  policy: string;
  /** Label for the policy on the page. */
  policyLabel: string;
}

/** Colour, shape and dash per scenario: the same styles as the report (baseline black, no-partnering grey). */
export function styles(n: Names): { domain: string[]; color: string[]; shape: string[]; dash: number[][] } {
  const domain = [n.baseline, n.policy, NO_PARTNERING];
  const st = scenarioStyles(domain, n.baseline);
  return { domain: ['Baseline (today)', n.policyLabel, 'No partnering'], color: st.map((s) => s.color), shape: st.map((s) => s.shape), dash: st.map((s) => s.dash) };
}

/** The five chart specs (data filled in later through the named sources `reps`, `interval`, `years`, `cost`). */
export function headlineSpecs(n: Names): Headline[] {
  const st = styles(n);
  const scale = (k: 'color' | 'shape', upTo = 3): Record<string, unknown> => ({ domain: st.domain.slice(0, upTo), range: st[k].slice(0, upTo) });
  const legendScenario = { field: 'who', type: 'nominal', title: null };
  const diff = DIFF_OUTCOMES.map((o) => ({
    id: o.id,
    title: o.title,
    spec: {
      config: headlineConfig(),
      width: 'container',
      height: 110,
      layer: [
        // zero = the baseline itself
        { data: { values: [{ x: 0, who: st.domain[0] }] }, mark: { type: 'rule', strokeWidth: 3 }, encoding: { x: { field: 'x', type: 'quantitative' }, color: { ...legendScenario, scale: scale('color', 2) } } },
        {
          data: { name: 'reps' },
          mark: { type: 'point', filled: true, size: 150, opacity: 0.75 },
          encoding: {
            x: { field: 'diff', type: 'quantitative', title: `Difference from baseline (${o.unit})`, scale: { zero: true, nice: true } },
            y: { field: 'jitter', type: 'quantitative', axis: null, scale: { domain: [-1, 1] } },
            color: { ...legendScenario, scale: scale('color', 2) },
            shape: { ...legendScenario, scale: scale('shape', 2) },
            tooltip: [{ field: 'rep', title: 'Replication' }, { field: 'diff', title: `Difference (${o.unit})`, format: '.3f' }],
          },
        },
        {
          data: { name: 'interval' },
          mark: { type: 'rule', strokeWidth: 8, color: '#222', opacity: 0.55 },
          encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, y: { datum: 0, type: 'quantitative' } },
        },
        {
          data: { name: 'interval' },
          mark: { type: 'tick', thickness: 4, size: 60, color: '#000' },
          encoding: { x: { field: 'estimate', type: 'quantitative' }, y: { datum: 0, type: 'quantitative' }, tooltip: [{ field: 'text', title: 'Mean difference and 95% interval' }] },
        },
      ],
    },
  }));
  const years: Headline = {
    id: 'share_over_time',
    title: 'Share of schools in a partnership, year by year',
    spec: {
      config: headlineConfig(),
      width: 'container',
      height: 200,
      data: { name: 'years' },
      encoding: {
        x: { field: 'label', type: 'ordinal', title: 'Academic year', sort: null, axis: { labelAngle: 0, labelOverlap: 'greedy' } },
        y: { field: 'share', type: 'quantitative', title: 'Schools partnering', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
        color: { ...legendScenario, scale: scale('color') },
        tooltip: [{ field: 'who', title: 'Scenario' }, { field: 'label', title: 'Year' }, { field: 'share', title: 'Median share', format: '.1%' }],
      },
      layer: [
        { mark: { type: 'line', strokeWidth: 3 }, encoding: { strokeDash: { ...legendScenario, scale: { domain: st.domain, range: st.dash } } } },
        { mark: { type: 'point', filled: true, size: 110 }, encoding: { shape: { ...legendScenario, scale: scale('shape') } } },
      ],
    },
  };
  const cost: Headline = {
    id: 'cost_per_point',
    title: 'Cost of each attainment point gained over no partnering',
    spec: {
      config: headlineConfig(),
      width: 'container',
      height: 130,
      data: { name: 'cost' },
      encoding: { y: { field: 'who', type: 'nominal', title: null, sort: st.domain, axis: { labelLimit: 220 } } },
      layer: [
        {
          mark: { type: 'bar', height: 26, opacity: 0.35 },
          encoding: {
            x: { field: 'estimate', type: 'quantitative', title: '£ per school per year, per point gained', axis: { format: ',.0f' } },
            color: { ...legendScenario, scale: scale('color', 2), legend: null },
          },
        },
        { mark: { type: 'rule', strokeWidth: 3 }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, color: { ...legendScenario, scale: scale('color', 2), legend: null } } },
        {
          mark: { type: 'point', filled: true, size: 200 },
          encoding: {
            x: { field: 'estimate', type: 'quantitative' },
            color: { ...legendScenario, scale: scale('color', 2) },
            shape: { ...legendScenario, scale: scale('shape', 2) },
            tooltip: [{ field: 'who', title: 'Scenario' }, { field: 'estimate', title: '£ per point', format: ',.0f' }, { field: 'low', title: '95% interval from', format: ',.0f' }, { field: 'high', title: 'to', format: ',.0f' }],
          },
        },
      ],
    },
  };
  return [diff[0], diff[1], diff[2], years, cost];
}

/** Replications of `scenario` whose records are in. */
function seen(agg: CompareAggregator, scenario: string): Uint8Array {
  return agg.seen[agg.scenarios.indexOf(scenario)];
}

/** Values for every named data source, from the records in so far and (when complete) the comparison. */
export function headlineData(agg: CompareAggregator, n: Names, startYear: number, c?: Comparison): Record<string, Record<string, Record<string, unknown>[]>> {
  const st = styles(n);
  const k = METRICS.length;
  const bi = agg.scenarios.indexOf(n.baseline);
  const pi = agg.scenarios.indexOf(n.policy);
  const sb = seen(agg, n.baseline);
  const sp = seen(agg, n.policy);
  const out: Record<string, Record<string, Record<string, unknown>[]>> = {};
  for (const o of DIFF_OUTCOMES) {
    const j = M[o.id as keyof typeof M];
    const reps: Record<string, unknown>[] = [];
    for (let r = 0; r < agg.reps; r++) {
      if (!sb[r] || !sp[r]) continue;
      const d = agg.outcomes[pi][r * k + j] - agg.outcomes[bi][r * k + j];
      // deterministic spread so overlapping points stay visible
      reps.push({ rep: r + 1, diff: d, jitter: (((r * 0.618034) % 1) * 2 - 1) * 0.7, who: st.domain[1] });
    }
    const d = differenceOf(c, n.policy, o.id);
    const interval = d ? [{ estimate: d.estimate, low: d.low, high: d.high, text: `${fmt(d.estimate, o.digits)} (${fmt(d.low, o.digits)} to ${fmt(d.high, o.digits)})` }] : [];
    out[o.id] = { reps, interval };
  }
  // share of schools in any partnership, median over the replications in, by year
  const yrs: Record<string, unknown>[] = [];
  const names = [n.baseline, n.policy, NO_PARTNERING];
  names.forEach((name, w) => {
    const s = agg.scenarios.indexOf(name);
    if (s < 0) return;
    const got = agg.seen[s];
    for (let y = 0; y < agg.years; y++) {
      const vals: number[] = [];
      for (let r = 0; r < agg.reps; r++) if (got[r]) vals.push(agg.yearly[s][(r * agg.years + y) * k + M.share_any_partnership]);
      if (!vals.length) continue;
      vals.sort((a, b) => a - b);
      const h = (vals.length - 1) / 2;
      const med = (vals[Math.floor(h)] + vals[Math.ceil(h)]) / 2;
      yrs.push({ who: st.domain[w], year: startYear + y, label: academicYear(startYear + y), share: med });
    }
  });
  out.share_over_time = { years: yrs };
  // cost per point: the comparison's ratio of mean differences with its interval when complete, else the running ratio
  const cost: Record<string, unknown>[] = [];
  [n.baseline, n.policy].forEach((name, w) => {
    const r = c?.costPerPoint.find((row) => row.scenario === name);
    if (r) {
      if (r.estimate !== null) cost.push({ who: st.domain[w], estimate: r.estimate, low: r.low ?? r.estimate, high: r.high ?? r.estimate });
      return;
    }
    const v = runningCostPerPoint(agg, name);
    if (v !== undefined) cost.push({ who: st.domain[w], estimate: v, low: v, high: v });
  });
  out.cost_per_point = { cost };
  return out;
}

/** Ratio of mean differences (money cost over attainment, against no partnering) over the replications in so far. */
function runningCostPerPoint(agg: CompareAggregator, name: string): number | undefined {
  const s = agg.scenarios.indexOf(name);
  const z = agg.scenarios.indexOf(NO_PARTNERING);
  if (s < 0 || z < 0) return undefined;
  const k = METRICS.length;
  let dc = 0;
  let da = 0;
  for (let r = 0; r < agg.reps; r++) {
    if (!agg.seen[s][r] || !agg.seen[z][r]) continue;
    dc += agg.outcomes[s][r * k + M.money_cost] - agg.outcomes[z][r * k + M.money_cost];
    da += agg.outcomes[s][r * k + M.attainment_mean] - agg.outcomes[z][r * k + M.attainment_mean];
  }
  return da === 0 ? undefined : dc / da;
}

/** A number for people: fixed decimals, a true minus sign, thousands separated. */
export function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return 'n/a';
  const s = Math.abs(x).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return (x < 0 && Number(s.replace(/,/g, '')) !== 0 ? '−' : '') + s;
}

function money(x: number): string {
  return Number.isFinite(x) ? `${x < 0 ? '−' : ''}£${Math.abs(Math.round(x)).toLocaleString('en-GB')}` : 'n/a';
}

/** One plain-English sentence per chart; `done` is false while replications are still arriving. */
export function headlineSentences(agg: CompareAggregator, n: Names, startYear: number, c?: Comparison): Record<string, string> {
  const data = headlineData(agg, n, startYear, c);
  const out: Record<string, string> = {};
  const inSoFar = data.attainment_mean.reps.length;
  for (const o of DIFF_OUTCOMES) {
    const d = differenceOf(c, n.policy, o.id);
    if (d) {
      const same = Math.abs(d.estimate) < 0.5 * 10 ** -o.digits;
      const dir = d.estimate > 0 ? o.higher : o.lower;
      const clear = d.low > 0 || d.high < 0;
      out[o.id] = same
        ? `Under this policy, ${o.what} is the same as under the baseline (95% interval ${fmt(d.low, o.digits)} to ${fmt(d.high, o.digits)} ${o.unit}).`
        : `Under this policy, ${o.what} is ${fmt(Math.abs(d.estimate), o.digits)} ${o.unit} ${dir} than under the baseline (95% interval ${fmt(d.low, o.digits)} to ${fmt(d.high, o.digits)})${clear ? '' : ', so the difference could be zero'}.`;
    } else if (inSoFar > 0) {
      const vals = data[o.id].reps.map((x) => x.diff as number);
      const m = vals.reduce((a, b) => a + b, 0) / vals.length;
      out[o.id] = `So far (${inSoFar} of ${agg.reps} replications), ${o.what} is ${fmt(Math.abs(m), o.digits)} ${o.unit} ${m >= 0 ? o.higher : o.lower} than under the baseline on average.`;
    } else out[o.id] = 'Waiting for the first replications…';
  }
  const yrs = data.share_over_time.years as { who: string; year: number; share: number }[];
  const last = Math.max(...yrs.map((y) => y.year), -Infinity);
  const st = styles(n);
  const at = (who: string): number | undefined => yrs.find((y) => y.year === last && y.who === who)?.share;
  const sp = at(st.domain[1]);
  const sb = at(st.domain[0]);
  out.share_over_time =
    sp !== undefined && sb !== undefined
      ? `In ${academicYear(last)}, ${Math.round(sp * 100)}% of schools are in a partnership under this policy, against ${Math.round(sb * 100)}% under the baseline (medians over the replications${c ? '' : ' in so far'}).`
      : 'Waiting for the first replications…';
  const cost = data.cost_per_point.cost as { who: string; estimate: number; low: number; high: number }[];
  const cp = cost.find((x) => x.who === st.domain[1]);
  const cb = cost.find((x) => x.who === st.domain[0]);
  if (cp && c) {
    out.cost_per_point = `Each attainment point gained over no partnering costs ${money(cp.estimate)} per school per year under this policy (95% interval ${money(cp.low)} to ${money(cp.high)})${cb ? `, against ${money(cb.estimate)} under the baseline` : ''}.`;
  } else if (cp) out.cost_per_point = `So far, each attainment point gained over no partnering costs about ${money(cp.estimate)} per school per year under this policy.`;
  else out.cost_per_point = c ? 'This policy gains no attainment over no partnering, so a cost per point does not exist (n/a).' : 'Waiting for the first replications…';
  return out;
}
