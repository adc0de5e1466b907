/**
 * `partnersim run`: one scenario, one replication (or many with --reps, see compare),
 * printed as a readable summary or one JSON document, and written as tidy files with
 * a manifest when --out is given.
 *
 * Pipeline: resolve scenario -> settings -> world -> run -> summarise -> present/write.
 */
import { join } from 'node:path';
import { loadScenario, type ResolvedScenario, type RunSpec } from '../../scenarios/loader.js';
import { METRICS } from '../../sim/metrics.js';
import { END_REASONS, FUNDING_NAMES, OPEN } from '../../sim/state.js';
import { schoolName, schoolUrn, type World } from '../../sim/world.js';
import { churnOf, recordOf, runModel, FOCUS_NAMES, type Task, type TaskRecord } from '../../workers/task.js';
import type { Model } from '../../sim/model.js';
import { prepareOutDir, writeFileAtomic } from '../../analysis/output/atomic.js';
import { toCsv } from '../../analysis/output/csv.js';
import { buildManifest } from '../../analysis/output/manifest.js';
import { fmtMetric, layout, METRIC_BY_ID, SUMMARY_GROUPS } from '../../analysis/output/table.js';
import { seedValue, wholeNumber } from '../args.js';
import { Progress } from '../progress.js';
import { academicYear } from '../messages.js';
import { importSummary, loadWorld, worldManifest, type WorldArgs } from './world.js';

export type { CommonRunArgs } from '../options.js';
import type { CommonRunArgs } from '../options.js';
/** Run settings from a scenario, overridden by flags, validated. */
export function runSettings(sc: ResolvedScenario, args: CommonRunArgs): RunSpec {
  return {
    ...sc.run,
    years: args.years === undefined ? sc.run.years : wholeNumber('years', args.years, 1, 100),
    schools: args.schools === undefined ? sc.run.schools : wholeNumber('schools', args.schools, 2, 100_000_000),
  };
}

/**
 * With PARTNERSIM_TIMING set, say on stderr when the first step starts, in milliseconds
 * since the process started (the start-up figure of `npm run bench`).
 */
function startupTiming(): void {
  if (!process.env.PARTNERSIM_TIMING) return;
  const cpu = process.cpuUsage();
  process.stderr.write(`partnersim: first step at ${performance.now().toFixed(1)} ms after process start (cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms)\n`);
}

/** Run a single replication in this thread. */
export function runOnce(sc: ResolvedScenario, run: RunSpec, seed: number | string, world: World | undefined, recordMembers: boolean, label: string): { task: Task; model: Model; record: TaskRecord } {
  const task: Task = { id: 0, scenario: sc.name, params: sc.params, run, seed, point: 0, replication: 0, survival: true, network: true };
  const steps = run.years * run.stepsPerYear;
  const bar = new Progress(steps, label, 'steps');
  const model = runModel(task, world, recordMembers, (t) => bar.update(t + 1), undefined, startupTiming);
  bar.done();
  return { task, model, record: recordOf(task, model) };
}

/** The readable summary of one run: first year against final year. */
export function summaryTable(sc: ResolvedScenario, run: RunSpec, seed: number | string, rec: TaskRecord): string {
  const k = METRICS.length;
  const years = rec.yearly.length / k;
  const first = academicYear(run.startYear);
  const last = academicYear(run.startYear + years - 1);
  const lines: string[] = [];
  lines.push(`partnersim: ${sc.name} (seed ${seed}, ${run.schools.toLocaleString('en-GB')} schools, ${first} to ${last}, ${run.stepsPerYear} steps a year)`);
  lines.push('');
  const rows: string[][] = [];
  for (const g of SUMMARY_GROUPS) {
    rows.push([g.title, '', '', '']);
    for (const id of g.ids) {
      const meta = METRIC_BY_ID[id];
      const j = METRICS.indexOf(meta);
      rows.push([`  ${meta.label}`, fmtMetric(meta, rec.yearly[j]), fmtMetric(meta, rec.yearly[(years - 1) * k + j]), meta.unit]);
    }
  }
  lines.push(layout(rows, ['', first, last, 'unit'], 'lrrl'));
  return lines.join('\n');
}

/** The JSON document for one run (no timestamps, so identical runs give identical bytes). */
export function runDocument(sc: ResolvedScenario, run: RunSpec, seed: number | string, rec: TaskRecord, manifest: Record<string, unknown>, m: Model): Record<string, unknown> {
  const k = METRICS.length;
  const years = rec.yearly.length / k;
  const yearly = [];
  for (let y = 0; y < years; y++) {
    const o: Record<string, number | string> = { year: academicYear(run.startYear + y) };
    METRICS.forEach((meta, j) => (o[meta.id] = round6(rec.yearly[y * k + j])));
    yearly.push(o);
  }
  // Partnerships alive at some point of the run (not those that began and ended in the spin-up).
  const ended: Record<string, number> = {};
  const h = m.s.history;
  let n = 0;
  for (let i = 0; i < h.rows; i++) {
    if (h.end[i] !== OPEN && h.end[i] <= 0) continue;
    n++;
    const r = END_REASONS[h.reasonOf(i)];
    ended[r] = (ended[r] ?? 0) + 1;
  }
  return {
    manifest,
    scenario: { name: sc.name, description: sc.description },
    seed,
    outcomes: Object.fromEntries(METRICS.map((meta, j) => [meta.id, round6(rec.outcomes[j])])),
    yearly,
    partnerships: { everFormed: n, byStatus: ended },
    churn: roundDeep(churnOf(m)),
  };
}

function round6(x: number): number {
  return Number(x.toPrecision(10));
}

function roundDeep<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : v))) as T;
}

/** Write timeseries.csv, schools.csv, partnerships.csv, manifest.json and report-data.json. */
export function writeRunOutputs(dir: string, sc: ResolvedScenario, run: RunSpec, m: Model, rec: TaskRecord, manifest: Record<string, unknown>): void {
  const k = METRICS.length;
  const spy = run.stepsPerYear;
  const ts: unknown[][] = [];
  for (let t = 0; t < m.steps; t++) for (let j = 0; j < k; j++) ts.push([t, run.startYear + t / spy, METRICS[j].id, m.timeseries[t * k + j]]);
  writeFileAtomic(join(dir, 'timeseries.csv'), toCsv(['step', 'year', 'metric', 'value'], ts));

  const w = m.world;
  const s = m.s;
  const schools: unknown[][] = [];
  for (let i = 0; i < w.n; i++) {
    schools.push([
      i, schoolUrn(w, i), schoolName(w, i), w.laCode[w.la[i]], w.laName[w.la[i]], w.pupils[i], w.fsm[i], w.sen[i], s.attendance[i],
      w.attainment[i], s.attainment[i], s.cva[i], s.trend[i], s.ofstedProgress[i], s.ofstedBehaviour[i],
      s.fixedTerm[i] * spy, s.permanent[i] * spy, s.attCount[i], s.behCount[i], s.staffUsed[i] * spy, w.keyPerson[i],
    ]);
  }
  writeFileAtomic(
    join(dir, 'schools.csv'),
    toCsv(
      ['school', 'urn', 'name', 'la_code', 'la_name', 'pupils', 'fsm', 'sen', 'attendance', 'attainment_start', 'attainment', 'cva', 'trend', 'ofsted_progress', 'ofsted_behaviour', 'fixed_term_per_year', 'permanent_per_year', 'attainment_partnerships', 'behaviour_partnerships', 'staff_days_per_year', 'key_person'],
      schools,
    ),
  );

  const h = s.history;
  // Members and attributes of partnerships still running are read from their live slots.
  const liveSlot = new Map<number, number>();
  for (let p = 0; p < s.parts.high; p++) if (s.parts.alive[p]) liveSlot.set(s.parts.hist[p], p);
  const parts: unknown[][] = [];
  // Rows are in order of formation; h.idOf(r) is the partnership's number (rows of partnerships that began and ended in the spin-up are gone).
  for (let r = 0; r < h.rows; r++) {
    if (h.end[r] !== OPEN && h.end[r] <= 0) continue; // began and ended in the spin-up
    const p = liveSlot.get(r);
    const members = p !== undefined ? memberUrns(m, p) : h.members[r] ? Array.from(h.members[r]!, (i) => schoolUrn(w, i)).join(' ') : '';
    const attr = (arr: ArrayLike<number>, hist: ArrayLike<number> | ((row: number) => number)): number => (p !== undefined ? arr[p] : typeof hist === 'function' ? hist.call(h, r) : hist[r]);
    parts.push([
      h.idOf(r), FOCUS_NAMES[h.focusOf(r)], run.startYear + h.start[r] / spy, h.end[r] !== OPEN ? run.startYear + h.end[r] / spy : '',
      END_REASONS[h.reasonOf(r)], p !== undefined ? s.parts.size[p] : '', h.maxSize[r], attr(s.parts.primaries, h.primaries), attr(s.parts.others, h.others),
      FUNDING_NAMES[attr(s.parts.funding, h.fundingOf)], attr(s.parts.shares, h.sharesOf), attr(s.parts.fragile, h.fragileOf), attr(s.parts.imposed, h.imposedOf) > 0 ? 1 : 0,
      w.laCode[h.la[r]], members,
    ]);
  }
  writeFileAtomic(
    join(dir, 'partnerships.csv'),
    toCsv(['partnership', 'focus', 'start_year', 'end_year', 'reason_ended', 'size_now', 'size_max', 'primaries', 'other_organisations', 'funding', 'shares_resources', 'fragile', 'imposed', 'la_code', 'member_urns'], parts),
  );
  writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileAtomic(join(dir, 'report-data.json'), JSON.stringify(runReportData(sc, run, rec, manifest)) + '\n');
}

function memberUrns(m: Model, p: number): string {
  const out: number[] = [];
  for (let x = m.s.parts.head[p]; x !== -1; x = m.s.members.next[x]) out.push(schoolUrn(m.world, m.s.members.school[x]));
  return out.sort((a, b) => a - b).join(' ');
}

/** The report's data for a single run (see analysis/report/data.ts). */
export function runReportData(sc: ResolvedScenario, run: RunSpec, rec: TaskRecord, manifest: Record<string, unknown>): Record<string, unknown> {
  const k = METRICS.length;
  const years = rec.yearly.length / k;
  const timeseries = [];
  for (let y = 0; y < years; y++) {
    for (let j = 0; j < k; j++) {
      const v = rec.yearly[y * k + j];
      timeseries.push({ scenario: sc.name, year: run.startYear + y, metric: METRICS[j].id, q05: v, q25: v, median: v, q75: v, q95: v });
    }
  }
  return {
    kind: 'run',
    title: `partnersim: ${sc.name}`,
    manifest,
    baseline: null,
    scenarios: [{ name: sc.name, description: sc.description }],
    outcomes: METRICS,
    replications: METRICS.map((meta, j) => ({ scenario: sc.name, rep: 0, outcome: meta.id, value: rec.outcomes[j] })),
    differences: [],
    timeseries,
    network: rec.network ? [{ scenario: sc.name, ...rec.network }] : [],
    partnerships: (rec.survival ?? []).map((r) => ({ scenario: sc.name, rep: 0, ...r })),
    fsmBands: [],
    costEffect: [],
  };
}

/** The run command's handler. */
export async function runCommand(args: CommonRunArgs & WorldArgs & { scenario: string }, argvForManifest: string[]): Promise<void> {
  // 1 resolve scenario, 2 settings, 3 world
  const sc = loadScenario(args.scenario);
  const seed = seedValue(args.seed);
  const settings = runSettings(sc, args);
  if (args.out) prepareOutDir(args.out);
  const loaded = await loadWorld(args, sc.params, seed);
  if (loaded) process.stderr.write(importSummary(loaded) + '\n');
  const world = loaded?.world;
  const run = loaded ? { ...settings, schools: loaded.world.n } : settings;
  // 3 run
  const { model, record } = runOnce(sc, run, seed, world, Boolean(args.out), sc.name);
  // 4 present
  const manifestIn = { kind: 'run' as const, command: argvForManifest, seed, run, scenarios: [sc], world: worldManifest(loaded, run.schools) };
  if (args.json) process.stdout.write(JSON.stringify(runDocument(sc, run, seed, record, buildManifest(manifestIn, false), model), null, 2) + '\n');
  else process.stdout.write(summaryTable(sc, run, seed, record) + '\n');
  // 5 write
  if (args.out) {
    writeRunOutputs(args.out, sc, run, model, record, buildManifest(manifestIn, true));
    if (!args.json) process.stdout.write(`\nWrote timeseries.csv, schools.csv, partnerships.csv, manifest.json to ${args.out}\n`);
  }
}
