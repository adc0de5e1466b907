/**
 * Chart 6 — survival of partnerships: a Kaplan–Meier curve per scenario (share
 * of partnerships still running at each age, with a 95% Greenwood band;
 * partnerships alive at the horizon are censored), and underneath, for each
 * scenario, what ended the partnerships that ended.
 * Workshop question: "How long do partnerships last, and what kills them?"
 */
import type { ReportData } from '../data.js';
import { type ChartResult, pickOpacity, round, runYears, scenarioOrder, scenarioScales, topLevel } from './common.js';

const NAME = 'survival';
const TITLE = 'How long partnerships last, and what ended those that ended.';

/** Plain-English labels for end reasons. */
export const REASON_LABELS: Record<string, string> = {
  trust: 'Trust broke down',
  funding: 'Funding ended',
  'key-person': 'A key person left',
  'cost-benefit': 'Costs outweighed benefits',
  'staff-time': 'No staff time left',
  'members-left': 'Members left',
  policy: 'Ended by policy',
};

/** One step of a Kaplan–Meier curve. */
export interface KmPoint {
  age: number;
  survival: number;
  low: number;
  high: number;
  atRisk: number;
  endedSoFar: number;
}

/**
 * Kaplan–Meier estimate of the survival function from (age, ended) pairs, with a
 * 95% pointwise interval from Greenwood's variance (clamped to [0, 1]). The first
 * point is age 0 with survival 1; the last is the largest observed age.
 */
export function kaplanMeier(items: { ageYears: number; ended: boolean }[]): KmPoint[] {
  const sorted = [...items].sort((a, b) => a.ageYears - b.ageYears);
  const out: KmPoint[] = [{ age: 0, survival: 1, low: 1, high: 1, atRisk: sorted.length, endedSoFar: 0 }];
  let s = 1;
  let greenwood = 0;
  let ended = 0;
  let i = 0;
  while (i < sorted.length) {
    const t = sorted[i].ageYears;
    const atRisk = sorted.length - i;
    let d = 0;
    let j = i;
    while (j < sorted.length && sorted[j].ageYears === t) {
      if (sorted[j].ended) d++;
      j++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      if (atRisk > d) greenwood += d / (atRisk * (atRisk - d));
      ended += d;
      const se = s * Math.sqrt(greenwood);
      out.push({ age: t, survival: s, low: Math.max(0, s - 1.96 * se), high: Math.min(1, s + 1.96 * se), atRisk, endedSoFar: ended });
    }
    i = j;
  }
  const maxAge = sorted.length ? sorted[sorted.length - 1].ageYears : 0;
  const last = out[out.length - 1];
  if (maxAge > last.age) out.push({ ...last, age: maxAge, atRisk: sorted.filter((x) => x.ageYears >= maxAge).length });
  return out;
}

/** Build the survival curves and end-reason bars (chart 6). */
export function buildSurvival(data: ReportData): ChartResult {
  if (data.partnerships.length === 0) {
    return { name: NAME, title: TITLE, omitted: 'no partnership histories (partnerships is empty).' };
  }
  const order = scenarioOrder(data, data.partnerships).filter((s) => data.partnerships.some((p) => p.scenario === s));
  const sc = scenarioScales(order, data.baseline);
  const km = order.flatMap((s) =>
    kaplanMeier(data.partnerships.filter((p) => p.scenario === s)).map((p) => ({
      scenario: s,
      age: round(p.age, 3),
      survival: round(p.survival, 4),
      low: round(p.low, 4),
      high: round(p.high, 4),
      atRisk: p.atRisk,
      endedSoFar: p.endedSoFar,
    })),
  );
  const endedRows = data.partnerships.filter((p) => p.ended);
  const reasonKeys = [...Object.keys(REASON_LABELS), ...new Set(endedRows.map((p) => p.reason))].filter(
    (r, i, a) => a.indexOf(r) === i && r !== 'alive',
  );
  const reasonLabel = (r: string): string => REASON_LABELS[r] ?? r;
  const bars = order.flatMap((s) => {
    const ended = endedRows.filter((p) => p.scenario === s);
    return reasonKeys
      .map((r) => {
        const n = ended.filter((p) => p.reason === r).length;
        return { scenario: s, reason: reasonLabel(r), count: n, share: ended.length ? round(n / ended.length, 4) : 0, total: ended.length };
      })
      .filter((b) => b.total > 0);
  });
  const barMax = round(Math.min(1, Math.max(0.1, ...bars.map((b) => b.share)) * 1.25), 2);
  const reasonsUsed = reasonKeys.filter((r) => endedRows.some((p) => p.reason === r)).map(reasonLabel);
  const barRows = bars.filter((b) => reasonsUsed.includes(b.reason));
  const color = {
    field: 'scenario',
    type: 'nominal',
    scale: sc.color,
    title: 'Scenario (colour and line style)',
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 600 },
  };
  // ages within the run: partnerships older than the run (formed before it started) are cut at its length
  const horizon = runYears(data);
  const x = { field: 'age', type: 'quantitative', title: 'Age of partnership (years)', ...(horizon ? { scale: { domain: [0, horizon], nice: false } } : {}) };
  const kmChart = {
    width: 720,
    height: 300,
    data: { values: horizon ? km.filter((k) => (k as { age: number }).age <= horizon) : km },
    layer: [
      {
        mark: { type: 'area', interpolate: 'step-after' },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative', title: 'Share still running', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          y2: { field: 'high' },
          color: color,
          opacity: pickOpacity(0.15, 0.02),
        },
      },
      {
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 3 },
        encoding: {
          x,
          y: { field: 'survival', type: 'quantitative' },
          color,
          strokeDash: { field: 'scenario', type: 'nominal', scale: sc.dash, title: 'Scenario (colour and line style)' },
          opacity: pickOpacity(1, 0.15),
        },
      },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x,
          y: { field: 'survival', type: 'quantitative' },
          color: color,
          shape: { field: 'scenario', type: 'nominal', scale: sc.shape, title: 'Scenario (colour and line style)' },
          opacity: pickOpacity(0.8, 0.1),
          tooltip: [
            { field: 'scenario', type: 'nominal', title: 'Scenario' },
            { field: 'age', type: 'quantitative', title: 'Age (years)', format: '.1f' },
            { field: 'survival', type: 'quantitative', title: 'Share still running', format: '.1%' },
            { field: 'low', type: 'quantitative', title: '95% interval from', format: '.1%' },
            { field: 'high', type: 'quantitative', title: '95% interval to', format: '.1%' },
            { field: 'atRisk', type: 'quantitative', title: 'Partnerships at this age' },
            { field: 'endedSoFar', type: 'quantitative', title: 'Ended so far' },
          ],
        },
      },
    ],
  };
  const columns = Math.min(order.length, 3);
  const barWidth = Math.max(200, Math.floor(560 / columns));
  const barChart = {
    data: { values: barRows },
    facet: { field: 'scenario', type: 'nominal', sort: order, title: null, header: { labelAnchor: 'start', labelAlign: 'left' } },
    columns,
    spec: {
      width: barWidth,
      height: { step: 28 },
      layer: [
        {
          mark: { type: 'bar', color: '#555' },
          encoding: {
            y: { field: 'reason', type: 'nominal', sort: reasonsUsed, title: 'What ended it', scale: { domain: reasonsUsed } },
            x: { field: 'share', type: 'quantitative', title: 'Share of ended partnerships', axis: { format: '.0%' }, scale: { domain: [0, barMax] } },
            opacity: pickOpacity(1, 0.2),
            tooltip: [
              { field: 'scenario', type: 'nominal', title: 'Scenario' },
              { field: 'reason', type: 'nominal', title: 'Reason' },
              { field: 'count', type: 'quantitative', title: 'Partnerships' },
              { field: 'share', type: 'quantitative', title: 'Share of ended', format: '.0%' },
            ],
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 5, fontSize: 14 },
          encoding: {
            y: { field: 'reason', type: 'nominal', sort: reasonsUsed },
            x: { field: 'share', type: 'quantitative' },
            text: { field: 'share', type: 'quantitative', format: '.0%' },
            opacity: pickOpacity(1, 0.2),
          },
        },
      ],
    },
  };
  const censored = data.partnerships.length - endedRows.length;
  const units = 'top: share of partnerships still running (0–100%) against age in years; bottom: share of ended partnerships by reason.';
  const reading =
    'The top panel follows partnerships from the day they start: each line is the share still running at each ' +
    'age (a Kaplan–Meier curve, pooled over all runs of the scenario, with a shaded 95% band). Partnerships still ' +
    `alive when the simulation stopped (${censored} of ${data.partnerships.length}) count while they are observed and ` +
    'are not treated as ended. A line that drops steeply early means many short-lived partnerships; where it ' +
    'crosses 50% is the typical lifetime. The bars underneath show, for each scenario, why the partnerships ' +
    'that ended did so — for example funding ending or a key person leaving.';
  const body: Record<string, unknown> = barRows.length
    ? { vconcat: [kmChart, barChart], spacing: 36, resolve: { scale: { x: 'independent', y: 'independent', color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } } }
    : kmChart;
  const spec = topLevel(TITLE, units, body, { pick: true });
  return { name: NAME, title: TITLE, reading, units, spec, scenarioPick: true };
}
