/**
 * End to end: the example grid sweep in process (worker threads, the real store),
 * killed with SIGKILL in a subprocess and resumed, sharded three ways and merged.
 * Subprocesses run tests/cli/fixtures/sweep-cli.mjs (the sweep commands on the
 * compiled dist/, as the CLI registers them); `npm test` builds first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { loadReportData } from '../../analysis/report/data.js';
import { SweepStore } from '../../analysis/sweep/store.js';
import { mergeCommand, sweepCommand, type SweepHooks } from '../../cli/commands/sweep.js';
import { removeTempDirs, tempDir } from '../analysis/sweep/helpers.js';

const ENTRY = 'tests/cli/fixtures/sweep-cli.mjs';
const SPEC = 'scenarios/sweeps/example-grid.yaml';
const quiet: SweepHooks = { print: () => undefined, note: () => undefined, env: {} };

async function counts(dir: string): Promise<{ runs: number; done: number; results: number; resultRuns: number }> {
  const s = (await SweepStore.open(dir, { readOnly: true }))!;
  try {
    return await s.counts();
  } finally {
    await s.close();
  }
}

function csv(dir: string): string {
  return readFileSync(join(dir, 'results.csv'), 'utf8');
}

/** This environment without shard variables (the tests may themselves run under a scheduler). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('SLURM_ARRAY_') || k === 'JOB_COMPLETION_INDEX' || k === 'PARTNERSIM_SHARDS') delete env[k];
  return env;
}

/** Run the test entry in a subprocess. */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [ENTRY, ...args], { encoding: 'utf8', env: cleanEnv() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let root: string;
let full: string;

beforeAll(async () => {
  if (!existsSync('dist/cli/commands/sweep.js') || !existsSync('dist/workers/worker.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests');
  root = tempDir('sweep-cli');
  full = join(root, 'full');
  await sweepCommand({ spec: SPEC, out: full, threads: '2' }, ['sweep', SPEC, '--out', full], quiet);
});

afterAll(removeTempDirs);

describe('partnersim sweep (example grid: 2 parameters x 3 levels x 5 replications)', () => {
  it('writes results.csv, results.parquet, manifest.json and report-data.json from a complete database', async () => {
    expect(await counts(full)).toEqual({ runs: 45, done: 45, results: 270, resultRuns: 45 });
    const lines = csv(full).trimEnd().split('\n');
    expect(lines[0]).toBe('run,point,replication,trust.gain,formation.initiationRate,outcome,value');
    expect(lines).toHaveLength(1 + 45 * 6);
    expect(lines[1]).toMatch(/^[0-9a-f]{16}-r0,[0-9a-f]{16},0,0\.03,0\.15,share_any_partnership,0\.\d+$/);
    expect(existsSync(join(full, 'results.parquet'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(full, 'manifest.json'), 'utf8')) as { kind: string; sweep: { specHash: string; planRuns: number; shard: string } };
    expect(manifest.kind).toBe('sweep');
    expect(manifest.sweep.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect([manifest.sweep.planRuns, manifest.sweep.shard]).toEqual([45, '1/1']);
    const data = await loadReportData(full);
    expect(data.kind).toBe('sweep');
    expect(data.sweep!.points).toHaveLength(9 * 6);
    expect(data.sweep!.sobol).toBeUndefined();
  });

  it('refuses a folder holding this sweep without --resume, another sweep, or other files', async () => {
    await expect(sweepCommand({ spec: SPEC, out: full }, [], quiet)).rejects.toThrow(/already holds this sweep \(45 of 45 runs done\); pass --resume/);
    await expect(sweepCommand({ spec: 'scenarios/sweeps/example-lhs.yaml', out: full, resume: true }, [], quiet)).rejects.toThrow(/holds a different sweep \('example-grid'/);
    await expect(sweepCommand({ spec: SPEC, out: full, resume: true, shard: '1/3' }, [], quiet)).rejects.toThrow(/holds shard 1\/1 of this sweep, not 1\/3/);
    writeFileSync(join(root, 'notes.txt'), 'x');
    await expect(sweepCommand({ spec: SPEC, out: root }, [], quiet)).rejects.toThrow(/is not empty and holds no sweep/);
    // A finished sweep resumed does nothing and writes the same results.
    const again = await sweepCommand({ spec: SPEC, out: full, resume: true }, [], quiet);
    expect([again.doneBefore, again.ranNow]).toEqual([45, 0]);
  });

  it('survives SIGKILL: --resume runs only what is missing and gives byte-identical results.csv', async () => {
    const dir = join(root, 'killed');
    const child = spawn(process.execPath, [ENTRY, 'sweep', SPEC, '--out', dir, '--threads', '1'], { env: cleanEnv({ SWEEP_TRACE_COMMITS: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code)));
    child.stdout.on('data', (d: Buffer) => {
      committed += (d.toString().match(/^committed /gm) ?? []).length;
      if (committed >= 6) child.kill('SIGKILL');
    });
    expect(await exited, err).toBe(-9);
    const before = await counts(dir);
    expect(before.runs).toBe(45);
    expect(before.done).toBeGreaterThanOrEqual(6);
    expect(before.done).toBeLessThan(45);
    expect(before.resultRuns).toBe(before.done); // no half-written run
    expect(before.results).toBe(before.done * 6);
    expect(existsSync(join(dir, 'results.csv'))).toBe(false);

    const res = await sweepCommand({ spec: SPEC, out: dir, threads: '2', resume: true }, ['sweep', SPEC, '--out', dir, '--resume'], quiet);
    expect(res.doneBefore).toBe(before.done);
    expect(res.ranNow).toBe(45 - before.done);
    expect(await counts(dir)).toEqual({ runs: 45, done: 45, results: 270, resultRuns: 45 });
    expect(csv(dir)).toBe(csv(full));
  });

  it('three shards merged give byte-identical results.csv; merge reports missing runs and refuses other sweeps', async () => {
    const shards = [1, 2, 3].map((i) => join(root, `shard-${i}`));
    for (const [i, d] of shards.entries()) {
      const r = await sweepCommand({ spec: SPEC, out: d, threads: '2', shard: `${i + 1}/3` }, [], quiet);
      expect(r.shardRuns).toBe(15);
    }
    expect((await counts(shards[1])).runs).toBe(15);
    const merged = join(root, 'merged');
    const m = await mergeCommand({ dirs: shards, out: merged }, ['merge', ...shards, '--out', merged], quiet);
    expect([m.copied, m.duplicates]).toEqual([45, 0]);
    expect(csv(merged)).toBe(csv(full));
    expect(await counts(merged)).toEqual({ runs: 45, done: 45, results: 270, resultRuns: 45 });

    // Merging again into the same folder replaces the earlier merge; overlapping folders count duplicates once.
    let note = '';
    const m2 = await mergeCommand({ dirs: [...shards, full], out: merged }, [], { ...quiet, note: (t) => (note += t) });
    expect([m2.copied, m2.duplicates]).toEqual([45, 45]);
    expect(note).toMatch(/45 run\(s\) were in more than one folder, with identical results/);
    expect(csv(merged)).toBe(csv(full));

    await expect(mergeCommand({ dirs: [shards[0], shards[2]], out: join(root, 'm-missing') }, [], quiet)).rejects.toThrow(/15 of 45 runs are in none of the folders .*they belong to shard 2\/3/);

    const tiny = join(root, 'tiny.yaml');
    writeFileSync(tiny, readFileSync(SPEC, 'utf8').replace('seed: 1', 'seed: 2').replace('replications: 5', 'replications: 1').replace('schools: 300', 'schools: 40').replace('years: 4', 'years: 1'));
    const other = join(root, 'other-sweep');
    await sweepCommand({ spec: tiny, out: other, threads: '1' }, [], quiet);
    const e = await mergeCommand({ dirs: [shards[0], other], out: join(root, 'm-bad') }, [], quiet).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/other-sweep: holds a different sweep \('example-grid', spec hash [0-9a-f]{12}\) from .*shard-1 .*expected shards of one sweep/);
  });

  it('exits 2 with one plain message on bad input (subprocess)', () => {
    const bad = join(root, 'bad.yaml');
    writeFileSync(bad, readFileSync(SPEC, 'utf8').replace('trust.gain:', 'trust.gian:'));
    const r = cli(['sweep', bad, '--out', join(root, 'never')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^partnersim: .*bad\.yaml: parameters\.trust\.gian: unknown parameter 'trust\.gian' \(did you mean 'trust\.gain'\?\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(root, 'never'))).toBe(false);
    expect(cli(['sweep', SPEC]).stderr).toMatch(/Missing required argument: out/);
    expect(cli(['sensitivity', full]).status).toBe(2);
    expect(cli(['merge', full, '--out', full]).stderr).toMatch(/is also one of the folders to merge/);
  });
});
