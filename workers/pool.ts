/**
 * Runs tasks on worker threads: `runTasks(tasks) -> records`, one interface over the
 * user's worker-threads-pool. One long-lived worker per thread pulls tasks by message,
 * so its compiled code stays warm across all the replications it runs; records stream
 * back in any order and are put back in task order by id. Results never depend on
 * which worker ran what, or in what order, because each task carries its own seed key.
 *
 * Dispatch: each worker is kept one message ahead (a task queued behind the one it is
 * running), so it never waits for the main thread between tasks; near the end of the
 * queue only idle workers are fed, so no worker sits on a queued task while another has
 * nothing. Tiny tasks go several to a message (sized from measured task times) so the
 * per-message cost stays small.
 *
 * Facts designed around (docs/PACKAGES): the pool starts a new Worker for every acquire
 * and frees a slot only on exit/error, so we acquire once per thread and keep the
 * worker; it swallows a worker's error unless we listen, so we listen for error and
 * exit ourselves; its destroy() uses the deprecated callback form of terminate()
 * (DEP0132), so we never call it and terminate workers with the promise form.
 *
 * Faults: the tasks a dying worker had been given and not finished are re-queued for
 * a fresh worker; a task that fails a second time stops the run with an error naming
 * the replications. `onRecord` sees each record once, as it arrives.
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
import type { FromWorker, ToWorker } from './worker.js';

export interface RunOptions {
  /** Worker threads; 0 runs every task in this thread (no workers). */
  threads: number;
  /** Tasks per message; default: adaptive (one, or more when tasks take under a millisecond or two). */
  batchSize?: number;
  /** A world shared by every task (imported from files); otherwise each task generates its own. */
  world?: World;
  /** Called with each record as it arrives (completion order). */
  onRecord?: (rec: TaskRecord) => void;
  /** Test hook: sees each worker when it starts, with 1 for the first workers and 2 for replacements. */
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

/** Time one message of tasks should take at least, so message costs stay a small share of it. */
const MESSAGE_MS = 4;
/** Most tasks in one message. */
const MAX_BATCH = 64;

/**
 * Tasks per message: enough tasks that a message carries MESSAGE_MS of work, but no
 * more than a quarter of what each thread has left, so the threads finish together.
 */
export function batchFor(meanTaskMs: number, remaining: number, threads: number): number {
  if (!(meanTaskMs > 0)) return 1;
  const want = Math.ceil(MESSAGE_MS / meanTaskMs);
  const fair = Math.ceil(remaining / (4 * Math.max(1, threads)));
  return Math.max(1, Math.min(want, fair, MAX_BATCH));
}

interface Slot {
  worker: Worker;
  /** Messages sent and not yet finished, oldest first. */
  inFlight: Task[][];
  /** Tasks of the oldest message already finished. */
  doneInHead: number;
  failure?: string;
}

/** Run every task; resolves with the records in task order. */
export async function runTasks(tasks: Task[], opts: RunOptions): Promise<TaskRecord[]> {
  const records: (TaskRecord | undefined)[] = new Array(tasks.length);
  const index = new Map(tasks.map((t, k) => [t.id, k]));
  let received = 0;
  const take = (rec: TaskRecord): void => {
    const k = index.get(rec.id);
    if (k === undefined || records[k]) return;
    records[k] = rec;
    received++;
    opts.onRecord?.(rec);
  };
  if (opts.threads <= 0) {
    for (const t of tasks) take(executeTask(t, opts.world));
    return records as TaskRecord[];
  }
  if (tasks.length === 0) return [];
  const threads = Math.min(opts.threads, tasks.length);
  const file = workerFile();
  const pool = new Pool({ max: threads });
  const slots = new Set<Slot>();
  const attempts = new Map<number, number>();
  // Re-queued tasks go to the front; `next` walks the original list.
  const retry: Task[] = [];
  let next = 0;
  let taskMs = 0;
  let timed = 0;
  let stopped = false;

  return new Promise<TaskRecord[]>((resolve, reject) => {
    const finish = (err?: Error): void => {
      if (stopped) return;
      stopped = true;
      const live = [...slots].map((s) => s.worker.terminate());
      slots.clear();
      Promise.all(live).then(
        () => (err ? reject(err) : resolve(records as TaskRecord[])),
        () => (err ? reject(err) : resolve(records as TaskRecord[])),
      );
    };
    const queued = (): number => retry.length + tasks.length - next;
    const takeBatch = (): Task[] => {
      const size = opts.batchSize ?? batchFor(timed > 0 ? taskMs / timed : 0, queued(), threads);
      const out: Task[] = [];
      while (out.length < size && retry.length > 0) out.push(retry.shift()!);
      while (out.length < size && next < tasks.length) {
        const t = tasks[next++];
        if (!records[index.get(t.id)!]) out.push(t);
      }
      return out;
    };
    const feed = (slot: Slot): void => {
      // One message ahead while plenty is queued; near the end, only idle workers get work.
      const depth = queued() > threads * 2 ? 2 : 1;
      while (!stopped && slot.inFlight.length < depth && queued() > 0) {
        const batch = takeBatch();
        if (batch.length === 0) break;
        slot.inFlight.push(batch);
        slot.worker.postMessage({ type: 'run', tasks: batch } satisfies ToWorker);
      }
    };
    const feedAll = (): void => {
      for (const s of slots) feed(s);
    };
    const start = (attempt: number): void => {
      pool.acquire(file, { workerData: { world: opts.world } }, (err, worker) => {
        if (err) return finish(err);
        if (stopped) {
          void worker.terminate();
          return;
        }
        const slot: Slot = { worker, inFlight: [], doneInHead: 0 };
        slots.add(slot);
        worker.on('message', (msg: FromWorker) => {
          if (msg.type !== 'record' || stopped) return;
          const head = slot.inFlight[0];
          slot.doneInHead++;
          if (head && slot.doneInHead >= head.length) {
            slot.inFlight.shift();
            slot.doneInHead = 0;
          }
          taskMs += msg.ms;
          timed++;
          take(msg.record);
          if (received === tasks.length) return finish();
          feed(slot);
        });
        worker.on('error', (e) => {
          slot.failure = e.message;
        });
        worker.on('exit', (code) => {
          if (stopped || !slots.has(slot)) return;
          slots.delete(slot);
          const lost: Task[] = [];
          slot.inFlight.forEach((batch, b) => lost.push(...batch.slice(b === 0 ? slot.doneInHead : 0)));
          const unfinished = lost.filter((t) => !records[index.get(t.id)!]);
          const twice = unfinished.filter((t) => (attempts.get(t.id) ?? 1) >= 2);
          if (twice.length > 0) {
            const why = slot.failure ?? `worker exited with code ${code}`;
            const names = twice.map((t) => `${t.scenario} replication ${t.replication}${t.point !== 0 ? ` (point ${t.point})` : ''}`);
            return finish(new RunFailedError(`replications failed twice and the run stopped: ${names.join(', ')} (${why})`));
          }
          for (const t of unfinished) attempts.set(t.id, 2);
          retry.unshift(...unfinished);
          if (queued() > 0) start(2);
          else if (slots.size === 0) finish(new RunFailedError(`the worker threads stopped before the run finished (${slot.failure ?? `exit code ${code}`})`));
          feedAll();
        });
        feed(slot);
        opts.onWorker?.(worker, attempt);
      });
    };
    for (let k = 0; k < threads; k++) start(1);
  });
}
