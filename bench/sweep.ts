/**
 * Benchmark section for sweeps (issue 6): runs per second through `partnersim
 * sweep` (plan, worker threads, one DuckDB transaction per finished run, then the
 * CSV, Parquet, manifest and report-data exports) against the same tasks through
 * runTasks directly (the compare path), as a ratio measured in one process.
 * Target: the sweep at most 5% slower. Each path runs three times, alternating, and
 * the fastest time of each counts, which damps noise from other processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweep } from '../scenarios/sweep-loader.js';
import { expandPlan, taskFor } from '../analysis/sweep/plan.js';
import { runTasks } from '../workers/pool.js';
import { sweepCommand, type SweepOutcome } from '../cli/commands/sweep.js';

const SCHOOLS = 1000;
const YEARS = 10;
const LEVELS = [0.03, 0.06, 0.09, 0.12];
const REPS = 6;
const ROUNDS = 3;

function specText(schools: number, years: number, reps: number): string {
  return [
    'name: bench-sweep',
    'description: benchmark',
    'scenario: baseline',
    'seed: 3',
    `run: {schools: ${schools}, years: ${years}}`,
    'parameters:',
    `  trust.gain: {levels: [${LEVELS.join(', ')}]}`,
    'design: {type: grid}',
    `replications: ${reps}`,
    '',
  ].join('\n');
}

async function seconds(f: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Print runs per second through `sweep` and through runTasks, and the sweep's overhead. */
export async function sweepOverhead(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'partnersim-bench-sweep-'));
  try {
    const threads = Math.min(2, availableParallelism());
    const quiet = { print: () => undefined, env: {} };
    const spec = join(root, 'bench.yaml');
    writeFileSync(spec, specText(SCHOOLS, YEARS, REPS));
    const loaded = loadSweep(spec);
    const plan = expandPlan(loaded.spec, loaded.base.params, loaded.run);
    const tasks = plan.runs.map((r) => taskFor(plan, r));
    const n = tasks.length;

    // Warm-up: load DuckDB and JIT both paths on a tiny plan.
    const tiny = join(root, 'tiny.yaml');
    writeFileSync(tiny, specText(40, 1, 1));
    await sweepCommand({ spec: tiny, out: join(root, 'warm'), threads: String(threads) }, [], quiet);
    await runTasks(tasks.slice(0, threads).map((t) => ({ ...t, run: { ...t.run, schools: 40, years: 1 } })), { threads });

    const direct: number[] = [];
    const swept: number[] = [];
    const own: SweepOutcome['timings'][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      direct.push(await seconds(() => runTasks(tasks, { threads })));
      const out = join(root, `sweep-${round}`);
      swept.push(await seconds(async () => own.push((await sweepCommand({ spec, out, threads: String(threads) }, [], quiet)).timings)));
    }
    const d = Math.min(...direct);
    const s = Math.min(...swept);
    const best = own[swept.indexOf(s)];
    const ms = (x: number): string => `${Math.round(x * 1000)} ms`;
    console.log(`Sweeps (${n} runs: ${LEVELS.length} points x ${REPS} replications, ${SCHOOLS.toLocaleString('en-GB')} schools x ${YEARS} years, ${threads} threads), measured in one run`);
    console.log(`  runs per second             runTasks ${(n / d).toFixed(2)}, sweep ${(n / s).toFixed(2)} (database writes and exports included)`);
    console.log(`  sweep overhead              ${(((s - d) / d) * 100).toFixed(1)}%  (target <= 5%)`);
    console.log(
      `  the sweep's own work        setup and exports ${ms(best.setup + best.export)} (${((100 * (best.setup + best.export)) / s).toFixed(1)}% of its time, in series); ` +
        `one transaction per run ${ms(best.writes / n)} (in the main thread, beside the workers)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
