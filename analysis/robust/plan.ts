/**
 * The robust-decision plan (issue 15): an experiment expanded, deterministically
 * and without side effects, into futures (points sampled from the uncertainty
 * ranges) and runs (future x replication x policy), and the same plan in the
 * shape the sweep store keeps (analysis/sweep/store.ts), so a robust run is
 * resumable, shardable and mergeable exactly as a sweep is.
 *
 * Common random numbers. A future's key is the hash of its canonical text (the
 * uncertain parameters as sorted `path=value` pairs, as a sweep point's), and
 * every run of that future and replication is seeded from (seed, future key,
 * replication) whatever its policy: every policy meets the same world and the
 * same random streams there, so differences between policies in a future are
 * paired. A run's id adds the policy: `KEY-rR` where KEY hashes
 * `policy=NAME;<future canonical text>`.
 *
 * Plan order: futures in sampling order; within a future, replications; within a
 * replication, policies in experiment order. Shards take run k to shard
 * (k mod N) + 1, as a sweep's.
 */
import { setPath, type Params } from '../../sim/params.js';
import { Rng } from '../../sim/rng.js';
import type { ExperimentSpec, Uncertainty } from '../../scenarios/experiment-loader.js';
import type { SweepParameter, SweepSpec } from '../../scenarios/sweep-loader.js';
import type { Task } from '../../workers/task.js';
import { latinHypercube, scaleToRanges, type ParameterRange } from '../sensitivity/designs.js';
import { sobolPoints } from '../sensitivity/sobol-sequence.js';
import { canonicalPoint, pointKey, runId, type SweepPlan, type SweepPoint, type SweepRun } from '../sweep/plan.js';

/** One sampled future. */
export interface Future {
  index: number;
  /** 16 hex digits: the seed key every policy shares in this future. */
  key: string;
  canonical: string;
  /** One value per uncertainty, in experiment order. */
  values: number[];
}

/** One run: a future, a replication and a policy (arm). */
export interface RobustRun extends SweepRun {
  future: number;
  arm: number;
}

/** A fully expanded experiment. */
export interface RobustPlan {
  spec: ExperimentSpec;
  futures: Future[];
  runs: RobustRun[];
  /** The same plan as the sweep store keeps it: one store point per (policy, future). */
  storage: SweepPlan;
}

/** Unit-cube points of the sampling design (LHS keyed by the seed; Sobol deterministic). */
export function samplePoints(spec: Pick<ExperimentSpec, 'seed' | 'sampling' | 'uncertainties'>): number[][] {
  const d = spec.uncertainties.length;
  if (spec.sampling.type === 'lhs') return latinHypercube(d, spec.sampling.points, Rng.fromKey({ seed: spec.seed, point: 'design', replication: 0, stream: 'robust-lhs' })).points;
  return sobolPoints(spec.sampling.points, d);
}

/** The uncertainties as sweep parameters (store columns, canonical text). */
export function uncertaintyParameters(us: readonly Uncertainty[]): SweepParameter[] {
  return us.map((u) => ({ path: u.path, kind: 'number' as const, range: u.range }));
}

/** Expand an experiment into futures and runs. */
export function expandRobustPlan(spec: ExperimentSpec): RobustPlan {
  const params = uncertaintyParameters(spec.uncertainties);
  const ranges: ParameterRange[] = spec.uncertainties.map((u) => u.range);
  const futures: Future[] = [];
  const byCanonical = new Set<string>();
  for (const unit of samplePoints(spec)) {
    const values = scaleToRanges(unit, ranges);
    const canonical = canonicalPoint(params, values);
    // Narrow integer ranges can repeat a future: run it once.
    if (byCanonical.has(canonical)) continue;
    byCanonical.add(canonical);
    futures.push({ index: futures.length, key: pointKey(canonical), canonical, values });
  }
  const points: SweepPoint[] = [];
  const pointOf: number[][] = futures.map(() => []);
  for (const f of futures) {
    spec.arms.forEach((a, ai) => {
      const canonical = `policy=${a.name};${f.canonical}`;
      pointOf[f.index][ai] = points.length;
      points.push({ index: points.length, key: pointKey(canonical), canonical, values: f.values });
    });
  }
  const runs: RobustRun[] = [];
  for (const f of futures) {
    for (let r = 0; r < spec.replications; r++) {
      spec.arms.forEach((_, ai) => {
        const pt = points[pointOf[f.index][ai]];
        runs.push({ ordinal: runs.length, id: runId(pt.key, r), point: pt.index, pointKey: pt.key, replication: r, future: f.index, arm: ai });
      });
    }
  }
  const storageSpec = {
    ...spec,
    judged: spec.outcomes,
    parameters: params,
    outcomes: spec.stored,
    scenario: spec.reference,
    design: { type: spec.sampling.type === 'lhs' ? 'lhs' : 'grid', points: spec.sampling.points },
  } as unknown as SweepSpec;
  const reference = spec.arms.find((a) => a.name === spec.reference)!;
  const storage: SweepPlan = {
    spec: storageSpec,
    params: reference.params,
    run: spec.run,
    design: { type: 'lhs', columns: params.map((_, i) => i) },
    positions: points.map((p) => p.index),
    points,
    runs,
  };
  return { spec, futures, runs, storage };
}

/** The task of one run: the policy's parameters with the future's values set; seeded by the future, not the policy. */
export function robustTask(plan: RobustPlan, r: RobustRun): Task {
  const arm = plan.spec.arms[r.arm];
  const params: Params = structuredClone(arm.params);
  const f = plan.futures[r.future];
  plan.spec.uncertainties.forEach((u, i) => setPath(params, u.path, f.values[i]));
  return { id: r.ordinal, scenario: arm.name, params, run: plan.spec.run, seed: plan.spec.seed, point: f.key, replication: r.replication };
}

/** Is a stored sweep spec (meta.spec of a results folder) a robust experiment? */
export function isRobustSpec(spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && (spec as { kind?: unknown }).kind === 'robust';
}

/** The experiment back from the spec a results folder stores (see {@link expandRobustPlan}'s storage view). */
export function experimentFromStored(stored: unknown): ExperimentSpec {
  const { judged, parameters: _p, scenario: _s, design: _d, outcomes: _o, ...rest } = stored as ExperimentSpec & { judged: string[]; parameters: unknown; scenario: unknown; design: unknown };
  return { ...rest, outcomes: judged } as ExperimentSpec;
}
