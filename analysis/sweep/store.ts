/**
 * Where a sweep's results live while it runs (issue 6): an embedded DuckDB
 * database, DIR/sweep.duckdb, written one transaction per finished run (its
 * results inserted and its status set to done together), so a SIGKILL at any
 * moment loses at most the runs in flight and `--resume` picks up exactly where
 * the database says. Also the exports, each written to a temporary name and
 * renamed into place: results.csv (plan order, reproducible number format) and
 * results.parquet; and the merge of shard folders into one database.
 *
 * Tables: meta (one row: spec hash, spec text and JSON, base scenario, seed, plan
 * size, shard), outcomes (kept outcome ids in column order), points (key, index,
 * canonical text, one column per swept parameter), runs (id, plan ordinal, point
 * key, replication, status), results (run id, outcome, value).
 *
 * DuckDB facts relied on (checked against @duckdb/node-api 1.5): a write
 * transaction commits through the write-ahead log, which is replayed when the file
 * is opened again, read-only included; an appender used inside an explicit
 * transaction is part of it (a rollback drops its rows); the file is locked while
 * an instance has it open, so the connection is disconnected and the instance
 * closed explicitly to release it.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { InputError } from '../../sim/errors.js';
import type { RunSpec } from '../../scenarios/loader.js';
import type { LoadedSweep, SweepSpec } from '../../scenarios/sweep-loader.js';
import { fmtNum, textCell } from '../output/csv.js';
import { valueText, type SweepPlan, type SweepRun } from './plan.js';

/** The database file inside a sweep folder. */
export const DB_FILE = 'sweep.duckdb';
/** Layout version of the database. */
export const STORE_FORMAT = 1;

/** The base scenario as stored (enough to replan and to write manifests without the files). */
export interface StoredBase {
  name: string;
  description: string;
  source: string;
  chain: string[];
  hash: string;
  params: SweepPlan['params'];
  run: RunSpec;
  calibration?: Record<string, unknown>;
}

/** What a sweep folder holds, from its meta table. */
export interface SweepMeta {
  format: number;
  specHash: string;
  /** The sweep file's text, as written. */
  specText: string;
  /** Where the sweep file was (for people; never read back). */
  specFile: string;
  spec: SweepSpec;
  base: StoredBase;
  /** Run settings of every run. */
  run: RunSpec;
  /** Runs in the whole plan (all shards). */
  planRuns: number;
  /** `I/N`, or `merged`. */
  shard: string;
  /**
   * The world every run used, as the manifest records it: the synthetic England
   * (`{kind: 'synthetic', schools}`) or an import (files with SHA-256, kept, left
   * out, ...). Absent in folders written before imports were allowed: synthetic.
   */
  world?: Record<string, unknown>;
}

/** What identifies a sweep's world: its kind and size, and for an import the files' SHA-256 and what was kept and left out. */
export function worldIdentity(meta: Pick<SweepMeta, 'world' | 'run'>): string {
  const w = meta.world ?? { kind: 'synthetic', schools: meta.run.schools };
  const files = Array.isArray(w.files) ? (w.files as { role: string; sha256: string }[]).map((f) => `${f.role}:${f.sha256}`) : [];
  return JSON.stringify([w.kind, w.schools, files, w.kept ?? null, w.excluded ?? null]);
}

/** The world in words, for messages. */
export function worldWords(meta: Pick<SweepMeta, 'world' | 'run'>): string {
  const w = meta.world ?? { kind: 'synthetic', schools: meta.run.schools };
  if (w.kind !== 'import') return `the synthetic England (${String(w.schools)} schools)`;
  const files = (w.files as { role: string; path: string; sha256: string }[]).filter((f) => f.role !== 'columns');
  return `${String(w.schools)} imported schools from ${files.map((f) => `${f.path} (sha256 ${f.sha256.slice(0, 12)})`).join(', ')}`;
}

/** The meta row for a loaded sweep and its plan, as shard `shard` (`I/N` or `merged`). */
export function sweepMeta(s: Pick<LoadedSweep, 'file' | 'text' | 'spec' | 'base' | 'run' | 'hash'>, plan: SweepPlan, shard: string, world?: Record<string, unknown>): SweepMeta {
  const b = s.base;
  return {
    format: STORE_FORMAT,
    specHash: s.hash,
    specText: s.text,
    specFile: s.file,
    spec: s.spec,
    base: { name: b.name, description: b.description, source: b.source, chain: b.chain, hash: b.hash, params: b.params, run: b.run, ...(b.calibration ? { calibration: b.calibration } : {}) },
    run: s.run,
    planRuns: plan.runs.length,
    shard,
    ...(world ? { world } : {}),
  };
}

/** Quote an SQL identifier. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote an SQL string literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Does DIR hold a sweep database? */
export function hasStore(dir: string): boolean {
  return existsSync(join(dir, DB_FILE));
}

/** DuckDB's words for a file another process holds (not merely any message containing "lock": "block" is one). */
const LOCK_HELD = /Could not set lock on file|Conflicting lock is held/i;

/** The error for a database DuckDB cannot read: damaged, with how to recover. */
export function damagedStore(file: string, detail: string): InputError {
  return InputError.at(
    file,
    undefined,
    `the sweep database is damaged and cannot be read (${detail.split('\n')[0]}); it cannot be resumed or merged. Run the sweep again into a new folder (partnersim sweep SPEC --out NEW_FOLDER); results.csv and results.parquet exported into this folder earlier, if any, are intact`,
  );
}

/** Turn a DuckDB error met while opening or reading `file` into the right InputError (in use, damaged, or an environment failure passed on). */
function storeError(file: string, e: unknown): unknown {
  if (e instanceof InputError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (LOCK_HELD.test(msg)) return InputError.at(file, undefined, 'is in use by another process (is a sweep still running on this folder?); wait for it to finish or stop it first');
  // A full disk, a read-only file system and the like are the environment, not the file (cli/failure.ts words them).
  if (/No space left|Read-only file system|Permission denied|Too many open files|Disk quota/i.test(msg)) return e;
  return damagedStore(file, msg);
}

async function openInstance(file: string, readOnly: boolean): Promise<DuckDBInstance> {
  try {
    // One DuckDB thread: the simulation's worker threads need the cores, and the writes are small.
    return await DuckDBInstance.create(file, readOnly ? { access_mode: 'READ_ONLY', threads: '1' } : { threads: '1' });
  } catch (e) {
    throw storeError(file, e);
  }
}

/** The tables a sweep database holds (dropped when a folder's leftover database is set up afresh). */
const TABLES = ['results', 'runs', 'points', 'outcomes', 'meta'];

/** A sweep folder's database, open for writing runs or for reading results. */
export class SweepStore {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private markDone: DuckDBPreparedStatement | undefined;
  private closed = false;
  /** Runs recorded as done (kept in memory: the store is the only writer). */
  private readonly done = new Set<string>();
  /** Seconds spent in {@link SweepStore.recordRun} so far (for the benchmark). */
  writeSeconds = 0;

  private constructor(
    /** The sweep folder. */
    readonly dir: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** The folder's meta row. */
    readonly meta: SweepMeta,
    /** Kept outcome ids, in column order. */
    readonly outcomes: string[],
  ) {}

  /** Path of the database file in `dir`. */
  static file(dir: string): string {
    return join(dir, DB_FILE);
  }

  /**
   * Create the database in `dir` for `runs` of `plan` (this shard's, or all), every
   * run pending. Tables and rows are created in one transaction: a process killed
   * half-way leaves a file with no meta row, which {@link SweepStore.open} reports
   * as empty so the sweep can start again.
   */
  static async create(dir: string, meta: SweepMeta, plan: SweepPlan, runs: readonly SweepRun[]): Promise<SweepStore> {
    const file = SweepStore.file(dir);
    // Opening takes DuckDB's file lock before anything is removed (issue 14, item 8): a
    // database left here (a start killed before its first commit, or an earlier merge) is
    // emptied inside the lock, never deleted under another process that holds it.
    const instance = await openInstance(file, false);
    const conn = await instance.connect();
    try {
      const ps = plan.spec.parameters;
      await conn.run('BEGIN TRANSACTION');
      for (const t of TABLES) await conn.run(`DROP TABLE IF EXISTS ${t}`);
      await conn.run(`CREATE TABLE meta (format INTEGER, spec_hash VARCHAR, spec_text VARCHAR, spec_file VARCHAR, spec_json VARCHAR, base_json VARCHAR, run_json VARCHAR, seed VARCHAR, plan_runs INTEGER, shard VARCHAR, world_json VARCHAR)`);
      await conn.run(`CREATE TABLE outcomes (ordinal INTEGER PRIMARY KEY, outcome VARCHAR)`);
      await conn.run(
        `CREATE TABLE points (point_key VARCHAR PRIMARY KEY, point_index INTEGER, canonical VARCHAR${ps.map((p) => `, ${ident(p.path)} ${p.kind === 'boolean' ? 'BOOLEAN' : 'DOUBLE'}`).join('')})`,
      );
      await conn.run(`CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, ordinal INTEGER, point_key VARCHAR, replication INTEGER, status VARCHAR)`);
      await conn.run(`CREATE TABLE results (run_id VARCHAR, outcome VARCHAR, value DOUBLE)`);
      await conn.run(`INSERT INTO meta VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
        meta.format,
        meta.specHash,
        meta.specText,
        meta.specFile,
        JSON.stringify(meta.spec),
        JSON.stringify(meta.base),
        JSON.stringify(meta.run),
        JSON.stringify(meta.spec.seed),
        meta.planRuns,
        meta.shard,
        meta.world ? JSON.stringify(meta.world) : null,
      ]);
      const outcomes = meta.spec.outcomes;
      let a = await conn.createAppender('outcomes');
      outcomes.forEach((o, j) => {
        a.appendInteger(j);
        a.appendVarchar(o);
        a.endRow();
      });
      a.closeSync();
      a = await conn.createAppender('points');
      for (const pt of plan.points) {
        a.appendVarchar(pt.key);
        a.appendInteger(pt.index);
        a.appendVarchar(pt.canonical);
        pt.values.forEach((v) => (typeof v === 'boolean' ? a.appendBoolean(v) : a.appendDouble(v)));
        a.endRow();
      }
      a.closeSync();
      a = await conn.createAppender('runs');
      for (const r of runs) {
        a.appendVarchar(r.id);
        a.appendInteger(r.ordinal);
        a.appendVarchar(r.pointKey);
        a.appendInteger(r.replication);
        a.appendVarchar('pending');
        a.endRow();
      }
      a.closeSync();
      await conn.run('COMMIT');
      return new SweepStore(dir, instance, conn, meta, outcomes.slice());
    } catch (e) {
      conn.disconnectSync();
      instance.closeSync();
      throw e;
    }
  }

  /**
   * Open the database in `dir`; undefined when the folder has none, or has one a
   * killed process left before its first commit (no meta row).
   */
  static async open(dir: string, opts: { readOnly?: boolean } = {}): Promise<SweepStore | undefined> {
    const file = SweepStore.file(dir);
    if (!existsSync(file)) return undefined;
    const instance = await openInstance(file, opts.readOnly ?? false);
    let conn: DuckDBConnection;
    try {
      conn = await instance.connect();
    } catch (e) {
      instance.closeSync();
      throw storeError(file, e);
    }
    try {
      const tables = (await conn.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_name = 'meta'`)).getRowsJS();
      const rows = tables.length > 0 ? (await conn.runAndReadAll('SELECT * FROM meta')).getRowObjectsJS() : [];
      if (rows.length === 0) {
        conn.disconnectSync();
        instance.closeSync();
        return undefined;
      }
      const m = rows[0];
      if (m.format !== STORE_FORMAT) throw InputError.at(file, undefined, `was written by a different partnersim (store format ${String(m.format)}, expected ${STORE_FORMAT})`);
      const meta: SweepMeta = {
        format: m.format as number,
        specHash: m.spec_hash as string,
        specText: m.spec_text as string,
        specFile: m.spec_file as string,
        spec: JSON.parse(m.spec_json as string) as SweepSpec,
        base: JSON.parse(m.base_json as string) as StoredBase,
        run: JSON.parse(m.run_json as string) as RunSpec,
        planRuns: m.plan_runs as number,
        shard: m.shard as string,
        ...(typeof m.world_json === 'string' ? { world: JSON.parse(m.world_json) as Record<string, unknown> } : {}),
      };
      const outcomes = (await conn.runAndReadAll('SELECT outcome FROM outcomes ORDER BY ordinal')).getRowsJS().map((r) => r[0] as string);
      const store = new SweepStore(dir, instance, conn, meta, outcomes);
      for (const id of await store.doneRunIds()) store.done.add(id);
      return store;
    } catch (e) {
      conn.disconnectSync();
      instance.closeSync();
      throw e instanceof SyntaxError ? damagedStore(file, `its meta row is not valid JSON: ${e.message}`) : storeError(file, e);
    }
  }

  /** Ids of the runs this folder was set up to hold, in plan order. */
  async runIds(): Promise<string[]> {
    return (await this.conn.runAndReadAll('SELECT run_id FROM runs ORDER BY ordinal')).getRowsJS().map((r) => r[0] as string);
  }

  /** Ids of the runs recorded as done. */
  async doneRunIds(): Promise<Set<string>> {
    const rows = (await this.conn.runAndReadAll(`SELECT run_id FROM runs WHERE status = 'done'`)).getRowsJS();
    return new Set(rows.map((r) => r[0] as string));
  }

  /** Runs set up, and runs done; and result rows (each done run has one per kept outcome). */
  async counts(): Promise<{ runs: number; done: number; results: number; resultRuns: number }> {
    const r = (
      await this.conn.runAndReadAll(
        `SELECT (SELECT count(*) FROM runs)::INTEGER, (SELECT count(*) FROM runs WHERE status = 'done')::INTEGER, (SELECT count(*) FROM results)::INTEGER, (SELECT count(DISTINCT run_id) FROM results)::INTEGER`,
      )
    ).getRowsJS()[0] as number[];
    return { runs: r[0], done: r[1], results: r[2], resultRuns: r[3] };
  }

  /**
   * Record one finished run: its results and its status, in one transaction.
   * `values` are in the order of {@link SweepStore.outcomes}. A run already done is
   * left as it is (a retried worker batch may hand a run on twice).
   */
  async recordRun(runId: string, values: ArrayLike<number>): Promise<void> {
    if (this.done.has(runId)) return;
    if (values.length !== this.outcomes.length) throw new Error(`recordRun: expected ${this.outcomes.length} values, got ${values.length}`);
    const t0 = process.hrtime.bigint();
    this.markDone ??= await this.conn.prepare(`UPDATE runs SET status = 'done' WHERE run_id = $1`);
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const a = await this.conn.createAppender('results');
      for (let j = 0; j < values.length; j++) {
        a.appendVarchar(runId);
        a.appendVarchar(this.outcomes[j]);
        a.appendDouble(values[j]);
        a.endRow();
      }
      a.closeSync();
      this.markDone.bind([runId]);
      const res = await this.markDone.run();
      if (res.rowsChanged !== 1) throw new Error(`run ${runId} is not part of this sweep folder`);
      await this.conn.run('COMMIT');
      this.done.add(runId);
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.writeSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    }
  }

  /**
   * Queue {@link SweepStore.recordRun} behind the writes already queued (records
   * arrive from worker threads faster than one at a time). `onCommitted` runs after
   * the commit. The first failure stops later writes and is thrown by {@link SweepStore.drain}.
   */
  enqueue(runId: string, values: ArrayLike<number>, onCommitted?: (runId: string) => void): void {
    this.chain = this.chain.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await this.recordRun(runId, values);
        onCommitted?.(runId);
      } catch (e) {
        this.failure = e;
      }
    });
  }

  /** Wait for every queued write; throws the first failure. */
  async drain(): Promise<void> {
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Record many finished runs in one transaction (merge and tests; a sweep itself
   * records run by run). `values[k]` belongs to `runIds[k]`.
   */
  async recordRuns(runIds: readonly string[], values: readonly ArrayLike<number>[]): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const a = await this.conn.createAppender('results');
      runIds.forEach((id, k) => {
        if (this.done.has(id)) return;
        for (let j = 0; j < this.outcomes.length; j++) {
          a.appendVarchar(id);
          a.appendVarchar(this.outcomes[j]);
          a.appendDouble(values[k][j]);
          a.endRow();
        }
      });
      a.closeSync();
      // Results exist only for done runs, so every pending run with results is one of these.
      const fresh = new Set(runIds.filter((id) => !this.done.has(id))).size;
      const res = await this.conn.run(`UPDATE runs SET status = 'done' WHERE status = 'pending' AND run_id IN (SELECT DISTINCT run_id FROM results)`);
      if (res.rowsChanged !== fresh) throw new Error(`recordRuns: ${fresh} runs given but ${res.rowsChanged} runs of this folder matched`);
      await this.conn.run('COMMIT');
      for (const id of runIds) this.done.add(id);
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * Copy the done runs of another sweep folder's database into this one, in one
   * transaction: runs already done here are not copied again. Returns how many
   * runs were copied and how many were already here with identical results; a
   * run already here with different results is an InputError.
   */
  async absorb(otherDir: string): Promise<{ copied: number; duplicates: number }> {
    const file = SweepStore.file(otherDir);
    try {
      await this.conn.run(`ATTACH ${literal(file)} AS other (READ_ONLY)`);
    } catch (e) {
      throw storeError(file, e);
    }
    try {
      await this.conn.run('BEGIN TRANSACTION');
      const q = async (sql: string): Promise<number> => (await this.conn.runAndReadAll(sql)).getRowsJS()[0][0] as number;
      const theirs = `SELECT run_id FROM other.runs WHERE status = 'done'`;
      const dupRuns = await q(`SELECT count(*)::INTEGER FROM runs WHERE status = 'done' AND run_id IN (${theirs})`);
      const differing = await q(
        `SELECT count(DISTINCT a.run_id)::INTEGER FROM results a JOIN other.results b ON a.run_id = b.run_id AND a.outcome = b.outcome WHERE a.run_id IN (${theirs}) AND a.value IS DISTINCT FROM b.value`,
      );
      if (differing > 0) {
        throw InputError.at(otherDir, undefined, `${differing} run(s) also present in another folder have different results; the shards were not produced by the same partnersim and sweep`);
      }
      const fresh = `SELECT run_id FROM runs WHERE status = 'pending' AND run_id IN (${theirs})`;
      const copied = await q(`SELECT count(*)::INTEGER FROM (${fresh})`);
      await this.conn.run(`INSERT INTO results SELECT b.run_id, b.outcome, b.value FROM other.results b WHERE b.run_id IN (${fresh})`);
      await this.conn.run(`UPDATE runs SET status = 'done' WHERE status = 'pending' AND run_id IN (${theirs})`);
      await this.conn.run('COMMIT');
      for (const id of await this.doneRunIds()) this.done.add(id);
      return { copied, duplicates: dupRuns };
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await this.conn.run('DETACH other').catch(() => undefined);
    }
  }

  /**
   * Every done run's results as a matrix in plan order: `values[ordinal * K + j]`
   * for outcome j of {@link SweepStore.outcomes} (NaN where a run is not done), and
   * `done[ordinal]` 1 for done runs. Reads the database in chunks.
   */
  async matrix(plan: SweepPlan): Promise<{ values: Float64Array; done: Uint8Array }> {
    const k = this.outcomes.length;
    const values = new Float64Array(plan.runs.length * k).fill(NaN);
    const done = new Uint8Array(plan.runs.length);
    const byId = new Map(plan.runs.map((r) => [r.id, r.ordinal]));
    const ids = (await this.conn.runAndReadAll(`SELECT run_id FROM runs WHERE status = 'done'`)).getRowsJS();
    for (const [id] of ids) {
      const o = byId.get(id as string);
      if (o === undefined) throw InputError.at(this.dir, undefined, `holds run ${String(id)}, which is not in the plan its sweep file gives; was it written by a different partnersim?`);
      done[o] = 1;
    }
    const res = await this.conn.stream(
      `SELECT r.run_id, o.ordinal, x.value FROM results x JOIN runs r ON r.run_id = x.run_id JOIN outcomes o ON o.outcome = x.outcome WHERE r.status = 'done'`,
    );
    for (;;) {
      const chunk = await res.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const [rid, oj, val] = chunk.getColumns() as [string[], number[], number[]];
      for (let i = 0; i < rid.length; i++) values[byId.get(rid[i])! * k + oj[i]] = val[i];
    }
    return { values, done };
  }

  /**
   * Write DIR/results.csv: one row per done run x kept outcome, in plan order, with
   * the run id, point key, replication and every swept parameter's value as
   * columns; numbers through fmtNum, so the same results give the same bytes.
   * `read` is {@link SweepStore.matrix}'s result, if the caller has it already.
   */
  async exportCsv(plan: SweepPlan, file = join(this.dir, 'results.csv'), read?: { values: Float64Array; done: Uint8Array }): Promise<number> {
    const { values, done } = read ?? (await this.matrix(plan));
    const ps = plan.spec.parameters;
    const k = this.outcomes.length;
    const header = ['run', 'point', 'replication', ...ps.map((p) => p.path), 'outcome', 'value'];
    let rows = 0;
    await writeAtomicStreaming(file, (write) => {
      write(header.map(csvCell).join(',') + '\n');
      let buf = '';
      for (const r of plan.runs) {
        if (!done[r.ordinal]) continue;
        const prefix = `${r.id},${r.pointKey},${r.replication},${plan.points[r.point].values.map((v) => (typeof v === 'boolean' ? valueText(v) : fmtNum(v))).join(',')}${ps.length > 0 ? ',' : ''}`;
        for (let j = 0; j < k; j++) {
          buf += `${prefix}${csvCell(this.outcomes[j])},${fmtNum(values[r.ordinal * k + j])}\n`;
          rows++;
        }
        if (buf.length > 1 << 20) {
          write(buf);
          buf = '';
        }
      }
      write(buf);
    });
    return rows;
  }

  /**
   * Write DIR/results.parquet with DuckDB's COPY: the same rows and columns as
   * results.csv (parameters as DOUBLE or BOOLEAN), in plan order.
   */
  async exportParquet(plan: SweepPlan, file = join(this.dir, 'results.parquet')): Promise<void> {
    const tmp = join(this.dir, `.results.parquet.${process.pid}.tmp`);
    const cols = plan.spec.parameters.map((p) => `p.${ident(p.path)}`).join(', ');
    rmSync(tmp, { force: true });
    try {
      await this.conn.run(
        `COPY (SELECT r.run_id AS run, r.point_key AS point, r.replication, ${cols}${cols ? ', ' : ''}x.outcome, x.value FROM results x JOIN runs r ON r.run_id = x.run_id JOIN points p ON p.point_key = r.point_key JOIN outcomes o ON o.outcome = x.outcome WHERE r.status = 'done' ORDER BY r.ordinal, o.ordinal) TO ${literal(tmp)} (FORMAT parquet)`,
      );
      renameSync(tmp, file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  /** Close the database (releases the file lock). Waits for queued writes first. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.chain.catch(() => undefined);
    this.closed = true;
    this.markDone?.destroySync();
    this.conn.disconnectSync();
    this.instance.closeSync();
  }
}

function csvCell(s: string): string {
  return textCell(s);
}

/** Write a file through `fill(write)` to a temporary name in the same folder, then rename it into place. */
export async function writeAtomicStreaming(file: string, fill: (write: (text: string) => void) => void | Promise<void>): Promise<void> {
  const dir = join(file, '..');
  const tmp = join(dir, `.${file.slice(dir.length + 1)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    await fill((text) => {
      if (text.length > 0) writeSync(fd, text);
    });
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Is `dir` absent or an empty folder? */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}
