/**
 * Bench section: start-up. `partnersim run` at 3,300 schools, each time in a fresh
 * process with PARTNERSIM_TIMING set, which makes the command say on stderr when its
 * first step starts (performance.now(): milliseconds since the process started). Node's
 * own start-up (its bootstrap, before any of our code) is printed beside it, from an
 * empty script in the same run. Target: first step under 100 ms.
 */
import { join } from 'node:path';
import { DIST, median, wall, type Targets } from './util.js';

export function startup(targets: Targets, runs = 7): void {
  const main = join(DIST, 'cli', 'main.js');
  const first: number[] = [];
  const bare: number[] = [];
  const whole: number[] = [];
  for (let r = 0; r < runs; r++) {
    const w = wall([main, 'run', '--schools', '3300', '--years', '1'], { PARTNERSIM_TIMING: '1' });
    const m = /first step at ([\d.]+) ms/.exec(w.stderr);
    if (!m) throw new Error(`partnersim run printed no timing line:\n${w.stderr}`);
    first.push(Number(m[1]));
    whole.push(w.s);
    bare.push(Number(wall(['-e', 'process.stdout.write(String(performance.now()))']).stdout));
  }
  const f = median(first);
  console.log(`Start-up: \`partnersim run --schools 3300\` in a fresh process (${runs} runs, medians)`);
  console.log(`  process start to first step ${f.toFixed(0)} ms  (target < 100 ms)`);
  console.log(`  of which Node's own start   ${median(bare).toFixed(0)} ms  (an empty script's first line)`);
  console.log(`  whole command, 1 year       ${(median(whole) * 1000).toFixed(0)} ms wall`);
  targets.add('process start to first step < 100 ms (run, 3,300 schools)', `${f.toFixed(0)} ms (Node's own start ${median(bare).toFixed(0)} ms)`, f < 100);
}
