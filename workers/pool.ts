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
 * `runTasks` opens a pool for one list of tasks; a `WorkerPool` kept open runs many
 * lists on the same warm workers (calibration and robust runs make many small calls).
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
import { anchorThread, executeTask, type Task, type TaskRecord } from './task.js';
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
  /** The spin-up group (groupOf) this worker last took tasks from. */
  group?: string;
}

/** What one call of `run` is doing. */
interface Run {
  tasks: Task[];
  opts: RunOptions;
  records: (TaskRecord | undefined)[];
  index: Map<number, number>;
  received: number;
  attempts: Map<number, number>;
  /** Re-queued tasks go first; then the plan's tasks, by spin-up group (groupOf), groups in plan order. */
  retry: Task[];
  groups: Map<string, Task[]>;
  /** Tasks still in `groups`. */
  left: number;
  stopped: boolean;
  resolve: (r: TaskRecord[]) => void;
  reject: (e: Error) => void;
}

/**
 * Long-lived worker threads that run any number of task lists, one list at a time, with
 * their compiled code warm from one list to the next (calibration and robust runs call
 * `run` many times). `runTasks` opens one for a single list and closes it.
 */
export class WorkerPool {
  private readonly pool: Pool;
  private readonly slots = new Set<Slot>();
  private readonly file = workerFile();
  private current: Run | null = null;
  private taskMs = 0;
  private timed = 0;
  private closed = false;

  constructor(
    /** Worker threads (at least 1). */
    readonly threads: number,
    private readonly world?: World,
  ) {
    this.pool = new Pool({ max: Math.max(1, threads) });
  }

  /** Run every task on the pool's workers; resolves with the records in task order. */
  run(tasks: Task[], opts: Omit<RunOptions, 'threads' | 'world'> = {}): Promise<TaskRecord[]> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.current) return Promise.reject(new Error('the worker pool is already running a task list'));
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise<TaskRecord[]>((resolve, reject) => {
      const run: Run = {
        tasks,
        opts: { ...opts, threads: this.threads },
        records: new Array(tasks.length),
        index: new Map(tasks.map((t, k) => [t.id, k])),
        received: 0,
        attempts: new Map(),
        retry: [],
        groups: groupTasks(tasks),
        left: tasks.length,
        stopped: false,
        resolve,
        reject,
      };
      this.current = run;
      for (const slot of this.slots) this.feed(slot);
      for (let k = this.slots.size + this.starting; k < Math.min(this.threads, tasks.length); k++) this.start(1);
    });
  }

  /** Stop every worker; the pool cannot run again. */
  async close(): Promise<void> {
    this.closed = true;
    await this.terminateAll();
  }

  /** The promise form of terminate, never the pool's deprecated destroy(). */
  private async terminateAll(): Promise<void> {
    const live = [...this.slots].map((s) => s.worker.terminate());
    this.slots.clear();
    await Promise.allSettled(live);
  }

  private starting = 0;

  private finish(run: Run, err?: Error): void {
    if (run.stopped) return;
    run.stopped = true;
    if (this.current === run) this.current = null;
    if (err) {
      // Whatever the other workers were doing belongs to a failed run: the next run starts fresh workers.
      void this.terminateAll().then(() => run.reject(err));
      return;
    }
    run.resolve(run.records as TaskRecord[]);
  }

  private queued(run: Run): number {
    return run.retry.length + run.left;
  }

  /**
   * The next task for a worker: more of the spin-up group it is working on (so the
   * group's scenarios restore its cached spin-up), else the first group no other worker
   * is on, else (near the end) the largest group left, shared rather than waiting.
   */
  private nextTask(run: Run, slot: Slot): Task | undefined {
    let g = slot.group !== undefined ? run.groups.get(slot.group) : undefined;
    if (!g) {
      const taken = new Set<string>();
      for (const other of this.slots) if (other !== slot && other.group !== undefined) taken.add(other.group);
      let pick: string | undefined;
      for (const key of run.groups.keys()) {
        if (!taken.has(key)) {
          pick = key;
          break;
        }
      }
      if (pick === undefined) {
        let most = 0;
        for (const [key, tasks] of run.groups) {
          if (tasks.length > most) {
            most = tasks.length;
            pick = key;
          }
        }
      }
      if (pick === undefined) return undefined;
      slot.group = pick;
      g = run.groups.get(pick)!;
    }
    const t = g.shift()!;
    run.left--;
    if (g.length === 0) run.groups.delete(slot.group!);
    return t;
  }

  private takeBatch(run: Run, slot: Slot): Task[] {
    const size = run.opts.batchSize ?? batchFor(this.timed > 0 ? this.taskMs / this.timed : 0, this.queued(run), this.threads);
    const out: Task[] = [];
    while (out.length < size && run.retry.length > 0) out.push(run.retry.shift()!);
    while (out.length < size && run.left > 0) {
      const t = this.nextTask(run, slot)!;
      if (!run.records[run.index.get(t.id)!]) out.push(t);
    }
    return out;
  }

  private feed(slot: Slot): void {
    const run = this.current;
    if (!run || run.stopped) return;
    // One message ahead while plenty is queued; near the end, only idle workers get work.
    const depth = this.queued(run) > this.threads * 2 ? 2 : 1;
    while (slot.inFlight.length < depth && this.queued(run) > 0) {
      const batch = this.takeBatch(run, slot);
      if (batch.length === 0) break;
      slot.inFlight.push(batch);
      slot.worker.postMessage({ type: 'run', tasks: batch } satisfies ToWorker);
    }
  }

  private take(run: Run, rec: TaskRecord): void {
    const k = run.index.get(rec.id);
    if (k === undefined || run.records[k]) return;
    run.records[k] = rec;
    run.received++;
    run.opts.onRecord?.(rec);
  }

  private start(attempt: number): void {
    this.starting++;
    this.pool.acquire(this.file, { workerData: { world: this.world } }, (err, worker) => {
      this.starting--;
      const run = this.current;
      if (err) {
        if (run) this.finish(run, err);
        return;
      }
      if (this.closed) {
        void worker.terminate();
        return;
      }
      const slot: Slot = { worker, inFlight: [], doneInHead: 0 };
      this.slots.add(slot);
      worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
      worker.on('error', (e) => {
        slot.failure = e.message;
      });
      worker.on('exit', (code) => this.onExit(slot, code));
      this.feed(slot);
      run?.opts.onWorker?.(worker, attempt);
    });
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    const run = this.current;
    if (msg.type !== 'record' || !run || run.stopped) return;
    const head = slot.inFlight[0];
    slot.doneInHead++;
    if (head && slot.doneInHead >= head.length) {
      slot.inFlight.shift();
      slot.doneInHead = 0;
    }
    this.taskMs += msg.ms;
    this.timed++;
    this.take(run, msg.record);
    if (run.received === run.tasks.length) return this.finish(run);
    this.feed(slot);
  }

  private onExit(slot: Slot, code: number): void {
    if (!this.slots.delete(slot)) return; // terminated by close()
    const run = this.current;
    if (!run || run.stopped) return;
    const lost: Task[] = [];
    slot.inFlight.forEach((batch, b) => lost.push(...batch.slice(b === 0 ? slot.doneInHead : 0)));
    const unfinished = lost.filter((t) => !run.records[run.index.get(t.id)!]);
    const twice = unfinished.filter((t) => (run.attempts.get(t.id) ?? 1) >= 2);
    if (twice.length > 0) {
      const why = slot.failure ?? `worker exited with code ${code}`;
      const names = twice.map((t) => `${t.scenario} replication ${t.replication}${t.point !== 0 ? ` (point ${t.point})` : ''}`);
      return this.finish(run, new RunFailedError(`replications failed twice and the run stopped: ${names.join(', ')} (${why})`));
    }
    for (const t of unfinished) run.attempts.set(t.id, 2);
    run.retry.unshift(...unfinished);
    if (this.queued(run) > 0) this.start(2);
    else if (this.slots.size === 0 && this.starting === 0) return this.finish(run, new RunFailedError(`the worker threads stopped before the run finished (${slot.failure ?? `exit code ${code}`})`));
    for (const sl of this.slots) this.feed(sl);
  }
}

/**
 * The spin-up group of a task: tasks of one seed, point and replication (the scenarios
 * of a comparison) may share a spin-up (workers/spinup-cache.ts), so they go to one
 * worker, one after another.
 */
export function groupOf(t: Task): string {
  return `${typeof t.seed}:${t.seed}|${typeof t.point}:${t.point}|${t.replication}`;
}

/** Tasks by spin-up group, groups in order of first appearance, tasks in plan order within each. */
export function groupTasks(tasks: Task[]): Map<string, Task[]> {
  const groups = new Map<string, Task[]>();
  for (const t of tasks) {
    const key = groupOf(t);
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  return groups;
}

/** Run every task; resolves with the records in task order. */
export async function runTasks(tasks: Task[], opts: RunOptions): Promise<TaskRecord[]> {
  if (opts.threads <= 0) {
    // Group by group, so the scenarios of a replication follow each other and share its spin-up.
    const records: TaskRecord[] = new Array(tasks.length);
    const index = new Map(tasks.map((t, k) => [t.id, k]));
    if (tasks.length > 1) anchorThread(tasks[0]);
    for (const group of groupTasks(tasks).values()) {
      for (const t of group) {
        const rec = executeTask(t, opts.world);
        records[index.get(t.id)!] = rec;
        opts.onRecord?.(rec);
      }
    }
    return records;
  }
  if (tasks.length === 0) return [];
  const pool = new WorkerPool(Math.min(opts.threads, tasks.length), opts.world);
  try {
    return await pool.run(tasks, opts);
  } finally {
    await pool.close();
  }
}
