/**
 * `npm run bench`: speed and memory figures, printed (never asserted in tests).
 *
 * Engine (issue 2):
 *  - one replication of the default England (10 years, termly) on one core:
 *    school-steps per second and the efficiency ratio = run time / time of a plain
 *    streaming pass that reads and writes every per-school state field once per step,
 *    measured in the same process;
 *  - per-school-step cost at 3,300, 33,000 and 330,000 schools (growth ratio);
 *  - peak memory per school at 330,000 schools (child processes: peak RSS at 330,000
 *    minus peak RSS of a 3,300-school run, divided by the extra schools).
 * Ratios are measured within one run; absolute times vary with the machine.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultParams } from '../sim/params.js';
import { Model } from '../sim/model.js';
import { State } from '../sim/state.js';
import { worldFor, type Task } from '../workers/task.js';

const YEARS = 10;
const SPY = 3;

function task(schools: number, rep = 0): Task {
  return { id: 0, scenario: 'baseline', params: defaultParams(), run: { years: YEARS, stepsPerYear: SPY, startYear: 2007, schools }, seed: 1, point: 0, replication: rep };
}

/** Seconds for one whole replication (world, initialisation, run). */
function timeReplication(schools: number, rep = 0): number {
  const t0 = process.hrtime.bigint();
  const t = task(schools, rep);
  const m = new Model(worldFor(t), t.params, { years: YEARS, stepsPerYear: SPY, startYear: 2007, seed: 1, replication: rep });
  m.run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Seconds for the streaming pass over every per-school typed array of a State, once per step. */
function timeStreaming(schools: number): number {
  const t = task(schools);
  const s = new State(worldFor(t), t.params, SPY);
  const fields = Object.values(s).filter((v): v is Float32Array | Uint8Array | Int32Array => ArrayBuffer.isView(v) && (v as Float32Array).length === schools) as (Float32Array | Uint8Array | Int32Array)[];
  const pass = (): void => {
    for (const a of fields) for (let i = 0; i < a.length; i++) a[i] = a[i] + 1;
  };
  for (let k = 0; k < 20; k++) pass();
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < YEARS * SPY; k++) pass();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function engine(): void {
  const n = 3300;
  const steps = YEARS * SPY;
  timeReplication(n, 99); // warm-up: JIT
  const runs = [0, 1, 2, 3, 4].map((r) => timeReplication(n, r));
  const run = median(runs);
  const stream = median([0, 1, 2, 3, 4].map(() => timeStreaming(n)));
  console.log('Engine: one replication of the default England (3,300 schools, 10 years, termly), one core');
  console.log(`  school-steps per second     ${Math.round((n * steps) / run).toLocaleString('en-GB')}`);
  console.log(`  efficiency ratio            ${(run / stream).toFixed(1)}  (run ${(run * 1000).toFixed(0)} ms / streaming pass ${(stream * 1000).toFixed(2)} ms; target <= 20)`);
  console.log('  per-school-step cost:');
  const sizes = [3300, 33000, 330000];
  const costs: number[] = [];
  for (const size of sizes) {
    const reps = size >= 330000 ? 1 : size >= 33000 ? 3 : 5;
    if (size > 3300) timeReplication(Math.min(size, 33000), 98);
    const t = median(Array.from({ length: reps }, (_, r) => timeReplication(size, r)));
    costs.push(t / (size * steps));
    console.log(`    ${size.toLocaleString('en-GB').padStart(9)} schools  ${((t / (size * steps)) * 1e9).toFixed(0).padStart(6)} ns`);
  }
  console.log(`  growth 3,300 -> 330,000     ${(costs[2] / costs[0]).toFixed(2)}x  (target <= 1.3x)`);
  const self = fileURLToPath(import.meta.url);
  const rss = (size: number): number => Number(execFileSync(process.execPath, [self, '--rss', String(size)], { encoding: 'utf8' }).trim());
  const small = rss(3300);
  const big = rss(330000);
  console.log(`  peak memory per school      ${((big - small) / (330000 - 3300)).toFixed(0)} bytes at 330,000 schools (peak RSS ${(big / 2 ** 20).toFixed(0)} MiB)`);
}

async function mainBench(argv: string[]): Promise<void> {
  if (argv[0] === '--rss') {
    timeReplication(Number(argv[1]));
    console.log(process.resourceUsage().maxRSS * 1024);
    return;
  }
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  if (!only || only === 'engine') engine();
  const extra = await import('./sections.js');
  await extra.runSections(only);
}

await mainBench(process.argv.slice(2));
