/**
 * Web Worker entry of the workshop page: runs one task at a time as the page hands
 * them out (pull: the page sends the next task when a record comes back) and posts
 * each record. The same executeTask as the CLI's worker threads, so a task gives the
 * same record wherever it runs.
 */
import { executeTask, type Task } from '../../workers/task.js';

interface Msg {
  type: 'task';
  task: Task;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Msg>) => void) | null; postMessage: (m: unknown) => void };
scope.onmessage = (e) => {
  if (e.data.type !== 'task') return;
  try {
    scope.postMessage({ type: 'record', record: executeTask(e.data.task) });
  } catch (err) {
    scope.postMessage({ type: 'error', id: e.data.task.id, message: err instanceof Error ? err.message : String(err) });
  }
};
