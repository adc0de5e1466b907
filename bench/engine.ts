/**
 * Bench sections for the engine on one core:
 *  - per-school-step cost at 3,300, 33,000 and 330,000 schools (and 3,300,000 with
 *    --huge), each in a fresh process after a warm-up, with the growth ratio to 3,300
 *    (target <= 1.3x); steps include any spin-up;
 *  - peak memory per school: (peak RSS at the largest size - peak RSS at 3,300) / extra
 *    schools, from the same processes (target <= 600 bytes);
 *  - the efficiency ratio: a replication's time over a plain streaming pass that reads
 *    and writes every per-school state array once per step. The pass runs one function
 *    per array type (Float32, Float64, Int32, Uint8, Uint16), each only ever given its
 *    own type, so the yardstick itself is monomorphic and fast;
 *  - a phase table: a CPU profile (node --cpu-prof) of one replication at 33,000
 *    schools, its self time summed by source file, each file being one mechanism or
 *    phase of the step.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { loadScenario } from '../scenarios/loader.js';
import { State } from '../sim/state.js';
import { runModel, worldFor, type Task } from '../workers/task.js';
import { child, DIST, fmtInt, median, ms, type Targets } from './util.js';

function task(schools: number, replication: number): Task {
  const sc = loadScenario('baseline');
  return { id: 0, scenario: sc.name, params: sc.params, run: { ...sc.run, years: 10, stepsPerYear: 3, schools }, seed: 1, point: 0, replication };
}

export function scaling(targets: Targets, huge: boolean): void {
  const sizes = huge ? [3300, 33000, 330000, 3300000] : [3300, 33000, 330000];
  console.log('Engine: one replication of the default England (10 years, termly), one core, each size in a fresh process after a warm-up');
  const costs: number[] = [];
  const rss: number[] = [];
  for (const n of sizes) {
    const reps = n <= 3300 ? 5 : n <= 33000 ? 3 : 1;
    const r = child(DIST, n, { reps, warm: 1 });
    const t = median(r.times);
    costs.push(t / (n * r.steps));
    rss.push(r.rss);
    const growth = costs[costs.length - 1] / costs[0];
    console.log(
      `  ${fmtInt(n).padStart(9)} schools  ${ms(t).padStart(9)} a replication, ${r.steps} steps   ${((t / (n * r.steps)) * 1e9).toFixed(0).padStart(5)} ns per school-step` +
        (n > 3300 ? `   growth ${growth.toFixed(2)}x (target <= 1.3x)` : '') +
        `   peak RSS ${(r.rss / 2 ** 20).toFixed(0)} MiB`,
    );
    if (n > 33000) targets.add(`per-school-step cost at ${fmtInt(n)} <= 1.3x that at 3,300`, `${growth.toFixed(2)}x`, growth <= 1.3);
  }
  const last = sizes.length - 1;
  const bytes = (rss[last] - rss[0]) / (sizes[last] - sizes[0]);
  console.log(`  peak memory per school      ${bytes.toFixed(0)} bytes ((peak RSS at ${fmtInt(sizes[last])} - at 3,300) / extra schools; target <= 600)`);
  targets.add(`peak memory <= 600 bytes per school (at ${fmtInt(sizes[last])})`, `${bytes.toFixed(0)} bytes`, bytes <= 600);
}

// One streaming function per element type, so each sees a single array type.
function passF32(a: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] + 1;
}
function passF64(a: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] + 1;
}
function passI32(a: Int32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] + 1;
}
function passU8(a: Uint8Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] + 1;
}
function passU16(a: Uint16Array): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] + 1;
}

/** Seconds for the streaming pass over every per-school typed array of a State, once per step for `steps` steps. */
function timeStreaming(schools: number, steps: number): number {
  const t = task(schools, 0);
  const s = new State(worldFor(t), t.params, 3) as unknown as Record<string, unknown>;
  const of = <A>(ctor: new (n: number) => A): A[] => Object.values(s).filter((v) => v instanceof ctor && (v as { length: number }).length === schools) as A[];
  const f32 = of(Float32Array);
  const f64 = of(Float64Array);
  const i32 = of(Int32Array);
  const u8 = of(Uint8Array);
  const u16 = of(Uint16Array);
  const pass = (): void => {
    for (const a of f32) passF32(a);
    for (const a of f64) passF64(a);
    for (const a of i32) passI32(a);
    for (const a of u8) passU8(a);
    for (const a of u16) passU16(a);
  };
  for (let k = 0; k < 20; k++) pass();
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < steps; k++) pass();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function efficiency(): void {
  const n = 3300;
  runModel(task(n, 99)); // warm-up
  let steps = 0;
  const runs = [0, 1, 2, 3, 4].map((r) => {
    const t0 = process.hrtime.bigint();
    const m = runModel(task(n, r)) as unknown as { steps: number; spinupSteps?: number };
    steps = m.steps + (m.spinupSteps ?? 0);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  });
  const run = median(runs);
  const stream = median([0, 1, 2, 3, 4].map(() => timeStreaming(n, steps)));
  console.log(`Engine in this process (3,300 schools, ${steps} steps)`);
  console.log(`  school-steps per second     ${fmtInt((n * steps) / run)}`);
  console.log(`  efficiency ratio            ${(run / stream).toFixed(1)}  (run ${ms(run)} / monomorphic streaming pass ${ms(stream)}; target <= 20)`);
}

/**
 * Heap allocated by one warm replication at 3,300 schools, from V8's sampling heap
 * profiler with the objects later collected counted in: what the step loop leaves to
 * the garbage collector (mostly doubles boxed by calls that were not inlined).
 */
export async function allocation(): Promise<void> {
  const n = 3300;
  for (const r of [96, 97, 98, 99]) runModel(task(n, r)); // warm-up: compiled code, as in a worker after its first task
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
    const m = runModel(task(n, 0)) as unknown as { steps: number; spinupSteps?: number };
    const { profile } = await session.post('HeapProfiler.stopSampling');
    // The samples' sizes (node's typings of the profile omit the field).
    const samples = (profile as unknown as { samples: { size: number }[] }).samples;
    const bytes = samples.reduce((a, x) => a + x.size, 0);
    const steps = m.steps + (m.spinupSteps ?? 0);
    console.log(`  heap allocated               ${(bytes / 2 ** 20).toFixed(0)} MiB a replication, ${(bytes / (n * steps)).toFixed(0)} bytes per school-step (sampled, warm; objects later collected included)`);
  } finally {
    session.disconnect();
  }
}

/** Which phase of the model each source file is (file names follow the mechanisms). */
const PHASE_OF: Record<string, string> = {
  'trust.js': 'trust: interactions, informal sharing (6, 7)',
  'trust-table.js': 'trust: pairwise table',
  'effects.js': 'effects: lagged gains (6)',
  'outcomes.js': 'outcomes (8)',
  'exclusions.js': 'exclusions (9)',
  'formation.js': 'formation (12) and the initial stock',
  'dissolution.js': 'dissolution, overload (11)',
  'costs.js': 'costs (5)',
  'need.js': 'need (2)',
  'funding.js': 'funding (3)',
  'people.js': 'people (4)',
  'policy.js': 'policy (1)',
  'inspection.js': 'inspection (10)',
  'metrics.js': 'metrics (13)',
  'compact.js': 'yearly compaction',
  'partnership.js': 'membership lists',
  'state.js': 'state',
  'model.js': 'step loop (model.ts)',
  'generate.js': 'world generation',
  'world.js': 'world generation',
  'normal.js': 'world generation',
  'rng.js': 'generator: draws (rng.ts)',
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** Self time of a .cpuprofile summed by phase. */
export function phaseTimes(file: string): Map<string, number> {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i])!;
    const { url, functionName } = n.callFrame;
    const base = url.split('/').pop() ?? '';
    let phase: string;
    if (url.includes('/dist/sim/')) phase = PHASE_OF[base] ?? `sim/${base}`;
    else if (url.includes('seedrandom')) phase = 'generator: seedrandom';
    else if (functionName === '(garbage collector)') phase = 'garbage collector';
    else if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') phase = 'idle, program';
    else phase = 'other (loading, scenario, records)';
    out.set(phase, (out.get(phase) ?? 0) + (p.timeDeltas[i] ?? 0) / 1e6);
  }
  return out;
}

export function phases(schools = 33000): void {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-prof-'));
  try {
    child(DIST, schools, { reps: 1, warm: 1, node: ['--cpu-prof', '--cpu-prof-dir', dir] });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no CPU profile written');
    const t = phaseTimes(join(dir, file));
    const total = [...t.values()].reduce((a, b) => a + b, 0);
    console.log(`Phase table: CPU profile of a process running a warm-up at 3,300 and one replication at ${fmtInt(schools)} schools (self time by source file)`);
    for (const [k, v] of [...t].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(44)} ${(v * 1000).toFixed(0).padStart(7)} ms  ${((100 * v) / total).toFixed(1).padStart(5)}%`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
