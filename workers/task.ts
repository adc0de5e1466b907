/**
 * One unit of work: a (scenario, point, replication) with its resolved parameters,
 * and what running it returns. Executed the same way in the main thread and in a
 * worker, so results cannot depend on where a task ran. Each replication's world and
 * generators come from its seed key, never from the worker or the order of tasks.
 */
import type { Params } from '../sim/params.js';
import { schoolName, type World } from '../sim/world.js';
import { generateWorld } from '../sim/generate.js';
import { Rng } from '../sim/rng.js';
import { Model, streamKey } from '../sim/model.js';
import { BANDS, BREAKDOWN_OUTCOMES, METRICS } from '../sim/metrics.js';
import { END_REASONS, OPEN } from '../sim/state.js';
import { askSurvey, surveyStep, type SurveyAnswers } from '../sim/survey.js';
import { SpinupCache, spinupKey } from './spinup-cache.js';

/** Run settings a task needs. */
export interface TaskRun {
  years: number;
  stepsPerYear: number;
  startYear: number;
  schools: number;
}

export interface Task {
  /** Position in the plan (records are collected in this order). */
  id: number;
  scenario: string;
  params: Params;
  run: TaskRun;
  seed: number | string;
  point: number | string;
  replication: number;
  /** Record partnership ages and end reasons (for survival charts). */
  survival?: boolean;
  /** Record the partnership network of one LA at the end. */
  network?: boolean;
  /** Ask the NAO questionnaire at the survey date (January-February 2009, or `surveyYear`). */
  survey?: boolean;
  /** Survey date in academic years (default NAO_SURVEY_YEAR). */
  surveyYear?: number;
}

export interface SurvivalRow {
  focus: 'attainment' | 'behaviour' | 'both';
  ageYears: number;
  ended: boolean;
  reason: string;
}

export interface NetworkRecord {
  la: string;
  nodes: { id: number; name: string; fsm: number; attainment: number; x: number; y: number }[];
  links: { source: number; target: number; focus: 'attainment' | 'behaviour' | 'both' }[];
}

export interface TaskRecord {
  id: number;
  scenario: string;
  point: number | string;
  replication: number;
  /** One value per metric (METRICS order): the mean over the final year. */
  outcomes: number[];
  /** years x metrics: each year's mean (row-major). */
  yearly: number[];
  /** group (fsm, start quartile) x band x BREAKDOWN_OUTCOMES means over the final year. */
  breakdown: number[];
  survival?: SurvivalRow[];
  network?: NetworkRecord;
  /** Every school's answers at the survey date, and the funding intentions counted to then. */
  survey?: SurveyAnswers;
  fundingIntent?: number[];
}

export const FOCUS_NAMES = ['', 'attainment', 'behaviour', 'both'] as const;

/** The world of replication `replication` (common to every scenario that shares world parameters). */
export function worldFor(task: Pick<Task, 'params' | 'run' | 'seed' | 'point' | 'replication'>): World {
  return generateWorld(task.params, task.run.schools, Rng.fromKey(streamKey(task, 'world')));
}

/**
 * The spin-up cache of this thread (workers/spinup-cache.ts), used by executeTask; null
 * when the environment variable PARTNERSIM_SPINUP_CACHE is 0 (every task then builds its
 * own world and spin-up; results are the same bytes either way).
 */
let threadCache: SpinupCache | null | undefined;
export function spinupCache(): SpinupCache | null {
  if (threadCache === undefined) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    threadCache = env?.PARTNERSIM_SPINUP_CACHE === '0' ? null : new SpinupCache();
  }
  return threadCache;
}
/** Replace this thread's spin-up cache (null: none). */
export function setSpinupCache(cache: SpinupCache | null): void {
  threadCache = cache;
}

/** Schools and spin-up years of the thread's anchor model (anchorModel). */
const ANCHOR_SCHOOLS = 20;
const ANCHOR_SPINUP_YEARS = 3;

/**
 * The thread's anchor: a tiny model (ANCHOR_SCHOOLS schools, an ANCHOR_SPINUP_YEARS-year
 * spin-up, no years after it) built before the thread's first task and kept for the life
 * of the thread (anchorThread). V8 keeps the hidden classes of objects, and the functions it inlined,
 * only while something uses them; when a replication's model was garbage, a full
 * collection between two replications took them away and threw out the optimised code
 * built on them (50 to 75 functions deoptimised at each such collection, each then run
 * slowly until optimised again). With the anchor alive they stay, so a thread's code
 * stays warm from task to task. It costs about 30 ms once and a few kilobytes. Its draws
 * come from its own keys (replication -1), so it changes no task's numbers;
 * PARTNERSIM_ANCHOR=0 leaves it out (the same bytes, tests/cli/compare.test.ts).
 */
let anchor: Model | false | null = null;

/**
 * Build this thread's anchor (once) from a task's parameters and run settings. Called by
 * the worker entry before its first task and by runTasks before running tasks in the
 * main thread; a single replication (`partnersim run`) has no next replication to keep
 * warm for and does without.
 */
export function anchorThread(task: Task): void {
  if (anchor !== null) return;
  if ((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.PARTNERSIM_ANCHOR === '0') return;
  try {
    anchor = anchorModel(task);
  } catch {
    // Only a speed aid: parameters a 20-school world cannot take (say, more LAs than schools) leave the thread without one.
    anchor = false;
  }
}

function anchorModel(task: Task): Model {
  const params = structuredClone(task.params);
  params.spinup.years = ANCHOR_SPINUP_YEARS;
  const t: Task = { ...task, params, run: { ...task.run, schools: ANCHOR_SCHOOLS, years: 0 }, replication: -1 };
  const m = new Model(worldFor(t), params, { years: 0, stepsPerYear: t.run.stepsPerYear, startYear: t.run.startYear, seed: t.seed, point: t.point, replication: -1, recordMembers: false });
  m.run();
  return m;
}

/**
 * Build and run the model for a task; the world is generated unless given (imported).
 * `onStart` is called once the world is built and the model constructed, just before its
 * set-up and first step (the first step of the spin-up). With a spin-up cache, a task
 * whose world and spin-up were built before (spinup-cache.ts) restores them instead.
 */
export function runModel(task: Task, world?: World, recordMembers = false, onStep?: (step: number) => void, onSurvey?: (m: Model) => void, onStart?: () => void, cache?: SpinupCache | null): Model {
  const key = cache && !recordMembers ? spinupKey(task, world) : '';
  const hit = key ? cache!.get(key) : undefined;
  const w = hit?.world ?? world ?? worldFor(task);
  const m = new Model(w, task.params, {
    years: task.run.years,
    stepsPerYear: task.run.stepsPerYear,
    startYear: task.run.startYear,
    seed: task.seed,
    point: task.point,
    replication: task.replication,
    recordMembers,
  });
  const at = onSurvey ? surveyStep(task.run.startYear, task.run.stepsPerYear, task.surveyYear) : -1;
  onStart?.();
  if (hit) m.restore(hit.snap);
  else if (key) {
    m.initialise();
    cache!.set(key, { world: w, snap: m.snapshot() });
  }
  m.run((t) => {
    if (t === at) onSurvey!(m);
    onStep?.(t);
  });
  return m;
}

/** Execute a task and return its record (plain data, cheap to post between threads). */
export function executeTask(task: Task, world?: World): TaskRecord {
  let survey: SurveyAnswers | undefined;
  let intent: number[] | undefined;
  const m = runModel(task, world, false, undefined, task.survey ? (mm) => {
    survey = askSurvey(mm.s, mm.stream('survey'));
    intent = Array.from(mm.s.fundingIntent);
  } : undefined, undefined, spinupCache());
  const rec = recordOf(task, m);
  if (survey) {
    rec.survey = survey;
    rec.fundingIntent = intent;
  }
  return rec;
}

/** Summarise a finished model into a record. */
export function recordOf(task: Task, m: Model): TaskRecord {
  const k = METRICS.length;
  const spy = task.run.stepsPerYear;
  const years = Math.floor(m.steps / spy);
  const yearly = new Array<number>(years * k).fill(0);
  for (let y = 0; y < years; y++) {
    for (let t = y * spy; t < (y + 1) * spy; t++) for (let j = 0; j < k; j++) yearly[y * k + j] += m.timeseries[t * k + j] / spy;
  }
  const nb = BREAKDOWN_OUTCOMES.length;
  const breakdown = new Array<number>(2 * BANDS * nb).fill(0);
  for (let g = 0; g < 2; g++) {
    for (let b = 0; b < BANDS; b++) {
      const base = (g * BANDS + b) * 4;
      const count = m.breakdown[base + 3];
      for (let o = 0; o < nb; o++) breakdown[(g * BANDS + b) * nb + o] = count > 0 ? m.breakdown[base + o] / count : 0;
    }
  }
  const rec: TaskRecord = {
    id: task.id,
    scenario: task.scenario,
    point: task.point,
    replication: task.replication,
    outcomes: Array.from(m.outcomes()),
    yearly,
    breakdown,
  };
  if (task.survival) rec.survival = survivalOf(m);
  if (task.network) rec.network = networkOf(m);
  return rec;
}

/** Every partnership that was alive at some point in the run: age at end, or at the horizon if still running. */
export function survivalOf(m: Model): SurvivalRow[] {
  const h = m.s.history;
  const out: SurvivalRow[] = [];
  const spy = m.s.spy;
  for (let k = 0; k < h.rows; k++) {
    const end = h.end[k];
    const ended = end !== OPEN;
    if (ended && end <= 0) continue; // ended in the spin-up, before autumn 2007
    const age = ((ended ? end : m.steps) - h.start[k]) / spy;
    out.push({ focus: FOCUS_NAMES[h.focusOf(k)] as SurvivalRow['focus'], ageYears: Math.round(age * 1000) / 1000, ended, reason: END_REASONS[h.reasonOf(k)] });
  }
  return out;
}

/** The partnership network of the LA with the most schools, at the end of the run. */
export function networkOf(m: Model): NetworkRecord {
  const w = m.world;
  const s = m.s;
  let la = 0;
  for (let l = 1; l < w.nLa; l++) if (w.laStart[l + 1] - w.laStart[l] > w.laStart[la + 1] - w.laStart[la]) la = l;
  const a = w.laStart[la];
  const b = w.laStart[la + 1];
  const nodes = [];
  for (let i = a; i < b; i++) nodes.push({ id: i, name: schoolName(w, i), fsm: round(w.fsm[i], 4), attainment: round(s.attainment[i], 2), x: round(w.x[i], 3), y: round(w.y[i], 3) });
  const links: NetworkRecord['links'] = [];
  const seen = new Set<string>();
  const P = s.parts;
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p]) continue;
    const members: number[] = [];
    for (let x = P.head[p]; x !== -1; x = s.members.next[x]) members.push(s.members.school[x]);
    members.sort((u, v) => u - v);
    const focus = FOCUS_NAMES[P.focus[p]] as NetworkRecord['links'][number]['focus'];
    // A star from the lowest-numbered member keeps large partnerships readable.
    for (let q = 1; q < members.length; q++) {
      const u = members[0];
      const v = members[q];
      if (u < a || u >= b || v < a || v >= b) continue;
      const key = `${u}-${v}-${focus}`;
      if (seen.has(key)) continue;
      seen.add(key);
      links.push({ source: u, target: v, focus });
    }
  }
  return { la: w.laName[la], nodes, links };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** Quantile of a sorted array (linear interpolation). */
function q(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const x = (sorted.length - 1) * p;
  const lo = Math.floor(x);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

/** Churn over the run (autumn 2007 to the horizon). */
export interface ChurnRecord {
  /** Partnerships running at the start (after the spin-up) and at the end, and formed during the run. */
  runningAtStart: number;
  runningAtEnd: number;
  formed: number;
  ended: number;
  /** Partnerships ended during the run, by reason: count, share of endings and age at ending (years: median, quartiles). */
  byReason: { reason: string; count: number; share: number; ageMedian: number; ageQ1: number; ageQ3: number }[];
  /** Age at ending of all partnerships ended during the run (years). */
  endedAge: { median: number; q1: number; q3: number; mean: number };
  /** Ages of the partnerships running at the end, in bands (share). */
  runningAge: { band: string; share: number }[];
}

const AGE_BANDS: [string, number, number][] = [
  ['under 1 year', 0, 1],
  ['1-2 years', 1, 2],
  ['2-5 years', 2, 5],
  ['5-10 years', 5, 10],
  ['10 years or more', 10, Infinity],
];

/** Ages and end reasons of the partnerships of a finished run. */
export function churnOf(m: Model): ChurnRecord {
  const h = m.s.history;
  const spy = m.s.spy;
  const T = m.steps;
  let atStart = 0;
  let atEnd = 0;
  let formed = 0;
  const ages: number[][] = END_REASONS.map(() => []);
  const all: number[] = [];
  const running: number[] = [];
  for (let k = 0; k < h.rows; k++) {
    const start = h.start[k];
    const end = h.end[k];
    const open = end === OPEN;
    if (start < 0 && (open || end >= 0)) atStart++;
    if (start >= 0) formed++;
    if (open) {
      atEnd++;
      running.push((T - start) / spy);
    } else if (end >= 0) {
      const age = (end - start) / spy;
      ages[h.reasonOf(k)].push(age);
      all.push(age);
    }
  }
  const byReason = [];
  for (let r = 1; r < END_REASONS.length; r++) {
    const a = ages[r].sort((x, y) => x - y);
    if (!a.length) continue;
    byReason.push({ reason: END_REASONS[r], count: a.length, share: a.length / Math.max(1, all.length), ageMedian: q(a, 0.5), ageQ1: q(a, 0.25), ageQ3: q(a, 0.75) });
  }
  byReason.sort((x, y) => y.count - x.count);
  all.sort((x, y) => x - y);
  return {
    runningAtStart: atStart,
    runningAtEnd: atEnd,
    formed,
    ended: all.length,
    byReason,
    endedAge: { median: q(all, 0.5), q1: q(all, 0.25), q3: q(all, 0.75), mean: all.length ? all.reduce((x, y) => x + y, 0) / all.length : NaN },
    runningAge: AGE_BANDS.map(([band, lo, hi]) => ({ band, share: running.filter((a) => a >= lo && a < hi).length / Math.max(1, running.length) })),
  };
}
