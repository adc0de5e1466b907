/**
 * Bench sections for threads and the pool (2 cores here):
 *  - 1 -> 2 thread speedup of `partnersim compare` and `partnersim sweep` as whole
 *    commands (fresh processes, start-up, statistics and exports included), 1 and 2
 *    threads interleaved; target >= 1.9x;
 *  - the same through runTasks alone, and the pool overhead: 1 worker thread against
 *    the same replications in a warmed-up main-thread loop; target <= 5%;
 *  - tiny tasks: 100 replications of 100 schools for 1 year on an open pool whose
 *    workers are warm (the task overhead: messages, copies, reassembly) against their
 *    work alone in a warmed-up main-thread loop, target < 3x; and, for the record, the
 *    same with the workers started inside the timing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../scenarios/loader.js';
import { runTasks, WorkerPool } from '../workers/pool.js';
import type { Task } from '../workers/task.js';
import { DIST, median, seconds, wall, type Targets } from './util.js';

function plan(reps: number, schools: number, years: number, firstReplication = 0): Task[] {
  const sc = loadScenario('baseline');
  return Array.from({ length: reps }, (_, r) => ({ id: r, scenario: sc.name, params: sc.params, run: { ...sc.run, years, stepsPerYear: 3, schools }, seed: 11, point: 0, replication: firstReplication + r }));
}

/** Median 1-thread / 2-thread ratio of a whole command, interleaved. */
function commandSpeedup(args: (threads: number) => string[], rounds: number): { one: number; two: number; ratio: number } {
  const one: number[] = [];
  const two: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let a: number;
    let b: number;
    if (r % 2 === 0) {
      a = wall(args(1)).s;
      b = wall(args(2)).s;
    } else {
      b = wall(args(2)).s;
      a = wall(args(1)).s;
    }
    one.push(a);
    two.push(b);
    ratios.push(a / b);
  }
  return { one: median(one), two: median(two), ratio: median(ratios) };
}

export function commands(targets: Targets, rounds = 3): void {
  const main = join(DIST, 'cli', 'main.js');
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-bench-threads-'));
  try {
    const reps = 10;
    const c = commandSpeedup((t) => [main, 'compare', '--scenarios', 'incentivise-high-performers', '--reps', String(reps), '--schools', '3300', '--seed', '4', '--json', '--threads', String(t)], rounds);
    const spec = join(dir, 'sweep.yaml');
    writeFileSync(spec, ['name: bench-threads', 'description: benchmark', 'scenario: baseline', 'seed: 3', 'run: {schools: 3300, years: 10}', 'parameters:', '  trust.gain: {levels: [0.03, 0.06, 0.09, 0.12]}', 'design: {type: grid}', 'replications: 6', ''].join('\n'));
    let k = 0;
    const s = commandSpeedup((t) => [main, 'sweep', spec, '--out', join(dir, `out-${k++}`), '--threads', String(t)], rounds);
    console.log(`Threads: whole commands at 1 and 2 threads (3,300 schools, 10 years; ${rounds} interleaved rounds, medians)`);
    console.log(`  compare (3 scenarios x ${reps} reps)   1 thread ${c.one.toFixed(2)} s, 2 threads ${c.two.toFixed(2)} s   speedup ${c.ratio.toFixed(2)}x  (target >= 1.9x)`);
    console.log(`  sweep (4 points x 6 reps)           1 thread ${s.one.toFixed(2)} s, 2 threads ${s.two.toFixed(2)} s   speedup ${s.ratio.toFixed(2)}x  (target >= 1.9x)`);
    targets.add('compare: 2 threads >= 1.9x one thread', `${c.ratio.toFixed(2)}x`, c.ratio >= 1.9);
    targets.add('sweep: 2 threads >= 1.9x one thread', `${s.ratio.toFixed(2)}x`, s.ratio >= 1.9);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function pool(targets: Targets, rounds = 2): Promise<void> {
  const reps = 24;
  const tasks = plan(reps, 3300, 10);
  // Warm-up of the main thread on other replications: the timed ones must not find their spin-ups in its cache.
  await runTasks(plan(2, 3300, 10, 1000), { threads: 0 });
  const inline: number[] = [];
  const one: number[] = [];
  const two: number[] = [];
  for (let r = 0; r < rounds; r++) {
    inline.push(await seconds(() => runTasks(tasks, { threads: 0 })));
    one.push(await seconds(() => runTasks(tasks, { threads: 1 })));
    two.push(await seconds(() => runTasks(tasks, { threads: 2 })));
  }
  const [i, a, b] = [Math.min(...inline), Math.min(...one), Math.min(...two)];
  const overhead = (a - i) / i;
  console.log(`Pool: ${reps} replications of the default England through runTasks (fastest of ${rounds} rounds)`);
  console.log(`  replications per second     main thread ${(reps / i).toFixed(2)}, 1 thread ${(reps / a).toFixed(2)}, 2 threads ${(reps / b).toFixed(2)}`);
  console.log(`  speedup 2 threads vs 1      ${(a / b).toFixed(2)}x`);
  console.log(`  pool overhead (1 thread)    ${(overhead * 100).toFixed(1)}%  against a warmed-up main-thread loop (target <= 5%)`);
  targets.add('pool overhead <= 5% against a warmed main-thread loop', `${(overhead * 100).toFixed(1)}%`, overhead <= 0.05);

  const tiny = plan(100, 100, 1);
  const warmTiny = plan(100, 100, 1).map((t) => ({ ...t, replication: t.replication + 500 }));
  await runTasks(warmTiny, { threads: 0 });
  const open = new WorkerPool(2);
  try {
    await open.run(warmTiny); // the workers' code warmed on other tiny tasks
    const work: number[] = [];
    const warm: number[] = [];
    const cold1: number[] = [];
    const cold2: number[] = [];
    for (let r = 0; r < 3; r++) {
      work.push(await seconds(() => runTasks(tiny, { threads: 0 })));
      warm.push(await seconds(() => open.run(tiny)));
      cold1.push(await seconds(() => runTasks(tiny, { threads: 1 })));
      cold2.push(await seconds(() => runTasks(tiny, { threads: 2 })));
    }
    const w = median(work);
    const x = (xs: number[]): string => `${(median(xs) * 1000).toFixed(0)} ms (${(median(xs) / w).toFixed(2)}x)`;
    const overhead = median(warm) / w;
    console.log('Tiny tasks: 100 replications of 100 schools for 1 year (medians of 3)');
    console.log(`  their work alone            ${(w * 1000).toFixed(0)} ms (warmed-up main-thread loop)`);
    console.log(`  on an open pool, 2 threads  ${x(warm)}  (task overhead: messages, copies, reassembly; target < 3x)`);
    console.log(`  starting workers each time  1 thread ${x(cold1)}, 2 threads ${x(cold2)}  (worker start-up and cold code included)`);
    targets.add('100 tiny replications < 3x their work alone (open pool, 2 threads)', `${overhead.toFixed(2)}x (with worker start-up: ${(median(cold2) / w).toFixed(2)}x)`, overhead < 3);
  } finally {
    await open.close();
  }
}
