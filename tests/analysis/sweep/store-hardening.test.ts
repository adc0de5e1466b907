/**
 * The sweep store under a second process and a damaged file (issue 14, items 4
 * and 8): a database held by another process is never deleted (the lock is taken
 * first), and a damaged database is called damaged, with how to recover, not "in
 * use by another process".
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { SweepStore } from '../../../analysis/sweep/store.js';
import { shardRuns } from '../../../analysis/sweep/plan.js';
import { planFrom, removeTempDirs, storeFrom, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const SPEC = `version: 1
name: tiny
description: tiny
scenario: baseline
parameters:
  trust.gain: {levels: [0.03, 0.06]}
design: {type: grid}
replications: 2
outcomes: [trust_mean, fsm_gap]
`;

describe('item 8: SweepStore.create takes the lock before removing anything', () => {
  it('a database another process holds is refused as in use, and left intact', async () => {
    const dir = tempDir('lock');
    const file = join(dir, 'sweep.duckdb');
    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/hold-lock.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && done());
        child.on('exit', (c) => fail(new Error(`holder exited ${c}`)));
      });
      const { plan, meta } = planFrom(SPEC);
      // Before the fix the file was deleted and recreated under the holder: create succeeded.
      await expect(SweepStore.create(dir, meta('1/1'), plan, shardRuns(plan, { index: 1, count: 1 }))).rejects.toThrow(/sweep\.duckdb: is in use by another process/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
    }
    const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const conn = await inst.connect();
    expect((await conn.runAndReadAll('SELECT x FROM keep')).getRowsJS()).toEqual([[42]]);
    conn.disconnectSync();
    inst.closeSync();
  });
  it('a database already in the folder is emptied inside the lock and set up again', async () => {
    const { store, plan, dir } = await storeFrom(SPEC);
    await store.close();
    const { meta } = planFrom(SPEC);
    const again = await SweepStore.create(dir, meta('1/1'), plan, shardRuns(plan, { index: 1, count: 1 }));
    expect(await again.counts()).toEqual({ runs: 4, done: 0, results: 0, resultRuns: 0 });
    await again.close();
  });
});

describe('item 4: a damaged database is reported as damaged', () => {
  it('garbage over its blocks: "damaged ... run the sweep again into a new folder", never "in use"', async () => {
    const { store, plan, dir } = await storeFrom(SPEC);
    await store.recordRuns(
      plan.runs.map((r) => r.id),
      plan.runs.map(() => [0.5, 0.25]),
    );
    await store.close();
    const file = join(dir, 'sweep.duckdb');
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    // Keep the file header (the first 12 KiB); overwrite every block after it.
    for (let off = 12288; off < size; off += 4096) writeSync(fd, Buffer.alloc(Math.min(4096, size - off), 0xa5), 0, Math.min(4096, size - off), off);
    closeSync(fd);
    let message = '';
    try {
      const s = await SweepStore.open(dir, { readOnly: true });
      if (s) {
        await s.matrix(plan);
        await s.close();
      }
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/sweep\.duckdb: the sweep database is damaged and cannot be read \(.+\); it cannot be resumed or merged\. Run the sweep again into a new folder/);
    expect(message).not.toMatch(/in use/);
  });
});
