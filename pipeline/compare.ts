/**
 * The compare pipeline, shared by the command line (`partnersim compare`, `run --reps`)
 * and the workshop page: scenarios as outcome distributions over Monte Carlo
 * replications, each against the baseline on the same seeds.
 *
 * Phases: resolve scenarios (the driver: files in Node, YAML text in the browser)
 * -> expand plan (scenario x replication) -> seed (each task's key: seed, point,
 * replication) -> dispatch (injected: worker_threads in Node, Web Workers in the
 * browser) -> collect (stream into the aggregator) -> summarise (analysis/compare.ts)
 * -> present (the driver: table, JSON, files, page).
 *
 * Browser-safe: no Node imports here or in what this imports at run time.
 */
import { InputError } from '../sim/errors.js';
import type { ResolvedScenario, RunSpec } from '../scenarios/resolve.js';
import type { Task, TaskRecord } from '../workers/task.js';
import { compare, CompareAggregator, COST_PER_POINT, type Comparison } from '../analysis/compare.js';
import type { AdjustMethod } from '../analysis/stats/adjust.js';

/** Default replications per scenario. */
export const DEFAULT_REPS = 20;

/**
 * The thread mechanism: run every task, handing each record to `onRecord` as it arrives
 * (any order). Results never depend on which thread ran what: each task carries its seed key.
 */
export type Dispatch = (tasks: Task[], onRecord: (rec: TaskRecord) => void) => Promise<void>;

/** Everything that fixes a comparison's numbers. */
export interface ComparePlan {
  /** Resolved scenarios, the baseline among them. */
  scenarios: ResolvedScenario[];
  /** Name of the baseline scenario. */
  baseline: string;
  run: RunSpec;
  seed: number | string;
  reps: number;
  /** Multiplicity adjustment over the family of tests (default Holm). */
  adjust?: AdjustMethod;
  /** Rewrites the expanded tasks before dispatch (e.g. one posterior parameter draw per replication); must depend only on each task's seed key. */
  transformTasks?: (tasks: Task[]) => Task[];
}

export interface CompareOutcome {
  tasks: Task[];
  agg: CompareAggregator;
  comparison: Comparison;
}

/**
 * Names (or files) listed in `list` (comma-separated; `all` = every name in `builtins`),
 * with the baseline first and no duplicates.
 */
export function scenarioList(list: string, baseline: string, builtins: readonly string[]): string[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .flatMap((s) => (s === 'all' ? [...builtins] : [s]));
  if (names.length === 0) throw InputError.at(undefined, '--scenarios', 'expected one or more scenario names or files, separated by commas');
  return [baseline, ...names.filter((n) => n !== baseline)].filter((n, i, a) => a.indexOf(n) === i);
}

/** Scenario names must be unique; `refs[i]` is where scenario i came from (for the message). */
export function checkUniqueNames(scs: ResolvedScenario[], refs: string[]): void {
  const byName = new Map<string, string>();
  scs.forEach((s, i) => {
    const prev = byName.get(s.name);
    if (prev !== undefined) throw InputError.at(refs[i], 'name', `two scenarios are named '${s.name}' (${prev} and ${refs[i]}); expected unique names`);
    byName.set(s.name, refs[i]);
  });
}

/** Expand the plan: every scenario x replication, ids in plan order. */
export function expandPlan(scs: ResolvedScenario[], run: RunSpec, seed: number | string, reps: number): Task[] {
  const tasks: Task[] = [];
  scs.forEach((sc, s) => {
    for (let r = 0; r < reps; r++) {
      tasks.push({ id: s * reps + r, scenario: sc.name, params: sc.params, run, seed, point: 0, replication: r, survival: r < 3, network: r === 0 });
    }
  });
  return tasks;
}

/** An empty aggregator for a plan (records stream into it; results do not depend on arrival order). */
export function aggregatorFor(plan: ComparePlan): CompareAggregator {
  return new CompareAggregator(
    plan.scenarios.map((s) => s.name),
    plan.reps,
    plan.run.years,
  );
}

/**
 * Run a comparison: expand the plan, dispatch it, collect records into the aggregator
 * (`onRecord` sees each one after it is added, e.g. for progress or streaming to disk),
 * then summarise against the baseline.
 */
export async function runComparePipeline(plan: ComparePlan, dispatch: Dispatch, onRecord?: (rec: TaskRecord, agg: CompareAggregator) => void): Promise<CompareOutcome> {
  // 2 expand plan and 3 seed (each task carries its key)
  const planned = expandPlan(plan.scenarios, plan.run, plan.seed, plan.reps);
  const tasks = plan.transformTasks ? plan.transformTasks(planned) : planned;
  const agg = aggregatorFor(plan);
  // 4 dispatch and 5 collect
  await dispatch(tasks, (rec) => {
    agg.add(rec);
    onRecord?.(rec, agg);
  });
  // 6 summarise
  const comparison = compare(agg, plan.baseline, plan.seed, { adjust: plan.adjust });
  return { tasks, agg, comparison };
}

/** The JSON document of `compare --json` (no timestamps: identical inputs give identical bytes). */
export function comparisonDocument(scenarios: ResolvedScenario[], c: Comparison, manifest: Record<string, unknown>): Record<string, unknown> {
  return {
    manifest,
    baseline: c.baseline,
    replications: c.replications,
    scenarios: scenarios.map((s) => ({ name: s.name, description: s.description })),
    outcomes: c.outcomes,
    family: c.family,
    notes: c.notes,
    results: c.results,
    costPerPoint: { ...COST_PER_POINT, rows: c.costPerPoint },
    breakdowns: c.breakdowns,
  };
}
