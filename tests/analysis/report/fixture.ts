/**
 * Deterministic ReportData fixtures for the report tests: a `compare` with three
 * scenarios (baseline, a policy, and one whose name is an HTML injection
 * attempt) and 20 replications of plausible values; a single `run`; and a
 * `sweep` with three parameters, design points and Sobol indices.
 */
import type { OutcomeMeta, ReportData } from '../../../analysis/report/data.js';

/** Scenario name that must always be shown as text, never executed. */
export const EVIL = '<img src=x onerror=alert(1)>';

/** Small deterministic generator (LCG + Box–Muller). */
function rng(seed: number): { u: () => number; n: (m?: number, s?: number) => number } {
  let state = seed >>> 0;
  const u = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const n = (m = 0, s = 1): number => m + s * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { u, n };
}

const OUTCOMES: OutcomeMeta[] = [
  { id: 'attainment_mean', label: 'Mean attainment at 14', unit: 'points', higherIsBetter: true, description: 'Mean test score.' },
  { id: 'fsm_gap', label: 'FSM attainment gap', unit: 'points', higherIsBetter: false, description: 'Non-FSM minus FSM.' },
  { id: 'exclusion_rate', label: 'Fixed-term exclusions', unit: 'per 100 pupils', higherIsBetter: false, description: 'Rate.' },
  { id: 'share_attainment_partnership', label: 'Schools in an attainment partnership', unit: 'share', higherIsBetter: true, description: 'Share.' },
  { id: 'trust_mean', label: 'Mean trust', unit: 'index 0–1', higherIsBetter: true, description: 'Trust.' },
  { id: 'money_cost', label: 'Money cost', unit: '£ per school per year', higherIsBetter: false, description: 'Cost.' },
];

const BASE: Record<string, number> = {
  attainment_mean: 32,
  fsm_gap: 9,
  exclusion_rate: 6,
  share_attainment_partnership: 0.8,
  trust_mean: 0.55,
  money_cost: 14000,
};
const SD: Record<string, number> = {
  attainment_mean: 0.4,
  fsm_gap: 0.5,
  exclusion_rate: 0.4,
  share_attainment_partnership: 0.03,
  trust_mean: 0.03,
  money_cost: 900,
};

/** A `compare` report: 3 scenarios incl. baseline and EVIL, 20 reps each. */
export function compareFixture(reps = 20): ReportData {
  const r = rng(12345);
  const scenarios = [
    { name: 'baseline', description: 'Partnering as observed in 2009.' },
    { name: 'Statutory behaviour partnerships', description: 'Every school in a behaviour partnership from 2010 <b>bold?</b>' },
    { name: EVIL, description: `Injected ${EVIL} & <script>alert(2)</script> "quotes" 'apos'` },
  ];
  const effect: Record<string, Record<string, number>> = {
    baseline: {},
    'Statutory behaviour partnerships': { attainment_mean: 0.3, fsm_gap: -0.4, exclusion_rate: -0.9, share_attainment_partnership: 0.02, trust_mean: -0.02, money_cost: 2500 },
    [EVIL]: { attainment_mean: -0.05, fsm_gap: 0.1, exclusion_rate: 0.05, share_attainment_partnership: -0.2, trust_mean: 0.01, money_cost: -3000 },
  };
  const replications: ReportData['replications'] = [];
  for (let rep = 0; rep < reps; rep++) {
    const common: Record<string, number> = {};
    for (const o of OUTCOMES) common[o.id] = r.n(0, SD[o.id]);
    for (const s of scenarios) {
      for (const o of OUTCOMES) {
        const v = BASE[o.id] + (effect[s.name][o.id] ?? 0) + common[o.id] + r.n(0, SD[o.id] * 0.5);
        replications.push({ scenario: s.name, rep, outcome: o.id, value: v });
      }
    }
  }
  const differences: ReportData['differences'] = [];
  for (const s of scenarios.slice(1)) {
    for (const o of OUTCOMES) {
      const d: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const a = replications.find((x) => x.scenario === s.name && x.rep === rep && x.outcome === o.id)!.value;
        const b = replications.find((x) => x.scenario === 'baseline' && x.rep === rep && x.outcome === o.id)!.value;
        d.push(a - b);
      }
      const m = d.reduce((p, q) => p + q, 0) / d.length;
      const sd = Math.sqrt(d.reduce((p, q) => p + (q - m) ** 2, 0) / (d.length - 1));
      const se = sd / Math.sqrt(d.length);
      differences.push({
        scenario: s.name,
        outcome: o.id,
        estimate: m,
        low: m - 1.96 * se,
        high: m + 1.96 * se,
        effectSize: m / sd,
        ksP: Math.min(1, Math.exp(-Math.abs(m / se))),
        mannWhitneyP: Math.min(1, Math.exp(-Math.abs(m / se) * 0.9)),
      });
    }
  }
  const metrics: [string, number, number, number][] = [
    // id, start, drift per year (baseline), noise
    ['share_attainment_partnership', 0.55, 0.03, 0.03],
    ['share_behaviour_partnership', 0.4, 0.03, 0.03],
    ['share_any_partnership', 0.7, 0.02, 0.02],
    ['attainment_mean', 31, 0.1, 0.3],
    ['fsm_gap', 9.5, -0.05, 0.3],
    ['exclusion_rate', 6.5, -0.05, 0.3],
    ['partnerships_alive', 120, 4, 6],
    ['trust_mean', 0.4, 0.02, 0.03],
  ];
  const timeseries: ReportData['timeseries'] = [];
  scenarios.forEach((s, si) => {
    for (const [metric, start, drift, noise] of metrics) {
      for (let k = 0; k < 10; k++) {
        const extra = si === 1 && metric === 'share_behaviour_partnership' && k >= 2 ? 0.3 : si === 2 ? -0.01 * k : 0;
        let median = start + drift * k + extra * (metric.startsWith('share') ? 1 : 0) + r.n(0, noise * 0.1);
        if (metric.startsWith('share')) median = Math.min(0.97, Math.max(0.02, median));
        const spread = noise * (1 + k * 0.08);
        const clamp = (v: number): number => (metric.startsWith('share') ? Math.min(1, Math.max(0, v)) : v);
        timeseries.push({
          scenario: s.name,
          year: 2008 + k,
          metric,
          q05: clamp(median - 1.64 * spread),
          q25: clamp(median - 0.67 * spread),
          median,
          q75: clamp(median + 0.67 * spread),
          q95: clamp(median + 1.64 * spread),
        });
      }
    }
  });
  const network: ReportData['network'] = scenarios.map((s, si) => {
    const nr = rng(777);
    const nodes = Array.from({ length: 24 }, (_, i) => ({
      id: 100 + i,
      name: i === 3 ? `School ${EVIL}` : `School ${String.fromCharCode(65 + i)}`,
      fsm: Math.min(0.6, Math.max(0.01, nr.u() ** 1.5 * 0.55)),
      attainment: 28 + nr.n(0, 3),
      x: nr.u() * 10,
      y: nr.u() * 8,
    }));
    const links: ReportData['network'][number]['links'] = [];
    const lr = rng(900 + si);
    const foci = ['attainment', 'behaviour', 'both'] as const;
    for (let k = 0; k < 20 + si * 6; k++) {
      const a = Math.floor(lr.u() * nodes.length);
      let b = Math.floor(lr.u() * nodes.length);
      if (b === a) b = (a + 1) % nodes.length;
      links.push({ source: nodes[a].id, target: nodes[b].id, focus: foci[Math.floor(lr.u() * 3)] });
    }
    return { scenario: s.name, la: si === 2 ? `Tower Hamlets ${EVIL}` : 'Tower Hamlets', nodes, links };
  });
  const reasons = ['trust', 'funding', 'key-person', 'cost-benefit', 'staff-time', 'members-left', 'policy'];
  const partnerships: ReportData['partnerships'] = [];
  scenarios.forEach((s, si) => {
    for (let rep = 0; rep < reps; rep++) {
      for (let k = 0; k < 12; k++) {
        const hazard = [0.18, 0.12, 0.25][si];
        const life = -Math.log(r.u()) / hazard;
        const start = r.u() * 10;
        const horizon = 10 - start;
        const ended = life < horizon;
        const age = Math.round((ended ? life : horizon) * 4) / 4;
        const reason = ended ? reasons[Math.min(reasons.length - 1, Math.floor(r.u() ** (si === 0 ? 1.3 : 0.8) * reasons.length))] : 'alive';
        partnerships.push({ scenario: s.name, rep, focus: (['attainment', 'behaviour', 'both'] as const)[k % 3], ageYears: age, ended, reason });
      }
    }
  });
  const bands = ['FSM <5%', '5–13%', '13–30%', '≥30%'];
  const fsmBands: ReportData['fsmBands'] = [];
  const costEffect: ReportData['costEffect'] = [];
  scenarios.forEach((s, si) => {
    for (let rep = 0; rep < reps; rep++) {
      bands.forEach((band, bi) => {
        const lift = si === 1 ? bi * 0.25 : si === 2 ? -0.05 * bi : 0;
        fsmBands.push({ scenario: s.name, rep, band, attainment: 36 - bi * 2.6 + lift + r.n(0, 0.4) });
      });
      costEffect.push({
        scenario: s.name,
        rep,
        costPerSchool: [14000, 16500, 11000][si] + r.n(0, 800),
        attainmentGain: [0.5, 0.8, 0.45][si] + r.n(0, 0.15),
      });
    }
  });
  return {
    kind: 'compare',
    title: `Compare: statutory behaviour partnerships vs baseline ${EVIL}`,
    manifest: {
      command: 'compare',
      seed: 42,
      replications: reps,
      scenarios: scenarios.map((s) => s.name),
      years: 10,
      note: `user note with ${EVIL} and </script><script>alert(3)</script>`,
      nested: { workers: 2, version: '0.1.0' },
    },
    baseline: 'baseline',
    scenarios,
    outcomes: OUTCOMES,
    replications,
    differences,
    timeseries,
    network,
    partnerships,
    fsmBands,
    costEffect,
  };
}

/** A single `run`: one scenario, one replication, no differences. */
export function runFixture(): ReportData {
  const c = compareFixture(1);
  const keep = <T extends { scenario: string }>(rows: T[]): T[] => rows.filter((x) => x.scenario === 'baseline');
  return {
    ...c,
    kind: 'run',
    title: 'Run: baseline',
    baseline: null,
    scenarios: c.scenarios.slice(0, 1),
    replications: keep(c.replications),
    differences: [],
    timeseries: keep(c.timeseries),
    network: keep(c.network),
    partnerships: keep(c.partnerships),
    fsmBands: keep(c.fsmBands),
    costEffect: keep(c.costEffect),
  };
}

/** A `sweep`: three parameters, 60 design points × 2 outcomes, Sobol indices; little else. */
export function sweepFixture(): ReportData {
  const r = rng(4242);
  const parameters = [
    { name: 'trust_gain', min: 0.05, max: 0.5 },
    { name: 'funding_years', min: 1, max: 8 },
    { name: 'staff_days', min: 2, max: 20 },
  ];
  const points: NonNullable<ReportData['sweep']>['points'] = [];
  for (let p = 0; p < 60; p++) {
    const params = Object.fromEntries(parameters.map((q) => [q.name, q.min + r.u() * (q.max - q.min)]));
    const att = 31 + 4 * params.trust_gain + 0.15 * params.funding_years + 0.3 * params.trust_gain * params.funding_years + r.n(0, 0.1);
    const exc = 7 - 0.2 * params.funding_years - 0.05 * params.staff_days + r.n(0, 0.1);
    points.push({ point: p, params, outcome: 'attainment_mean', mean: att, low: att - 0.3, high: att + 0.3 });
    points.push({ point: p, params, outcome: 'exclusion_rate', mean: exc, low: exc - 0.2, high: exc + 0.2 });
  }
  const sobol = ['attainment_mean', 'exclusion_rate'].flatMap((outcome, oi) =>
    parameters.map((q, qi) => {
      const S1 = [[0.55, 0.3, 0.02], [0.02, 0.6, 0.25]][oi][qi];
      const ST = S1 + [[0.08, 0.08, 0.01], [0.01, 0.05, 0.04]][oi][qi];
      return { outcome, parameter: q.name, S1, S1low: S1 - 0.06, S1high: S1 + 0.06, ST, STlow: ST - 0.05, SThigh: ST + 0.05 };
    }),
  );
  return {
    kind: 'sweep',
    title: 'Sweep over trust, funding and staff time',
    manifest: { command: 'sweep', seed: 7, design: 'saltelli', points: 60 },
    baseline: null,
    scenarios: [{ name: 'baseline', description: 'Swept around the baseline.' }],
    outcomes: OUTCOMES,
    replications: [],
    differences: [],
    timeseries: [],
    network: [],
    partnerships: [],
    fsmBands: [],
    costEffect: [],
    sweep: { parameters, points, sobol },
  };
}

/**
 * The compare fixture widened to `n` scenarios (baseline, no-partnering and copies of
 * the policy rows under new long names, values shifted a little): the palette,
 * legend and layout cases of `compare --scenarios all`.
 */
export function manyScenariosFixture(n = 12): ReportData {
  const d = compareFixture(8);
  const src = d.scenarios[1].name;
  const names = ['no-partnering', ...Array.from({ length: n - 4 }, (_, i) => `statutory-behaviour-partnerships-variant-${i + 1}`)];
  const copy = <T extends { scenario: string }>(rows: T[], shift: (r: T, k: number) => T): T[] =>
    names.flatMap((name, k) => rows.filter((r) => r.scenario === src).map((r) => ({ ...shift(r, k), scenario: name })));
  return {
    ...d,
    scenarios: [...d.scenarios, ...names.map((name) => ({ name, description: `A copy of ${src}, for layout tests.` }))],
    replications: [...d.replications, ...copy(d.replications, (r, k) => ({ ...r, value: r.value * (1 + 0.002 * (k + 1)) }))],
    differences: [...d.differences, ...copy(d.differences, (r, k) => ({ ...r, estimate: r.estimate + 0.01 * k }))],
    timeseries: [...d.timeseries, ...copy(d.timeseries, (r) => r)],
    network: [...d.network, ...copy(d.network, (r) => r)],
    partnerships: [...d.partnerships, ...copy(d.partnerships, (r) => r)],
    fsmBands: [...d.fsmBands, ...copy(d.fsmBands, (r, k) => ({ ...r, attainment: r.attainment + 0.05 * k }))],
    costEffect: [...d.costEffect, ...copy(d.costEffect, (r, k) => ({ ...r, costPerSchool: r.costPerSchool + 100 * k }))],
  };
}
