/**
 * `partnersim sweep`, `merge` and `sensitivity` (issue 6): parameter sweeps from a
 * laptop to a SLURM or Kubernetes cluster, resumable after a kill, and the
 * sensitivity indices their designs allow.
 *
 * Sweep pipeline: load spec (validate, resolve base scenario, hash) -> expand plan
 * (points, runs, seeds from point keys) -> select shard (--shard, SLURM array,
 * Kubernetes index) -> open store (create, or --resume after checking the hash) ->
 * dispatch the runs not done (worker threads) -> collect (one database
 * transaction per finished run) -> export (results.csv, results.parquet,
 * manifest.json, report-data.json, each written atomically) -> present.
 * Merge: read shard folders -> check one sweep, no runs missing -> copy into one
 * database -> export as a single machine would. Sensitivity: read -> estimate -> print.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { worldOptions, type WorldArgs } from '../options.js';
import { InputError } from '../../sim/errors.js';
import type { ResolvedScenario } from '../../scenarios/loader.js';
import type { TaskRecord } from '../../workers/task.js';
import { layout } from '../../analysis/output/table.js';
import type { Shard, SweepPlan, SweepRun } from '../../analysis/sweep/plan.js';
import type { StoredBase, SweepMeta, SweepStore } from '../../analysis/sweep/store.js';
import type { SensitivityReport, SweepMatrix } from '../../analysis/sweep/summary.js';

/** The database file in a sweep folder (as analysis/sweep/store.ts; repeated so this module stays light). */
const DB_FILE = 'sweep.duckdb';

/**
 * The pipeline's modules, imported when a sweep command runs, never when the parser
 * is built: the database alone takes about 0.3 s to load (cli/cli.ts keeps `--help` fast).
 */
async function load() {
  const [loader, plan, store, summary, pool, metrics, atomic, manifest, progress, compare, world, sweepLoader] = await Promise.all([
    import('../../scenarios/sweep-loader.js'),
    import('../../analysis/sweep/plan.js'),
    import('../../analysis/sweep/store.js'),
    import('../../analysis/sweep/summary.js'),
    import('../../workers/pool.js'),
    import('../../sim/metrics.js'),
    import('../../analysis/output/atomic.js'),
    import('../../analysis/output/manifest.js'),
    import('../progress.js'),
    import('./compare.js'),
    import('./world.js'),
    import('../../scenarios/sweep-loader.js'),
  ]);
  return {
    loadSweep: loader.loadSweep,
    expandPlan: plan.expandPlan,
    resolveShard: plan.resolveShard,
    seedKeyPattern: plan.seedKeyPattern,
    shardLabel: plan.shardLabel,
    shardOf: plan.shardOf,
    shardRuns: plan.shardRuns,
    taskFor: plan.taskFor,
    SweepStore: store.SweepStore,
    sweepMeta: store.sweepMeta,
    sensitivity: summary.sensitivity,
    sweepReportData: summary.sweepReportData,
    runTasks: pool.runTasks,
    M: metrics.M,
    prepareOutDir: atomic.prepareOutDir,
    writeFileAtomic: atomic.writeFileAtomic,
    buildManifest: manifest.buildManifest,
    Progress: progress.Progress,
    threadCount: compare.threadCount,
    loadWorld: world.loadWorld,
    worldManifest: world.worldManifest,
    importSummary: world.importSummary,
    sweepHash: sweepLoader.sweepHash,
    worldIdentity: store.worldIdentity,
    worldWords: store.worldWords,
  };
}
type Modules = Awaited<ReturnType<typeof load>>;

/** Arguments of `partnersim sweep`. */
export interface SweepArgs extends WorldArgs {
  spec: string;
  /** Sweep runs take their size from the sweep file; only refused with --schools-file. */
  schools?: unknown;
  out?: string;
  threads?: unknown;
  resume?: boolean;
  shard?: string;
  shards?: unknown;
}

/** Test and embedding hooks; the CLI uses the defaults. */
export interface SweepHooks {
  /** Environment for shard selection (default process.env). */
  env?: Record<string, string | undefined>;
  /** Called after each run's transaction commits. */
  onCommitted?: (runId: string) => void;
  /** Where the summary goes (default stdout). */
  print?: (text: string) => void;
  /** Where notes go (default stderr). */
  note?: (text: string) => void;
}

/** What a sweep did. */
export interface SweepOutcome {
  dir: string;
  shard: Shard;
  planRuns: number;
  shardRuns: number;
  /** Runs already done when this process started (resume). */
  doneBefore: number;
  /** Runs this process ran. */
  ranNow: number;
  seconds: number;
  /** Where the time went: before dispatch, dispatch (runs and their writes), exports; and time inside database writes. */
  timings: { setup: number; dispatch: number; export: number; writes: number };
}

/** Runs handed to the pool at once: bounds the memory of tasks for very large plans. */
const CHUNK = 4096;

function stdout(text: string): void {
  process.stdout.write(text);
}
function stderr(text: string): void {
  process.stderr.write(text);
}

/** Files in `dir` other than a sweep database and its write-ahead log. */
function strayFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f !== DB_FILE && f !== `${DB_FILE}.wal`);
}

/** The base scenario as a ResolvedScenario (for manifests), from the stored record. */
function baseScenario(b: StoredBase): ResolvedScenario {
  return { name: b.name, description: b.description, source: b.source, chain: b.chain, params: b.params, run: b.run, hash: b.hash, ...(b.calibration ? { calibration: b.calibration } : {}) };
}

function manifestOf(x: Modules, meta: SweepMeta, plan: SweepPlan, argv: string[], extra: Record<string, unknown>, threads?: number): Record<string, unknown> {
  return x.buildManifest(
    {
      kind: 'sweep',
      command: argv,
      seed: meta.spec.seed,
      run: meta.run,
      scenarios: [baseScenario(meta.base)],
      replications: meta.spec.replications,
      world: meta.world,
      threads,
      extra: {
        sweep: {
          name: meta.spec.name,
          description: meta.spec.description,
          file: meta.specFile,
          specHash: meta.specHash,
          spec: meta.spec,
          specText: meta.specText,
          points: plan.points.length,
          planRuns: plan.runs.length,
          shard: meta.shard,
          runSeedKey: x.seedKeyPattern(meta.spec.seed),
          pointKey: 'first 16 hex digits of sha256 of the point\'s canonical text (swept parameters as sorted path=value pairs joined by ;)',
          database: DB_FILE,
          ...extra,
        },
      },
    },
    true,
  );
}

/** Write results.csv, results.parquet, manifest.json and report-data.json from the store. */
async function exportAll(x: Modules, store: SweepStore, plan: SweepPlan, manifest: Record<string, unknown>, complete: boolean): Promise<{ rows: number; sens?: SensitivityReport }> {
  const { values, done } = await store.matrix(plan);
  const m: SweepMatrix = { outcomes: store.outcomes, values, done };
  const rows = await store.exportCsv(plan, undefined, { values, done });
  await store.exportParquet(plan);
  const sens = complete && plan.design.type === 'sobol' ? x.sensitivity(plan, m) : undefined;
  x.writeFileAtomic(join(store.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  x.writeFileAtomic(join(store.dir, 'report-data.json'), JSON.stringify(x.sweepReportData(plan, m, manifest, store.meta.base, sens)) + '\n');
  return { rows, sens };
}

/**
 * Run a sweep (or this process's shard of it) into `args.out`, resuming from the
 * folder's database with --resume. Returns what it did; prints a short summary.
 */
export async function sweepCommand(args: SweepArgs, argv: string[], hooks: SweepHooks = {}): Promise<SweepOutcome> {
  const print = hooks.print ?? stdout;
  const t0 = process.hrtime.bigint();
  // 1 load spec, resolve base scenario, hash
  if (!args.out) throw InputError.at(undefined, '--out', 'expected a folder to write the sweep into (its database, results.csv, results.parquet, manifest.json)');
  const dir = args.out;
  const x = await load();
  const loaded = x.loadSweep(args.spec);
  const threads = x.threadCount(args.threads);
  // The world: imported once (--schools-file ...) and shared by every run, or the synthetic England.
  const imported = await x.loadWorld(args, loaded.base.params, loaded.spec.seed);
  if (imported) {
    (hooks.note ?? stderr)(x.importSummary(imported) + '\n');
    loaded.run = { ...loaded.run, schools: imported.world.n };
    loaded.hash = x.sweepHash(loaded.spec, loaded.base.params, loaded.run);
  }
  const world = x.worldManifest(imported, loaded.run.schools);
  // 2 plan and 3 shard
  const shard = x.resolveShard({ shard: args.shard, shards: args.shards, env: hooks.env ?? process.env });
  const plan = x.expandPlan(loaded.spec, loaded.base.params, loaded.run);
  const mine = x.shardRuns(plan, shard);
  const label = x.shardLabel(shard);
  // 4 open or create the store
  x.prepareOutDir(dir);
  let store = await x.SweepStore.open(dir);
  try {
    if (store) {
      const m = store.meta;
      const now = { world, run: loaded.run };
      if (x.worldIdentity(m) !== x.worldIdentity(now)) {
        throw InputError.at(dir, '--out', `holds this sweep run on ${x.worldWords(m)}, but this command gives ${x.worldWords(now)}; resume with the same --schools-file, --ks4, --ofsted, --columns and --la (see the folder's manifest.json), or choose another folder`);
      }
      if (m.specHash !== loaded.hash) {
        throw InputError.at(dir, '--out', `holds a different sweep ('${m.spec.name}' from ${m.specFile}, spec hash ${m.specHash.slice(0, 12)}) than ${loaded.file} (spec hash ${loaded.hash.slice(0, 12)}); choose another folder`);
      }
      const c = await store.counts();
      if (!args.resume) throw InputError.at(dir, '--out', `already holds this sweep (${c.done} of ${c.runs} runs done); pass --resume to continue it, or choose an empty folder`);
      if (m.shard !== label) throw InputError.at(dir, '--shard', `the folder holds shard ${m.shard} of this sweep, not ${label}; resume it with --shard ${m.shard} or use another folder`);
      const ids = await store.runIds();
      if (ids.length !== mine.length || ids.some((id, i) => id !== mine[i].id)) {
        throw InputError.at(dir, undefined, 'the runs recorded in this folder differ from the plan computed now (was partnersim updated since?); start the sweep again in an empty folder');
      }
    } else {
      const stray = strayFiles(dir);
      if (stray.length > 0) throw InputError.at(dir, '--out', `is not empty and holds no sweep (${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', ...' : ''}); expected an empty folder, or a sweep folder to --resume`);
      store = await x.SweepStore.create(dir, x.sweepMeta(loaded, plan, label, world), plan, mine);
    }
    // 5 dispatch and 6 collect: one transaction per finished run
    const tDispatch = process.hrtime.bigint();
    const doneIds = await store.doneRunIds();
    const todo = mine.filter((r) => !doneIds.has(r.id));
    const keep = store.outcomes.map((id) => x.M[id]);
    const byOrdinal = new Map<number, SweepRun>(todo.map((r) => [r.ordinal, r]));
    const bar = new x.Progress(todo.length, `sweep ${label}`, 'runs');
    let committed = 0;
    const s = store;
    const onRecord = (rec: TaskRecord): void => {
      const r = byOrdinal.get(rec.id)!;
      s.enqueue(r.id, keep.map((k) => rec.outcomes[k]), (id) => {
        bar.update(++committed);
        hooks.onCommitted?.(id);
      });
    };
    try {
      for (let k = 0; k < todo.length; k += CHUNK) {
        const tasks = todo.slice(k, k + CHUNK).map((r) => x.taskFor(plan, r));
        await x.runTasks(tasks, { threads, onRecord, world: imported?.world });
      }
    } finally {
      // Whatever happened, what finished is committed before we leave.
      await store.drain().finally(() => bar.done());
    }
    // 7 export
    const tExport = process.hrtime.bigint();
    const manifest = manifestOf(x, store.meta, plan, argv, { shardRuns: mine.length, shardSource: shard.source }, threads);
    const { rows } = await exportAll(x, store, plan, manifest, shard.count === 1);
    const tEnd = process.hrtime.bigint();
    const seconds = Number(tEnd - t0) / 1e9;
    const timings = { setup: Number(tDispatch - t0) / 1e9, dispatch: Number(tExport - tDispatch) / 1e9, export: Number(tEnd - tExport) / 1e9, writes: store.writeSeconds };
    // 8 present
    print(
      `partnersim sweep ${plan.spec.name}: ${plan.runs.length} runs (${plan.points.length} points x ${plan.spec.replications} replications), ` +
        `shard ${label}${shard.source === 'none' ? ' (whole plan)' : ` (from ${shard.source})`}: ${mine.length} runs\n` +
        `  ran ${todo.length} now, ${mine.length - todo.length} done before; ${seconds.toFixed(1)} s on ${threads} thread${threads === 1 ? '' : 's'}\n` +
        `  wrote results.csv (${rows} rows), results.parquet, manifest.json, report-data.json to ${dir}\n`,
    );
    return { dir, shard, planRuns: plan.runs.length, shardRuns: mine.length, doneBefore: mine.length - todo.length, ranNow: todo.length, seconds, timings };
  } finally {
    await store?.close();
  }
}

/** What a merge did. */
export interface MergeOutcome {
  out: string;
  planRuns: number;
  copied: number;
  duplicates: number;
}

/**
 * Merge shard folders of one sweep into `out`: the same results.csv (and parquet,
 * manifest, report data) a single machine would write. Refuses folders of
 * different sweeps and reports runs missing from every folder.
 */
export async function mergeCommand(args: { dirs: string[]; out?: string }, argv: string[], hooks: SweepHooks = {}): Promise<MergeOutcome> {
  const print = hooks.print ?? stdout;
  const note = hooks.note ?? stderr;
  // 1 read the shard folders
  if (!args.out) throw InputError.at(undefined, '--out', 'expected a folder to write the merged sweep into');
  const out = args.out;
  const dirs = args.dirs;
  if (dirs.length === 0) throw InputError.at(undefined, 'merge', 'expected one or more shard folders, e.g. partnersim merge results/shard-* --out results/all');
  if (dirs.some((d) => resolve(d) === resolve(out))) throw InputError.at(out, '--out', 'is also one of the folders to merge; expected a separate folder');
  const x = await load();
  const metas: SweepMeta[] = [];
  const doneSets: Set<string>[] = [];
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw InputError.at(d, undefined, 'folder not found; expected a sweep folder written by `partnersim sweep`');
    const st = await x.SweepStore.open(d, { readOnly: true });
    if (!st) throw InputError.at(d, undefined, `holds no sweep results (no ${DB_FILE} with a finished start); expected a folder written by \`partnersim sweep\``);
    try {
      metas.push(st.meta);
      doneSets.push(await st.doneRunIds());
    } finally {
      await st.close();
    }
  }
  // 2 one sweep?
  const first = metas[0];
  metas.forEach((m, i) => {
    if (m.specHash !== first.specHash) {
      throw InputError.at(
        dirs[i],
        undefined,
        `holds a different sweep ('${m.spec.name}', spec hash ${m.specHash.slice(0, 12)}) from ${dirs[0]} ('${first.spec.name}', spec hash ${first.specHash.slice(0, 12)}); expected shards of one sweep`,
      );
    }
  });
  // Robust experiments keep their own plan (cli/commands/robust.ts).
  if ((first.spec as { kind?: unknown }).kind === 'robust') return (await import('./robust.js')).mergeRobust(dirs, out, metas, doneSets, argv, hooks);
  metas.forEach((m, i) => {
    if (x.worldIdentity(m) !== x.worldIdentity(first)) {
      throw InputError.at(dirs[i], undefined, `was run on ${x.worldWords(m)}, but ${dirs[0]} on ${x.worldWords(first)}; expected shards of one sweep on one world`);
    }
  });
  // 3 every run present?
  const plan = x.expandPlan(first.spec, first.base.params, first.run);
  const seen = new Map<string, number>();
  for (const s of doneSets) for (const id of s) seen.set(id, (seen.get(id) ?? 0) + 1);
  const missing = plan.runs.filter((r) => !seen.has(r.id));
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  if (missing.length > 0) {
    const counts = [...new Set(metas.map((m) => /^\d+\/(\d+)$/.exec(m.shard)?.[1]).filter((x): x is string => x !== undefined))].map(Number);
    const shards = counts.length === 1 ? [...new Set(missing.map((r) => x.shardOf(r.ordinal, counts[0])))].sort((a, b) => a - b).map((i) => `${i}/${counts[0]}`) : [];
    throw InputError.at(
      out,
      undefined,
      `cannot merge: ${missing.length} of ${plan.runs.length} runs are in none of the folders (e.g. ${missing
        .slice(0, 3)
        .map((r) => r.id)
        .join(', ')})${shards.length ? `; they belong to shard ${shards.join(', ')}` : ''}; finish those shards (partnersim sweep SPEC --out DIR --resume --shard I/N) and merge again`,
    );
  }
  // 4 one database, 5 export
  x.prepareOutDir(out);
  const prev = await x.SweepStore.open(out, { readOnly: true });
  if (prev) {
    const same = prev.meta.specHash === first.specHash && prev.meta.shard === 'merged';
    await prev.close();
    if (!same) throw InputError.at(out, '--out', 'already holds a sweep that is not a merge of these folders; choose an empty folder');
  } else if (strayFiles(out).length > 0) {
    throw InputError.at(out, '--out', 'is not empty; expected an empty folder (or an earlier merge of the same sweep, which is replaced)');
  }
  const store = await x.SweepStore.create(out, { ...first, shard: 'merged' }, plan, plan.runs);
  try {
    let copied = 0;
    for (const d of dirs) copied += (await store.absorb(d)).copied;
    if (duplicates > 0) note(`partnersim: note: ${duplicates} run(s) were in more than one folder, with identical results; each is counted once\n`);
    const manifest = manifestOf(x, store.meta, plan, argv, { mergedFrom: dirs, shardsMerged: metas.map((m) => m.shard) });
    const { rows } = await exportAll(x, store, plan, manifest, true);
    print(`partnersim merge ${plan.spec.name}: ${dirs.length} folders, ${copied} runs (${plan.points.length} points x ${plan.spec.replications} replications)\n  wrote results.csv (${rows} rows), results.parquet, manifest.json, report-data.json to ${out}\n`);
    return { out, planRuns: plan.runs.length, copied, duplicates };
  } finally {
    await store.close();
  }
}

/** Read a complete sweep folder and compute its sensitivity indices. */
export async function sensitivityOf(dir: string): Promise<SensitivityReport> {
  if (!existsSync(dir)) throw InputError.at(dir, undefined, 'folder not found; expected a sweep folder written by `partnersim sweep` or `partnersim merge`');
  const x = await load();
  const store = await x.SweepStore.open(dir, { readOnly: true });
  if (!store) throw InputError.at(dir, undefined, `holds no sweep results (no ${DB_FILE}); expected a folder written by \`partnersim sweep\` or \`partnersim merge\``);
  try {
    const m = store.meta;
    if ((m.spec as { kind?: unknown }).kind === 'robust') throw InputError.at(dir, undefined, 'holds a robust experiment, which has no sensitivity design; use `partnersim robust-summary` or `partnersim discover`');
    const plan = x.expandPlan(m.spec, m.base.params, m.run);
    const { values, done } = await store.matrix(plan);
    try {
      return x.sensitivity(plan, { outcomes: store.outcomes, values, done });
    } catch (e) {
      if (e instanceof InputError) throw InputError.at(dir, undefined, e.message);
      throw e;
    }
  } finally {
    await store.close();
  }
}

function fmtIndex(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '-';
}
function fmtSig(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  return Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3 ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}

/** The readable sensitivity table. */
export function sensitivityTable(r: SensitivityReport): string {
  const lines: string[] = [];
  const d = r.design;
  const size = d.type === 'sobol' ? `n = ${d.n}` : d.type === 'morris' ? `${d.trajectories} trajectories` : '';
  lines.push(`partnersim sensitivity: ${r.sweep} (${d.type}, ${size}; ${r.parameters.length} parameters, ${r.points} points x ${r.replications} replications)`);
  lines.push(r.method + '.');
  if (d.type === 'sobol') lines.push('S1: share of the outcome\'s variance a parameter explains alone; ST: including its interactions; both net of replication noise. Intervals are 95%, from independent scrambled replicates of the design.');
  else lines.push('mu*: mean absolute effect (ranks influence); mu: mean signed effect; sigma: spread of effects (non-linearity or interactions).');
  for (const o of r.outcomes) {
    lines.push('');
    const noise = Number.isFinite(o.noiseShare) ? `; replication noise ${(100 * o.noiseShare).toFixed(1)}% of the variance` : '';
    lines.push(`${o.label} (${o.outcome}; ${o.unit})${noise}`);
    if (o.sobol) {
      const rows = o.sobol.map((s) => [`  ${s.parameter}`, fmtIndex(s.S1), `[${fmtIndex(s.S1low)}, ${fmtIndex(s.S1high)}]`, fmtIndex(s.ST), `[${fmtIndex(s.STlow)}, ${fmtIndex(s.SThigh)}]`]);
      lines.push(layout(rows, ['  parameter', 'S1', '95% interval', 'ST', '95% interval'], 'lrrrr'));
    } else if (o.morris) {
      const rows = [...o.morris].sort((a, b) => b.muStar - a.muStar).map((s) => [`  ${s.parameter}`, fmtSig(s.muStar), fmtSig(s.mu), fmtSig(s.sigma)]);
      lines.push(layout(rows, ['  parameter', 'mu*', 'mu', 'sigma'], 'lrrr'));
    }
  }
  return lines.join('\n');
}

/** `partnersim sensitivity DIR [--json]`. */
export async function sensitivityCommand(args: { dir: string; json?: boolean }, hooks: SweepHooks = {}): Promise<SensitivityReport> {
  const print = hooks.print ?? stdout;
  const r = await sensitivityOf(args.dir);
  print(args.json ? JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n' : sensitivityTable(r) + '\n');
  return r;
}

/**
 * Add `sweep`, `merge` and `sensitivity` to the CLI. `argv` is recorded in
 * manifests; `hooks` are for tests (the CLI passes none).
 */
export function registerSweepCommands(y: Argv, argv: string[], hooks: SweepHooks = {}): Argv {
  return y
    .command(
      'sweep <spec>',
      'Run a parameter sweep (grid, Latin hypercube, Sobol or Morris design) into a resumable results folder; shards for clusters',
      (c) =>
        worldOptions(c)
          .positional('spec', { type: 'string', demandOption: true, describe: 'Sweep file (.yaml or .json; see scenarios/sweeps/)' })
          .option('out', { type: 'string', demandOption: true, describe: 'Folder for the sweep: its database, results.csv, results.parquet, manifest.json' })
          .option('threads', { type: 'string', describe: 'Worker threads (default: the available cores)' })
          .option('resume', { type: 'boolean', default: false, describe: 'Continue the sweep already in --out (same spec), running only the runs not done' })
          .option('shard', { type: 'string', describe: 'Run only shard I of N (I/N, 1-based); default from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX' })
          .option('shards', { type: 'string', describe: 'Number of shards for a Kubernetes Indexed Job (with JOB_COMPLETION_INDEX; or set PARTNERSIM_SHARDS)' })
          .option('report', { type: 'boolean', default: false, describe: 'Also draw the charts and report.html into --out (as `partnersim report DIR`)' })
          .option('schools', { type: 'string', hidden: true, describe: 'Not for sweeps: set run.schools in the sweep file' })
          .example('$0 sweep scenarios/sweeps/example-grid.yaml --out results/grid', 'A 3 x 3 grid with 5 replications per point')
          .example('$0 sweep my-sweep.yaml --out results/s --resume', 'Continue after an interruption')
          .example('$0 sweep my-sweep.yaml --out results/shard-2 --shard 2/8', 'One of eight shards (merge them afterwards)')
          .example('$0 sweep my-sweep.yaml --out results/kent --schools-file gias.csv --ks4 ks4.csv --la 886 --report', 'On real schools (imported once), with the charts and report.html'),
      async (a) => {
        if (a.schools !== undefined && !a.schoolsFile) throw InputError.at(undefined, '--schools', 'does not apply to a sweep: set run.schools in the sweep file');
        const report = a.report ? await import('./report.js') : undefined;
        const out = await sweepCommand(a as unknown as SweepArgs, argv, hooks);
        if (report) (hooks.note ?? stderr)((await report.reportCommand(out.dir)) + '\n');
      },
    )
    .command(
      'merge <dirs..>',
      'Merge shard folders of one sweep into the results a single machine would write',
      (c) =>
        c
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'Shard folders written by `partnersim sweep --shard`' })
          .option('out', { type: 'string', demandOption: true, describe: 'Folder for the merged sweep' })
          .example('$0 merge results/shard-* --out results/all', 'Combine every shard'),
      async (a) => {
        await mergeCommand({ dirs: (a.dirs as string[]).map(String), out: a.out as string }, argv, hooks);
      },
    )
    .command(
      'sensitivity <dir>',
      'Sobol indices (sobol design) or Morris screening measures (morris design) of a finished sweep, per outcome',
      (c) =>
        c
          .positional('dir', { type: 'string', demandOption: true, describe: 'A finished sweep folder (or merged shards)' })
          .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document instead of tables' })
          .example('$0 sensitivity results/sobol', 'First-order and total indices with 95% intervals'),
      async (a) => {
        await sensitivityCommand({ dir: a.dir as string, json: Boolean(a.json) }, hooks);
      },
    );
}
