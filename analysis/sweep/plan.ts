/**
 * The sweep plan (issue 6): a validated sweep expanded, deterministically and
 * without side effects, into design points and runs, plus the shard a machine
 * takes. Pure: the same spec gives the same plan on every machine.
 *
 * Identity and seeds. A point's key is a hash of its canonical text, the sorted
 * `path=value` pairs of every swept parameter (`levers.fundingWithdrawn.share=0.5;
 * trust.gain=0.08`), never of its position, so adding levels or points leaves the
 * other points' keys alone. A run is (point key, replication): its id is
 * `KEY-rR` and its generators come from the structured key (seed, point key,
 * replication, stream) that workers/task.ts hashes, so a run's results do not
 * depend on the plan around it, the shard it fell in, or the machine that ran it.
 * Designs that visit a point twice (Morris trajectories crossing, integer ranges)
 * run it once; the design keeps its positions for the estimators.
 *
 * Plan order: points in first-visit design order, each point's replications
 * together. Shards: run k (0-based, plan order) belongs to shard (k mod N) + 1, so
 * shards are disjoint, cover the plan and differ in size by at most one.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../sim/errors.js';
import { setPath, type Params } from '../../sim/params.js';
import { keyString, Rng } from '../../sim/rng.js';
import type { RunSpec } from '../../scenarios/loader.js';
import { variedParameters, type ParamValue, type SweepParameter, type SweepSpec } from '../../scenarios/sweep-loader.js';
import type { Task } from '../../workers/task.js';
import { gridDesign, latinHypercube, morrisDesign, saltelliDesign, scaleToRanges, type MorrisDesign, type ParameterRange, type SaltelliDesign } from '../sensitivity/designs.js';

/** One distinct design point. */
export interface SweepPoint {
  /** Position in plan order (0-based). */
  index: number;
  /** 16 hex digits: sha256 of `canonical`, truncated. */
  key: string;
  /** Sorted `path=value` pairs joined by `;`. */
  canonical: string;
  /** One value per spec parameter, in spec order. */
  values: ParamValue[];
}

/** One run: a point and a replication. */
export interface SweepRun {
  /** Position in plan order (0-based); the shard is `ordinal mod N`. */
  ordinal: number;
  /** `POINTKEY-rREPLICATION`. */
  id: string;
  /** Index into the plan's points. */
  point: number;
  pointKey: string;
  replication: number;
}

/** The design behind the points, kept for the estimators. */
export type PlanDesign =
  | { type: 'grid' | 'lhs'; columns: number[] }
  | { type: 'sobol'; columns: number[]; saltelli: SaltelliDesign }
  | { type: 'morris'; columns: number[]; morris: MorrisDesign };

/** A fully expanded sweep. */
export interface SweepPlan {
  spec: SweepSpec;
  /** Base parameters (the sweep's base scenario, resolved). */
  params: Params;
  run: RunSpec;
  /** `columns`: indices into spec.parameters of the varied parameters, in design-column order. */
  design: PlanDesign;
  /** For each design position, the index of its point. */
  positions: number[];
  points: SweepPoint[];
  runs: SweepRun[];
}

/** A slice of the plan: shard `index` of `count` (1-based), and where that came from. */
export interface Shard {
  index: number;
  count: number;
  source: 'flag' | 'slurm' | 'kubernetes' | 'none';
}

/** A value as written in canonical text and point keys: numbers round-trip exactly. */
export function valueText(v: ParamValue): string {
  return typeof v === 'boolean' ? String(v) : Object.is(v, -0) ? '0' : String(v);
}

/** Canonical text of a point: `path=value` pairs sorted by path, joined by `;`. */
export function canonicalPoint(parameters: readonly Pick<SweepParameter, 'path'>[], values: readonly ParamValue[]): string {
  return parameters
    .map((p, i) => [p.path, valueText(values[i])] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([p, v]) => `${p}=${v}`)
    .join(';');
}

/** A point's key: the first 16 hex digits of sha256 of its canonical text. */
export function pointKey(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** A run's stable id. */
export function runId(key: string, replication: number): string {
  return `${key}-r${replication}`;
}

/** Generator key for the design's own randomness (lhs, morris): fixed by the seed and the design type. */
function designRng(spec: SweepSpec): Rng {
  return Rng.fromKey({ seed: spec.seed, point: 'design', replication: 0, stream: spec.design.type });
}

/** Independent scrambled replicates of a Sobol design with n base rows: 8, or fewer so each has at least 2 rows. */
export function sobolReplicates(n: number): number {
  for (const k of [8, 4, 2]) if (n % k === 0 && n / k >= 2) return k;
  return 1;
}

/** Map a unit coordinate to a value of parameter p (a range, or one of two or more levels). */
function fromUnit(p: SweepParameter, u: number): ParamValue {
  if (p.range) return scaleToRanges([u], [p.range as ParameterRange])[0];
  const levels = p.levels!;
  return levels[Math.min(levels.length - 1, Math.floor(u * levels.length))];
}

/**
 * Expand a validated sweep into its plan. Deterministic: lhs and morris designs
 * and the sobol design's scrambling draw from a generator keyed by the sweep's seed;
 * grid uses none.
 *
 * @throws InputError in the (astronomically unlikely) case two points' keys collide.
 */
export function expandPlan(spec: SweepSpec, params: Params, run: RunSpec): SweepPlan {
  const ps = spec.parameters;
  const varied = variedParameters(spec);
  const columns = varied.map((p) => ps.indexOf(p));
  const fixed = ps.map((p) => (p.levels && p.levels.length === 1 ? p.levels[0] : undefined));
  const full = (unit: ArrayLike<number>): ParamValue[] => {
    const v = fixed.slice() as ParamValue[];
    columns.forEach((c, j) => (v[c] = fromUnit(ps[c], unit[j])));
    return v;
  };
  let design: PlanDesign;
  let raw: ParamValue[][];
  switch (spec.design.type) {
    case 'grid': {
      // Grid over level indices (levels may be on/off), odometer order, last parameter fastest.
      const g = gridDesign(ps.map((p) => p.levels!.map((_, i) => i)));
      raw = g.points.map((idx) => idx.map((k, i) => ps[i].levels![k]));
      design = { type: 'grid', columns };
      break;
    }
    case 'lhs': {
      const l = latinHypercube(varied.length, spec.design.points, designRng(spec));
      raw = l.points.map(full);
      design = { type: 'lhs', columns };
      break;
    }
    case 'sobol': {
      // Independent scrambled replicates give the indices' intervals (analysis/sensitivity/sobol-indices.ts).
      const s = saltelliDesign(varied.length, spec.design.n, { replicates: sobolReplicates(spec.design.n), scramble: designRng(spec) });
      raw = s.points.map(full);
      design = { type: 'sobol', columns, saltelli: s };
      break;
    }
    case 'morris': {
      const m = morrisDesign(varied.length, spec.design.trajectories, { levels: spec.design.levels, rng: designRng(spec) });
      raw = m.points.map(full);
      design = { type: 'morris', columns, morris: m };
      break;
    }
  }
  const points: SweepPoint[] = [];
  const byCanonical = new Map<string, number>();
  const keys = new Map<string, string>();
  const positions = raw.map((values) => {
    const canonical = canonicalPoint(ps, values);
    const seen = byCanonical.get(canonical);
    if (seen !== undefined) return seen;
    const key = pointKey(canonical);
    const clash = keys.get(key);
    if (clash !== undefined) throw new InputError(`two sweep points share the key ${key} (${clash} and ${canonical}); change the seed or a level slightly`);
    keys.set(key, canonical);
    const index = points.length;
    points.push({ index, key, canonical, values });
    byCanonical.set(canonical, index);
    return index;
  });
  const runs: SweepRun[] = [];
  for (const pt of points) {
    for (let r = 0; r < spec.replications; r++) runs.push({ ordinal: runs.length, id: runId(pt.key, r), point: pt.index, pointKey: pt.key, replication: r });
  }
  return { spec, params, run, design, positions, points, runs };
}

/** The task that executes one run: base parameters with the point's values set. */
export function taskFor(plan: SweepPlan, r: SweepRun): Task {
  const params = structuredClone(plan.params);
  const values = plan.points[r.point].values;
  plan.spec.parameters.forEach((p, i) => setPath(params, p.path, values[i]));
  return { id: r.ordinal, scenario: plan.spec.name, params, run: plan.run, seed: plan.spec.seed, point: r.pointKey, replication: r.replication };
}

/** The seed-key pattern of a sweep's runs (for manifests). */
export function seedKeyPattern(seed: number | string): string {
  return keyString({ seed, point: '{point}', replication: -1, stream: '{stream}' }).replace('rep=-1', 'rep={replication}');
}

// ───────────────────────────── shards ─────────────────────────────

/** Parse `I/N` (1 <= I <= N). */
export function parseShard(text: string, option = '--shard'): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count || !Number.isSafeInteger(count)) {
    throw InputError.at(undefined, option, `expected I/N with 1 <= I <= N (e.g. 2/8), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

function envInt(env: Record<string, string | undefined>, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\s*-?\d+\s*$/.test(v)) throw InputError.at(undefined, name, `expected a whole number in the environment variable, got ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * Which shard this process runs. Precedence, first match wins:
 * 1. `--shard I/N` on the command line;
 * 2. a SLURM job array: SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (and
 *    SLURM_ARRAY_TASK_MIN / _STEP, so `--array=0-7`, `1-8` and `0-14:2` all give
 *    shards 1..8); lists with gaps (`--array=1,5,9`) are refused: pass --shard;
 * 3. a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) with the count from
 *    `--shards N` or PARTNERSIM_SHARDS;
 * 4. otherwise the whole plan (shard 1/1).
 */
export function resolveShard(opts: { shard?: string; shards?: unknown; env: Record<string, string | undefined> }): Shard {
  const { env } = opts;
  if (opts.shard !== undefined) return { ...parseShard(opts.shard), source: 'flag' };
  const slurmId = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined || count < 1) throw InputError.at(undefined, 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard I/N');
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const k = (slurmId - min) / Math.max(1, step);
    if (!Number.isInteger(k) || k < 0 || k >= count) {
      throw InputError.at(
        undefined,
        'SLURM_ARRAY_TASK_ID',
        `array task ${slurmId} does not map to one of ${count} shards (min ${min}, step ${step}); use a contiguous array such as --array=0-${count - 1}, or pass --shard I/N`,
      );
    }
    return { index: k + 1, count, source: 'slurm' };
  }
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  const countText = opts.shards !== undefined ? String(opts.shards) : env.PARTNERSIM_SHARDS;
  const where = opts.shards !== undefined ? '--shards' : 'PARTNERSIM_SHARDS';
  if (k8s !== undefined) {
    if (countText === undefined) throw InputError.at(undefined, 'JOB_COMPLETION_INDEX', 'is set but the number of shards is not; pass --shards N (the Job\'s completions) or set PARTNERSIM_SHARDS');
    const count = Number(countText);
    if (!Number.isSafeInteger(count) || count < 1) throw InputError.at(undefined, where, `expected a whole number of shards, got ${JSON.stringify(countText)}`);
    if (k8s < 0 || k8s >= count) throw InputError.at(undefined, 'JOB_COMPLETION_INDEX', `index ${k8s} is outside 0..${count - 1} for ${count} shards`);
    return { index: k8s + 1, count, source: 'kubernetes' };
  }
  if (opts.shards !== undefined) throw InputError.at(undefined, '--shards', 'only applies with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); to pick a shard by hand pass --shard I/N');
  return { index: 1, count: 1, source: 'none' };
}

/** `I/N`. */
export function shardLabel(s: { index: number; count: number }): string {
  return `${s.index}/${s.count}`;
}

/** The 1-based shard that run `ordinal` belongs to out of `count`. */
export function shardOf(ordinal: number, count: number): number {
  return (ordinal % count) + 1;
}

/** The runs of one shard, in plan order. */
export function shardRuns(plan: SweepPlan, shard: { index: number; count: number }): SweepRun[] {
  return shard.count === 1 ? plan.runs : plan.runs.filter((r) => shardOf(r.ordinal, shard.count) === shard.index);
}
