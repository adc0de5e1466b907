/**
 * Benchmark sections beyond the engine (issue 3): replications per second at 1 and 2
 * threads (speedup), pool overhead against a plain loop in the main thread, and peak
 * memory of 1,000 vs 10,000 replications of a compare run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';
import { defaultParams } from '../sim/params.js';
import { runTasks } from '../workers/pool.js';
import { sweepOverhead } from './sweep.js';
import type { Task } from '../workers/task.js';

function plan(reps: number, schools: number, years: number): Task[] {
  const params = defaultParams();
  const run = { years, stepsPerYear: 3, startYear: 2007, schools };
  return Array.from({ length: reps }, (_, r) => ({ id: r, scenario: 'baseline', params, run, seed: 11, point: 0, replication: r }));
}

async function seconds(f: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function threads(): Promise<void> {
  const reps = 24;
  const tasks = plan(reps, 3300, 10);
  await runTasks(plan(2, 3300, 10), { threads: 0 }); // warm-up
  const inline = await seconds(() => runTasks(tasks, { threads: 0 }));
  const one = await seconds(() => runTasks(tasks, { threads: 1 }));
  const two = await seconds(() => runTasks(tasks, { threads: 2 }));
  console.log(`Replications (default England, ${reps} replications), measured in one run`);
  console.log(`  replications per second     main thread ${(reps / inline).toFixed(2)}, 1 thread ${(reps / one).toFixed(2)}, 2 threads ${(reps / two).toFixed(2)}`);
  console.log(`  speedup 2 threads vs 1      ${(one / two).toFixed(2)}x  (target >= 1.9x on 2 cores)`);
  console.log(`  pool overhead (1 thread)    ${(((one - inline) / inline) * 100).toFixed(1)}%  (target <= 5%)`);
}

function memory(): void {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'cli.js');
  const peak = (reps: number): number => {
    // Run the command in a child that reports its own peak RSS (worker threads included).
    const code = `import(${JSON.stringify(pathToFileURL(cli).href)}).then((m) => m.main(['compare', '--scenarios', 'baseline', '--reps', '${reps}', '--schools', '40', '--years', '1', '--json'])).then(() => process.stderr.write(String(process.resourceUsage().maxRSS)))`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    return Number(r.stderr.trim().split(/\s+/).pop()) * 1024;
  };
  const a = peak(1000);
  const b = peak(10000);
  console.log('Memory of a compare run (tiny world, so replications dominate)');
  console.log(`  peak RSS 1,000 reps ${(a / 2 ** 20).toFixed(0)} MiB, 10,000 reps ${(b / 2 ** 20).toFixed(0)} MiB (ratio ${(b / a).toFixed(2)})`);
}

export async function runSections(only: string | undefined): Promise<void> {
  if (!only || only === 'sweep') await sweepOverhead();
  if (!only || only === 'threads') await threads();
  if (!only || only === 'memory') memory();
}
