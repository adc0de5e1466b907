/**
 * A battery of the numerics the CLI and the workshop page share, run in Node and (bundled)
 * in Chromium by engines.test.ts: sim/fmath.ts's functions over many arguments, the
 * distribution functions the tests and intervals use, and BCa intervals of fixed samples.
 * Returns plain numbers, to be compared bit for bit. `engineMath` does the same with the
 * engine's own Math functions, to show the difference the portable ones remove.
 */
import { cos2pi, exp, log, log1p, pow, sin2pi } from '../../sim/fmath.js';
import { normalCdf, normalQuantile, studentTQuantile, studentTTwoSidedP, chiSquareCdf, kolmogorovSurvival } from '../../analysis/stats/distributions.js';
import { bootstrapMeanCI } from '../../analysis/stats/bootstrap.js';
import { Rng } from '../../sim/rng.js';
import { CompareAggregator, compare } from '../../analysis/compare.js';
import type { TaskRecord } from '../../workers/task.js';

/** compare()'s results (the `results` of compare --json) for records made elsewhere, as JSON text. */
export function statsOf(records: TaskRecord[], scenarios: string[], reps: number, years: number, seed: number): string {
  const agg = new CompareAggregator(scenarios, reps, years);
  for (const r of records) agg.add(r);
  return JSON.stringify(compare(agg, scenarios[0], seed).results);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** The arguments both batteries take the elementary functions at: 20,000 pairs (x, y). */
function elementaryArguments(): [number, number][] {
  const u = lcg(11);
  return Array.from({ length: 20000 }, () => {
    const x = (u() - 0.5) * 40;
    return [x, u() * 100 + 1e-9];
  });
}

/** Portable numerics: the same bits wherever they run. */
export function battery(): number[] {
  const out: number[] = [];
  for (const [x, y] of elementaryArguments()) out.push(exp(x), log(y), log1p(x / 50), pow(y, x / 20), cos2pi(x), sin2pi(x));
  for (let i = 1; i < 400; i++) {
    const p = i / 400;
    out.push(normalQuantile(p), normalCdf((p - 0.5) * 12), studentTQuantile(p, 1 + (i % 30)), studentTTwoSidedP((p - 0.5) * 8, 2 + (i % 19)), chiSquareCdf(p * 20, 1 + (i % 9)), kolmogorovSurvival(p * 2.5));
  }
  const v = lcg(5);
  for (let k = 0; k < 30; k++) {
    const n = 3 + (k % 18);
    const xs = Array.from({ length: n }, () => Math.round(v() * 100) / 10 + (k % 3 === 0 ? v() * v() * 40 : 0));
    const ci = bootstrapMeanCI(xs, { rng: new Rng(`battery-${k}`), method: 'bca', resamples: 2000 });
    out.push(ci.low, ci.high, ci.mcError.low, ci.mcError.high, ci.z0, ci.acceleration);
  }
  return out;
}

/** The same arguments through the engine's own Math functions (not portable). */
export function engineMath(): number[] {
  const out: number[] = [];
  for (const [x, y] of elementaryArguments()) out.push(Math.exp(x), Math.log(y), Math.log1p(x / 50), Math.pow(y, x / 20), Math.cos(2 * Math.PI * x), Math.sin(2 * Math.PI * x));
  return out;
}
