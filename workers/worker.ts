/**
 * Worker-thread entry: a long-lived worker that runs the tasks it is sent, one message
 * at a time, and posts one record per task as it finishes (with the time it took, which
 * the pool uses to size messages). Its compiled code stays warm from task to task;
 * before its first task it runs a tiny warm-up copy of it (task.ts, warmUp). Nothing else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executeTask, warmUp, type Task, type TaskRecord } from './task.js';
import type { World } from '../sim/world.js';

/** Main thread to worker: run these tasks in order. */
export interface ToWorker {
  type: 'run';
  tasks: Task[];
}

/** Worker to main thread: one finished task and its time in milliseconds. */
export interface FromWorker {
  type: 'record';
  record: TaskRecord;
  ms: number;
}

if (parentPort) {
  const port = parentPort;
  const world = (workerData as { world?: World } | undefined)?.world;
  let warm = false;
  port.on('message', (msg: ToWorker) => {
    if (!warm && msg.tasks.length > 0) {
      // A tiny run first, so the engine's code is compiled once, with every path seen (task.ts, warmUp).
      warmUp(msg.tasks[0]);
      warm = true;
    }
    for (const task of msg.tasks) {
      const t0 = performance.now();
      const record = executeTask(task, world);
      port.postMessage({ type: 'record', record, ms: performance.now() - t0 } satisfies FromWorker);
    }
  });
}
