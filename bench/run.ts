/**
 * `npm run bench`: speed and memory figures, printed (never asserted in tests).
 * Ratios are measured within one run (the machine is shared, so absolute times are
 * noisy); the closing note lists each target with its figure and whether it is met.
 *
 *   npm run bench                      every section
 *   npm run bench -- --huge            also 3,300,000 schools in the scaling section (minutes)
 *   npm run bench -- --only SECTION    one of: release, engine, phases, startup, threads, pool, sweep, memory
 *
 * Sections (each in its own file):
 *   release  this build against release 0.1.0, built in a temporary worktree (release.ts)
 *   engine   per-school-step cost by size, bytes per school, efficiency ratio, heap allocated a replication (engine.ts)
 *   phases   CPU-profile phase table at 33,000 schools (engine.ts)
 *   startup  process start to first step of `partnersim run` (startup.ts)
 *   threads  1 -> 2 thread speedup of compare and sweep as whole commands (threads.ts)
 *   pool     pool overhead against a warmed main-thread loop; tiny-task overhead (threads.ts)
 *   sweep    sweep overhead against runTasks alone (sweep.ts)
 *   memory   peak RSS of compare runs with 1,000 and 10,000 replications (sections.ts)
 */
import { release } from './release.js';
import { allocation, efficiency, phases, scaling } from './engine.js';
import { startup } from './startup.js';
import { commands, pool } from './threads.js';
import { sweepOverhead } from './sweep.js';
import { memory } from './sections.js';
import { SECTIONS, Targets } from './util.js';

async function mainBench(argv: string[]): Promise<void> {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
    console.error(`bench: unknown section '${only}'; expected one of ${SECTIONS.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const huge = argv.includes('--huge');
  const want = (s: (typeof SECTIONS)[number]): boolean => only === undefined || only === s;
  const targets = new Targets();
  const gap = (): void => console.log('');
  if (want('release')) (release(targets), gap());
  if (want('engine')) (scaling(targets, huge), efficiency(), await allocation(), gap());
  if (want('phases')) (phases(), gap());
  if (want('startup')) (startup(targets), gap());
  if (want('threads')) (commands(targets), gap());
  if (want('pool')) (await pool(targets), gap());
  if (want('sweep')) (await sweepOverhead(), gap());
  if (want('memory')) memory();
  targets.print();
}

await mainBench(process.argv.slice(2));
