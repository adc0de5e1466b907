/**
 * The workshop page's script (browser main thread): lever controls, Run / Cancel,
 * live progress and charts, the command line and scenario download / load.
 *
 * It drives the same compare pipeline as the CLI (pipeline/compare.ts: plan, seeds,
 * collection, statistics); only the thread mechanism differs: a pool of long-lived
 * Web Workers (one per navigator.hardwareConcurrency), each handed one task at a
 * time. Scenario texts go through the same parser, schema and messages as the CLI
 * (scenarios/resolve.ts).
 */
import { InputError } from '../../sim/errors.js';
import type { Params } from '../../sim/params.js';
import type { Task, TaskRecord } from '../../workers/task.js';
import { checkUniqueNames, comparisonDocument, runComparePipeline, type ComparePlan, type Dispatch } from '../../pipeline/compare.js';
import { closest, resolveScenario, type Doc, type ResolvedScenario, type ScenarioHost } from '../../scenarios/resolve.js';
import { parseScenarioText } from '../../scenarios/resolve.js';
import { NO_PARTNERING, type CompareAggregator, type Comparison } from '../../analysis/compare.js';
import { commandLine, leverControls, policyDocument, policyYaml, POLICY_NAME, academicYear, type LeverControl, type WorkshopSettings } from '../levers.js';
import { headlineData, headlineSentences, headlineSpecs, type Names } from '../headline.js';
import * as YAML from 'yaml';
import { Ajv } from 'ajv';
import { provideLibs } from '../../scenarios/libs.js';

// The scenario parser and validator load their libraries lazily under Node; the page bundles them.
provideLibs({ yaml: YAML, Ajv });

interface VegaView {
  data(name: string, values: unknown[]): VegaView;
  runAsync(): Promise<VegaView>;
  finalize(): void;
}
declare const vegaEmbed: (el: HTMLElement, spec: unknown, opts: Record<string, unknown>) => Promise<{ view: VegaView }>;

interface PageData {
  version: string;
  builtins: Record<string, string>;
  defaults: WorkshopSettings;
  quick: { schools: number; reps: number };
}

const BASELINE = 'baseline';
const FILE_NAME = `${POLICY_NAME}.yaml`;

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Scenario files held in memory: the built-ins by name, and any loaded file by its name. */
function memoryHost(builtins: Record<string, string>, files: Record<string, string>): ScenarioHost {
  const names = Object.keys(builtins).sort();
  return {
    locate(ref) {
      if (/^[a-z0-9-]+$/.test(ref) && builtins[ref] !== undefined) return `builtin:${ref}`;
      if (files[ref] !== undefined) return ref;
      const looksLikeFile = /[./\\]/.test(ref);
      const near = closest(ref, names);
      throw InputError.at(
        looksLikeFile ? ref : undefined,
        undefined,
        looksLikeFile
          ? 'scenario file not found (the workshop page can extend only built-in scenarios)'
          : `unknown scenario '${ref}'${near ? ` (did you mean '${near}'?)` : ''}; built-in scenarios are: ${names.join(', ')}; or give the path of a .yaml or .json file`,
      );
    },
    read: (file) => (file.startsWith('builtin:') ? builtins[file.slice(8)] : files[file]),
    sourceOf: (file) => file,
    shortName: (file) => file.replace(/^builtin:/, ''),
    hash: () => '',
  };
}

/** Long-lived Web Workers, each given one task at a time; terminated and replaced on cancel. */
class WebPool {
  private workers: Worker[] = [];
  /** Workers that have finished their first warm-up (replication 0). */
  warmed = 0;
  /** Milliseconds each task of the last run took in its worker (for the speed figures of bench/workshop.ts). */
  taskMs: { scenario: string; replication: number; ms: number }[] = [];
  /** Settings signature of the spin-ups the workers hold, and the replications each holds. */
  private sig = '';
  private holds = new Map<Worker, Set<number>>();
  private warming = new Set<Worker>();
  private running = false;
  constructor(
    private readonly url: string,
    private readonly size: number,
    /**
     * Tasks a worker runs and throws away while the page is idle, to compile the engine and
     * cache the spin-up of `replication` (workers/spinup-cache.ts) for the current settings;
     * results never depend on them.
     */
    private readonly warmTasks?: (replication: number) => { sig: string; reps: number; tasks: Task[] } | undefined,
  ) {}

  /** Workers still computing spin-ups ahead of a run. */
  get busyWarming(): number {
    return this.warming.size;
  }

  /**
   * Keep idle workers computing the spin-ups the next run needs, one replication at a time
   * and never during a run: replication 0 on every worker first (the first pair runs side by
   * side), then worker i takes replications i, i + n, ... A run then restores them.
   */
  warm(): void {
    const probe = this.warmTasks?.(0);
    if (!probe) return;
    if (probe.sig !== this.sig) {
      this.sig = probe.sig;
      for (const h of this.holds.values()) h.clear();
      this.queued.clear();
    }
    if (this.running) return;
    this.workers.forEach((w, i) => {
      if (this.warming.has(w)) return;
      const held = this.holds.get(w)!;
      let r = held.has(0) ? -1 : 0;
      for (let q = i; r < 0 && q < probe.reps; q += this.workers.length) if (!held.has(q)) r = q;
      if (r < 0) return;
      const job = this.warmTasks!(r);
      if (!job) return;
      held.add(r);
      this.queued.set(w, job.tasks.slice(1));
      this.warming.add(w);
      w.postMessage({ type: 'warm', tasks: job.tasks.slice(0, 1) });
    });
  }

  /**
   * Warm-up tasks go one message at a time (a worker finishes the one it is on before it
   * sees a run's task), so a Run pressed while the workers warm up waits for at most one
   * spin-up: the baseline's, which replication 0's first pair needs, comes first.
   */
  private queued = new Map<Worker, Task[]>();

  private warmNext(w: Worker): boolean {
    const rest = this.queued.get(w);
    if (this.running || !rest || rest.length === 0) return false;
    this.warming.add(w);
    w.postMessage({ type: 'warm', tasks: [rest.shift()!] });
    return true;
  }

  /** Start the workers (at page load, and again after a cancel); they start warming up. */
  ensure(): Worker[] {
    while (this.workers.length < this.size) {
      const w = new Worker(this.url, { name: `partnersim-${this.workers.length + 1}` });
      this.holds.set(w, new Set());
      let first = true;
      w.addEventListener('message', (e: MessageEvent<{ type: string }>) => {
        if (e.data.type !== 'warmed') return;
        if (first) this.warmed++;
        first = false;
        this.warming.delete(w);
        if (!this.warmNext(w)) this.warm();
      });
      this.workers.push(w);
    }
    this.warm();
    return this.workers;
  }

  /** Stop everything now (a cancelled run). */
  stop(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.warmed = 0;
    this.holds.clear();
    this.warming.clear();
    this.queued.clear();
    this.running = false;
  }

  dispatch(signal: AbortSignal): Dispatch {
    return (tasks: Task[], onRecord: (rec: TaskRecord) => void) =>
      new Promise<void>((resolve, reject) => {
        // pairs first: replication 0 of every scenario, then replication 1, ... so differences show early
        const queue = [...tasks].sort((a, b) => a.replication - b.replication || a.id - b.id);
        this.taskMs = [];
        let pending = queue.length;
        if (pending === 0) return resolve();
        this.running = true;
        const workers = this.ensure();
        const finish = (): void => {
          this.running = false;
          this.warm();
        };
        const abort = (): void => {
          this.stop();
          reject(new DOMException('cancelled', 'AbortError'));
        };
        if (signal.aborted) return abort();
        signal.addEventListener('abort', abort, { once: true });
        // Affinity: a worker keeps to one replication while it has scenarios left, so they
        // restore the spin-up it cached (workers/spinup-cache.ts) instead of each building it.
        // The first tasks go in plan order, one per worker (replication 0's baseline and policy side by
        // side), so the first paired difference is on screen after one spin-up and one run.
        const on = new Map<Worker, number>();
        const next = (w: Worker, first = false): void => {
          const mine = on.get(w);
          let k = first ? 0 : mine === undefined ? -1 : queue.findIndex((t) => t.replication === mine);
          if (k < 0) {
            // a replication no other worker is on, preferring one whose spin-up this worker holds
            const busy = new Set([...on].filter(([o]) => o !== w).map(([, r]) => r));
            const held = this.holds.get(w);
            k = queue.findIndex((t) => !busy.has(t.replication) && held?.has(t.replication) === true);
            if (k < 0) k = queue.findIndex((t) => !busy.has(t.replication));
          }
          if (k < 0) k = 0;
          const [t] = queue.splice(k, 1);
          if (!t) return;
          on.set(w, t.replication);
          this.holds.get(w)?.add(t.replication);
          w.postMessage({ type: 'task', task: t });
        };
        for (const w of workers) {
          w.onmessage = (e: MessageEvent<{ type: string; record?: TaskRecord; message?: string; ms?: number }>) => {
            if (signal.aborted) return;
            if (e.data.type === 'record' && e.data.record) {
              this.taskMs.push({ scenario: e.data.record.scenario, replication: e.data.record.replication, ms: Math.round(e.data.ms ?? NaN) });
              onRecord(e.data.record);
              if (--pending === 0) {
                signal.removeEventListener('abort', abort);
                finish();
                resolve();
              } else next(w);
            } else if (e.data.type === 'error') {
              signal.removeEventListener('abort', abort);
              this.stop();
              reject(new Error(`a replication failed: ${e.data.message}`));
            }
          };
          w.onerror = (e) => {
            signal.removeEventListener('abort', abort);
            this.stop();
            reject(new Error(`a worker failed: ${e.message}`));
          };
          next(w, true);
        }
      });
  }
}

/** What the page exposes for tests and curious analysts: the last complete result. */
interface Exposed {
  state: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  settings?: WorkshopSettings;
  results?: Comparison['results'];
  /** The `compare --json` document of the last complete run (its manifest cut down to seed, replications and run). */
  document?: Record<string, unknown>;
  /** Milliseconds from Run: first results on screen (one paired replication), and done. */
  timing?: { firstResultMs?: number; doneMs?: number; taskMs?: WebPool['taskMs'] };
  yaml?: string;
  command?: string;
  runs: number;
  /** Web Workers warmed up (replication 0's spin-up cached), and workers still computing spin-ups ahead of a run. */
  readonly warmed: number;
  readonly warming: number;
}

function main(): void {
  const data = JSON.parse($('workshop-data').textContent ?? '{}') as PageData;
  const workerUrl = URL.createObjectURL(new Blob([$('worker-src').textContent ?? ''], { type: 'text/javascript' }));
  const threads = Math.max(1, Math.min(32, navigator.hardwareConcurrency || 2));
  // While the page is idle its workers run (and throw away) one year of the baseline and of
  // no partnering, replication by replication, at the current seed and size: that compiles
  // the engine and leaves each replication's 20-year spin-up in the worker's cache
  // (workers/spinup-cache.ts), so after Run a replication needs only its ten years. The
  // first replication is warmed on every worker, so the first pair runs side by side.
  const warmTasks = (replication: number): { sig: string; reps: number; tasks: Task[] } | undefined => {
    let s: WorkshopSettings;
    try {
      s = settings();
    } catch {
      return undefined;
    }
    const tasks = [BASELINE, NO_PARTNERING].map((name): Task => {
      const sc = resolveRef(name);
      return { id: -1, scenario: `warm-up ${name}`, params: sc.params, run: { ...sc.run, years: 1, schools: s.schools }, seed: s.seed, point: 0, replication };
    });
    return { sig: `${s.seed}|${s.schools}|${s.reps}|${tasks[0].run.stepsPerYear}|${tasks[0].run.startYear}`, reps: s.reps, tasks };
  };
  const pool = new WebPool(workerUrl, threads, warmTasks);
  const exposed: Exposed = {
    state: 'idle',
    runs: 0,
    get warmed() {
      return pool.warmed;
    },
    get warming() {
      return pool.busyWarming;
    },
  };
  (window as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop = exposed;

  const controls = leverControls();
  const builtinNames = Object.keys(data.builtins).sort();
  let loaded: { name: string; text: string } | undefined;
  let start: { extends?: string; parameters?: Doc } = { extends: BASELINE };
  let levers: Params['levers'];

  const resolveRef = (ref: string, files: Record<string, string> = {}): ResolvedScenario => resolveScenario(ref, memoryHost(data.builtins, files));

  // ---- starting point and lever controls
  const startSel = $('start') as HTMLSelectElement;
  for (const n of builtinNames) startSel.append(el('option', { value: n }, n === BASELINE ? 'baseline (as it was)' : n));
  startSel.value = BASELINE;

  const inputs = new Map<string, HTMLInputElement>();
  const leverBox = $('levers');
  const startYear = (): number => resolveRef(BASELINE).run.startYear;
  for (const c of controls) leverBox.append(leverFieldset(c));

  function leverFieldset(c: LeverControl): HTMLFieldSetElement {
    const fs = el('fieldset', { class: 'lever', id: `lever-${c.id}` });
    const sw = c.settings[0];
    const swId = `${c.id}-enabled`;
    const row = el('div', { class: 'switch' });
    const box = el('input', { type: 'checkbox', id: swId, 'aria-describedby': `${c.id}-help` });
    inputs.set(swId, box);
    row.append(box, el('label', { for: swId }, sw.label));
    fs.append(el('legend', { class: 'sr-only' }, c.label), row, el('p', { class: 'help', id: `${c.id}-help` }, `${c.help} (${c.cite})`));
    for (const s of c.settings.slice(1)) {
      const id = `${c.id}-${s.key}`;
      const wrap = el('div', { class: 'slider' });
      const lab = el('label', { for: id });
      const out = el('output', { for: id, id: `${id}-out` });
      const attrs: Record<string, string> =
        s.kind === 'year' ? { type: 'range', id, min: '2007', max: '2016', step: '1' } : { type: 'range', id, min: String(s.min), max: String(s.max), step: String(s.step) };
      const inp = el('input', attrs);
      lab.append(document.createTextNode(`${s.label}: `), out);
      inputs.set(id, inp);
      const show = (): void => {
        out.textContent = s.kind === 'year' ? academicYear(Number(inp.value)) : `${inp.value}${s.unit && !/share/.test(s.unit) ? ` ${s.unit}` : s.unit === 'share' ? ` (${Math.round(Number(inp.value) * 100)}%)` : ''}`;
      };
      inp.addEventListener('input', show);
      (inp as HTMLInputElement & { show?: () => void }).show = show;
      wrap.append(lab, inp);
      fs.append(wrap);
    }
    return fs;
  }

  function setControls(ls: Params['levers']): void {
    levers = structuredClone(ls);
    for (const c of controls) {
      const lv = ls[c.id] as unknown as Record<string, number | boolean>;
      for (const s of c.settings) {
        const inp = inputs.get(`${c.id}-${s.key}`)!;
        const v = lv[s.key];
        if (s.kind === 'switch') inp.checked = Boolean(v);
        else {
          // widen the slider if a loaded file goes beyond it, so its value is kept exactly
          if (Number(v) < Number(inp.min)) inp.min = String(v);
          if (Number(v) > Number(inp.max)) inp.max = String(v);
          inp.value = String(v);
          (inp as HTMLInputElement & { show?: () => void }).show?.();
        }
      }
      syncEnabled(c);
    }
  }

  function syncEnabled(c: LeverControl): void {
    const on = inputs.get(`${c.id}-enabled`)!.checked;
    for (const s of c.settings.slice(1)) inputs.get(`${c.id}-${s.key}`)!.disabled = !on;
    $(`lever-${c.id}`).classList.toggle('on', on);
  }

  function readControls(): Params['levers'] {
    const ls = structuredClone(levers) as unknown as Record<string, Record<string, number | boolean>>;
    for (const c of controls) {
      for (const s of c.settings) {
        const inp = inputs.get(`${c.id}-${s.key}`)!;
        ls[c.id][s.key] = s.kind === 'switch' ? inp.checked : Number(inp.value);
      }
    }
    return ls as unknown as Params['levers'];
  }

  // ---- run settings
  const quick = $('quick') as HTMLInputElement;
  const repsIn = $('reps') as HTMLInputElement;
  const schoolsIn = $('schools') as HTMLInputElement;
  const yearsIn = $('years') as HTMLInputElement;
  const seedIn = $('seed') as HTMLInputElement;
  repsIn.value = String(data.defaults.reps);
  schoolsIn.value = String(data.defaults.schools);
  yearsIn.value = String(data.defaults.years);
  seedIn.value = String(data.defaults.seed);

  function settings(): WorkshopSettings {
    const whole = (inp: HTMLInputElement, name: string, min: number, max: number): number => {
      const v = Number(inp.value);
      if (!Number.isInteger(v) || v < min || v > max) throw InputError.at(undefined, name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(inp.value)}`);
      return v;
    };
    const seed = whole(seedIn, 'Seed', 0, Number.MAX_SAFE_INTEGER);
    const years = whole(yearsIn, 'Years', 1, 100);
    if (quick.checked) return { seed, years, schools: data.quick.schools, reps: data.quick.reps };
    return { seed, years, schools: whole(schoolsIn, 'Schools', 2, 100_000), reps: whole(repsIn, 'Replications', 1, 10_000) };
  }

  function description(): string {
    const on = controls.filter((c) => (levers[c.id] as unknown as { enabled: boolean }).enabled).map((c) => c.label.toLowerCase());
    const from = loaded ? `the loaded file ${loaded.name}` : `the ${start.extends} scenario`;
    return `Made in the partnersim workshop page from ${from}${on.length ? `, with: ${on.join('; ')}` : ', with no lever switched on'}.`;
  }

  function currentYaml(): string {
    levers = readControls();
    return policyYaml(policyDocument(start, levers, description()));
  }

  function showCommand(): void {
    let s: WorkshopSettings;
    try {
      s = settings();
    } catch (e) {
      return showError(e);
    }
    const cmd = commandLine(FILE_NAME, s);
    $('command-text').textContent = cmd;
    exposed.command = cmd;
  }

  // ---- charts
  const names: Names = { baseline: BASELINE, policy: POLICY_NAME, policyLabel: 'This policy' };
  const specs = headlineSpecs(names);
  const views = new Map<string, VegaView>();
  const grid = $('charts');
  for (const h of specs) {
    const fig = el('figure', { class: 'card', id: `card-${h.id}`, 'aria-labelledby': `title-${h.id}` });
    const vis = el('div', { class: 'vis', id: `vis-${h.id}`, role: 'img', 'aria-labelledby': `title-${h.id}`, 'aria-describedby': `sentence-${h.id}` });
    fig.append(el('h2', { id: `title-${h.id}` }, h.title), el('p', { class: 'sentence', id: `sentence-${h.id}`, 'aria-live': 'polite' }, 'Press Run to see this.'), vis);
    grid.append(fig);
  }
  const embedded = Promise.all(
    specs.map((h) =>
      vegaEmbed($(`vis-${h.id}`), h.spec, { renderer: 'svg', actions: false, logLevel: 0 }).then((r) => {
        views.set(h.id, r.view);
      }),
    ),
  );

  let startYearOfRun = 2007;
  /** Draw the charts and sentences; resolves to the number of paired replications shown. */
  async function draw(agg: CompareAggregator, c?: Comparison): Promise<number> {
    await embedded;
    const d = headlineData(agg, names, startYearOfRun, c);
    const sentences = headlineSentences(agg, names, startYearOfRun, c);
    const jobs: Promise<unknown>[] = [];
    for (const [id, sources] of Object.entries(d)) {
      const v = views.get(id);
      if (!v) continue;
      for (const [name, rows] of Object.entries(sources)) v.data(name, rows);
      jobs.push(v.runAsync());
      $(`sentence-${id}`).textContent = sentences[id];
    }
    await Promise.all(jobs);
    return d.attainment_mean.reps.length;
  }

  // ---- running
  const runBtn = $('run') as HTMLButtonElement;
  const cancelBtn = $('cancel') as HTMLButtonElement;
  const progress = $('progress') as HTMLProgressElement;
  const status = $('status');
  let current: AbortController | undefined;
  let runNo = 0;

  function showError(e: unknown): void {
    const box = $('error');
    box.textContent = e instanceof InputError ? `partnersim: ${e.message}` : `Something went wrong: ${e instanceof Error ? e.message : String(e)}`;
    box.hidden = false;
    if (!(e instanceof InputError)) console.error(e);
  }

  /** A restart waiting for the controls to stop moving (a control moved mid-run). */
  let restartTimer: number | undefined;

  function cancel(why: 'cancelled' | 'restart'): void {
    const pending = restartTimer !== undefined;
    window.clearTimeout(restartTimer);
    restartTimer = undefined;
    if (!current && !pending) return;
    current?.abort();
    current = undefined;
    if (why === 'cancelled') {
      exposed.state = 'cancelled';
      status.textContent = 'Run cancelled. Press Run to start again.';
      runBtn.disabled = false;
      cancelBtn.disabled = true;
    }
  }

  async function run(): Promise<void> {
    cancel('restart');
    $('error').hidden = true;
    const me = ++runNo;
    const t0 = performance.now();
    let s: WorkshopSettings;
    let scs: ResolvedScenario[];
    let yaml: string;
    try {
      s = settings();
      yaml = currentYaml();
      const files = { [FILE_NAME]: yaml };
      scs = [resolveRef(BASELINE), resolveRef(FILE_NAME, files), resolveRef(NO_PARTNERING)];
      checkUniqueNames(scs, [BASELINE, FILE_NAME, NO_PARTNERING]);
    } catch (e) {
      return showError(e);
    }
    const ctl = new AbortController();
    current = ctl;
    exposed.state = 'running';
    exposed.settings = s;
    exposed.yaml = yaml;
    exposed.results = undefined;
    exposed.document = undefined;
    const timing: NonNullable<Exposed['timing']> = {};
    exposed.timing = timing;
    showCommand();
    const run = { ...scs[0].run, years: s.years, schools: s.schools };
    startYearOfRun = run.startYear;
    const plan: ComparePlan = { scenarios: scs, baseline: BASELINE, run, seed: s.seed, reps: s.reps };
    const total = scs.length * s.reps;
    progress.max = total;
    progress.value = 0;
    runBtn.disabled = true;
    cancelBtn.disabled = false;
    $('mode').textContent = quick.checked
      ? `Quick mode: ${s.schools.toLocaleString('en-GB')} schools, ${s.reps} replications, ${s.years} years — a rough first look; switch quick mode off for the full England.`
      : `${s.schools.toLocaleString('en-GB')} schools, ${s.reps} replications, ${s.years} years, seed ${s.seed}.`;
    $('stale').hidden = true;
    let done = 0;
    let pendingDraw: number | undefined;
    let lastAgg: CompareAggregator | undefined;
    status.textContent = `Running: 0 of ${total} simulated runs…`;
    try {
      const out = await runComparePipeline(plan, pool.dispatch(ctl.signal), (_rec, agg) => {
        if (me !== runNo) return;
        done++;
        lastAgg = agg;
        progress.value = done;
        status.textContent = `Running: ${done} of ${total} simulated runs…`;
        if (pendingDraw === undefined) {
          // the first paired replication is drawn at once, later ones at most every 150 ms
          pendingDraw = window.setTimeout(() => {
            pendingDraw = undefined;
            if (me === runNo && lastAgg)
              void draw(lastAgg).then((shown) => {
                if (me === runNo && shown > 0 && timing.firstResultMs === undefined) timing.firstResultMs = performance.now() - t0;
              });
          }, timing.firstResultMs === undefined ? 0 : 1000);
        }
      });
      if (me !== runNo) return;
      if (pendingDraw !== undefined) window.clearTimeout(pendingDraw);
      await draw(out.agg, out.comparison);
      if (me !== runNo) return;
      timing.firstResultMs ??= performance.now() - t0;
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      status.textContent = `Done: ${total} simulated runs in ${secs} s on ${threads} worker${threads === 1 ? '' : 's'}. Each replication of the policy uses the same seeds as the same replication of the baseline.`;
      exposed.results = out.comparison.results;
      exposed.document = comparisonDocument(scs, out.comparison, { seed: s.seed, replications: s.reps, run });
      timing.doneMs = performance.now() - t0;
      timing.taskMs = pool.taskMs;
      exposed.state = 'done';
      exposed.runs++;
    } catch (e) {
      if (me !== runNo || (e instanceof DOMException && e.name === 'AbortError')) return;
      exposed.state = 'error';
      status.textContent = 'The run stopped.';
      showError(e);
    } finally {
      // (a restart waiting to start keeps the buttons as a running page has them)
      if (me === runNo && restartTimer === undefined) {
        current = undefined;
        runBtn.disabled = false;
        cancelBtn.disabled = true;
      }
    }
  }

  // ---- events
  function changed(): void {
    levers = readControls();
    showCommand();
    if (current || restartTimer !== undefined) {
      // a control moved mid-run: stop the run now (its results are for the old settings, so
      // they never show as done) and restart with the new settings once the control settles
      cancel('restart');
      exposed.state = 'running';
      status.textContent = 'Restarting with the new settings…';
      runBtn.disabled = true;
      cancelBtn.disabled = false;
      restartTimer = window.setTimeout(() => {
        restartTimer = undefined;
        void run();
      }, 250);
    } else {
      if (exposed.state === 'done') $('stale').hidden = false;
      pool.warm();
    }
  }
  for (const c of controls) {
    inputs.get(`${c.id}-enabled`)!.addEventListener('change', () => {
      syncEnabled(c);
      changed();
    });
    for (const s of c.settings.slice(1)) inputs.get(`${c.id}-${s.key}`)!.addEventListener('change', changed);
  }
  // start-year sliders run over the years simulated (a loaded file's value outside them is kept)
  function updateYearRange(): void {
    const first = startYear();
    const years = Number(yearsIn.value);
    const last = first + (Number.isInteger(years) && years > 0 ? years - 1 : 9);
    for (const c of controls) {
      const inp = inputs.get(`${c.id}-startYear`)!;
      inp.min = String(Math.min(first, Number(inp.value)));
      inp.max = String(Math.max(last, Number(inp.value)));
    }
  }
  yearsIn.addEventListener('change', updateYearRange);
  for (const inp of [quick, repsIn, schoolsIn, yearsIn, seedIn]) inp.addEventListener('change', changed);
  quick.addEventListener('change', () => {
    for (const inp of [repsIn, schoolsIn]) inp.disabled = quick.checked;
  });

  startSel.addEventListener('change', () => {
    loaded = undefined;
    $('loaded').textContent = '';
    start = { extends: startSel.value };
    setControls(resolveRef(startSel.value).params.levers);
    changed();
  });

  runBtn.addEventListener('click', () => void run());
  cancelBtn.addEventListener('click', () => cancel('cancelled'));

  $('download').addEventListener('click', () => {
    const a = el('a', { download: FILE_NAME });
    a.href = URL.createObjectURL(new Blob([currentYaml()], { type: 'application/x-yaml' }));
    document.body.append(a);
    a.click();
    a.remove();
  });

  $('show-command').addEventListener('click', () => {
    const box = $('command-box');
    box.hidden = !box.hidden;
    ($('show-command') as HTMLButtonElement).setAttribute('aria-expanded', String(!box.hidden));
    showCommand();
  });

  $('load').addEventListener('change', async (ev) => {
    const f = (ev.target as HTMLInputElement).files?.[0];
    if (!f) return;
    const text = await f.text();
    $('error').hidden = true;
    try {
      const doc = parseScenarioText(text, f.name);
      const sc = resolveRef(f.name, { [f.name]: text });
      loaded = { name: f.name, text };
      start = {
        extends: typeof doc.extends === 'string' ? doc.extends : undefined,
        parameters: (doc.parameters as Doc | undefined) ?? undefined,
      };
      setControls(sc.params.levers);
      $('loaded').textContent = `Loaded ${f.name} (“${sc.name}”): its parameters and levers are now the starting point.`;
      changed();
    } catch (e) {
      showError(e);
    }
    (ev.target as HTMLInputElement).value = '';
  });

  // initial state: the baseline's levers, and a first quick look if asked for in the address
  setControls(resolveRef(BASELINE).params.levers);
  updateYearRange();
  showCommand();
  pool.ensure();
  void embedded.then(() => {
    document.body.setAttribute('data-ready', 'true');
  });
}

main();
