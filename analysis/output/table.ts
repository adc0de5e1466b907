/**
 * Readable tables for the terminal: aligned columns, values formatted by unit
 * (shares as percentages, money in pounds with separators).
 */
import { METRICS, type MetricMeta } from '../../sim/metrics.js';

/** Format one metric value for people. */
export function fmtMetric(meta: MetricMeta, v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (meta.unit.startsWith('share')) return `${(100 * v).toFixed(1)}%`;
  if (meta.unit.startsWith('GBP')) return `£${Math.round(v).toLocaleString('en-GB')}`;
  if (meta.unit.startsWith('trust')) return v.toFixed(3);
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return v.toFixed(2);
}

/** Format a difference (signed) in the metric's units. */
export function fmtDiff(meta: MetricMeta, v: number): string {
  if (!Number.isFinite(v)) return '-';
  const sign = v > 0 ? '+' : v < 0 ? '-' : '±';
  const a = Math.abs(v);
  if (meta.unit.startsWith('share')) return `${sign}${(100 * a).toFixed(1)}pp`;
  if (meta.unit.startsWith('GBP')) return `${sign}£${Math.round(a).toLocaleString('en-GB')}`;
  if (meta.unit.startsWith('trust')) return `${sign}${a.toFixed(3)}`;
  return `${sign}${a.toFixed(2)}`;
}

/** Lay out rows as aligned columns; `align` per column ('l' or 'r'), by default the first left and the rest right. */
export function layout(rows: string[][], header?: string[], align?: string): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const r of all) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
  const left = (j: number): boolean => (align ? align[j] === 'l' : j === 0);
  const line = (r: string[]): string => r.map((c, j) => (left(j) ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n');
}

/** Metric groups in the order a summary shows them. */
export const SUMMARY_GROUPS: { title: string; ids: string[] }[] = [
  { title: 'Partnering', ids: ['share_attainment_partnership', 'share_behaviour_partnership', 'share_both', 'share_any_partnership', 'partnerships_alive', 'partnership_mean_size', 'partnership_mean_age', 'trust_mean'] },
  { title: 'Attainment', ids: ['attainment_mean', 'attainment_sd', 'fsm_gap', 'cva_mean', 'attendance_mean'] },
  { title: 'Behaviour', ids: ['exclusion_rate', 'days_lost', 'permanent_exclusions', 'behaviour_inadequate_share'] },
  { title: 'Ofsted', ids: ['ofsted_outstanding_share', 'ofsted_outstanding_true_share', 'ofsted_inadequate_share'] },
  { title: 'Cost', ids: ['staff_days', 'money_cost'] },
];

export const METRIC_BY_ID: Record<string, MetricMeta> = Object.fromEntries(METRICS.map((m) => [m.id, m]));
