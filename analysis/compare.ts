/**
 * Scenario comparison over Monte Carlo replications. Records stream into an
 * aggregator that keeps only per-replication summary rows (outcomes, yearly means,
 * breakdowns), indexed by replication so the result does not depend on arrival
 * order. Then, per scenario and outcome: distribution summary; paired difference from
 * the baseline (common random numbers: replication i of every scenario shares its
 * world and shocks) with a seeded bootstrap interval; standardised effect size d_z;
 * two-sample Kolmogorov-Smirnov and Mann-Whitney U tests.
 */
import { Rng } from '../sim/rng.js';
import { BANDS, BREAKDOWN_GROUPS, BREAKDOWN_OUTCOMES, M, METRICS, type MetricMeta } from '../sim/metrics.js';
import type { SurvivalRow, NetworkRecord, TaskRecord } from '../workers/task.js';
import { quantileSorted, summarise, type Summary } from './stats/describe.js';
import { pairedDifferenceCI } from './stats/bootstrap.js';
import { cohensDz } from './stats/effect.js';
import { ksTwoSample } from './stats/ks.js';
import { mannWhitneyU } from './stats/mannwhitney.js';

/** Cost per attainment point gained against no-partnering: a derived outcome. */
export const COST_PER_POINT: MetricMeta = {
  id: 'cost_per_point',
  label: 'Cost per attainment point gained',
  unit: 'GBP per school per year per point, vs no-partnering',
  higherIsBetter: false,
  description: 'Extra money cost per school over no-partnering, divided by the attainment gained over no-partnering (ratio of mean differences).',
};

export const NO_PARTNERING = 'no-partnering';
const RESAMPLES = 1000;

export interface OutcomeResult {
  summary: Summary;
  difference?: { estimate: number; low: number; high: number; level: number };
  effectSize?: number;
  ks?: { d: number; p: number };
  mannWhitney?: { u: number; p: number };
}

export interface Comparison {
  baseline: string;
  scenarios: string[];
  replications: number;
  outcomes: MetricMeta[];
  /** scenario -> outcome id -> result */
  results: Record<string, Record<string, OutcomeResult>>;
  /** Breakdowns by FSM quartile and starting attainment quartile. */
  breakdowns: { group: string; band: number; outcome: string; scenario: string; mean: number; difference?: { estimate: number; low: number; high: number } }[];
}

/** Collects records as they arrive. */
export class CompareAggregator {
  readonly outcomes: Float64Array[];
  readonly yearly: Float32Array[];
  readonly breakdown: Float64Array[];
  readonly survival: Map<string, { rep: number; rows: SurvivalRow[] }[]> = new Map();
  readonly network: Map<string, NetworkRecord> = new Map();
  readonly seen: Uint8Array[];
  private readonly index: Map<string, number>;
  private readonly nb = 2 * BANDS * BREAKDOWN_OUTCOMES.length;

  constructor(
    readonly scenarios: string[],
    readonly reps: number,
    readonly years: number,
  ) {
    const k = METRICS.length;
    this.index = new Map(scenarios.map((s, i) => [s, i]));
    this.outcomes = scenarios.map(() => new Float64Array(reps * k));
    this.yearly = scenarios.map(() => new Float32Array(reps * years * k));
    this.breakdown = scenarios.map(() => new Float64Array(reps * this.nb));
    this.seen = scenarios.map(() => new Uint8Array(reps));
  }

  add(rec: TaskRecord): void {
    const s = this.index.get(rec.scenario);
    if (s === undefined) throw new Error(`record for unknown scenario ${rec.scenario}`);
    const k = METRICS.length;
    const r = rec.replication;
    this.outcomes[s].set(rec.outcomes, r * k);
    this.yearly[s].set(rec.yearly.slice(0, this.years * k), r * this.years * k);
    this.breakdown[s].set(rec.breakdown, r * this.nb);
    this.seen[s][r] = 1;
    if (rec.survival) {
      const list = this.survival.get(rec.scenario) ?? [];
      list.push({ rep: r, rows: rec.survival });
      list.sort((a, b) => a.rep - b.rep);
      this.survival.set(rec.scenario, list);
    }
    if (rec.network) this.network.set(rec.scenario, rec.network);
  }

  /** Values of one outcome across replications of a scenario. */
  column(scenario: string, outcome: number): Float64Array {
    const s = this.index.get(scenario)!;
    const k = METRICS.length;
    const out = new Float64Array(this.reps);
    for (let r = 0; r < this.reps; r++) out[r] = this.outcomes[s][r * k + outcome];
    return out;
  }

  breakdownColumn(scenario: string, group: number, band: number, outcome: number): Float64Array {
    const s = this.index.get(scenario)!;
    const out = new Float64Array(this.reps);
    const off = (group * BANDS + band) * BREAKDOWN_OUTCOMES.length + outcome;
    for (let r = 0; r < this.reps; r++) out[r] = this.breakdown[s][r * this.nb + off];
    return out;
  }

  /** Are all replications of every scenario in? */
  complete(): boolean {
    return this.seen.every((a) => a.every((x) => x === 1));
  }
}

function bootRng(seed: number | string, ...parts: string[]): Rng {
  return Rng.fromKey({ seed, replication: 0, stream: `bootstrap:${parts.join(':')}` });
}

/** Cost per attainment point gained over no-partnering, per replication pair (ratio of means for the estimate). */
function costPerPoint(agg: CompareAggregator, scenario: string, seed: number | string): OutcomeResult | undefined {
  if (!agg.scenarios.includes(NO_PARTNERING) || scenario === NO_PARTNERING) return undefined;
  const dc = diffOf(agg.column(scenario, M.money_cost), agg.column(NO_PARTNERING, M.money_cost));
  const da = diffOf(agg.column(scenario, M.attainment_mean), agg.column(NO_PARTNERING, M.attainment_mean));
  const n = dc.length;
  const ratio = (idx: (i: number) => number): number => {
    let c = 0;
    let a = 0;
    for (let i = 0; i < n; i++) {
      const j = idx(i);
      c += dc[j];
      a += da[j];
    }
    return a === 0 ? NaN : c / a;
  };
  const est = ratio((i) => i);
  const rng = bootRng(seed, scenario, COST_PER_POINT.id);
  const boots: number[] = [];
  for (let b = 0; b < RESAMPLES; b++) {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    const v = ratio((i) => idx[i]);
    if (Number.isFinite(v)) boots.push(v);
  }
  boots.sort((x, y) => x - y);
  const q = (p: number): number => (boots.length ? quantileSorted(boots, p) : NaN);
  const perRep = new Float64Array(n);
  for (let i = 0; i < n; i++) perRep[i] = da[i] === 0 ? 0 : dc[i] / da[i];
  return { summary: { ...summarise(perRep), mean: est }, difference: { estimate: est, low: q(0.025), high: q(0.975), level: 0.95 } };
}

function diffOf(a: Float64Array, b: Float64Array): Float64Array {
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return d;
}

/** Compare every scenario with the baseline. */
export function compare(agg: CompareAggregator, baseline: string, seed: number | string): Comparison {
  const results: Comparison['results'] = {};
  for (const sc of agg.scenarios) {
    const per: Record<string, OutcomeResult> = {};
    METRICS.forEach((meta, j) => {
      const a = agg.column(sc, j);
      const res: OutcomeResult = { summary: summarise(a) };
      if (sc !== baseline) {
        const b = agg.column(baseline, j);
        const ci = pairedDifferenceCI(a, b, { resamples: RESAMPLES, level: 0.95, rng: bootRng(seed, sc, meta.id) });
        res.difference = { estimate: ci.estimate, low: ci.low, high: ci.high, level: ci.level };
        res.effectSize = cohensDz(a, b);
        const ks = ksTwoSample(a, b);
        res.ks = { d: ks.d, p: ks.p };
        const mw = mannWhitneyU(a, b);
        res.mannWhitney = { u: mw.u, p: mw.p };
      }
      per[meta.id] = res;
    });
    const cpp = costPerPoint(agg, sc, seed);
    if (cpp) per[COST_PER_POINT.id] = cpp;
    results[sc] = per;
  }
  const breakdowns: Comparison['breakdowns'] = [];
  BREAKDOWN_GROUPS.forEach((group, g) => {
    for (let band = 0; band < BANDS; band++) {
      BREAKDOWN_OUTCOMES.forEach((outcome, o) => {
        const b = agg.breakdownColumn(baseline, g, band, o);
        for (const sc of agg.scenarios) {
          const a = agg.breakdownColumn(sc, g, band, o);
          const row: Comparison['breakdowns'][number] = { group, band: band + 1, outcome, scenario: sc, mean: summarise(a).mean };
          if (sc !== baseline) {
            const ci = pairedDifferenceCI(a, b, { resamples: RESAMPLES, level: 0.95, rng: bootRng(seed, sc, group, String(band), outcome) });
            row.difference = { estimate: ci.estimate, low: ci.low, high: ci.high };
          }
          breakdowns.push(row);
        }
      });
    }
  });
  const outcomes = [...METRICS, ...(agg.scenarios.includes(NO_PARTNERING) ? [COST_PER_POINT] : [])];
  return { baseline, scenarios: agg.scenarios, replications: agg.reps, outcomes, results, breakdowns };
}

/** Quantiles across replications of each metric in each year (for fan charts). */
export function yearlyQuantiles(agg: CompareAggregator, startYear: number): { scenario: string; year: number; metric: string; q05: number; q25: number; median: number; q75: number; q95: number }[] {
  const out = [];
  const k = METRICS.length;
  const col = new Float64Array(agg.reps);
  for (let s = 0; s < agg.scenarios.length; s++) {
    for (let y = 0; y < agg.years; y++) {
      for (let j = 0; j < k; j++) {
        for (let r = 0; r < agg.reps; r++) col[r] = agg.yearly[s][(r * agg.years + y) * k + j];
        const sm = summarise(col);
        out.push({ scenario: agg.scenarios[s], year: startYear + y, metric: METRICS[j].id, q05: sm.q05, q25: sm.q25, median: sm.median, q75: sm.q75, q95: sm.q95 });
      }
    }
  }
  return out;
}
