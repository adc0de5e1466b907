/**
 * Scenario comparison over Monte Carlo replications. Records stream into an
 * aggregator that keeps only per-replication summary rows (outcomes, yearly means,
 * breakdowns), indexed by replication so the result does not depend on arrival
 * order. Then, per scenario and outcome, against the baseline:
 *
 * - paired methods (common random numbers: replication i of every scenario shares
 *   its world and shocks, so the unit is the per-replication difference d_i):
 *   the mean difference with a Student t interval and a seeded BCa bootstrap
 *   interval (B = 2,000, with the Monte Carlo error of its endpoints), the
 *   Wilcoxon signed-rank test and a sign-flip permutation test (exact for n ≤ 20);
 * - multiplicity: the family is every scenario × outcome test in one comparison
 *   (scenarios other than the baseline, including no-partnering, × the outcomes in
 *   METRICS); the Wilcoxon p-values of the family are adjusted together (Holm by
 *   default, Benjamini–Hochberg or none on request) and only the adjusted p marks
 *   a difference as significant;
 * - effect sizes: Cohen's d against the baseline's SD across replications (Cohen's
 *   scale) and d_z against the SD of the differences (larger under common random
 *   numbers; what the paired tests see);
 * - an unpaired view of the distributions' shapes: two-sample KS (exact p under
 *   ties) and Mann–Whitney, which ignore the pairing;
 * - cost per attainment point gained over no-partnering: one estimator, the
 *   ratio of the mean cost difference to the mean attainment difference, with a
 *   percentile bootstrap interval over paired replications; reported apart from
 *   the differences and never tested.
 *
 * With fewer replications than a method needs (t interval, d, d_z, tests: 2; BCa: 3)
 * its fields are null and `notes` says why.
 */
import { Rng } from '../sim/rng.js';
import { BANDS, BREAKDOWN_GROUPS, BREAKDOWN_OUTCOMES, M, METRICS, type MetricMeta } from '../sim/metrics.js';
import type { SurvivalRow, NetworkRecord, TaskRecord } from '../workers/task.js';
import { quantileSorted, summarise, type Summary } from './stats/describe.js';
import { pairedDifferenceCI } from './stats/bootstrap.js';
import { cohensDBaseline, cohensDz } from './stats/effect.js';
import { ksTwoSample } from './stats/ks.js';
import { mannWhitneyU } from './stats/mannwhitney.js';
import { differences, pairedT, signFlipTest, wilcoxonSignedRank } from './stats/paired.js';
import { adjustP, type AdjustMethod } from './stats/adjust.js';

/** Cost per attainment point gained against no-partnering: a derived outcome. */
export const COST_PER_POINT: MetricMeta = {
  id: 'cost_per_point',
  label: 'Cost per attainment point gained',
  unit: 'GBP per school per year per point, vs no-partnering',
  higherIsBetter: false,
  description: 'Mean extra money cost per school over no-partnering divided by the mean attainment gained over no-partnering (a ratio of means), paired by replication.',
};

export const NO_PARTNERING = 'no-partnering';
/** Bootstrap resamples for every interval. */
export const RESAMPLES = 2000;
/** Random sign vectors for the permutation test beyond n = 20. */
export const PERMUTATIONS = 20_000;
/** Significance level for the star (applied to adjusted p-values). */
export const ALPHA = 0.05;
/** The test whose p-values form the multiplicity family. */
export const FAMILY_TEST = 'Wilcoxon signed-rank';

/** Measures averaged over running partnerships: they do not exist in a replication with none running. */
export const PER_PARTNERSHIP = ['partnership_mean_size', 'partnership_mean_age', 'trust_mean'];

/** Fewest replications each method needs. */
export const MIN_REPS = { tInterval: 2, effectSizes: 2, tests: 2, bca: 3 } as const;

/** A bootstrap interval with the Monte Carlo error of its endpoints. */
export interface BcaInterval {
  low: number;
  high: number;
  level: number;
  resamples: number;
  mcError: { low: number; high: number };
}

export interface OutcomeResult {
  summary: Summary;
  /** Set when the measure does not exist (e.g. mean partnership size with no partnerships running): why. No difference or test then. */
  notApplicable?: string;
  /** Mean of the paired differences scenario − baseline. */
  pairedMean?: number;
  /** SD of the paired differences. */
  sdDifference?: number | null;
  /** 95% Student t interval for the mean difference (null below 2 replications). */
  tInterval?: [number, number] | null;
  /** 95% BCa bootstrap interval (null below 3 replications). */
  bcaInterval?: BcaInterval | null;
  /** Wilcoxon signed-rank p, two-sided (the family's test). */
  wilcoxonP?: number | null;
  wilcoxonMethod?: string;
  /** Sign-flip permutation p of the mean difference, two-sided. */
  permutationP?: number | null;
  permutation?: { method: string; resamples: number; mcError: number };
  /** wilcoxonP adjusted over the family (method in `adjust`). */
  adjustedP?: number | null;
  adjust?: AdjustMethod;
  /** Tests in the multiplicity family this p belongs to. */
  testsInFamily?: number;
  /** adjustedP < 0.05. */
  significant?: boolean;
  /** Cohen's d: mean difference / SD of the baseline's replications. */
  cohensD?: number | null;
  /** d_z: mean difference / SD of the paired differences. */
  dz?: number | null;
  /** Unpaired view (ignores the pairing): distribution shape and location. */
  unpaired?: { ks: { d: number; p: number; method: string }; mannWhitney: { u: number; p: number; method: string } } | null;
}

/** Cost per attainment point gained over no-partnering (ratio of means). */
export interface CostPerPoint {
  scenario: string;
  /** Mean cost difference (GBP per school per year) over no-partnering. */
  meanCost: number;
  /** Mean attainment difference (points) over no-partnering. */
  meanGain: number;
  /** meanCost / meanGain; null when the mean gain is 0 (undefined). */
  estimate: number | null;
  /** Percentile bootstrap interval over paired replications; null when undefined or unbounded (see note). */
  low: number | null;
  high: number | null;
  level: number;
  resamples: number;
  /** Resamples whose mean gain is 0 (ratio undefined) or of the other sign than the estimate's. */
  undefinedResamples: number;
  note?: string;
}

export interface Comparison {
  baseline: string;
  scenarios: string[];
  replications: number;
  outcomes: MetricMeta[];
  /** scenario -> outcome id -> result */
  results: Record<string, Record<string, OutcomeResult>>;
  /** The multiplicity family of the paired tests. */
  family: { test: string; adjust: AdjustMethod; tests: number; alpha: number; description: string };
  /** Cost per point gained, one row per scenario other than no-partnering (when no-partnering ran). */
  costPerPoint: CostPerPoint[];
  /** Things the user should know (too few replications for some methods). */
  notes: string[];
  /** Breakdowns by FSM quartile and starting attainment quartile (paired t intervals, not tested). */
  breakdowns: { group: string; band: number; outcome: string; scenario: string; mean: number; difference?: { estimate: number; low: number | null; high: number | null } }[];
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

/** Cost per attainment point gained over no-partnering: ratio of mean differences, bootstrap over paired replications. */
export function costPerPoint(agg: CompareAggregator, scenario: string, seed: number | string): CostPerPoint {
  const dc = differences(agg.column(scenario, M.money_cost), agg.column(NO_PARTNERING, M.money_cost));
  const da = differences(agg.column(scenario, M.attainment_mean), agg.column(NO_PARTNERING, M.attainment_mean));
  const n = dc.length;
  let sc = 0;
  let sa = 0;
  for (let i = 0; i < n; i++) {
    sc += dc[i];
    sa += da[i];
  }
  const meanCost = sc / n;
  const meanGain = sa / n;
  const out: CostPerPoint = { scenario, meanCost, meanGain, estimate: null, low: null, high: null, level: 0.95, resamples: 0, undefinedResamples: 0 };
  if (meanGain === 0) {
    out.note = 'undefined: the mean attainment gain over no-partnering is 0';
    return out;
  }
  out.estimate = meanCost / meanGain;
  if (n < 2) {
    out.note = `no interval: needs at least 2 replications (got ${n})`;
    return out;
  }
  const rng = bootRng(seed, scenario, COST_PER_POINT.id);
  const ratios: number[] = [];
  let bad = 0;
  for (let b = 0; b < RESAMPLES; b++) {
    let c = 0;
    let a = 0;
    for (let k = 0; k < n; k++) {
      const j = rng.int(n);
      c += dc[j];
      a += da[j];
    }
    // A resample whose gain is 0 or of the other sign puts the ratio through infinity: not a finite ratio near the estimate.
    if (a === 0 || Math.sign(a) !== Math.sign(meanGain)) bad++;
    else ratios.push(c / a);
  }
  out.resamples = RESAMPLES;
  out.undefinedResamples = bad;
  // A resample whose mean gain is 0 or crosses zero sends the ratio through infinity:
  // rank those at +Infinity (the least cost-effective end), never drop them.
  const all = Float64Array.from([...ratios, ...new Array<number>(bad).fill(Infinity)]).sort();
  const lo = quantileSorted(all, 0.025);
  const hi = quantileSorted(all, 0.975);
  out.low = Number.isFinite(lo) ? lo : null;
  out.high = Number.isFinite(hi) ? hi : null;
  if (out.high === null || out.low === null) {
    out.note = `unbounded: in ${bad} of ${RESAMPLES} resamples the mean gain is 0 or has the other sign, so the gain is not distinguishable from 0 and the interval has no finite upper end`;
  } else if (bad > 0) out.note = `${bad} of ${RESAMPLES} resamples had a mean gain of 0 or of the other sign (ratio undefined); ranked at +infinity`;
  return out;
}

/** Paired statistics of scenario − baseline for one outcome (no adjustment yet). */
function pairedStats(a: Float64Array, b: Float64Array, bcaRng: () => Rng, permRng: () => Rng): Omit<OutcomeResult, 'summary'> {
  const n = a.length;
  const d = differences(a, b);
  let s = 0;
  for (let i = 0; i < n; i++) s += d[i];
  const res: Omit<OutcomeResult, 'summary'> = { pairedMean: s / n, sdDifference: null, tInterval: null, bcaInterval: null, wilcoxonP: null, permutationP: null, adjustedP: null, cohensD: null, dz: null, unpaired: null };
  if (n >= MIN_REPS.tInterval) {
    const t = pairedT(d);
    res.pairedMean = t.mean;
    res.sdDifference = t.sd;
    res.tInterval = [t.low, t.high];
  }
  if (n >= MIN_REPS.bca) {
    const ci = pairedDifferenceCI(a, b, { resamples: RESAMPLES, level: 0.95, rng: bcaRng(), method: 'bca' });
    res.bcaInterval = { low: ci.low, high: ci.high, level: ci.level, resamples: ci.resamples, mcError: ci.mcError };
  }
  if (n >= MIN_REPS.effectSizes) {
    res.cohensD = cohensDBaseline(a, b);
    res.dz = cohensDz(a, b);
  }
  if (n >= MIN_REPS.tests) {
    const w = wilcoxonSignedRank(d);
    res.wilcoxonP = w.p;
    res.wilcoxonMethod = w.method;
    const perm = signFlipTest(d, { rng: permRng(), resamples: PERMUTATIONS });
    res.permutationP = perm.p;
    res.permutation = { method: perm.method, resamples: perm.resamples, mcError: perm.mcError };
    const ks = ksTwoSample(a, b);
    const mw = mannWhitneyU(a, b);
    res.unpaired = { ks: { d: ks.d, p: ks.p, method: ks.method }, mannWhitney: { u: mw.u, p: mw.p, method: mw.method } };
  }
  return res;
}

/** Compare every scenario with the baseline. */
export function compare(agg: CompareAggregator, baseline: string, seed: number | string, opts: { adjust?: AdjustMethod } = {}): Comparison {
  const adjust = opts.adjust ?? 'holm';
  const results: Comparison['results'] = {};
  const family: OutcomeResult[] = [];
  const noPartnerships = (sc: string): boolean => agg.column(sc, M.partnerships_alive).every((v) => v === 0);
  for (const sc of agg.scenarios) {
    const per: Record<string, OutcomeResult> = {};
    METRICS.forEach((meta, j) => {
      const a = agg.column(sc, j);
      let res: OutcomeResult = { summary: summarise(a) };
      const missing = PER_PARTNERSHIP.includes(meta.id) && (noPartnerships(sc) || noPartnerships(baseline));
      if (missing) res.notApplicable = `no partnerships run in ${noPartnerships(sc) ? sc : baseline}, so a per-partnership measure does not exist`;
      if (sc !== baseline && !missing) {
        // The BCa and permutation streams are keyed by scenario and outcome, so results do not depend on order.
        res = { ...res, ...pairedStats(a, agg.column(baseline, j), () => bootRng(seed, sc, meta.id), () => bootRng(seed, sc, meta.id, 'sign-flip')) };
        family.push(res);
      }
      per[meta.id] = res;
    });
    results[sc] = per;
  }
  const ps = family.map((r) => (r.wilcoxonP === null || r.wilcoxonP === undefined ? NaN : r.wilcoxonP));
  const adjusted = adjustP(ps, adjust);
  const tests = ps.filter((p) => !Number.isNaN(p)).length;
  family.forEach((r, i) => {
    r.adjustedP = Number.isNaN(adjusted[i]) ? null : adjusted[i];
    r.adjust = adjust;
    r.testsInFamily = tests;
    r.significant = r.adjustedP !== null && r.adjustedP < ALPHA;
  });
  const n = agg.reps;
  const notes: string[] = [];
  if (n < MIN_REPS.tests) notes.push(`With ${n} replication${n === 1 ? '' : 's'} there are no intervals, effect sizes or tests: the t interval, Cohen's d, d_z and the tests need at least ${MIN_REPS.tests} replications and the BCa interval at least ${MIN_REPS.bca}. Showing means and single differences only; rerun with --reps 20 or more.`);
  else if (n < MIN_REPS.bca) notes.push(`With ${n} replications there is no BCa interval (it needs at least ${MIN_REPS.bca}); t intervals and tests are shown but have little power. Rerun with --reps 20 or more.`);

  const costPerPoints = agg.scenarios.includes(NO_PARTNERING) ? agg.scenarios.filter((s) => s !== NO_PARTNERING).map((s) => costPerPoint(agg, s, seed)) : [];

  const breakdowns: Comparison['breakdowns'] = [];
  BREAKDOWN_GROUPS.forEach((group, g) => {
    for (let band = 0; band < BANDS; band++) {
      BREAKDOWN_OUTCOMES.forEach((outcome, o) => {
        const b = agg.breakdownColumn(baseline, g, band, o);
        for (const sc of agg.scenarios) {
          const a = agg.breakdownColumn(sc, g, band, o);
          const row: Comparison['breakdowns'][number] = { group, band: band + 1, outcome, scenario: sc, mean: summarise(a).mean };
          if (sc !== baseline) {
            const d = differences(a, b);
            if (n >= MIN_REPS.tInterval) {
              const t = pairedT(d);
              row.difference = { estimate: t.mean, low: t.low, high: t.high };
            } else row.difference = { estimate: d[0], low: null, high: null };
          }
          breakdowns.push(row);
        }
      });
    }
  });
  const skipped = agg.scenarios.length * METRICS.length - METRICS.length - family.length;
  const description = `every scenario other than ${baseline} x every outcome (${agg.scenarios.length - 1} x ${METRICS.length}${skipped > 0 ? `, less ${skipped} measures that do not exist` : ''})`;
  return {
    baseline,
    scenarios: agg.scenarios,
    replications: agg.reps,
    outcomes: [...METRICS],
    results,
    family: { test: FAMILY_TEST, adjust, tests, alpha: ALPHA, description },
    costPerPoint: costPerPoints,
    notes,
    breakdowns,
  };
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
