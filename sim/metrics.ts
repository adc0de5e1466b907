/**
 * What a run reports: the outcome measures users compare (MODEL.md, "Outputs users
 * compare"), computed each step into a preallocated row, and the breakdowns by FSM
 * quartile and starting performance quartile. O(schools + partnerships) per step.
 */
import type { State } from './state.js';

export interface MetricMeta {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  description: string;
}

/** Every metric, in column order. Flows (exclusions, costs) are annual rates. */
export const METRICS: readonly MetricMeta[] = [
  { id: 'attainment_mean', label: 'Mean attainment at 14', unit: 'points (2007 national mean ~100)', higherIsBetter: true, description: 'Mean over schools of attainment at 14 on the model scale.' },
  { id: 'attainment_sd', label: 'Spread of attainment between schools', unit: 'points (SD)', higherIsBetter: false, description: 'Standard deviation of school attainment.' },
  { id: 'fsm_gap', label: 'Attainment gap, low- vs high-FSM schools', unit: 'points', higherIsBetter: false, description: 'Mean attainment of the quarter of schools with least FSM minus the quarter with most (FSM quartiles fixed at the start).' },
  { id: 'cva_mean', label: 'Mean contextual value added', unit: 'CVA points (1000 = as predicted)', higherIsBetter: true, description: 'Mean CVA: attainment against what the intake predicts (NAO [3.3]).' },
  { id: 'exclusion_rate', label: 'Fixed-term exclusions', unit: 'per 100 pupils per year', higherIsBetter: false, description: 'Fixed-term exclusions relative to pupils (NAO [3.4]).' },
  { id: 'days_lost', label: 'Days lost to exclusion', unit: 'days per 100 pupils per year', higherIsBetter: false, description: 'School days lost to fixed-term exclusion.' },
  { id: 'permanent_exclusions', label: 'Permanent exclusions', unit: 'per 1,000 pupils per year', higherIsBetter: false, description: 'Permanent exclusions relative to pupils.' },
  { id: 'ofsted_outstanding_share', label: 'Outstanding for progress', unit: 'share of schools', higherIsBetter: true, description: 'Share of schools whose latest Ofsted grade for learner progress is outstanding.' },
  { id: 'ofsted_inadequate_share', label: 'Inadequate for progress', unit: 'share of schools', higherIsBetter: false, description: 'Share of schools whose latest Ofsted grade for learner progress is inadequate.' },
  { id: 'behaviour_inadequate_share', label: 'Inadequate for behaviour', unit: 'share of schools', higherIsBetter: false, description: 'Share whose latest Ofsted behaviour grade is inadequate (NAO [3.2]: about 2%).' },
  { id: 'share_attainment_partnership', label: 'In an attainment partnership', unit: 'share of schools', higherIsBetter: true, description: 'Share of schools in at least one attainment partnership (NAO [2.2]: 80%).' },
  { id: 'share_behaviour_partnership', label: 'In a behaviour partnership', unit: 'share of schools', higherIsBetter: true, description: 'Share of schools in at least one behaviour partnership (NAO [2.2]: 65%).' },
  { id: 'share_any_partnership', label: 'In any partnership', unit: 'share of schools', higherIsBetter: true, description: 'Share of schools in at least one partnership.' },
  { id: 'share_both', label: 'In both kinds', unit: 'share of schools', higherIsBetter: true, description: 'Share in both an attainment and a behaviour partnership (NAO [2.2]: about 60%).' },
  { id: 'partnerships_alive', label: 'Partnerships running', unit: 'partnerships per 100 schools', higherIsBetter: true, description: 'Partnerships alive, per 100 secondary schools.' },
  { id: 'partnership_mean_size', label: 'Mean partnership size', unit: 'secondary schools', higherIsBetter: true, description: 'Mean number of secondary schools per partnership.' },
  { id: 'partnership_mean_age', label: 'Mean partnership age', unit: 'years', higherIsBetter: true, description: 'Mean age of running partnerships.' },
  { id: 'trust_mean', label: 'Mean trust in partnerships', unit: 'trust (0-1)', higherIsBetter: true, description: 'Mean over running partnerships of members\' pairwise trust.' },
  { id: 'staff_days', label: 'Staff time on partnering', unit: 'staff days per school per year', higherIsBetter: false, description: 'Staff days spent on partnerships.' },
  { id: 'money_cost', label: 'Money cost', unit: 'GBP per school per year', higherIsBetter: false, description: 'Staff time at cost, dedicated grants and PRU places.' },
  { id: 'attendance_mean', label: 'Attendance', unit: 'share of sessions', higherIsBetter: true, description: 'Mean attendance rate.' },
  { id: 'ofsted_outstanding_true_share', label: 'Outstanding for progress, without partnership credit', unit: 'share of schools', higherIsBetter: true, description: 'Share of schools whose latest inspection would have judged progress outstanding without any credit for partnership work (true quality, NAO [21e]); the gap to "Outstanding for progress" is the credit.' },
];

export const METRIC_IDS: readonly string[] = METRICS.map((m) => m.id);
export const M = Object.fromEntries(METRICS.map((m, k) => [m.id, k])) as Record<string, number>;

/** Outcomes broken down by group; each gives 4 bands. */
export const BREAKDOWN_GROUPS = ['fsm_quartile', 'start_quartile'] as const;
export const BREAKDOWN_OUTCOMES = ['attainment_mean', 'exclusion_rate', 'share_any_partnership'] as const;
export const BANDS = 4;

/** Mean attainment over schools, the same sum in the same order as computeMetrics' attainment_mean (so the same bits). */
export function attainmentMean(s: State): number {
  const a = s.attainment;
  let sa = 0;
  for (let i = 0; i < s.n; i++) sa += a[i];
  return sa / s.n;
}

/** Compute this step's metrics into `row`; add breakdowns into `bd` if given (group x band x outcome, plus counts). */
export function computeMetrics(s: State, row: Float64Array, staffDaysStep: number, bd: Float64Array | null): void {
  const n = s.n;
  const w = s.world;
  let sa = 0;
  let sa2 = 0;
  let cva = 0;
  let fixed = 0;
  let days = 0;
  let perm = 0;
  let pupils = 0;
  let out = 0;
  let outTrue = 0;
  let inad = 0;
  let binad = 0;
  let att = 0;
  let beh = 0;
  let any = 0;
  let both = 0;
  let attend = 0;
  let lowSum = 0;
  let lowN = 0;
  let highSum = 0;
  let highN = 0;
  for (let i = 0; i < n; i++) {
    const a = s.attainment[i];
    sa += a;
    sa2 += a * a;
    cva += s.cva[i];
    fixed += s.fixedTerm[i];
    days += s.daysLost(i);
    perm += s.permanent[i];
    pupils += w.pupils[i];
    if (s.ofstedProgress[i] === 1) out++;
    if (s.ofstedProgressTrue[i] === 1) outTrue++;
    if (s.ofstedProgress[i] === 4) inad++;
    if (s.ofstedBehaviour[i] === 4) binad++;
    const ia = s.attCount[i] > 0 ? 1 : 0;
    const ib = s.behCount[i] > 0 ? 1 : 0;
    att += ia;
    beh += ib;
    any += ia | ib;
    both += ia & ib;
    attend += s.attendance[i];
    const band = s.fsmBand[i];
    if (band === 0) {
      lowSum += a;
      lowN++;
    } else if (band === BANDS - 1) {
      highSum += a;
      highN++;
    }
    if (bd) {
      const rate = (s.fixedTerm[i] * s.spy * 100) / w.pupils[i];
      const vals0 = a;
      const vals2 = ia | ib;
      for (let g = 0; g < 2; g++) {
        const b = g === 0 ? band : s.startQuartile[i];
        const base = (g * BANDS + b) * 4;
        bd[base] += vals0;
        bd[base + 1] += rate;
        bd[base + 2] += vals2;
        bd[base + 3] += 1;
      }
    }
  }
  const mean = sa / n;
  row[M.attainment_mean] = mean;
  row[M.attainment_sd] = Math.sqrt(Math.max(0, sa2 / n - mean * mean) * (n / Math.max(1, n - 1)));
  row[M.fsm_gap] = lowN > 0 && highN > 0 ? lowSum / lowN - highSum / highN : 0;
  row[M.cva_mean] = cva / n;
  row[M.exclusion_rate] = (fixed * s.spy * 100) / pupils;
  row[M.days_lost] = (days * s.spy * 100) / pupils;
  row[M.permanent_exclusions] = (perm * s.spy * 1000) / pupils;
  row[M.ofsted_outstanding_share] = out / n;
  row[M.ofsted_outstanding_true_share] = outTrue / n;
  row[M.ofsted_inadequate_share] = inad / n;
  row[M.behaviour_inadequate_share] = binad / n;
  row[M.share_attainment_partnership] = att / n;
  row[M.share_behaviour_partnership] = beh / n;
  row[M.share_any_partnership] = any / n;
  row[M.share_both] = both / n;
  row[M.attendance_mean] = attend / n;

  const P = s.parts;
  let alive = 0;
  let size = 0;
  let age = 0;
  let trust = 0;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p]) continue;
    alive++;
    size += P.size[p];
    age += s.step - P.start[p];
    trust += P.trust[p];
  }
  row[M.partnerships_alive] = (alive * 100) / n;
  row[M.partnership_mean_size] = alive > 0 ? size / alive : 0;
  row[M.partnership_mean_age] = alive > 0 ? age / alive / s.spy : 0;
  row[M.trust_mean] = alive > 0 ? trust / alive : 0;
  row[M.staff_days] = (staffDaysStep * s.spy) / n;
  row[M.money_cost] = ((s.staffCostStep + s.grantCostStep + s.pruCostStep) * s.spy) / n;
}
