/**
 * End to end: a tiny robust experiment through the sweep store (worker threads,
 * the real database): common random numbers, killed with SIGKILL in a subprocess
 * and resumed, sharded three ways and merged with `partnersim merge`, then
 * robust-summary and discover (on the robust folder and on a sweep). Subprocesses
 * run tests/cli/fixtures/robust-cli.mjs on the compiled dist/; `npm test` builds first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SweepStore } from '../../analysis/sweep/store.js';
import { expandRobustPlan, robustTask } from '../../analysis/robust/plan.js';
import { loadExperiment } from '../../scenarios/experiment-loader.js';
import { worldFor } from '../../workers/task.js';
import { discoverCommand, robustCommand, robustSummaryCommand, type RobustHooks } from '../../cli/commands/robust.js';
import { mergeCommand, sweepCommand } from '../../cli/commands/sweep.js';
import { removeTempDirs, tempDir } from '../analysis/sweep/helpers.js';

const ENTRY = 'tests/cli/fixtures/robust-cli.mjs';
const SPEC = 'tests/fixtures/robust/tiny.yaml';
const RUNS = 48; // 6 futures x 2 replications x 4 arms (baseline, funding-withdrawn, status-quo-copy, no-partnering)
const quiet: RobustHooks = { print: () => undefined, note: () => undefined, env: {} };

async function counts(dir: string) {
  const s = (await SweepStore.open(dir, { readOnly: true }))!;
  try {
    return await s.counts();
  } finally {
    await s.close();
  }
}
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('SLURM_ARRAY_') || k === 'JOB_COMPLETION_INDEX' || k === 'PARTNERSIM_SHARDS') delete env[k];
  return env;
}
function cli(args: string[], entry = ENTRY) {
  const r = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: cleanEnv() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let root: string;
let full: string;

beforeAll(async () => {
  if (!existsSync('dist/cli/commands/robust.js') || !existsSync('dist/workers/worker.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests');
  root = tempDir('robust-cli');
  full = join(root, 'full');
  await robustCommand({ spec: SPEC, out: full, threads: '2' }, ['robust', SPEC, '--out', full], quiet);
});

afterAll(removeTempDirs);

describe('partnersim robust (tiny experiment)', () => {
  it('gives every policy the same world and seed key in a future and replication (common random numbers)', () => {
    const plan = expandRobustPlan(loadExperiment(SPEC).spec);
    const group = plan.runs.filter((r) => r.future === 2 && r.replication === 1);
    expect(group.map((r) => plan.spec.arms[r.arm].name)).toEqual(['baseline', 'funding-withdrawn', 'status-quo-copy', 'no-partnering']);
    const tasks = group.map((r) => robustTask(plan, r));
    expect(new Set(tasks.map((t) => `${t.seed}|${t.point}|${t.replication}`)).size).toBe(1);
    expect(new Set(group.map((r) => r.id)).size).toBe(4);
    const worlds = tasks.map((t) => worldFor(t));
    for (const w of worlds.slice(1)) expect(Array.from(w.fsm)).toEqual(Array.from(worlds[0].fsm));
    // the future's uncertain values are set on every policy
    for (const t of tasks) expect(t.params.trust.gain).toBe(plan.futures[2].values[0]);
  });

  it('writes results.csv, robust-summary.json and report-data.json; a copy of the reference has effect 0 in every future', async () => {
    expect(await counts(full)).toEqual({ runs: RUNS, done: RUNS, results: RUNS * 2, resultRuns: RUNS });
    const lines = read(full, 'results.csv').trimEnd().split('\n');
    expect(lines[0]).toBe('run,policy,future,replication,trust.gain,effects.attainmentPerYear,outcome,value');
    expect(lines).toHaveLength(1 + RUNS * 2);
    expect(lines[1]).toMatch(/^[0-9a-f]{16}-r0,baseline,[0-9a-f]{16},0,0\.\d+,0\.\d+,attainment_mean,\d+\.\d+$/);
    const s = JSON.parse(read(full, 'robust-summary.json')) as { rows: { policy: string; outcome: string; mean: number; q05: number; q95: number; regretMax: number }[]; policies: string[]; futures: number };
    expect(s.policies).toEqual(['baseline', 'funding-withdrawn', 'status-quo-copy']);
    expect(s.futures).toBe(6);
    const copy = s.rows.filter((r) => r.policy === 'status-quo-copy' && r.outcome !== 'cost_per_point');
    for (const r of copy) expect([r.mean, r.q05, r.q95]).toEqual([0, 0, 0]);
    // identical policies have identical regret
    for (const o of ['attainment_mean', 'money_cost', 'cost_per_point']) {
      const a = s.rows.find((r) => r.policy === 'baseline' && r.outcome === o)!;
      const b = s.rows.find((r) => r.policy === 'status-quo-copy' && r.outcome === o)!;
      expect(b.regretMax).toEqual(a.regretMax);
    }
    const data = JSON.parse(read(full, 'report-data.json')) as { robust: { regret: unknown[] }; kind: string };
    expect(data.kind).toBe('sweep');
    expect(data.robust.regret.length).toBeGreaterThan(0);
  });

  it('survives SIGKILL: --resume runs only what is missing and gives byte-identical files', async () => {
    const dir = join(root, 'killed');
    const child = spawn(process.execPath, [ENTRY, 'robust', SPEC, '--out', dir, '--threads', '1'], { env: cleanEnv({ SWEEP_TRACE_COMMITS: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code)));
    child.stdout.on('data', (d: Buffer) => {
      committed += (d.toString().match(/^committed /gm) ?? []).length;
      if (committed >= 5) child.kill('SIGKILL');
    });
    expect(await exited, err).toBe(-9);
    const before = await counts(dir);
    expect(before.runs).toBe(RUNS);
    expect(before.done).toBeGreaterThanOrEqual(5);
    expect(before.done).toBeLessThan(RUNS);
    expect(before.resultRuns).toBe(before.done);
    expect(existsSync(join(dir, 'results.csv'))).toBe(false);
    const res = await robustCommand({ spec: SPEC, out: dir, threads: '2', resume: true }, [], quiet);
    expect([res.doneBefore, res.ranNow]).toEqual([before.done, RUNS - before.done]);
    expect(read(dir, 'results.csv')).toBe(read(full, 'results.csv'));
    expect(read(dir, 'robust-summary.json')).toBe(read(full, 'robust-summary.json'));
  });

  it('three shards merged with `partnersim merge` give byte-identical files; refusals as for sweeps', async () => {
    const shards = [1, 2, 3].map((i) => join(root, `shard-${i}`));
    for (const [i, d] of shards.entries()) {
      const r = await robustCommand({ spec: SPEC, out: d, threads: '1', shard: `${i + 1}/3` }, [], quiet);
      expect(r.shardRuns).toBe(RUNS / 3);
    }
    const merged = join(root, 'merged');
    const m = await mergeCommand({ dirs: shards, out: merged }, ['merge', ...shards, '--out', merged], quiet);
    expect(m.copied).toBe(RUNS);
    expect(read(merged, 'results.csv')).toBe(read(full, 'results.csv'));
    expect(read(merged, 'robust-summary.json')).toBe(read(full, 'robust-summary.json'));
    await expect(mergeCommand({ dirs: [shards[0], shards[2]], out: join(root, 'm-missing') }, [], quiet)).rejects.toThrow(/16 of 48 runs are in none of the folders; they belong to shard 2\/3/);
    await expect(robustCommand({ spec: SPEC, out: full }, [], quiet)).rejects.toThrow(/already holds this experiment \(48 of 48 runs done\); pass --resume/);
    await expect(robustCommand({ spec: SPEC, out: full, resume: true, quick: true }, [], quiet)).rejects.toThrow(/holds a different experiment \('tiny'/);
  });

  it('robust-summary prints the tables with satisficing; discover prints PRIM and saves it for the report', async () => {
    let out = '';
    await robustSummaryCommand({ dir: full, satisfy: 'money_cost<=0' }, { print: (t) => (out += t) });
    expect(out).toMatch(/Mean attainment at 14 \(attainment_mean; .*higher is better\)/);
    expect(out).toMatch(/max regret +90% regret +best/);
    expect(out).toMatch(/Satisficing: share of futures meeting money_cost<=0/);
    out = '';
    const d = await discoverCommand({ dir: full, policy: 'funding-withdrawn', where: 'money_cost<0' }, { print: (t) => (out += t) });
    expect(out).toMatch(/cases of interest are futures in which funding-withdrawn's effect on money_cost/);
    expect(d.prim.cases).toBe(6);
    expect(existsSync(join(full, 'discover.json'))).toBe(true);
    await expect(discoverCommand({ dir: full, policy: 'nope', where: 'money_cost<0' }, quiet)).rejects.toThrow(/--policy: unknown policy 'nope'; this experiment's policies are: baseline, funding-withdrawn, status-quo-copy/);
    await expect(discoverCommand({ dir: full, where: 'money_cost<0' }, quiet)).rejects.toThrow(/--policy: expected the policy/);
  });

  it('discover works on a sweep folder too', async () => {
    const spec = join(root, 'sweep.yaml');
    writeFileSync(spec, readFileSync('scenarios/sweeps/example-lhs.yaml', 'utf8').replace('points: 40', 'points: 24').replace('replications: 3', 'replications: 1').replace('schools: 300', 'schools: 40').replace('years: 4', 'years: 1'));
    const dir = join(root, 'sweep');
    await sweepCommand({ spec, out: dir, threads: '1' }, [], quiet);
    let out = '';
    const d = await discoverCommand({ dir, where: 'staff_days>20' }, { print: (t) => (out += t) });
    expect(d.source).toBe('sweep');
    expect(d.prim.cases).toBe(24);
    expect(d.cases.inputs).toEqual(['world.staffDaysPerTerm', 'costs.attainmentDays', 'costs.startupMultiplier']);
    expect(out).toMatch(/design points whose mean staff_days over replications meets staff_days>20/);
    await expect(discoverCommand({ dir, policy: 'x', where: 'staff_days>20' }, quiet)).rejects.toThrow(/--policy: applies to robust experiments/);
    await expect(robustSummaryCommand({ dir }, quiet)).rejects.toThrow(/holds a parameter sweep, not a robust experiment/);
  });

  it('exits 2 with one plain message on bad input, and --help works (subprocess)', () => {
    const bad = join(root, 'bad.yaml');
    writeFileSync(bad, readFileSync(SPEC, 'utf8').replace('trust.gain:', 'trust.gian:'));
    const r = cli(['robust', bad, '--out', join(root, 'never')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^partnersim: .*bad\.yaml: uncertainties\.trust\.gian: unknown parameter 'trust\.gian' \(did you mean 'trust\.gain'\?\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(root, 'never'))).toBe(false);
    expect(cli(['sensitivity', full]).stderr).toMatch(/holds a robust experiment, which has no sensitivity design/);
    for (const c of ['robust', 'robust-summary', 'discover']) {
      const h = cli([c, '--help'], 'dist/cli/main.js');
      expect(h.status, c).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`partnersim ${c} <`));
    }
  });
});
