/**
 * `partnersim compare`: scenarios as outcome distributions over Monte Carlo
 * replications on worker threads, each against the baseline.
 *
 * The Node driver of the shared pipeline (pipeline/compare.ts, also driven by the
 * workshop page): resolve scenarios from files -> pipeline (plan, seed, dispatch on
 * worker threads, collect, summarise) -> present (table, JSON, CSV, manifest, report data).
 */
import { appendFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.js';
import { BANDS, M, METRICS } from '../../sim/metrics.js';
import { builtinNames, loadScenario, type ResolvedScenario, type RunSpec } from '../../scenarios/loader.js';
import type { World } from '../../sim/world.js';
import { runTasks } from '../../workers/pool.js';
import type { Task, TaskRecord } from '../../workers/task.js';
import { CompareAggregator, COST_PER_POINT, NO_PARTNERING, PER_PARTNERSHIP, yearlyQuantiles, type Comparison, type OutcomeResult } from '../../analysis/compare.js';
import {
  checkUniqueNames,
  comparisonDocument as pipelineDocument,
  DEFAULT_REPS,
  expandPlan,
  runComparePipeline,
  scenarioList as pipelineScenarioList,
  type CompareOutcome,
  type Dispatch,
} from '../../pipeline/compare.js';
import { ADJUST_METHODS, type AdjustMethod } from '../../analysis/stats/adjust.js';
import type { MetricMeta } from '../../sim/metrics.js';
import { posteriorManifest, readPosterior, withPosterior } from '../../analysis/calibration/posterior.js';
import { prepareOutDir, writeFileAtomic } from '../../analysis/output/atomic.js';
import { toCsv } from '../../analysis/output/csv.js';
import { buildManifest } from '../../analysis/output/manifest.js';
import { fmtMetric, layout } from '../../analysis/output/table.js';
import { seedValue, wholeNumber } from '../args.js';
import { Progress } from '../progress.js';
import { runSettings, type CommonRunArgs } from './run.js';
import { importSummary, loadWorld, worldManifest, type WorldArgs } from './world.js';

export interface CompareArgs extends CommonRunArgs {
  scenarios: string;
  baseline?: string;
  reps?: unknown;
  threads?: unknown;
  adjust?: unknown;
  /** A parameter sample from `calibrate`: one row per replication, the same for every scenario. */
  posterior?: string;
}

/** The --adjust flag: holm (default), bh or none. */
export function adjustMethod(v: unknown): AdjustMethod {
  if (v === undefined) return 'holm';
  const s = String(v).toLowerCase();
  if ((ADJUST_METHODS as readonly string[]).includes(s)) return s as AdjustMethod;
  throw InputError.at(undefined, '--adjust', `expected holm, bh or none, got ${JSON.stringify(v)}`);
}

/** Threads to use: the flag, or the available cores. */
export function threadCount(v: unknown): number {
  return v === undefined ? availableParallelism() : wholeNumber('threads', v, 1, 256);
}

/** Names (or files) listed in --scenarios (`all` = every built-in), with the baseline first and no duplicates. */
export function scenarioList(list: string, baseline: string): string[] {
  return pipelineScenarioList(list, baseline, builtinNames());
}

export { expandPlan };

export interface CompareResult {
  scenarios: ResolvedScenario[];
  run: RunSpec;
  seed: number | string;
  reps: number;
  threads: number;
  agg: CompareAggregator;
  comparison: Comparison;
  world: Record<string, unknown>;
  /** What the manifest records about --posterior, when given. */
  posterior?: Record<string, unknown>;
}

/** Dispatch on worker threads (the Node thread mechanism for the shared pipeline). */
export function threadDispatch(threads: number, world?: World): Dispatch {
  return async (tasks, onRecord) => {
    await runTasks(tasks, { threads, world, onRecord });
  };
}

/** Run the comparison (shared by `compare`, `run --reps` and `npm start`): the Node driver of pipeline/compare.ts. */
export async function runComparison(refs: string[], baselineRef: string, args: CompareArgs & WorldArgs): Promise<CompareResult> {
  // 1 resolve scenarios (files and names alike); scenario names must be unique
  const scs = refs.map((r) => loadScenario(r));
  checkUniqueNames(scs, refs);
  const baseline = scs[refs.indexOf(baselineRef)].name;
  const seed = seedValue(args.seed);
  const adjust = adjustMethod(args.adjust);
  const settings = runSettings(scs[0], args);
  const reps = args.reps === undefined ? DEFAULT_REPS : wholeNumber('reps', args.reps, 1, 10_000_000);
  const threads = threadCount(args.threads);
  if (args.out) prepareOutDir(args.out);
  const loaded = await loadWorld(args, scs[0].params, seed);
  if (loaded) process.stderr.write(importSummary(loaded) + '\n');
  const world = loaded?.world;
  const run = loaded ? { ...settings, schools: loaded.world.n } : settings;
  // 2-5 plan, seed (with --posterior, each replication's parameter draw, keyed by its seed), dispatch, collect (streamed, with --out, to disk), summarise
  const post = args.posterior !== undefined ? readPosterior(args.posterior) : undefined;
  const baseParams = scs[refs.indexOf(baselineRef)].params;
  const transformTasks = post ? (ts: Task[]): Task[] => withPosterior(ts, baseParams, post) : undefined;
  const partial = args.out ? join(args.out, 'replications.partial.csv') : undefined;
  if (partial) writeFileAtomic(partial, 'scenario,rep,outcome,value\n');
  const bar = new Progress(scs.length * reps, 'replications', 'runs');
  let done = 0;
  const onRecord = (rec: TaskRecord): void => {
    if (partial) appendFileSync(partial, toCsv([], METRICS.map((m, j) => [rec.scenario, rec.replication, m.id, rec.outcomes[j]])).slice(1));
    bar.update(++done);
  };
  let out: CompareOutcome;
  try {
    out = await runComparePipeline({ scenarios: scs, baseline, run, seed, reps, adjust, transformTasks }, threadDispatch(threads, world), onRecord);
  } finally {
    bar.done();
  }
  if (partial) rmSync(partial, { force: true });
  return { scenarios: scs, run, seed, reps, threads, agg: out.agg, comparison: out.comparison, world: worldManifest(loaded, run.schools), ...(post ? { posterior: posteriorManifest(post) } : {}) };
}

/** Decimals that show a difference of size |d| to two significant digits (at least 2, at most 8). */
function decimalsFor(d: number | undefined): number {
  if (d === undefined || !Number.isFinite(d) || d === 0) return 2;
  return Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(Math.abs(d)))));
}

/** A value in the metric's units, with enough decimals for the difference beside it. */
function fmtValue(meta: MetricMeta, v: number, diff: number | undefined): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (meta.unit.startsWith('share')) return `${(100 * v).toFixed(decimalsFor(diff === undefined ? undefined : 100 * diff))}%`;
  if (meta.unit.startsWith('GBP')) return fmtMetric(meta, v);
  return v.toFixed(decimalsFor(diff));
}

/** A signed difference in the metric's units (pp for shares). */
function fmtSigned(meta: MetricMeta, v: number | null | undefined, diff: number | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  const sign = v > 0 ? '+' : v < 0 ? '-' : '±';
  const a = Math.abs(v);
  if (meta.unit.startsWith('share')) return `${sign}${(100 * a).toFixed(decimalsFor(diff === undefined ? undefined : 100 * diff))}pp`;
  if (meta.unit.startsWith('GBP')) return `${sign}£${Math.round(a).toLocaleString('en-GB')}`;
  return `${sign}${a.toFixed(decimalsFor(diff))}`;
}

/** The unit column: shares are printed as percentages. */
function unitText(meta: MetricMeta): string {
  return meta.unit.startsWith('share') ? `% (${meta.unit})` : meta.unit;
}

function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'n/a';
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}

function fmtEffect(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  return x.toFixed(2);
}

function interval(meta: MetricMeta, lo: number | null | undefined, hi: number | null | undefined, diff: number | undefined): string {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return 'n/a';
  return `[${fmtSigned(meta, lo, diff)}, ${fmtSigned(meta, hi, diff)}]`;
}

/** The readable table: per scenario, outcome by outcome, with units, paired difference, intervals, effect sizes and adjusted p. */
export function comparisonTable(res: CompareResult): string {
  const c = res.comparison;
  const f = c.family;
  const lines: string[] = [];
  lines.push(`partnersim compare: ${res.reps} replications each, seed ${res.seed}, ${res.run.schools.toLocaleString('en-GB')} schools, ${res.run.years} years; outcomes are means over the final year`);
  lines.push(`Differences are paired against ${c.baseline} (common random numbers): mean difference with 95% t and BCa bootstrap (${RESAMPLES_TEXT}) intervals; Cohen's d divides by the baseline's SD, d_z by the SD of the paired differences.`);
  const adj = f.adjust === 'holm' ? 'Holm-adjusted' : f.adjust === 'bh' ? 'Benjamini-Hochberg q-value' : 'unadjusted';
  lines.push(`p is the ${f.test} test, ${adj}, over a family of ${f.tests} tests (${f.description}); * marks p < ${f.alpha}. Quantiles, the permutation test and the unpaired KS/Mann-Whitney view are in --json and --out.`);
  for (const note of c.notes) lines.push(`Note: ${note}`);
  if (res.posterior) lines.push(`Parameter uncertainty included: each replication ran with one draw from ${String(res.posterior.file)} (the same draw in every scenario).`);
  for (const sc of c.scenarios) {
    if (sc === c.baseline) continue;
    lines.push('');
    lines.push(`${sc} vs ${c.baseline}`);
    const rows: string[][] = [];
    for (const meta of c.outcomes) {
      const r: OutcomeResult | undefined = c.results[sc][meta.id];
      const b = c.results[c.baseline][meta.id];
      if (!r) continue;
      if (r.notApplicable) {
        const na = (x: OutcomeResult): string => (x.notApplicable && PER_PARTNERSHIP.includes(meta.id) && x.summary.max === 0 ? 'n/a' : fmtValue(meta, x.summary.mean, undefined));
        rows.push([`  ${meta.label}`, unitText(meta), na(b), na(r), 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', '']);
        continue;
      }
      if (r.pairedMean === undefined) continue;
      const d = r.pairedMean;
      rows.push([
        `  ${meta.label}`,
        unitText(meta),
        fmtValue(meta, b.summary.mean, d),
        fmtValue(meta, r.summary.mean, d),
        fmtSigned(meta, d, d),
        interval(meta, r.tInterval?.[0], r.tInterval?.[1], d),
        interval(meta, r.bcaInterval?.low, r.bcaInterval?.high, d),
        fmtEffect(r.cohensD),
        fmtEffect(r.dz),
        fmtP(r.adjustedP),
        r.significant ? '*' : '',
      ]);
    }
    lines.push(layout(rows, ['  outcome', 'unit', c.baseline, sc, 'difference', '95% t interval', '95% BCa interval', "Cohen's d", 'd_z', 'p (adj.)', ''], 'llrrrrrrrrl'));
    const cpp = c.costPerPoint.find((x) => x.scenario === sc);
    if (cpp) {
      const money = (v: number | null): string => (v === null ? 'n/a' : `£${Math.round(v).toLocaleString('en-GB')}`);
      const range = cpp.low !== null && cpp.high !== null ? `, 95% bootstrap interval [${money(cpp.low)}, ${money(cpp.high)}]` : '';
      lines.push(`  ${COST_PER_POINT.label} (${COST_PER_POINT.unit}): ${money(cpp.estimate)}${range}${cpp.note ? ` (${cpp.note})` : ''}; mean cost ${fmtSigned({ ...COST_PER_POINT, unit: 'GBP' }, cpp.meanCost, undefined)}, mean gain ${cpp.meanGain >= 0 ? '+' : ''}${cpp.meanGain.toPrecision(3)} points. Not a difference and not tested.`);
    }
  }
  return lines.join('\n');
}

const RESAMPLES_TEXT = '2,000 resamples, seeded';

/** The JSON document (no timestamps: identical inputs give identical bytes). */
export function comparisonDocument(res: CompareResult, manifest: Record<string, unknown>): Record<string, unknown> {
  return pipelineDocument(res.scenarios, res.comparison, manifest);
}

/** Write replications.csv, comparison.csv, cost_per_point.csv, breakdowns.csv, manifest.json, report-data.json. */
export function writeComparison(dir: string, res: CompareResult, manifest: Record<string, unknown>): void {
  const c = res.comparison;
  const reps: unknown[][] = [];
  for (const sc of c.scenarios) for (let r = 0; r < res.reps; r++) METRICS.forEach((m, j) => reps.push([sc, r, m.id, res.agg.outcomes[c.scenarios.indexOf(sc)][r * METRICS.length + j]]));
  writeFileAtomic(join(dir, 'replications.csv'), toCsv(['scenario', 'rep', 'outcome', 'value'], reps));
  const rows: unknown[][] = [];
  for (const sc of c.scenarios) {
    for (const meta of c.outcomes) {
      const r = c.results[sc][meta.id];
      if (!r) continue;
      const s = r.summary;
      rows.push([
        sc, meta.id, meta.unit, s.n, s.mean, s.sd, s.q05, s.q25, s.median, s.q75, s.q95,
        r.pairedMean, r.sdDifference, r.tInterval?.[0], r.tInterval?.[1], r.bcaInterval?.low, r.bcaInterval?.high, r.bcaInterval?.mcError.low, r.bcaInterval?.mcError.high,
        r.wilcoxonP, r.permutationP, r.permutation?.method, r.adjustedP, r.adjust, r.testsInFamily, r.significant === undefined ? undefined : r.significant ? 1 : 0,
        r.cohensD, r.dz, r.unpaired?.ks.d, r.unpaired?.ks.p, r.unpaired?.mannWhitney.u, r.unpaired?.mannWhitney.p,
      ]);
    }
  }
  writeFileAtomic(
    join(dir, 'comparison.csv'),
    toCsv(
      ['scenario', 'outcome', 'unit', 'n', 'mean', 'sd', 'q05', 'q25', 'median', 'q75', 'q95', 'paired_mean', 'sd_difference', 't_low', 't_high', 'bca_low', 'bca_high', 'bca_mc_error_low', 'bca_mc_error_high', 'wilcoxon_p', 'permutation_p', 'permutation_method', 'adjusted_p', 'adjust', 'tests_in_family', 'significant', 'cohens_d', 'd_z', 'unpaired_ks_d', 'unpaired_ks_p', 'unpaired_mann_whitney_u', 'unpaired_mann_whitney_p'],
      rows,
    ),
  );
  writeFileAtomic(
    join(dir, 'cost_per_point.csv'),
    toCsv(
      ['scenario', 'mean_cost', 'mean_gain', 'cost_per_point', 'low', 'high', 'resamples', 'undefined_resamples', 'note'],
      c.costPerPoint.map((x) => [x.scenario, x.meanCost, x.meanGain, x.estimate, x.low, x.high, x.resamples, x.undefinedResamples, x.note]),
    ),
  );
  writeFileAtomic(
    join(dir, 'breakdowns.csv'),
    toCsv(
      ['group', 'band', 'outcome', 'scenario', 'mean', 'diff', 'diff_low', 'diff_high'],
      c.breakdowns.map((b) => [b.group, b.band, b.outcome, b.scenario, b.mean, b.difference?.estimate, b.difference?.low, b.difference?.high]),
    ),
  );
  writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileAtomic(join(dir, 'report-data.json'), JSON.stringify(compareReportData(res, manifest)) + '\n');
}

/** Replications per scenario drawn in the report's charts. */
export const REPORT_REPS = 1000;

/** The report's data for a comparison (analysis/report/data.ts). */
export function compareReportData(res: CompareResult, manifest: Record<string, unknown>): Record<string, unknown> {
  const c = res.comparison;
  const agg = res.agg;
  const k = METRICS.length;
  // Charts need no more than the first 1,000 replications; the CSVs keep them all.
  const shown = Math.min(res.reps, REPORT_REPS);
  const replications = [];
  for (let s = 0; s < c.scenarios.length; s++) for (let r = 0; r < shown; r++) for (let j = 0; j < k; j++) replications.push({ scenario: c.scenarios[s], rep: r, outcome: METRICS[j].id, value: agg.outcomes[s][r * k + j] });
  const differences = [];
  for (const sc of c.scenarios) {
    if (sc === c.baseline) continue;
    for (const meta of METRICS) {
      const r = c.results[sc][meta.id];
      // The report draws the paired mean difference with its t interval; the effect size shown is Cohen's d (baseline SD).
      if (r.pairedMean !== undefined && r.tInterval) differences.push({ scenario: sc, outcome: meta.id, estimate: r.pairedMean, low: r.tInterval[0], high: r.tInterval[1], effectSize: r.cohensD !== null && r.cohensD !== undefined && Number.isFinite(r.cohensD) ? r.cohensD : null, ksP: r.unpaired?.ks.p ?? 1, mannWhitneyP: r.unpaired?.mannWhitney.p ?? 1 });
    }
  }
  const bandLabels = ['FSM quartile 1 (least)', 'FSM quartile 2', 'FSM quartile 3', 'FSM quartile 4 (most)'];
  const fsmBands = [];
  const costEffect = [];
  const np = c.scenarios.indexOf(NO_PARTNERING);
  for (let s = 0; s < c.scenarios.length; s++) {
    // FSM quartiles are breakdown group 0; attainment is its first outcome.
    const bands = Array.from({ length: BANDS }, (_, b) => agg.breakdownColumn(c.scenarios[s], 0, b, 0));
    for (let r = 0; r < shown; r++) {
      for (let b = 0; b < BANDS; b++) fsmBands.push({ scenario: c.scenarios[s], rep: r, band: bandLabels[b], attainment: bands[b][r] });
      if (np >= 0 && s !== np) {
        const cost = agg.outcomes[s][r * k + M.money_cost] - agg.outcomes[np][r * k + M.money_cost];
        const gain = agg.outcomes[s][r * k + M.attainment_mean] - agg.outcomes[np][r * k + M.attainment_mean];
        costEffect.push({ scenario: c.scenarios[s], rep: r, costPerSchool: cost, attainmentGain: gain });
      }
    }
  }
  return {
    kind: 'compare',
    title: `partnersim: ${c.scenarios.filter((s) => s !== c.baseline).join(', ')} against ${c.baseline}`,
    manifest,
    baseline: c.baseline,
    scenarios: res.scenarios.map((s) => ({ name: s.name, description: s.description })),
    outcomes: METRICS,
    replications,
    differences,
    timeseries: yearlyQuantiles(agg, res.run.startYear),
    network: c.scenarios.filter((s) => agg.network.has(s)).map((s) => ({ scenario: s, ...agg.network.get(s)! })),
    partnerships: c.scenarios.flatMap((s) => (agg.survival.get(s) ?? []).flatMap((x) => x.rows.map((row) => ({ scenario: s, rep: x.rep, ...row })))),
    fsmBands,
    costEffect,
  };
}

/** The compare command's handler. */
export async function compareCommand(args: CompareArgs & WorldArgs, argv: string[]): Promise<void> {
  const baseline = args.baseline ?? 'baseline';
  // no-partnering always runs too: it is the counterfactual for cost per point gained.
  const refs = scenarioList(`${args.scenarios},${NO_PARTNERING}`, baseline);
  const res = await runComparison(refs, baseline, args);
  present(res, args, argv);
}

/** Print and write a comparison. */
export function present(res: CompareResult, args: CompareArgs, argv: string[]): void {
  const m = { kind: 'compare' as const, command: argv, seed: res.seed, run: res.run, scenarios: res.scenarios, replications: res.reps, threads: res.threads, world: res.world, ...(res.posterior ? { extra: { posterior: res.posterior } } : {}) };
  if (args.json) process.stdout.write(JSON.stringify(comparisonDocument(res, buildManifest(m, false)), null, 2) + '\n');
  else process.stdout.write(comparisonTable(res) + '\n');
  if (args.out) {
    writeComparison(args.out, res, buildManifest(m, true));
    if (!args.json) process.stdout.write(`\nWrote replications.csv, comparison.csv, cost_per_point.csv, breakdowns.csv, manifest.json to ${args.out}\n`);
  }
}

/** `run --reps N`: one scenario's outcome distributions. */
export async function distributionCommand(args: CompareArgs & WorldArgs & { scenario: string }, argv: string[]): Promise<void> {
  const res = await runComparison([args.scenario], args.scenario, args);
  const m = { kind: 'run' as const, command: argv, seed: res.seed, run: res.run, scenarios: res.scenarios, replications: res.reps, threads: res.threads, world: res.world, ...(res.posterior ? { extra: { posterior: res.posterior } } : {}) };
  if (args.json) process.stdout.write(JSON.stringify(comparisonDocument(res, buildManifest(m, false)), null, 2) + '\n');
  else {
    const sc = res.comparison.scenarios[0];
    const rows = res.comparison.outcomes.map((meta) => {
      const s = res.comparison.results[sc][meta.id].summary;
      return [`  ${meta.label}`, fmtMetric(meta, s.mean), fmtMetric(meta, s.q05), fmtMetric(meta, s.median), fmtMetric(meta, s.q95), meta.unit];
    });
    process.stdout.write(`partnersim: ${sc}, ${res.reps} replications, seed ${res.seed}; outcomes are means over the final year\n\n${layout(rows, ['  outcome', 'mean', '5%', 'median', '95%', 'unit'], 'lrrrrl')}\n`);
  }
  if (args.out) writeComparison(args.out, res, buildManifest(m, true));
}
