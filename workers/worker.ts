/**
 * Worker-thread entry: a long-lived worker that runs the tasks it is sent, one message
 * at a time, and posts one record per task as it finishes (with the time it took, which
 * the pool uses to size messages). Before its first task it builds the thread's anchor
 * (task.ts, anchorThread), so its compiled code stays warm from task to task. Nothing else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { anchorThread, executeTask, type Task, type TaskRecord } from './task.js';
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
  port.on('message', (msg: ToWorker) => {
    if (msg.tasks.length > 0) anchorThread(msg.tasks[0]);
    for (const task of msg.tasks) {
      const t0 = performance.now();
      const record = executeTask(task, world);
      port.postMessage({ type: 'record', record, ms: performance.now() - t0 } satisfies FromWorker);
    }
  });
}
