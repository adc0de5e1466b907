import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../sim/params.js';
import { runTasks } from '../../workers/pool.js';
import { executeTask, type Task } from '../../workers/task.js';

// Small worlds keep these fast; the worker runs the compiled dist/ (npm test builds first).
function plan(reps: number): Task[] {
  const params = defaultParams();
  const run = { years: 2, stepsPerYear: 3, startYear: 2007, schools: 200 };
  return Array.from({ length: reps }, (_, r) => ({ id: r, scenario: 'baseline', params, run, seed: 5, point: 0, replication: r }));
}

describe('runTasks', () => {
  it('gives the same records whatever the thread count and batch size', async () => {
    const tasks = plan(6);
    const inline = await runTasks(tasks, { threads: 0 });
    const one = await runTasks(tasks, { threads: 1, batchSize: 6 });
    const two = await runTasks(tasks, { threads: 2, batchSize: 1 });
    expect(JSON.stringify(one)).toBe(JSON.stringify(inline));
    expect(JSON.stringify(two)).toBe(JSON.stringify(inline));
    expect(inline.map((r) => r.replication)).toEqual([0, 1, 2, 3, 4, 5]);
    // Different replications really differ (the comparison above is not vacuous).
    expect(inline[0].outcomes).not.toEqual(inline[1].outcomes);
  });

  it('retries the batch of a worker killed mid-run and gets the undisturbed results', async () => {
    const tasks = plan(4);
    const undisturbed = tasks.map((t) => executeTask(t));
    let killed = 0;
    const streamed: number[] = [];
    const records = await runTasks(tasks, {
      threads: 2,
      batchSize: 2,
      onRecord: (r) => streamed.push(r.id),
      onWorker: (w, attempt) => {
        if (attempt === 1 && killed === 0) {
          killed++;
          // Kill the first worker as soon as it has posted its first record.
          w.once('message', () => void w.terminate());
        }
      },
    });
    expect(killed).toBe(1);
    expect(JSON.stringify(records)).toBe(JSON.stringify(undisturbed));
    expect([...streamed].sort()).toEqual([0, 1, 2, 3]); // each record handed on exactly once
  });

  it('stops with an error naming the replications when a batch fails twice', async () => {
    const tasks = plan(2);
    await expect(
      runTasks(tasks, {
        threads: 1,
        batchSize: 2,
        onWorker: (w) => void w.terminate(),
      }),
    ).rejects.toThrow(/baseline replication 0, baseline replication 1/);
  });
});
