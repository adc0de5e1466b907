/**
 * Web Worker entry of the workshop page: runs one task at a time as the page hands
 * them out (pull: the page sends the next task when a record comes back) and posts
 * each record. The same executeTask as the CLI's worker threads, so a task gives the
 * same record wherever it runs.
 */
import { executeTask, setSpinupCache, type Task } from '../../workers/task.js';
import { SpinupCache } from '../../workers/spinup-cache.js';

// Room for every replication's spin-ups of a workshop run (baseline and no partnering, at
// 3,300 schools about 3 MB each), so later runs with other levers restore them all.
setSpinupCache(new SpinupCache(64, 160 * 1024 * 1024));

interface Msg {
  /** task: run it and post its record; warm: run `tasks` and post only 'warmed' (compiles the engine and caches spin-ups before Run). */
  type: 'task' | 'warm';
  task: Task;
  tasks?: Task[];
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Msg>) => void) | null; postMessage: (m: unknown) => void };
scope.onmessage = (e) => {
  if (e.data.type === 'warm') {
    const t0 = performance.now();
    try {
      for (const t of e.data.tasks ?? []) executeTask(t);
    } catch {
      // a failed warm-up only costs speed; the real task reports its own error
    }
    scope.postMessage({ type: 'warmed', ms: performance.now() - t0 });
    return;
  }
  if (e.data.type !== 'task') return;
  try {
    const t0 = performance.now();
    const record = executeTask(e.data.task);
    scope.postMessage({ type: 'record', record, ms: performance.now() - t0 });
  } catch (err) {
    scope.postMessage({ type: 'error', id: e.data.task.id, message: err instanceof Error ? err.message : String(err) });
  }
};
