/**
 * Bench child: times whole replications of the default England in a fresh process,
 * for any build of partnersim (this one or release 0.1.0 built in a temporary
 * worktree), so two versions can be timed side by side with nothing shared.
 *
 *   node dist/bench/child.js --root DIST --schools N [--reps R] [--warm W] [--seed S]
 *
 * DIST is a build's dist/ folder. Warm-up replications (other replication numbers, at
 * most 3,300 schools) come first so the timed ones run compiled code. Prints one JSON
 * line: the seconds of each timed replication (world generation, initialisation, any
 * spin-up and the run), the steps each simulated, and the process's peak RSS in bytes.
 */
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';

interface Args {
  root: string;
  schools: number;
  reps: number;
  warm: number;
  seed: number;
}

function parse(argv: string[]): Args {
  const get = (k: string, d?: string): string => {
    const i = argv.indexOf(`--${k}`);
    if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
    if (d === undefined) throw new Error(`bench child: --${k} is required`);
    return d;
  };
  return { root: resolve(get('root')), schools: Number(get('schools')), reps: Number(get('reps', '1')), warm: Number(get('warm', '1')), seed: Number(get('seed', '1')) };
}

interface ModelLike {
  steps: number;
  spinupSteps?: number;
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const url = (p: string): string => pathToFileURL(join(a.root, p)).href;
  const loader = (await import(url('scenarios/loader.js'))) as { loadScenario: (ref: string) => { name: string; params: unknown; run: Record<string, number> } };
  const task = (await import(url('workers/task.js'))) as { runModel: (t: unknown) => ModelLike };
  const sc = loader.loadScenario('baseline');
  const make = (schools: number, replication: number): unknown => ({ id: 0, scenario: sc.name, params: sc.params, run: { ...sc.run, years: 10, stepsPerYear: 3, schools }, seed: a.seed, point: 0, replication });
  for (let w = 0; w < a.warm; w++) task.runModel(make(Math.min(a.schools, 3300), 1000 + w));
  const times: number[] = [];
  let steps = 0;
  for (let r = 0; r < a.reps; r++) {
    const t0 = process.hrtime.bigint();
    const m = task.runModel(make(a.schools, r));
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    steps = m.steps + (m.spinupSteps ?? 0);
  }
  process.stdout.write(JSON.stringify({ times, steps, rss: process.resourceUsage().maxRSS * 1024 }) + '\n');
}

await main();
