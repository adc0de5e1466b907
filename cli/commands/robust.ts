/**
 * `partnersim robust`, `robust-summary` and `discover` (issue 15): robust policy
 * choice under deep uncertainty, through the sweep's resumable, shardable store.
 *
 * Robust pipeline: load experiment (validate, resolve policies, --quick, hash) ->
 * expand plan (futures x replications x policies; seeds from the future, so every
 * policy shares its world and shocks) -> select shard -> open store (create, or
 * --resume after checking the hash) -> dispatch the runs not done (worker
 * threads) -> collect (one database transaction per finished run) -> export
 * (results.csv, robust-summary.json, manifest.json, report-data.json, each
 * atomically) -> present. `partnersim merge` hands robust folders to
 * {@link mergeRobust}. robust-summary: read -> effects -> regret, satisficing,
 * best shares -> print. discover: read (robust or sweep) -> cases -> PRIM ->
 * print, and save the discovery for `report`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../../sim/errors.js';
import type { TaskRecord } from '../../workers/task.js';
import type { LoadedExperiment } from '../../scenarios/experiment-loader.js';
import type { RobustPlan, RobustRun } from '../../analysis/robust/plan.js';
import type { SweepMeta, SweepStore } from '../../analysis/sweep/store.js';
import type { PolicyValues, RobustSummary, Threshold } from '../../analysis/robust/metrics.js';
import type { Discovery } from '../../analysis/robust/discover.js';
import type { Shard } from '../../analysis/sweep/plan.js';

const DB_FILE = 'sweep.duckdb';
const CHUNK = 4096;

/** The pipeline's modules, imported when a command runs (keeps `--help` fast). */
async function load() {
  const [loader, rplan, metrics, disc, rdata, splan, store, summary, pool, metricsSim, atomic, manifest, progress, compare, world, csv, table] = await Promise.all([
    import('../../scenarios/experiment-loader.js'),
    import('../../analysis/robust/plan.js'),
    import('../../analysis/robust/metrics.js'),
    import('../../analysis/robust/discover.js'),
    import('../../analysis/robust/report-data.js'),
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
    import('../../analysis/output/csv.js'),
    import('../../analysis/output/table.js'),
  ]);
  return { loader, rplan, metrics, disc, rdata, splan, store, summary, pool, metricsSim, atomic, manifest, progress, compare, world, csv, table };
}
type Modules = Awaited<ReturnType<typeof load>>;

/** Test hooks; the CLI uses the defaults. */
export interface RobustHooks {
  env?: Record<string, string | undefined>;
  onCommitted?: (runId: string) => void;
  print?: (text: string) => void;
  note?: (text: string) => void;
}

/** Arguments of `partnersim robust`. */
export interface RobustArgs {
  spec: string;
  out?: string;
  threads?: unknown;
  resume?: boolean;
  shard?: string;
  shards?: unknown;
  quick?: boolean;
  satisfy?: string;
}

/** What a robust run did. */
export interface RobustOutcome {
  dir: string;
  shard: Shard;
  planRuns: number;
  shardRuns: number;
  doneBefore: number;
  ranNow: number;
  seconds: number;
}

function stdout(text: string): void {
  process.stdout.write(text);
}
function stderr(text: string): void {
  process.stderr.write(text);
}

function strayFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f !== DB_FILE && f !== `${DB_FILE}.wal`);
}

/** The meta row of a robust folder. */
function robustMeta(x: Modules, e: LoadedExperiment, plan: RobustPlan, shard: string): SweepMeta {
  const ref = e.spec.arms.find((a) => a.name === e.spec.reference)!;
  return {
    format: x.store.STORE_FORMAT,
    specHash: e.hash,
    specText: e.text,
    specFile: e.file,
    spec: plan.storage.spec,
    base: { name: ref.name, description: ref.description, source: ref.source, chain: [ref.name], hash: e.base.hash, params: ref.params, run: e.spec.run },
    run: e.spec.run,
    planRuns: plan.runs.length,
    shard,
  };
}

function manifestOf(x: Modules, meta: SweepMeta, plan: RobustPlan, argv: string[], extra: Record<string, unknown>, world?: Record<string, unknown>, threads?: number): Record<string, unknown> {
  const spec = plan.spec;
  const m = x.manifest.buildManifest(
    {
      kind: 'robust',
      command: argv,
      seed: spec.seed,
      run: spec.run,
      scenarios: [],
      replications: spec.replications,
      threads,
      world,
      extra: {
        robust: {
          name: spec.name,
          description: spec.description,
          file: meta.specFile,
          specHash: meta.specHash,
          specText: meta.specText,
          quick: spec.quick,
          reference: spec.reference,
          policies: spec.arms.map((a) => ({ name: a.name, role: a.role, source: a.source, description: a.description, levers: (a.params as unknown as { levers: unknown }).levers })),
          uncertainties: spec.uncertainties,
          sampling: spec.sampling,
          futures: plan.futures.length,
          planRuns: plan.runs.length,
          shard: meta.shard,
          futureKey: 'first 16 hex digits of sha256 of the future\'s canonical text (uncertain parameters as sorted path=value pairs joined by ;); every policy in a future and replication is seeded from it (common random numbers)',
          database: DB_FILE,
          ...extra,
        },
      },
    },
    true,
  );
  return m;
}

/** Read the plan-ordered matrix and the policy values of a robust folder's store. */
async function valuesOf(x: Modules, store: SweepStore, plan: RobustPlan): Promise<{ values: Float64Array; done: Uint8Array; pv: PolicyValues }> {
  const { values, done } = await store.matrix(plan.storage);
  return { values, done, pv: x.metrics.policyValues(plan, store.outcomes, values, done) };
}

/** results.csv of a robust run: one row per done run x stored outcome, in plan order. */
async function exportCsv(x: Modules, store: SweepStore, plan: RobustPlan, values: Float64Array, done: Uint8Array): Promise<number> {
  const k = store.outcomes.length;
  const fmt = x.csv.fmtNum;
  const header = ['run', 'policy', 'future', 'replication', ...plan.spec.uncertainties.map((u) => u.path), 'outcome', 'value'];
  let rows = 0;
  await x.store.writeAtomicStreaming(join(store.dir, 'results.csv'), (write) => {
    write(header.join(',') + '\n');
    let buf = '';
    for (const r of plan.runs) {
      if (!done[r.ordinal]) continue;
      const f = plan.futures[r.future];
      const prefix = `${r.id},${plan.spec.arms[r.arm].name},${f.key},${r.replication},${f.values.map(fmt).join(',')},`;
      for (let j = 0; j < k; j++) {
        buf += `${prefix}${store.outcomes[j]},${fmt(values[r.ordinal * k + j])}\n`;
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

const finiteJson = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity') : v);

/**
 * The discovery a robust run writes for the report: the experiment's `discover:`,
 * else where the first policy other than the reference does worse than it on the
 * first outcome.
 */
function defaultQuestion(x: Modules, plan: RobustPlan): { policy: string; where: Threshold } {
  const s = plan.spec;
  if (s.discover) return { policy: s.discover.policy, where: x.metrics.parseThresholds(s.discover.where, 'discover.where', s.outcomes)[0] };
  const policy = s.arms.find((a) => a.role === 'policy' && a.name !== s.reference)!.name;
  const o = s.outcomes[0];
  return { policy, where: { outcome: o, op: x.metrics.higherIsBetter(o) ? '<' : '>', value: 0 } };
}

/** Write results.csv, robust-summary.json, manifest.json and report-data.json. */
async function exportAll(x: Modules, store: SweepStore, plan: RobustPlan, manifest: Record<string, unknown>, complete: boolean, satisfy?: Threshold[]): Promise<{ rows: number; summary?: RobustSummary }> {
  const { values, done, pv } = await valuesOf(x, store, plan);
  const rows = await exportCsv(x, store, plan, values, done);
  x.atomic.writeFileAtomic(join(store.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  if (!complete || pv.futures.length === 0) return { rows };
  const summary = x.metrics.robustSummary(plan, pv, satisfy);
  x.atomic.writeFileAtomic(join(store.dir, 'robust-summary.json'), JSON.stringify(summary, finiteJson, 2) + '\n');
  const q = defaultQuestion(x, plan);
  let discovery = null;
  try {
    const d = x.disc.discover('robust', plan.spec.name, q.policy, q.where, x.disc.robustCases(plan, pv, q.policy, q.where));
    discovery = x.rdata.discoveryReport(d);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
  writeReportData(x, store.dir, plan, manifest, x.rdata.robustReport(pv, summary), discovery);
  return { rows, summary };
}

function writeReportData(x: Modules, dir: string, plan: RobustPlan, manifest: Record<string, unknown>, robust: unknown, discovery: unknown): void {
  const ids = new Set(plan.spec.outcomes);
  x.atomic.writeFileAtomic(
    join(dir, 'report-data.json'),
    JSON.stringify({
      kind: 'sweep',
      title: `partnersim robust: ${plan.spec.name}`,
      manifest,
      baseline: null,
      scenarios: plan.spec.arms.filter((a) => a.role === 'policy').map((a) => ({ name: a.name, description: a.description })),
      outcomes: x.metricsSim.METRICS.filter((m) => ids.has(m.id)),
      replications: [],
      differences: [],
      timeseries: [],
      network: [],
      partnerships: [],
      fsmBands: [],
      costEffect: [],
      robust,
      ...(discovery ? { discovery } : {}),
    }) + '\n',
  );
}

async function loadWorldFor(x: Modules, e: LoadedExperiment['spec'], note: (t: string) => void) {
  if (!e.world) return undefined;
  const ref = e.arms.find((a) => a.name === e.reference)!;
  const w = await x.world.loadWorld({ schoolsFile: e.world.schoolsFile, ks4: e.world.ks4, ofsted: e.world.ofsted, columns: e.world.columns, la: e.world.la?.join(',') }, ref.params, e.seed);
  if (w) note(x.world.importSummary(w) + '\n');
  return w;
}

/**
 * Run an experiment (or this process's shard of it) into `args.out`, resuming
 * from the folder's database with --resume.
 */
export async function robustCommand(args: RobustArgs, argv: string[], hooks: RobustHooks = {}): Promise<RobustOutcome> {
  const print = hooks.print ?? stdout;
  const note = hooks.note ?? stderr;
  const t0 = process.hrtime.bigint();
  if (!args.out) throw InputError.at(undefined, '--out', 'expected a folder to write the robust run into (its database, results.csv, robust-summary.json, manifest.json)');
  const dir = args.out;
  const x = await load();
  // 1 load the experiment
  const loaded = x.loader.loadExperiment(args.spec, { quick: args.quick });
  const satisfy = args.satisfy ? x.metrics.parseThresholds(args.satisfy, '--satisfy', loaded.spec.outcomes) : undefined;
  const threads = x.compare.threadCount(args.threads);
  // 2 plan and 3 shard
  const shard = x.splan.resolveShard({ shard: args.shard, shards: args.shards, env: hooks.env ?? process.env });
  const plan = x.rplan.expandRobustPlan(loaded.spec);
  const mine = x.splan.shardRuns(plan.storage, shard) as RobustRun[];
  const label = x.splan.shardLabel(shard);
  const loadedWorld = await loadWorldFor(x, loaded.spec, note);
  const run = loadedWorld ? { ...loaded.spec.run, schools: loadedWorld.world.n } : loaded.spec.run;
  // 4 open or create the store
  x.atomic.prepareOutDir(dir);
  let store = await x.store.SweepStore.open(dir);
  try {
    if (store) {
      const m = store.meta;
      if (m.specHash !== loaded.hash) {
        throw InputError.at(dir, '--out', `holds a different ${x.rplan.isRobustSpec(m.spec) ? 'experiment' : 'sweep'} ('${m.spec.name}' from ${m.specFile}, spec hash ${m.specHash.slice(0, 12)}) than ${loaded.file}${loaded.spec.quick ? ' --quick' : ''} (spec hash ${loaded.hash.slice(0, 12)}); choose another folder`);
      }
      const c = await store.counts();
      if (!args.resume) throw InputError.at(dir, '--out', `already holds this experiment (${c.done} of ${c.runs} runs done); pass --resume to continue it, or choose an empty folder`);
      if (m.shard !== label) throw InputError.at(dir, '--shard', `the folder holds shard ${m.shard} of this experiment, not ${label}; resume it with --shard ${m.shard} or use another folder`);
      const ids = await store.runIds();
      if (ids.length !== mine.length || ids.some((id, i) => id !== mine[i].id)) {
        throw InputError.at(dir, undefined, 'the runs recorded in this folder differ from the plan computed now (was partnersim updated since?); start again in an empty folder');
      }
    } else {
      const stray = strayFiles(dir);
      if (stray.length > 0) throw InputError.at(dir, '--out', `is not empty and holds no experiment (${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', ...' : ''}); expected an empty folder, or a robust folder to --resume`);
      store = await x.store.SweepStore.create(dir, robustMeta(x, loaded, plan, label), plan.storage, mine);
    }
    // 5 dispatch and 6 collect
    const doneIds = await store.doneRunIds();
    const todo = mine.filter((r) => !doneIds.has(r.id));
    const keep = store.outcomes.map((id) => x.metricsSim.M[id]);
    const byOrdinal = new Map<number, RobustRun>(todo.map((r) => [r.ordinal, r]));
    const bar = new x.progress.Progress(todo.length, `robust ${label}`, 'runs');
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
        const tasks = todo.slice(k, k + CHUNK).map((r) => ({ ...x.rplan.robustTask(plan, r), run }));
        await x.pool.runTasks(tasks, { threads, onRecord, world: loadedWorld?.world });
      }
    } finally {
      await store.drain().finally(() => bar.done());
    }
    // 7 export
    const manifest = manifestOf(x, store.meta, plan, argv, { shardRuns: mine.length, shardSource: shard.source }, x.world.worldManifest(loadedWorld, run.schools), threads);
    const { rows, summary } = await exportAll(x, store, plan, manifest, shard.count === 1, satisfy);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // 8 present
    print(
      `partnersim robust ${plan.spec.name}${plan.spec.quick ? ' (quick)' : ''}: ${plan.runs.length} runs (${plan.futures.length} futures x ${plan.spec.replications} replication${plan.spec.replications === 1 ? '' : 's'} x ${plan.spec.arms.length} policies${plan.spec.arms.some((a) => a.role === 'counterfactual') ? ', no-partnering as counterfactual' : ''}), ` +
        `shard ${label}${shard.source === 'none' ? ' (whole plan)' : ` (from ${shard.source})`}: ${mine.length} runs\n` +
        `  ran ${todo.length} now, ${mine.length - todo.length} done before; ${seconds.toFixed(1)} s on ${threads} thread${threads === 1 ? '' : 's'}\n` +
        `  wrote results.csv (${rows} rows), manifest.json${summary ? ', robust-summary.json, report-data.json' : ''} to ${dir}\n` +
        (summary ? `\n${summaryTable(x, summary)}\n` : ''),
    );
    return { dir, shard, planRuns: plan.runs.length, shardRuns: mine.length, doneBefore: mine.length - todo.length, ranNow: todo.length, seconds };
  } finally {
    await store?.close();
  }
}

/**
 * Merge shard folders of one robust run into `out` (called by `partnersim merge`
 * for robust folders): the same files a single machine would write.
 */
export async function mergeRobust(dirs: string[], out: string, metas: SweepMeta[], doneSets: Set<string>[], argv: string[], hooks: RobustHooks = {}): Promise<{ out: string; planRuns: number; copied: number; duplicates: number }> {
  const print = hooks.print ?? stdout;
  const note = hooks.note ?? stderr;
  const x = await load();
  const first = metas[0];
  const spec = x.rplan.experimentFromStored(first.spec);
  const plan = x.rplan.expandRobustPlan(spec);
  const seen = new Map<string, number>();
  for (const s of doneSets) for (const id of s) seen.set(id, (seen.get(id) ?? 0) + 1);
  const missing = plan.runs.filter((r) => !seen.has(r.id));
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  if (missing.length > 0) {
    const counts = [...new Set(metas.map((m) => /^\d+\/(\d+)$/.exec(m.shard)?.[1]).filter((v): v is string => v !== undefined))].map(Number);
    const shards = counts.length === 1 ? [...new Set(missing.map((r) => x.splan.shardOf(r.ordinal, counts[0])))].sort((a, b) => a - b).map((i) => `${i}/${counts[0]}`) : [];
    throw InputError.at(out, undefined, `cannot merge: ${missing.length} of ${plan.runs.length} runs are in none of the folders${shards.length ? `; they belong to shard ${shards.join(', ')}` : ''}; finish those shards (partnersim robust FILE --out DIR --resume --shard I/N) and merge again`);
  }
  x.atomic.prepareOutDir(out);
  const prev = await x.store.SweepStore.open(out, { readOnly: true });
  if (prev) {
    const same = prev.meta.specHash === first.specHash && prev.meta.shard === 'merged';
    await prev.close();
    if (!same) throw InputError.at(out, '--out', 'already holds results that are not a merge of these folders; choose an empty folder');
  } else if (strayFiles(out).length > 0) {
    throw InputError.at(out, '--out', 'is not empty; expected an empty folder (or an earlier merge of the same run, which is replaced)');
  }
  const store = await x.store.SweepStore.create(out, { ...first, shard: 'merged' }, plan.storage, plan.storage.runs);
  try {
    let copied = 0;
    for (const d of dirs) copied += (await store.absorb(d)).copied;
    if (duplicates > 0) note(`partnersim: note: ${duplicates} run(s) were in more than one folder, with identical results; each is counted once\n`);
    const manifest = manifestOf(x, store.meta, plan, argv, { mergedFrom: dirs, shardsMerged: metas.map((m) => m.shard) });
    const { rows } = await exportAll(x, store, plan, manifest, true);
    print(`partnersim merge ${plan.spec.name}: ${dirs.length} folders, ${copied} runs\n  wrote results.csv (${rows} rows), manifest.json, robust-summary.json, report-data.json to ${out}\n`);
    return { out, planRuns: plan.runs.length, copied, duplicates };
  } finally {
    await store.close();
  }
}

/** Open a results folder read-only (robust or sweep), or say what is wrong with it. */
async function openFolder(x: Modules, dir: string): Promise<SweepStore> {
  if (!existsSync(dir)) throw InputError.at(dir, undefined, 'folder not found; expected a folder written by `partnersim robust`, `sweep` or `merge`');
  const store = await x.store.SweepStore.open(dir, { readOnly: true });
  if (!store) throw InputError.at(dir, undefined, `holds no results (no ${DB_FILE}); expected a folder written by \`partnersim robust\`, \`sweep\` or \`merge\``);
  return store;
}

/** Robustness metrics of a robust folder. */
export async function robustSummaryOf(dir: string, satisfy?: string): Promise<RobustSummary> {
  const x = await load();
  const store = await openFolder(x, dir);
  try {
    if (!x.rplan.isRobustSpec(store.meta.spec)) throw InputError.at(dir, undefined, 'holds a parameter sweep, not a robust experiment; use `partnersim sensitivity` or `partnersim discover` on it');
    const plan = x.rplan.expandRobustPlan(x.rplan.experimentFromStored(store.meta.spec));
    const th = satisfy ? x.metrics.parseThresholds(satisfy, '--satisfy', plan.spec.outcomes) : undefined;
    const { pv } = await valuesOf(x, store, plan);
    if (pv.futures.length === 0) throw InputError.at(dir, undefined, 'has no future with results for every policy yet; finish the run (--resume) or merge every shard first');
    return x.metrics.robustSummary(plan, pv, th);
  } finally {
    await store.close();
  }
}

function fmtNum(v: number): string {
  if (Number.isNaN(v)) return '-';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-GB');
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}
const pct = (v: number): string => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : '-');

/** The readable robustness tables. */
function summaryTable(x: Modules, s: RobustSummary): string {
  const lines: string[] = [];
  lines.push(`partnersim robust-summary: ${s.experiment}: ${s.policies.length} policies in ${s.futures} futures${s.futures < s.futuresPlanned ? ` (of ${s.futuresPlanned} planned)` : ''}, ${s.replications} replication${s.replications === 1 ? '' : 's'} each`);
  lines.push(`Values are effects: the policy minus ${s.reference} in the same future and replication (same world and shocks), averaged over replications;`);
  lines.push('cost per point is extra money per school per attainment point gained over no-partnering (inf: no points gained).');
  lines.push('Regret: shortfall from the best policy in that future, in the outcome\'s better direction. Best: share of futures where the policy is best.');
  for (const o of s.outcomes) {
    lines.push('');
    lines.push(`${o.label} (${o.id}; ${o.unit}; ${o.higherIsBetter ? 'higher' : 'lower'} is better)`);
    // Money to the pound; other units to two significant decimals.
    const f = o.unit.startsWith('GBP') ? (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-GB') : fmtNum(v)) : fmtNum;
    const rows = s.rows.filter((r) => r.outcome === o.id).map((r) => [`  ${r.policy}`, f(r.mean), f(r.q05), f(r.median), f(r.q95), f(r.regretMax), f(r.regretP90), pct(r.bestShare)]);
    lines.push(x.table.layout(rows, ['  policy', 'mean', '5%', 'median', '95%', 'max regret', '90% regret', 'best'], 'lrrrrrrr'));
  }
  lines.push('');
  lines.push('Smallest maximum regret (minimax): ' + s.minimax.map((m) => `${m.outcome}: ${m.policy} (${fmtNum(m.regretMax)})`).join('; '));
  if (s.satisfy) {
    lines.push('');
    lines.push(`Satisficing: share of futures meeting ${s.satisfy.thresholds.join(' and ')}`);
    const rows = s.satisfy.shares.map((r) => [`  ${r.policy}`, pct(r.all), ...r.each.map(pct)]);
    lines.push(x.table.layout(rows, ['  policy', 'all', ...s.satisfy.thresholds], 'l' + 'r'.repeat(1 + s.satisfy.thresholds.length)));
  }
  return lines.join('\n');
}

/** `partnersim robust-summary DIR [--satisfy ...] [--json]`. */
export async function robustSummaryCommand(args: { dir: string; json?: boolean; satisfy?: string }, hooks: RobustHooks = {}): Promise<RobustSummary> {
  const print = hooks.print ?? stdout;
  const s = await robustSummaryOf(args.dir, args.satisfy);
  const x = await load();
  print(args.json ? JSON.stringify(s, finiteJson, 2) + '\n' : summaryTable(x, s) + '\n');
  return s;
}

/** Arguments of `partnersim discover`. */
export interface DiscoverArgs {
  dir: string;
  policy?: string;
  where?: string;
  json?: boolean;
  minDensity?: unknown;
  alpha?: unknown;
  boxes?: unknown;
}

function unitNumber(option: string, v: unknown, lo: number, hi: number): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= lo || n >= hi) throw InputError.at(undefined, option, `expected a number above ${lo} and below ${hi}, got ${JSON.stringify(v)}`);
  return n;
}

/** Read a robust or sweep folder and run PRIM on the question asked. */
export async function discoverOf(args: DiscoverArgs): Promise<Discovery> {
  const x = await load();
  if (!args.where) throw InputError.at(undefined, '--where', 'expected the cases of interest as OUTCOME<NUMBER (or <=, >, >=), e.g. --where "attainment_mean<0"');
  const minDensity = unitNumber('--min-density', args.minDensity, 0, 1.000001);
  const alpha = unitNumber('--alpha', args.alpha, 0, 0.5);
  const maxBoxes = args.boxes === undefined ? undefined : (await import('../args.js')).wholeNumber('boxes', args.boxes, 1, 20);
  const opts = { ...(minDensity !== undefined ? { minDensity } : {}), ...(alpha !== undefined ? { peelAlpha: alpha, pasteAlpha: alpha } : {}), ...(maxBoxes !== undefined ? { maxBoxes } : {}) };
  const store = await openFolder(x, args.dir);
  try {
    const meta = store.meta;
    if (x.rplan.isRobustSpec(meta.spec)) {
      const plan = x.rplan.expandRobustPlan(x.rplan.experimentFromStored(meta.spec));
      const where = x.metrics.parseThresholds(args.where, '--where', plan.spec.outcomes);
      if (where.length !== 1) throw InputError.at(undefined, '--where', 'expected one condition, e.g. attainment_mean<0');
      const policies = plan.spec.arms.filter((a) => a.role === 'policy').map((a) => a.name);
      if (!args.policy) throw InputError.at(undefined, '--policy', `expected the policy whose failures to explain; this experiment's policies are: ${policies.join(', ')}`);
      const { pv } = await valuesOf(x, store, plan);
      return x.disc.discover('robust', plan.spec.name, args.policy, where[0], x.disc.robustCases(plan, pv, args.policy, where[0]), opts);
    }
    if (args.policy) throw InputError.at(undefined, '--policy', `applies to robust experiments; ${args.dir} holds a parameter sweep ('${meta.spec.name}'), which has one scenario`);
    const plan = x.splan.expandPlan(meta.spec, meta.base.params, meta.run);
    const where = x.metrics.parseThresholds(args.where, '--where', store.outcomes);
    if (where.length !== 1) throw InputError.at(undefined, '--where', 'expected one condition, e.g. attainment_mean<100');
    const { values, done } = await store.matrix(plan);
    return x.disc.discover('sweep', plan.spec.name, null, where[0], x.disc.sweepCases(plan, { outcomes: store.outcomes, values, done }, where[0]), opts);
  } finally {
    await store.close();
  }
}

const qpText = (v: number | null): string => (v === null ? '' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));

/** The readable discovery. */
function discoveryTable(x: Modules, d: Discovery): string {
  const p = d.prim;
  const lines: string[] = [];
  lines.push(`partnersim discover: ${d.name}${d.policy ? `, policy ${d.policy}` : ''}: cases of interest are ${d.what}`);
  lines.push(`${p.interesting} of ${p.cases} cases (${pct(p.baseDensity)}). PRIM (Friedman & Fisher 1999): peeling alpha ${p.options.peelAlpha}, pasting alpha ${p.options.pasteAlpha}, minimum mass ${p.options.massMin}.`);
  lines.push('Coverage: share of all cases of interest inside the box; density: share of the box\'s cases that are of interest; mass: share of all cases inside.');
  if (p.boxes.length === 0) {
    if (p.interesting === p.cases) lines.push(`\nEvery case is of interest: the condition holds across the whole range sampled, so no box of inputs is needed to explain it.`);
    else if (p.interesting === 0) lines.push(`\nNo case is of interest: the condition holds nowhere in the range sampled.`);
    else lines.push(`\nNo box found: ${p.stopped}.`);
  }
  const trajectory = (b: NonNullable<typeof p.rejected>, title: string): void => {
    lines.push('');
    lines.push(`  ${title}:`);
    const tr = b.trajectory.map((t) => [`  ${t.step === b.chosen ? '*' : ' '} ${t.step}`, t.phase, t.input ? `${t.input} ${t.face}` : '', pct(t.coverage), pct(t.density), pct(t.mass), String(t.restricted)]);
    lines.push(x.table.layout(tr, ['    step', 'phase', 'moved', 'coverage', 'density', 'mass', 'restricted'], 'lllrrrr'));
  };
  if (p.boxes.length === 0 && p.rejected) trajectory(p.rejected, 'Peeling and pasting trajectory of the box tried (not kept)');
  for (const b of p.boxes) {
    lines.push('');
    lines.push(`Box ${b.index + 1}: coverage ${pct(b.coverage)}, density ${pct(b.density)}, mass ${pct(b.mass)} (${b.interesting} of ${b.cases} cases); chosen at step ${b.chosen} of the trajectory (${b.chosenBy === 'knee' ? 'the knee of the coverage-density trade-off' : b.chosenBy === 'min-density' ? `highest coverage with density >= ${p.options.minDensity}` : `densest box: none reached --min-density ${p.options.minDensity}`})`);
    const rows = b.limits.map((l) => [`  ${l.input}`, fmtNum(l.lower), fmtNum(l.upper), `${fmtNum(l.min)} to ${fmtNum(l.max)}`, qpText(l.qpLower), qpText(l.qpUpper)]);
    lines.push(x.table.layout(rows, ['  restricted input', 'from', 'to', 'full range', 'quasi-p low', 'quasi-p high'], 'lrrrrr'));
    if (b.index === 0) trajectory(b, 'Peeling and pasting trajectory (box 1; * the chosen box)');
  }
  lines.push('');
  if (p.boxes.length > 0) lines.push(`Covering stopped: ${p.stopped}. Quasi-p: one-sided binomial test of each limit (Bryant & Lempert 2010); above 0.05 the limit may be noise.`);
  return lines.join('\n');
}

/** The JSON form of a discovery (trajectory, boxes; the cases' values left out). */
function discoveryJson(d: Discovery): Record<string, unknown> {
  return { source: d.source, name: d.name, policy: d.policy, where: d.where, what: d.what, inputs: d.cases.inputs, cases: d.prim.cases, interesting: d.prim.interesting, prim: d.prim };
}

/** `partnersim discover DIR --where ... [--policy NAME]`: print, and save discover.json and the report's discovery. */
export async function discoverCommand(args: DiscoverArgs, hooks: RobustHooks = {}): Promise<Discovery> {
  const print = hooks.print ?? stdout;
  const d = await discoverOf(args);
  const x = await load();
  x.atomic.writeFileAtomic(join(args.dir, 'discover.json'), JSON.stringify(discoveryJson(d), finiteJson, 2) + '\n');
  const rd = join(args.dir, 'report-data.json');
  if (existsSync(rd)) {
    const data = JSON.parse(readFileSync(rd, 'utf8')) as Record<string, unknown>;
    const section = x.rdata.discoveryReport(d);
    // A question with no box leaves the report's discovery as it was.
    if (section) {
      data.discovery = section;
      x.atomic.writeFileAtomic(rd, JSON.stringify(data) + '\n');
    }
  }
  print(args.json ? JSON.stringify(discoveryJson(d), finiteJson, 2) + '\n' : discoveryTable(x, d) + '\n');
  return d;
}

/** Add `robust`, `robust-summary` and `discover` to the CLI. */
export function registerRobustCommands(y: Argv, argv: string[], hooks: RobustHooks = {}): Argv {
  return y
    .command(
      'robust <spec>',
      'Run every policy in every sampled future (common random numbers) into a resumable results folder; regret and satisficing',
      (c) =>
        c
          .positional('spec', { type: 'string', demandOption: true, describe: 'Experiment file (.yaml or .json; see scenarios/experiments/)' })
          .option('out', { type: 'string', demandOption: true, describe: 'Folder for the run: its database, results.csv, robust-summary.json, manifest.json' })
          .option('quick', { type: 'boolean', default: false, describe: "Run the file's quick: variant (fewer futures, replications or schools)" })
          .option('threads', { type: 'string', describe: 'Worker threads (default: the available cores)' })
          .option('resume', { type: 'boolean', default: false, describe: 'Continue the run already in --out (same experiment), running only the runs not done' })
          .option('shard', { type: 'string', describe: 'Run only shard I of N (I/N); default from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX' })
          .option('shards', { type: 'string', describe: 'Number of shards for a Kubernetes Indexed Job (with JOB_COMPLETION_INDEX)' })
          .option('satisfy', { type: 'string', describe: 'Thresholds for the satisficing table, e.g. attainment_mean>=0.2,cost_per_point<=5000' })
          .example('$0 robust scenarios/experiments/partnering-policies.yaml --out r --quick', 'The shipped example, small enough for a few minutes')
          .example('$0 robust my-experiment.yaml --out r --resume', 'Continue after an interruption')
          .example('$0 robust my-experiment.yaml --out r/shard-2 --shard 2/8', 'One of eight shards (partnersim merge them afterwards)'),
      async (a) => {
        await robustCommand(a as unknown as RobustArgs, argv, hooks);
      },
    )
    .command(
      'robust-summary <dir>',
      'Per policy and outcome: effects across futures, regret (max, 90th percentile), best-policy shares, satisficing',
      (c) =>
        c
          .positional('dir', { type: 'string', demandOption: true, describe: 'A folder written by `partnersim robust` (or merged shards)' })
          .option('satisfy', { type: 'string', describe: 'Thresholds every future must meet, e.g. attainment_mean>=0.2,cost_per_point<=5000' })
          .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document instead of tables' })
          .example('$0 robust-summary r --satisfy attainment_mean>=0.2', 'Share of futures in which each policy gains at least 0.2 points'),
      async (a) => {
        await robustSummaryCommand({ dir: a.dir as string, json: Boolean(a.json), satisfy: a.satisfy as string | undefined }, hooks);
      },
    )
    .command(
      'discover <dir>',
      'Scenario discovery with PRIM: which ranges of the uncertain (or swept) parameters produce the cases of interest',
      (c) =>
        c
          .positional('dir', { type: 'string', demandOption: true, describe: 'A folder written by `partnersim robust`, `sweep` or `merge`' })
          .option('where', { type: 'string', describe: 'The cases of interest: OUTCOME<NUMBER (or <=, >, >=), e.g. "attainment_mean<0"' })
          .option('policy', { type: 'string', describe: 'Robust runs: the policy whose outcomes to explain' })
          .option('min-density', { type: 'string', describe: 'Choose the box of highest coverage with at least this density (default: the knee)' })
          .option('alpha', { type: 'string', describe: 'Peeling and pasting alpha: share of the box moved per step (default 0.05)' })
          .option('boxes', { type: 'string', describe: 'Most boxes to find in turn (covering; default 3)' })
          .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document instead of tables' })
          .example('$0 discover r --policy funding-withdrawn --where "attainment_mean<0"', 'Where withdrawing funding lowers attainment')
          .example('$0 discover results/lhs --where "money_cost>20000" --min-density 0.8', 'Any sweep: where money cost is high'),
      async (a) => {
        await discoverCommand({ dir: a.dir as string, policy: a.policy as string | undefined, where: a.where as string | undefined, json: Boolean(a.json), minDensity: a.minDensity, alpha: a.alpha, boxes: a.boxes }, hooks);
      },
    );
}
