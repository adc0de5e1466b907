/**
 * Worker-thread entry: runs a batch of tasks it was given in workerData, posts one
 * record per task as it finishes, then exits. Nothing else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executeTask, type Task } from './task.js';
import type { World } from '../sim/world.js';

interface BatchData {
  tasks: Task[];
  world?: World;
}

const data = workerData as BatchData;
for (const task of data.tasks) {
  const record = executeTask(task, data.world);
  parentPort!.postMessage({ type: 'record', record });
}
parentPort!.postMessage({ type: 'done' });
