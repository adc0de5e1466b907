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
import { BANDS, M, METRICS } from '../../sim/metrics.js';
import { builtinNames, loadScenario, type ResolvedScenario, type RunSpec } from '../../scenarios/loader.js';
import type { World } from '../../sim/world.js';
import { runTasks } from '../../workers/pool.js';
import type { TaskRecord } from '../../workers/task.js';
import { CompareAggregator, NO_PARTNERING, yearlyQuantiles, type Comparison } from '../../analysis/compare.js';
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
import { prepareOutDir, writeFileAtomic } from '../../analysis/output/atomic.js';
import { toCsv } from '../../analysis/output/csv.js';
import { buildManifest } from '../../analysis/output/manifest.js';
import { fmtDiff, fmtMetric, layout } from '../../analysis/output/table.js';
import { seedValue, wholeNumber } from '../args.js';
import { Progress } from '../progress.js';
import { runSettings, type CommonRunArgs } from './run.js';
import { importSummary, loadWorld, worldManifest, type WorldArgs } from './world.js';

export interface CompareArgs extends CommonRunArgs {
  scenarios: string;
  baseline?: string;
  reps?: unknown;
  threads?: unknown;
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
  const settings = runSettings(scs[0], args);
  const reps = args.reps === undefined ? DEFAULT_REPS : wholeNumber('reps', args.reps, 1, 10_000_000);
  const threads = threadCount(args.threads);
  if (args.out) prepareOutDir(args.out);
  const loaded = await loadWorld(args, scs[0].params, seed);
  if (loaded) process.stderr.write(importSummary(loaded) + '\n');
  const world = loaded?.world;
  const run = loaded ? { ...settings, schools: loaded.world.n } : settings;
  // 2-5 plan, seed, dispatch, collect (streamed, with --out, to disk), summarise
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
    out = await runComparePipeline({ scenarios: scs, baseline, run, seed, reps }, threadDispatch(threads, world), onRecord);
  } finally {
    bar.done();
  }
  if (partial) rmSync(partial, { force: true });
  return { scenarios: scs, run, seed, reps, threads, agg: out.agg, comparison: out.comparison, world: worldManifest(loaded, run.schools) };
}

/** The readable table: per scenario, outcome by outcome, with difference and interval. */
export function comparisonTable(res: CompareResult): string {
  const c = res.comparison;
  const lines: string[] = [];
  lines.push(`partnersim compare: ${res.reps} replications each, seed ${res.seed}, ${res.run.schools.toLocaleString('en-GB')} schools, ${res.run.years} years; outcomes are means over the final year`);
  lines.push(`Differences are paired against ${c.baseline} (common random numbers), with 95% bootstrap intervals; * marks an interval that excludes zero.`);
  for (const sc of c.scenarios) {
    if (sc === c.baseline) continue;
    lines.push('');
    lines.push(`${sc} vs ${c.baseline}`);
    const rows: string[][] = [];
    for (const meta of c.outcomes) {
      const r = c.results[sc][meta.id];
      const b = c.results[c.baseline][meta.id];
      if (!r?.difference) continue;
      const d = r.difference;
      const sig = d.low > 0 || d.high < 0 ? '*' : '';
      rows.push([`  ${meta.label}`, b ? fmtMetric(meta, b.summary.mean) : '', fmtMetric(meta, r.summary.mean), `${fmtDiff(meta, d.estimate)} [${fmtDiff(meta, d.low)}, ${fmtDiff(meta, d.high)}]`, sig]);
    }
    lines.push(layout(rows, ['  outcome', c.baseline, sc, 'difference [95% interval]', ''], 'lrrrl'));
  }
  return lines.join('\n');
}

/** The JSON document (no timestamps: identical inputs give identical bytes). */
export function comparisonDocument(res: CompareResult, manifest: Record<string, unknown>): Record<string, unknown> {
  return pipelineDocument(res.scenarios, res.comparison, manifest);
}

/** Write replications.csv, comparison.csv, breakdowns.csv, manifest.json, report-data.json. */
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
      rows.push([sc, meta.id, s.n, s.mean, s.sd, s.q05, s.q25, s.median, s.q75, s.q95, r.difference?.estimate, r.difference?.low, r.difference?.high, r.effectSize, r.ks?.d, r.ks?.p, r.mannWhitney?.u, r.mannWhitney?.p]);
    }
  }
  writeFileAtomic(
    join(dir, 'comparison.csv'),
    toCsv(['scenario', 'outcome', 'n', 'mean', 'sd', 'q05', 'q25', 'median', 'q75', 'q95', 'diff', 'diff_low', 'diff_high', 'effect_size', 'ks_d', 'ks_p', 'mann_whitney_u', 'mann_whitney_p'], rows),
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
      if (r.difference) differences.push({ scenario: sc, outcome: meta.id, estimate: r.difference.estimate, low: r.difference.low, high: r.difference.high, effectSize: r.effectSize ?? 0, ksP: r.ks?.p ?? 1, mannWhitneyP: r.mannWhitney?.p ?? 1 });
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
  const m = { kind: 'compare' as const, command: argv, seed: res.seed, run: res.run, scenarios: res.scenarios, replications: res.reps, threads: res.threads, world: res.world };
  if (args.json) process.stdout.write(JSON.stringify(comparisonDocument(res, buildManifest(m, false)), null, 2) + '\n');
  else process.stdout.write(comparisonTable(res) + '\n');
  if (args.out) {
    writeComparison(args.out, res, buildManifest(m, true));
    if (!args.json) process.stdout.write(`\nWrote replications.csv, comparison.csv, breakdowns.csv, manifest.json to ${args.out}\n`);
  }
}

/** `run --reps N`: one scenario's outcome distributions. */
export async function distributionCommand(args: CompareArgs & WorldArgs & { scenario: string }, argv: string[]): Promise<void> {
  const res = await runComparison([args.scenario], args.scenario, args);
  const m = { kind: 'run' as const, command: argv, seed: res.seed, run: res.run, scenarios: res.scenarios, replications: res.reps, threads: res.threads, world: res.world };
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
