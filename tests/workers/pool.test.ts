import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../sim/params.js';
import { batchFor, runTasks, WorkerPool } from '../../workers/pool.js';
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

  it('keeps one long-lived worker per thread and puts records arriving out of order back in task order', async () => {
    // Task sizes alternate big and small, so the two workers finish out of plan order.
    const params = defaultParams();
    const tasks: Task[] = Array.from({ length: 8 }, (_, r) => ({
      id: r,
      scenario: 'baseline',
      params,
      run: { years: r % 2 === 0 ? 3 : 1, stepsPerYear: 3, startYear: 2007, schools: r % 2 === 0 ? 400 : 60 },
      seed: 9,
      point: 0,
      replication: r,
    }));
    const inline = await runTasks(tasks, { threads: 0 });
    let workers = 0;
    const arrival: number[] = [];
    const two = await runTasks(tasks, { threads: 2, onWorker: () => workers++, onRecord: (r) => arrival.push(r.id) });
    expect(workers).toBe(2); // 8 tasks, 2 threads: each worker ran several
    expect(JSON.stringify(two)).toBe(JSON.stringify(inline));
    expect(two.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...arrival].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('sends tiny tasks several to a message, and still gives identical records', async () => {
    // 4 ms of work per message; never more than a quarter of a thread's share.
    expect(batchFor(0, 100, 2)).toBe(1); // nothing measured yet
    expect(batchFor(0.5, 1000, 2)).toBe(8);
    expect(batchFor(0.5, 16, 2)).toBe(2);
    expect(batchFor(50, 1000, 2)).toBe(1);
    expect(batchFor(0.001, 1e6, 1)).toBe(64);
    const params = defaultParams();
    const tiny: Task[] = Array.from({ length: 40 }, (_, r) => ({ id: r, scenario: 'baseline', params, run: { years: 1, stepsPerYear: 3, startYear: 2007, schools: 30 }, seed: 2, point: 0, replication: r }));
    const inline = await runTasks(tiny, { threads: 0 });
    const pooled = await runTasks(tiny, { threads: 2 });
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(inline));
  });

  it('a pool kept open runs several task lists on the same workers', async () => {
    const a = plan(4);
    const b = plan(3).map((t) => ({ ...t, seed: 6 }));
    const pool = new WorkerPool(2);
    let workers = 0;
    try {
      const ra = await pool.run(a, { onWorker: () => workers++ });
      const rb = await pool.run(b, { onWorker: () => workers++ });
      expect(workers).toBe(2); // started for the first list, reused for the second
      expect(JSON.stringify(ra)).toBe(JSON.stringify(await runTasks(a, { threads: 0 })));
      expect(JSON.stringify(rb)).toBe(JSON.stringify(await runTasks(b, { threads: 0 })));
    } finally {
      await pool.close();
    }
    await expect(pool.run(a)).rejects.toThrow(/closed/);
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
