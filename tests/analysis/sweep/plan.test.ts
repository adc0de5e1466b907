import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../sim/errors.js';
import { defaultParams, getPath } from '../../../sim/params.js';
import { keyString } from '../../../sim/rng.js';
import { streamKey } from '../../../sim/model.js';
import { DEFAULT_RUN } from '../../../scenarios/loader.js';
import { parseSweepText } from '../../../scenarios/sweep-loader.js';
import { executeTask } from '../../../workers/task.js';
import { canonicalPoint, expandPlan, parseShard, resolveShard, runId, shardOf, shardRuns, taskFor, type SweepPlan } from '../../../analysis/sweep/plan.js';

const RUN = { ...DEFAULT_RUN, schools: 60, years: 1 };

function plan(params: string, design: string, extra = ''): SweepPlan {
  const spec = parseSweepText(`name: p\ndescription: d\nscenario: baseline\nparameters:${params}\ndesign: ${design}\n${extra}`, 'p.yaml');
  return expandPlan(spec, defaultParams(), RUN);
}

const GRID = '\n  trust.gain: {levels: [0.03, 0.06, 0.12]}\n  levers.fundingWithdrawn.share: {levels: [0.5, 1]}';
const RANGES = '\n  trust.gain: {range: {min: 0.02, max: 0.2, log: true}}\n  formation.candidates: {range: {min: 3, max: 12}}\n  levers.mandatedPairing.enabled: {levels: [false, true]}';

describe('expandPlan', () => {
  it('is deterministic for every design', () => {
    for (const d of ['{type: lhs, points: 9}', '{type: sobol, n: 8}', '{type: morris, trajectories: 4}']) {
      expect(JSON.stringify(plan(RANGES, d, 'replications: 2'))).toBe(JSON.stringify(plan(RANGES, d, 'replications: 2')));
    }
    expect(JSON.stringify(plan(GRID, '{type: grid}'))).toBe(JSON.stringify(plan(GRID, '{type: grid}')));
  });

  it('crosses grid levels in odometer order, replications of a point together', () => {
    const p = plan(GRID, '{type: grid}', 'replications: 2');
    expect(p.points.map((x) => x.values)).toEqual([
      [0.03, 0.5], [0.03, 1], [0.06, 0.5], [0.06, 1], [0.12, 0.5], [0.12, 1],
    ]);
    expect(p.runs).toHaveLength(12);
    expect(p.runs.slice(0, 3).map((r) => [r.ordinal, r.point, r.replication])).toEqual([[0, 0, 0], [1, 0, 1], [2, 1, 0]]);
  });

  it('keys points by their sorted parameter values, never by position', () => {
    const p = plan(GRID, '{type: grid}');
    const pt = p.points[3];
    expect(pt.canonical).toBe('levers.fundingWithdrawn.share=1;trust.gain=0.06');
    expect(pt.key).toBe(createHash('sha256').update(pt.canonical).digest('hex').slice(0, 16));
    expect(p.runs[3].id).toBe(runId(pt.key, 0));
    expect(runId(pt.key, 7)).toBe(`${pt.key}-r7`);
    // Listing the parameters in the other order gives the same keys.
    const swapped = plan('\n  levers.fundingWithdrawn.share: {levels: [0.5, 1]}\n  trust.gain: {levels: [0.03, 0.06, 0.12]}', '{type: grid}');
    expect(new Set(swapped.points.map((x) => x.key))).toEqual(new Set(p.points.map((x) => x.key)));
    expect(canonicalPoint([{ path: 'b' }, { path: 'a' }], [true, 0.1])).toBe('a=0.1;b=true');
  });

  it('gives tasks the base parameters with the point set, seeded by (seed, point key, replication)', () => {
    const p = plan(RANGES, '{type: lhs, points: 5}', 'seed: 17\nreplications: 3');
    const r = p.runs[4];
    const t = taskFor(p, r);
    const values = p.points[r.point].values;
    expect(getPath(t.params, 'trust.gain')).toBe(values[0]);
    expect(getPath(t.params, 'formation.candidates')).toBe(values[1]);
    expect(Number.isInteger(values[1])).toBe(true);
    expect(getPath(t.params, 'levers.mandatedPairing.enabled')).toBe(values[2]);
    expect(getPath(p.params, 'trust.gain')).toBe(defaultParams().trust.gain); // base untouched
    expect([t.id, t.seed, t.point, t.replication]).toEqual([4, 17, r.pointKey, r.replication]);
    expect(keyString(streamKey(t, 'world'))).toBe(`partnersim|seed=17|point=${r.pointKey}|rep=${r.replication}|stream=world`);
  });

  it('leaves other runs\' ids and seeds alone when a level is added', () => {
    const small = plan('\n  trust.gain: {levels: [0.03, 0.12]}\n  levers.fundingWithdrawn.share: {levels: [0.5, 1]}', '{type: grid}', 'replications: 2');
    const big = plan(GRID, '{type: grid}', 'replications: 2');
    const byId = new Map(big.runs.map((r) => [r.id, r]));
    for (const r of small.runs) {
      const b = byId.get(r.id);
      expect(b, r.id).toBeDefined();
      const ts = taskFor(small, r);
      const tb = taskFor(big, b!);
      expect([tb.seed, tb.point, tb.replication, tb.params]).toEqual([ts.seed, ts.point, ts.replication, ts.params]);
    }
    // ... so a run gives the same results in either plan, although its position moved.
    const r = small.runs[small.runs.length - 1];
    const b = byId.get(r.id)!;
    expect(b.ordinal).not.toBe(r.ordinal);
    expect(executeTask({ ...taskFor(big, b), id: 0 }).outcomes).toEqual(executeTask({ ...taskFor(small, r), id: 0 }).outcomes);
  });

  it('keeps the first points of a Sobol design when n grows (the Sobol sequence is extended, not redrawn)', () => {
    const a = plan(RANGES, '{type: sobol, n: 8}');
    const b = plan(RANGES, '{type: sobol, n: 16}');
    const keysA = a.positions.map((p) => a.points[p].key);
    const keysB = b.positions.slice(0, keysA.length).map((p) => b.points[p].key);
    expect(keysB).toEqual(keysA);
  });

  it('runs a point the design visits twice only once, keeping the design positions', () => {
    const p = plan('\n  formation.candidates: {range: {min: 3, max: 4}}\n  trust.gain: {levels: [0.03, 0.06]}', '{type: morris, trajectories: 6}', 'replications: 2');
    expect(p.positions).toHaveLength(6 * 3);
    expect(p.points.length).toBeLessThan(p.positions.length);
    expect(p.points.length).toBeLessThanOrEqual(4);
    expect(new Set(p.runs.map((r) => r.id)).size).toBe(p.runs.length);
    expect(p.runs).toHaveLength(p.points.length * 2);
    for (const [k, i] of p.positions.entries()) expect(i, `position ${k}`).toBeLessThan(p.points.length);
  });

  it('holds one-level parameters fixed outside the design columns', () => {
    const p = plan('\n  trust.gain: {range: {min: 0.02, max: 0.2}}\n  levers.fundingWithdrawn.enabled: {levels: [true]}', '{type: sobol, n: 4}');
    expect(p.design.columns).toEqual([0]);
    expect(p.positions).toHaveLength(4 * 3);
    for (const pt of p.points) expect(pt.values[1]).toBe(true);
  });
});

describe('shards', () => {
  const p = plan(GRID, '{type: grid}', 'replications: 7'); // 42 runs

  it('are disjoint, cover the plan and are balanced within one run', () => {
    for (let n = 1; n <= 9; n++) {
      const parts = Array.from({ length: n }, (_, i) => shardRuns(p, { index: i + 1, count: n }));
      const ids = parts.flat().map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(p.runs.map((r) => r.id)));
      const sizes = parts.map((x) => x.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (const [i, part] of parts.entries()) for (const r of part) expect(shardOf(r.ordinal, n)).toBe(i + 1);
    }
  });

  it('parse I/N and refuse nonsense', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0', '-1/2']) expect(() => parseShard(bad), bad).toThrow(/--shard: expected I\/N with 1 <= I <= N/);
  });

  const cases: { what: string; shard?: string; shards?: string; env: Record<string, string>; want?: [number, number, string]; error?: RegExp }[] = [
    { what: 'no flag, no scheduler: the whole plan', env: {}, want: [1, 1, 'none'] },
    { what: '--shard beats SLURM', shard: '3/4', env: { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' }, want: [3, 4, 'flag'] },
    { what: 'SLURM array 0-2', env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '0' }, want: [3, 3, 'slurm'] },
    { what: 'SLURM array 1-8', env: { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_STEP: '1' }, want: [1, 8, 'slurm'] },
    { what: 'SLURM array 0-14:2', env: { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2' }, want: [4, 8, 'slurm'] },
    { what: 'SLURM beats Kubernetes', env: { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2', JOB_COMPLETION_INDEX: '1', PARTNERSIM_SHARDS: '2' }, want: [1, 2, 'slurm'] },
    { what: 'Kubernetes index with --shards', shards: '5', env: { JOB_COMPLETION_INDEX: '4' }, want: [5, 5, 'kubernetes'] },
    { what: 'Kubernetes index with PARTNERSIM_SHARDS', env: { JOB_COMPLETION_INDEX: '0', PARTNERSIM_SHARDS: '3' }, want: [1, 3, 'kubernetes'] },
    { what: 'SLURM array with gaps', env: { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' }, error: /array task 5 does not map to one of 3 shards/ },
    { what: 'SLURM without the count', env: { SLURM_ARRAY_TASK_ID: '1' }, error: /SLURM_ARRAY_TASK_COUNT is not/ },
    { what: 'Kubernetes index without a count', env: { JOB_COMPLETION_INDEX: '1' }, error: /pass --shards N .* or set PARTNERSIM_SHARDS/ },
    { what: 'Kubernetes index out of range', shards: '2', env: { JOB_COMPLETION_INDEX: '2' }, error: /index 2 is outside 0..1/ },
    { what: '--shards without an index', shards: '2', env: {}, error: /--shards: only applies with JOB_COMPLETION_INDEX/ },
    { what: 'not a number', env: { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' }, error: /SLURM_ARRAY_TASK_ID: expected a whole number/ },
  ];
  for (const c of cases) {
    it(`resolveShard: ${c.what}`, () => {
      const f = (): unknown => resolveShard({ shard: c.shard, shards: c.shards, env: c.env });
      if (c.error) {
        expect(f).toThrow(InputError);
        expect(f).toThrow(c.error);
      } else {
        const s = resolveShard({ shard: c.shard, shards: c.shards, env: c.env });
        expect([s.index, s.count, s.source]).toEqual(c.want);
      }
    });
  }
});
