/**
 * One replication of the model: a world, resolved parameters, and the generators of
 * one replication, stepped through time. Pure and synchronous; runs in a worker, in
 * the main thread or in a browser alike.
 *
 * A step (a term by default) runs the mechanisms in this order:
 *   0 yearly        compaction; staffing factor; top-quartile threshold
 *   1 policy        levers in force; one-off lever events; statutory membership
 *   2 need          need and higher-performer flags            (mechanism 1)
 *   3 funding       dedicated funding that ends                (mechanism 6)
 *   4 people        key people who leave                       (mechanism 7)
 *   5 costs         staff time each membership takes            (mechanism 5)
 *   6 trust+effects interactions, trust, lagged gains           (mechanisms 2, 4)
 *   7 sharing       informal sharing between neighbours         (mechanism 2)
 *   8 outcomes      attainment, CVA, trend, attendance          (mechanism 4)
 *   9 exclusions    fixed-term, permanent, managed moves, protocol (mechanism 8)
 *  10 inspection    Ofsted inspections that are due             (mechanism 9)
 *  11 dissolution   trust, objectives met, review, hazard, staff overload
 *  12 formation     local partner choice                        (mechanism 3)
 *  13 metrics       the step's row of outcome measures
 * Initialisation is a spin-up: the same steps run for `spinup.years` years before
 * autumn 2007 (negative step numbers) from a world with no partnerships, so the 2007
 * stock of partnerships, their trust and the improvement stocks they built are the
 * model's own. Levers act in the spin-up only if they start before 2007 (none of the
 * built-in ones do) or are noPartnering (never partnered), so the 2007 state is the
 * same whichever policy follows.
 *
 * Randomness: each process has its own counter-based stream (streams.ts), drawn at
 * (school or partnership, step, purpose), so a lever that changes one process never
 * shifts another's draws (exact common random numbers).
 */
import type { Params } from './params.js';
import { Rng, keyString, type SeedKey } from './rng.js';
import { Stream } from './streams.js';
import type { World } from './world.js';
import { State, MAX_SLOTS } from './state.js';
import { drawOpenness, updateNeed, updateTopQuartile } from './need.js';
import { fundingStep } from './funding.js';
import { peopleStep, scheduleDepartures } from './people.js';
import { memberDays, staffCost, staffingStep } from './costs.js';
import { interact, informalSharing } from './trust.js';
import { memberGains, ramp } from './effects.js';
import { updateOutcomes } from './outcomes.js';
import { calibrateScales, exclusionsStep, fixedRate } from './exclusions.js';
import { gradeCuts, inspectionStep, scheduleInspections, type GradeCuts } from './inspection.js';
import { dissolutionStep, overloadStep } from './dissolution.js';
import { formationStep } from './formation.js';
import { policyStep, updateLevers } from './policy.js';
import { attainmentMean, BANDS, computeMetrics, METRICS } from './metrics.js';
import { gatherMembers } from './partnership.js';
import { compact } from './compact.js';
import { orderBy, RANK_SCRATCH, RANK_TABLE } from './rank.js';
import { releasableBuffer, releaseBuffer, scratchBuffer } from './scratch.js';
import * as fmath from './fmath.js';

/** The time settings and identity of one replication. */
export interface RunSettings {
  years: number;
  stepsPerYear: number;
  startYear: number;
  seed: number | string;
  replication: number;
  point?: number | string;
  /** Keep member lists in the partnership history (for partnerships.csv). */
  recordMembers?: boolean;
}

/** Sequential generator streams of a replication: the world it starts from, and observers such as the survey. */
export const STREAMS = ['world', 'survey'] as const;
export type StreamName = (typeof STREAMS)[number];

/** The model's random processes, each with its own counter-based stream (streams.ts). */
export const PROCESSES = ['openness', 'staffing', 'policy', 'formation', 'attributes', 'trust', 'sharing', 'funding', 'people', 'outcomes', 'exclusions', 'inspection', 'dissolution'] as const;
export type ProcessName = (typeof PROCESSES)[number];

/** The seed key for one stream of a replication (no scenario: common random numbers). */
export function streamKey(st: Pick<RunSettings, 'seed' | 'point' | 'replication'>, stream: StreamName | ProcessName): SeedKey {
  return { seed: st.seed, point: st.point ?? 0, replication: st.replication, stream };
}

export class Model {
  readonly s: State;
  readonly steps: number;
  /** steps x metrics, row-major. */
  readonly timeseries: Float64Array;
  /** Breakdown sums over the final year: group x band x (attainment, exclusion rate, partnering, count). */
  readonly breakdown: Float64Array;
  private readonly rng: Record<StreamName, Rng>;
  /** The processes' streams (tests may set a tap on them). */
  readonly st: Record<ProcessName, Stream>;
  private readonly cuts: GradeCuts;
  private readonly laStatutory: Int32Array;
  private lastMean = 100;
  private initialised = false;

  constructor(
    readonly world: World,
    readonly params: Params,
    readonly settings: RunSettings,
  ) {
    const rng = {} as Record<StreamName, Rng>;
    for (const k of STREAMS) rng[k] = Rng.fromKey(streamKey(settings, k));
    this.rng = rng;
    const st = {} as Record<ProcessName, Stream>;
    for (const k of PROCESSES) st[k] = new Stream(keyString(streamKey(settings, k)));
    this.st = st;
    this.s = new State(world, params, settings.stepsPerYear);
    this.s.recordMembers = settings.recordMembers ?? false;
    this.steps = Math.round(settings.years * settings.stepsPerYear);
    this.timeseries = new Float64Array(this.steps * METRICS.length);
    this.breakdown = new Float64Array(2 * BANDS * 4);
    this.cuts = gradeCuts(this.s);
    this.laStatutory = new Int32Array(world.nLa).fill(-1);
  }

  /** Steps of spin-up before autumn 2007. */
  get spinupSteps(): number {
    return Math.round(this.params.spinup.years * this.settings.stepsPerYear);
  }

  /** Fixed groups, national scales, schedules, then the spin-up that builds the 2007 state. */
  initialise(): void {
    const s = this.s;
    const n = s.n;
    // FSM quartiles and starting attainment quartiles (one sort each, at set-up only).
    // (By value, ties by index: a radix sort into a view of the thread's scratch buffer past what the sort itself uses,
    // leaving nothing on the JS heap and keeping the state's member scratch arrays unwritten beyond one partnership's
    // members: writing all n of them here made 8 bytes a school resident for the whole run; sim/rank.ts.)
    const order = new Int32Array(scratchBuffer(RANK_SCRATCH * n + RANK_TABLE + 4 * n), RANK_SCRATCH * n + RANK_TABLE, n);
    const byFsm = order;
    orderBy(this.world.fsm, byFsm);
    for (let r = 0; r < n; r++) s.fsmBand[byFsm[r]] = Math.min(BANDS - 1, Math.floor((r * BANDS) / n));
    const byAtt = order;
    orderBy(this.world.attainment, byAtt);
    for (let r = 0; r < n; r++) s.startQuartile[byAtt[r]] = Math.min(BANDS - 1, Math.floor((r * BANDS) / n));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.world.attainment[i];
    s.startMean = sum / n;
    this.lastMean = s.startMean;
    updateTopQuartile(s);
    calibrateScales(s);
    for (let i = 0; i < n; i++) s.fixedTerm[i] = fixedRate(s, i) * this.world.pupils[i] * s.dt;
    const first = -this.spinupSteps;
    s.firstStep = first;
    s.step = first;
    const fromYear = this.settings.startYear + first / s.spy;
    scheduleInspections(s, fromYear, this.st.inspection);
    scheduleDepartures(s, this.st.people);
    staffingStep(s, this.st.staffing, true);
    drawOpenness(s, this.st.openness);
    // The spin-up: the model's own steps before autumn 2007. Improvement stocks fade slowly
    // (half-life effects.persistenceYears), so rather than run for many half-lives, each
    // school's stocks are set to the equilibrium of its mean gain over a window,
    // gain / (1 - fade), and the spin-up then runs on for settleYears.
    const sp = this.params.spinup;
    const settleAt = -Math.min(this.spinupSteps, Math.round(sp.settleYears * s.spy));
    const windowFrom = Math.max(first, settleAt - Math.round(sp.windowYears * s.spy));
    const fade = fmath.pow(0.5, s.dt / this.params.effects.persistenceYears);
    // The window's gain sums (32-bit, per school) live only until the stocks are set: a buffer given back to the
    // operating system then (scratch.ts, releasableBuffer), not kept in the state to the end of the run (8 bytes a school).
    const window = settleAt > windowFrom;
    const sums = releasableBuffer(window ? 8 * n : 0);
    const sumAtt = new Float32Array(sums, 0, window ? n : 0);
    const sumBeh = new Float32Array(sums, window ? 4 * n : 0, window ? n : 0);
    for (let t = first; t < 0; t++) {
      s.step = t;
      if (t === settleAt && window) {
        const k = settleAt - windowFrom;
        for (let i = 0; i < n; i++) {
          s.improveAtt[i] = sumAtt[i] / k / (1 - fade);
          s.improveBeh[i] = sumBeh[i] / k / (1 - fade);
        }
        releaseBuffer(sums);
      }
      if (t >= windowFrom && t < settleAt) this.advance(sumAtt, sumBeh);
      else this.advance();
      // Of the step's measures the spin-up needs only mean attainment (need reads it), summed as computeMetrics does.
      this.lastMean = attainmentMean(s);
    }
    releaseBuffer(sums); // (already released where the stocks were set; this covers a window that reaches the start year)
    s.step = 0;
    // Counts of what partnerships did when funding ended start in autumn 2007 (the survey counts from then).
    s.fundingOutcomes.fill(0);
    s.fundingIntent.fill(0);
    this.initialised = true;
  }

  /**
   * A copy of everything set-up and the spin-up leave behind (the state after
   * `initialise()`), detached from this model: restoring it into a fresh model of the
   * same world and spin-up gives the same bits as running `initialise()` there. The
   * parameters and the world are not copied (a restored model keeps its own).
   */
  snapshot(): SpinupSnapshot {
    if (!this.initialised) this.initialise();
    return { state: copyTree(this.s) as Record<string, unknown>, lastMean: this.lastMean, laStatutory: this.laStatutory.slice(), staffDaysStep: this.staffDaysStep };
  }

  /** Take a snapshot's state instead of running `initialise()` (each restore copies, so a snapshot serves many models). */
  restore(snap: SpinupSnapshot): void {
    copyInto(this.s as unknown as Record<string, unknown>, snap.state);
    this.lastMean = snap.lastMean;
    this.laStatutory.set(snap.laStatutory);
    this.staffDaysStep = snap.staffDaysStep;
    this.initialised = true;
  }

  /** The generator of a sequential stream (for observers such as the survey, which must not disturb the model's draws). */
  stream(name: StreamName): Rng {
    return this.rng[name];
  }

  /** Run every step; `onStep` sees each completed step. Returns this for chaining. */
  run(onStep?: (step: number) => void): this {
    if (!this.initialised) this.initialise();
    const s = this.s;
    const finalYearFrom = this.steps - s.spy;
    for (let t = 0; t < this.steps; t++) {
      s.step = t;
      this.advance();
      const row = this.timeseries.subarray(t * METRICS.length, (t + 1) * METRICS.length);
      computeMetrics(s, row, this.staffDaysStep, t >= finalYearFrom ? this.breakdown : null);
      this.lastMean = row[0];
      if (onStep) onStep(t);
    }
    s.step = this.steps;
    return this;
  }

  private staffDaysStep = 0;

  /** One step of the mechanisms; in the spin-up's averaging window, this step's gains are added to the window sums given. */
  private advance(sumAtt: Float32Array | null = null, sumBeh: Float32Array | null = null): void {
    const s = this.s;
    const year = this.settings.startYear + s.step / s.spy;
    const st = this.st;
    const yearStart = (((s.step % s.spy) + s.spy) % s.spy) === 0;
    // 0 once a year: renumber partnerships and memberships for locality; staffing; the top quartile
    if (yearStart && s.step > s.firstStep) {
      const newOf = compact(s);
      for (let la = 0; la < this.laStatutory.length; la++) if (this.laStatutory[la] >= 0) this.laStatutory[la] = newOf[this.laStatutory[la]];
      staffingStep(s, st.staffing, false);
      updateTopQuartile(s);
    }
    // 1 policy
    updateLevers(s, year);
    policyStep(s, year, st.policy, st.attributes, this.laStatutory);
    // 2 need
    updateNeed(s, s.nationalExclusionRate, this.lastMean);
    // 3 funding, 4 people
    fundingStep(s, st.funding);
    peopleStep(s, st.people);
    // 5 costs
    const P = s.parts;
    s.staffUsed.fill(0);
    let days = 0;
    const nLa = this.world.nLa;
    for (let la = 0; la < nLa; la++) for (let p = P.laHead[la]; p !== -1; p = P.laNext[p]) {
      const d = memberDays(s, p, s.ageYears(p));
      let k = 0;
      for (let m = P.head[p]; m !== -1; m = s.members.next[m]) {
        s.staffUsed[s.members.school[m]] += d;
        k++;
      }
      P.costDays[p] += d * k;
      P.reviewCost[p] += d * k;
      days += d * k;
    }
    this.staffDaysStep = days;
    s.staffCostStep = staffCost(s, days);
    // 6 trust and effects
    // The step's temporaries are views of the shared scratch buffer (state.ts): zeroed here, consumed by outcomes.
    s.transition.fill(0);
    s.gainAtt.fill(0);
    s.gainBeh.fill(0);
    // LA by LA: members of a partnership are neighbours in memory, and so are their trust entries.
    for (let la = 0; la < nLa; la++) for (let p = P.laHead[la]; p !== -1; p = P.laNext[p]) {
      const count = gatherMembers(s, p, s.scratch, s.scratchM);
      if (count < 2) continue;
      const t = interact(s, p, count, st.trust);
      P.trust[p] = t;
      let sumQ = 0;
      for (let k = 0; k < count; k++) sumQ += s.home[s.scratch[k]] + s.shock[s.scratch[k]];
      memberGains(s, p, count, ramp(s, s.ageYears(p)), t, sumQ);
    }
    if (sumAtt !== null && sumBeh !== null) {
      for (let i = 0; i < s.n; i++) {
        sumAtt[i] += s.gainAtt[i];
        sumBeh[i] += s.gainBeh[i];
      }
    }
    // 7 informal sharing
    informalSharing(s, st.sharing);
    // 8 outcomes, 9 exclusions, 10 inspection
    updateOutcomes(s, st.outcomes);
    exclusionsStep(s, st.exclusions);
    inspectionStep(s, year, this.cuts, st.inspection);
    // 11 dissolution
    const review = s.lev.costBenefitReview && isReviewStep(s.step, s.spy, s.p.levers.costBenefitReview.intervalYears);
    dissolutionStep(s, st.dissolution, review, yearStart);
    overloadStep(s);
    // 12 formation
    formationStep(s, st.formation, st.attributes);
  }

  /** Outcomes of the replication: each metric's mean over the final year. */
  outcomes(): Float64Array {
    const k = METRICS.length;
    const out = new Float64Array(k);
    const from = Math.max(0, this.steps - this.s.spy);
    for (let t = from; t < this.steps; t++) for (let j = 0; j < k; j++) out[j] += this.timeseries[t * k + j];
    for (let j = 0; j < k; j++) out[j] /= this.steps - from;
    return out;
  }
}

/** The state after set-up and spin-up, as plain data (see Model.snapshot). */
export interface SpinupSnapshot {
  state: Record<string, unknown>;
  lastMean: number;
  laStatutory: Int32Array;
  staffDaysStep: number;
}

/** Fields shared with the model, never copied: the world (immutable) and the parameters (each model keeps its own). */
const SHARED = new Set(['world', 'p']);

/**
 * Objects whose large typed arrays are reserved at their limit but written only from the
 * start (state.ts, trust-table.ts) say how much of each is in use; a snapshot copies only
 * that part, so it costs what is used, not the reserve. -1: the whole array.
 */
interface UsedPrefix {
  usedLength(field: string): number;
}

/** The used part of a reserved typed array, and the array's full length (restored as zeros or never-read entries beyond). */
interface TrimmedArray {
  trimmed: ArrayBufferView & { length: number };
  length: number;
}

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array;

function isTrimmed(v: unknown): v is TrimmedArray {
  return typeof v === 'object' && v !== null && 'trimmed' in v && ArrayBuffer.isView((v as TrimmedArray).trimmed);
}

/** A detached deep copy of an object's data: typed arrays copied, nested objects as plain objects, functions left out. */
function copyTree(src: object): unknown {
  const out: Record<string, unknown> = {};
  const used = typeof (src as Partial<UsedPrefix>).usedLength === 'function' ? (src as UsedPrefix) : null;
  for (const [k, v] of Object.entries(src)) {
    if (SHARED.has(k) || typeof v === 'function') continue;
    const n = used && ArrayBuffer.isView(v) ? used.usedLength(k) : -1;
    out[k] = n >= 0 ? { trimmed: (v as Typed).slice(0, n), length: (v as Typed).length } : copyValue(v);
  }
  return out;
}

function copyValue(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return (v as Float64Array).slice();
  if (Array.isArray(v)) return v.map(copyValue);
  if (typeof v === 'object' && v !== null) return copyTree(v);
  return v;
}

/** A full-length array from a trimmed copy: the used part copied, the rest as allocated (zeros, never written). */
function untrim(t: TrimmedArray): Typed {
  const a = new (t.trimmed.constructor as new (n: number) => Typed)(t.length);
  a.set(t.trimmed as Typed);
  return a;
}

/** Write a copy of `snap` into the live object `dst` (same classes as when the snapshot was taken). */
function copyInto(dst: Record<string, unknown>, snap: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(snap)) {
    const cur = dst[k];
    if (isTrimmed(v)) dst[k] = untrim(v);
    else if (!ArrayBuffer.isView(v) && !Array.isArray(v) && typeof v === 'object' && v !== null && typeof cur === 'object' && cur !== null) copyInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    else dst[k] = copyValue(v);
  }
}

function isReviewStep(step: number, spy: number, intervalYears: number): boolean {
  const every = Math.max(1, Math.round(intervalYears * spy));
  return ((step % every) + every) % every === every - 1;
}

/** Membership capacity check used by tests: slots never exceed the hard cap. */
export const SLOT_CAP = MAX_SLOTS;
