/**
 * Runs tasks on worker threads: `runTasks(tasks) -> records`, one interface over the
 * user's worker-threads-pool. Facts designed around (docs/PACKAGES): that pool starts
 * a new Worker for every acquire and frees a slot only on exit/error, so each worker
 * gets a batch of replications large enough to amortise its start-up; it swallows a
 * worker's error unless we listen, so we listen for error and exit ourselves; its
 * destroy() uses the deprecated callback form of terminate() (DEP0132), so we never
 * call it and terminate workers with the promise form.
 *
 * Faults: a worker that throws or dies has the tasks of its batch it had not finished
 * re-run once in a fresh worker; a second failure stops the run with an error naming
 * the replications. Records are handed to `onRecord` as they arrive, so callers can
 * stream them to aggregators and disk; results never depend on which worker ran what,
 * because each task carries its own seed key.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import Pool from 'worker-threads-pool';
import { RunFailedError } from '../sim/errors.js';
import type { World } from '../sim/world.js';
import { packageRoot } from '../scenarios/yaml-path.js';
import { executeTask, type Task, type TaskRecord } from './task.js';

export interface RunOptions {
  /** Worker threads; 0 runs every task in this thread (no workers). */
  threads: number;
  /** Tasks per worker; default: one batch per thread (each new worker starts with cold, unoptimised code). */
  batchSize?: number;
  /** A world shared by every task (imported from files); otherwise each task generates its own. */
  world?: World;
  /** Called with each record as it arrives (completion order). */
  onRecord?: (rec: TaskRecord) => void;
  /** Test hook: sees each worker when it starts, with its attempt number (1 or 2). */
  onWorker?: (worker: Worker, attempt: number) => void;
}

/** The compiled worker entry (workers run JavaScript, so point at dist/ even from sources). */
export function workerFile(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = join(packageRoot(), 'dist', 'workers', 'worker.js');
  if (!existsSync(built)) throw new Error(`worker entry not found at ${built}: run \`npm run build\` first`);
  return built;
}

/**
 * Default batch size: one batch per thread. Every worker is a fresh isolate whose code
 * starts unoptimised, so each extra batch pays start-up and JIT warm-up again (measured:
 * four batches a thread made 2 threads no faster than 1). A failed batch re-runs only
 * its unfinished tasks.
 */
export function defaultBatchSize(tasks: number, threads: number): number {
  return Math.max(1, Math.ceil(tasks / Math.max(1, threads)));
}

/** Run every task; resolves with the records in task order. */
export async function runTasks(tasks: Task[], opts: RunOptions): Promise<TaskRecord[]> {
  const records: (TaskRecord | undefined)[] = new Array(tasks.length);
  const index = new Map(tasks.map((t, k) => [t.id, k]));
  const take = (rec: TaskRecord): void => {
    const k = index.get(rec.id);
    if (k === undefined || records[k]) return; // a retried batch may repeat a finished task
    records[k] = rec;
    opts.onRecord?.(rec);
  };
  if (opts.threads <= 0) {
    for (const t of tasks) take(executeTask(t, opts.world));
    return records as TaskRecord[];
  }
  const size = opts.batchSize ?? defaultBatchSize(tasks.length, opts.threads);
  const batches: Task[][] = [];
  for (let k = 0; k < tasks.length; k += size) batches.push(tasks.slice(k, k + size));
  const pool = new Pool({ max: opts.threads });
  const file = workerFile();
  const live = new Set<Worker>();
  let stopped = false;

  const runBatch = (batch: Task[], attempt: number): Promise<void> =>
    new Promise((resolve, reject) => {
      pool.acquire(file, { workerData: { tasks: batch, world: opts.world } }, (err, worker) => {
        if (err) return reject(err);
        if (stopped) {
          void worker.terminate();
          return resolve();
        }
        live.add(worker);
        const done = new Set<number>();
        let failure: string | undefined;
        worker.on('message', (msg: { type: string; record?: TaskRecord }) => {
          if (msg.type === 'record' && msg.record) {
            done.add(msg.record.id);
            take(msg.record);
          }
        });
        worker.on('error', (e) => {
          failure = e.message;
        });
        worker.on('exit', (code) => {
          live.delete(worker);
          const missing = batch.filter((t) => !done.has(t.id));
          if (missing.length === 0) return resolve();
          const why = failure ?? `worker exited with code ${code}`;
          if (attempt >= 2) {
            const names = missing.map((t) => `${t.scenario} replication ${t.replication}${t.point !== 0 ? ` (point ${t.point})` : ''}`);
            return reject(new RunFailedError(`replications failed twice and the run stopped: ${names.join(', ')} (${why})`));
          }
          runBatch(missing, attempt + 1).then(resolve, reject);
        });
        opts.onWorker?.(worker, attempt);
      });
    });

  try {
    await Promise.all(batches.map((b) => runBatch(b, 1)));
  } finally {
    stopped = true;
    await Promise.all([...live].map((w) => w.terminate()));
  }
  return records as TaskRecord[];
}
