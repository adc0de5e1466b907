import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../sim/errors.js';
import { SweepStore, writeAtomicStreaming } from '../../../analysis/sweep/store.js';
import { storeFrom, tempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

const SPEC = `
name: store-test
description: d
scenario: baseline
parameters:
  trust.gain: {levels: [0.03, 0.12]}
  levers.fundingWithdrawn.enabled: {levels: [false, true]}
design: {type: grid}
replications: 2
outcomes: [attainment_mean, trust_mean]
`;

/** A made-up result for run `ordinal`: exact in binary, distinct per run and outcome. */
const fake = (ordinal: number): number[] => [100 + ordinal / 8, ordinal / 64];

describe('SweepStore', () => {
  it('creates the tables in one go and reopens with the same meta', async () => {
    const { store, plan, dir } = await storeFrom(SPEC);
    expect(await store.counts()).toEqual({ runs: 8, done: 0, results: 0, resultRuns: 0 });
    await store.close();
    const again = (await SweepStore.open(dir, { readOnly: true }))!;
    expect(again.meta.spec).toEqual(plan.spec);
    expect(again.meta.shard).toBe('1/1');
    expect(again.meta.planRuns).toBe(8);
    expect(again.outcomes).toEqual(['attainment_mean', 'trust_mean']);
    expect(await again.runIds()).toEqual(plan.runs.map((r) => r.id));
    await again.close();
  });

  it('records a run atomically: results and status together, once', async () => {
    const { store, plan } = await storeFrom(SPEC);
    await store.recordRun(plan.runs[3].id, fake(3));
    await store.recordRun(plan.runs[3].id, fake(3)); // handed on twice: kept once
    expect(await store.counts()).toEqual({ runs: 8, done: 1, results: 2, resultRuns: 1 });
    // A failing transaction leaves nothing behind.
    await expect(store.recordRun('not-a-run-r0', fake(0))).rejects.toThrow(/not part of this sweep folder/);
    expect(await store.counts()).toEqual({ runs: 8, done: 1, results: 2, resultRuns: 1 });
    await store.close();
  });

  it('queues writes from many records and reports the first failure on drain', async () => {
    const { store, plan } = await storeFrom(SPEC);
    const seen: string[] = [];
    for (const r of plan.runs.slice(0, 5)) store.enqueue(r.id, fake(r.ordinal), (id) => seen.push(id));
    await store.drain();
    expect(seen).toEqual(plan.runs.slice(0, 5).map((r) => r.id));
    store.enqueue('bogus-r0', fake(0));
    store.enqueue(plan.runs[5].id, fake(5)); // after a failure nothing more is written
    await expect(store.drain()).rejects.toThrow(/not part of this sweep folder/);
    expect((await store.counts()).done).toBe(5);
    await store.close();
  });

  it('treats a database killed before its first commit as no sweep', async () => {
    const dir = tempDir('empty-db');
    const inst = await DuckDBInstance.create(SweepStore.file(dir));
    const c = await inst.connect();
    await c.run('CREATE TABLE unrelated (i INTEGER)');
    c.disconnectSync();
    inst.closeSync();
    expect(await SweepStore.open(dir)).toBeUndefined();
  });

  it('exports results.csv in plan order with reproducible numbers, and the same rows to parquet', async () => {
    const { store, plan, dir } = await storeFrom(SPEC);
    // Recorded out of order; a run left out is left out of the export.
    for (const o of [5, 0, 7, 2, 1, 6, 3]) await store.recordRun(plan.runs[o].id, fake(o));
    expect(await store.exportCsv(plan)).toBe(14);
    await store.exportParquet(plan);
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('run,point,replication,trust.gain,levers.fundingWithdrawn.enabled,outcome,value');
    const r0 = plan.runs[0];
    expect(csv[1]).toBe(`${r0.id},${r0.pointKey},0,0.03,false,attainment_mean,100`);
    expect(csv[2]).toBe(`${r0.id},${r0.pointKey},0,0.03,false,trust_mean,0`);
    expect(csv.slice(1).map((l) => l.split(',')[0]).filter((_, i) => i % 2 === 0)).toEqual([0, 1, 2, 3, 5, 6, 7].map((o) => plan.runs[o].id));
    expect(csv).toContain(`${plan.runs[7].id},${plan.runs[7].pointKey},1,0.12,true,trust_mean,0.109375`);
    await store.close();
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    const pq = (await c.runAndReadAll(`SELECT * FROM read_parquet('${join(dir, 'results.parquet')}')`)).getRowsJS();
    const cols = (await c.runAndReadAll(`SELECT * FROM read_parquet('${join(dir, 'results.parquet')}') LIMIT 0`)).columnNames();
    c.disconnectSync();
    inst.closeSync();
    expect(cols).toEqual(['run', 'point', 'replication', 'trust.gain', 'levers.fundingWithdrawn.enabled', 'outcome', 'value']);
    expect(pq.map((r) => r.map(String).join(','))).toEqual(csv.slice(1));
  });

  it('absorbs another folder\'s done runs, counting identical duplicates and refusing different ones', async () => {
    const a = await storeFrom(SPEC, { index: 1, count: 2 });
    const b = await storeFrom(SPEC, { index: 2, count: 2 });
    const full = await storeFrom(SPEC);
    for (const r of a.plan.runs) {
      if (r.ordinal % 2 === 0) await a.store.recordRun(r.id, fake(r.ordinal));
      else await b.store.recordRun(r.id, fake(r.ordinal));
    }
    await full.store.recordRun(a.plan.runs[0].id, fake(0));
    await Promise.all([a.store.close(), b.store.close()]);
    expect(await full.store.absorb(a.dir)).toEqual({ copied: 3, duplicates: 1 });
    expect(await full.store.absorb(b.dir)).toEqual({ copied: 4, duplicates: 0 });
    expect(await full.store.counts()).toEqual({ runs: 8, done: 8, results: 16, resultRuns: 8 });
    await full.store.close();

    const other = await storeFrom(SPEC);
    await other.store.recordRun(a.plan.runs[0].id, [1, 2]);
    await expect(other.store.absorb(a.dir)).rejects.toThrow(InputError);
    expect((await other.store.counts()).done).toBe(1);
    await other.store.close();
  });

  it('writes files atomically: a failure half-way leaves the previous file whole and no temporary file', async () => {
    const dir = tempDir('atomic');
    const file = join(dir, 'results.csv');
    writeFileSync(file, 'old\n');
    await expect(
      writeAtomicStreaming(file, (write) => {
        write('run,point\n');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['results.csv']);
    await writeAtomicStreaming(file, (write) => write('new\n'));
    expect(readFileSync(file, 'utf8')).toBe('new\n');
  });
});
