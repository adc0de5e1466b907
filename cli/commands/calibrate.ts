/**
 * `partnersim calibrate`: fit the baseline's free parameters to the NAO survey's
 * figures by the method of simulated moments (analysis/calibration/smm.ts), with
 * replications on worker threads and common random numbers; or, with --evaluate,
 * only evaluate the current baseline against every target.
 * The fit writes the fitted values into the baseline scenario file with provenance
 * (method, seed, date, fit).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { Rng } from '../../sim/rng.js';
import { getPath } from '../../sim/params.js';
import { builtinDir } from '../../scenarios/yaml-path.js';
import { loadScenario } from '../../scenarios/loader.js';
import { smm } from '../../analysis/calibration/smm.js';
import { applyTheta, evaluateTargets, FREE_PARAMETERS, simulateMoments, type MomentSettings, type TargetEvaluation } from '../../analysis/calibration/evaluate.js';
import { loadTargets } from '../../analysis/calibration/targets.js';
import { writeFileAtomic } from '../../analysis/output/atomic.js';
import { layout } from '../../analysis/output/table.js';
import { seedValue, wholeNumber } from '../args.js';
import { threadCount } from './compare.js';

export interface CalibrateArgs {
  evaluate?: boolean;
  json?: boolean;
  reps?: unknown;
  threads?: unknown;
  seed?: unknown;
  schools?: unknown;
  budget?: unknown;
  write?: string;
}

function settings(a: CalibrateArgs, defaultReps: number): MomentSettings {
  return {
    reps: a.reps === undefined ? defaultReps : wholeNumber('reps', a.reps, 1, 10000),
    threads: threadCount(a.threads),
    seed: seedValue(a.seed),
    schools: a.schools === undefined ? 3300 : wholeNumber('schools', a.schools, 50, 10_000_000),
    stepsPerYear: 3,
    startYear: 2007,
  };
}

function table(ev: TargetEvaluation[], header: string): string {
  const pct = (t: TargetEvaluation, v: number): string => (t.target <= 1 ? `${(100 * v).toFixed(1)}%` : v.toFixed(2));
  const rows = ev.map((t) => [t.description, `[${t.source}]`, pct(t, t.target), pct(t, t.simulated), `${pct(t, t.low)} - ${pct(t, t.high)}`, t.within ? 'yes' : 'NO']);
  const n = ev.filter((t) => t.within).length;
  return `${header}\n\n${layout(rows, ['target', 'NAO', 'report', 'model', 'model 95% range', 'within'], 'llrrrl')}\n\n${n} of ${ev.length} targets within tolerance.`;
}

export async function calibrateCommand(a: CalibrateArgs): Promise<void> {
  const base = loadScenario('baseline');
  const protocol = loadScenario('exclusion-cost-protocol');
  if (a.evaluate) {
    const st = settings(a, 8);
    const ev = evaluateTargets(await simulateMoments(base.params, protocol.params, st));
    if (a.json) process.stdout.write(JSON.stringify({ targets: ev.map(({ id, description, target, simulated, low, high, within }) => ({ id, description, target, simulated, low, high, within })) }, null, 2) + '\n');
    else process.stdout.write(table(ev, `Baseline against the NAO survey (${st.reps} replications, seed ${st.seed}, ${st.schools.toLocaleString('en-GB')} schools, survey date January-February 2009)`) + '\n');
    return;
  }
  // Fit: method of simulated moments over the free parameters.
  const st = settings(a, 3);
  const budget = a.budget === undefined ? 200 : wholeNumber('budget', a.budget, 10, 100000);
  const targets = loadTargets();
  const theta0 = FREE_PARAMETERS.map((f) => getPath(base.params, f.path) as number);
  const moments = async (theta: number[]): Promise<number[]> => {
    const m = await simulateMoments(applyTheta(base.params, theta), applyTheta(protocol.params, theta), st);
    return targets.map((t) => {
      const v = m[t.id].filter(Number.isFinite);
      const mean = v.reduce((x, y) => x + y, 0) / Math.max(1, v.length);
      return t.kind === 'atLeast' ? Math.min(mean, t.value) : mean;
    });
  };
  let evals = 0;
  const res = await smm(
    async (th) => {
      evals++;
      if (process.stderr.isTTY) process.stderr.write(`\rcalibrating: ${evals}/${budget} evaluations`);
      return moments(th);
    },
    {
      lower: FREE_PARAMETERS.map((f) => f.lower),
      upper: FREE_PARAMETERS.map((f) => f.upper),
      targets: targets.map((t) => t.value),
      tolerances: targets.map((t) => t.tolerance),
      rng: Rng.fromKey({ seed: st.seed, replication: 0, stream: 'calibration' }),
      budget,
      names: FREE_PARAMETERS.map((f) => f.path),
      // The current values start the search; a small space-filling design leaves most of the budget to refinement.
      starts: [theta0],
      designSize: Math.max(8, Math.floor(budget / 4)),
      refineStarts: 2,
      concurrency: 1,
    },
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  const file = a.write ?? join(builtinDir(), 'baseline.yaml');
  const start = res.history[0];
  writeFitted(file, res.theta, {
    method: 'method of simulated moments (current values and a Latin hypercube, then bounded Nelder-Mead)',
    startJ: Number(start.distance.toFixed(4)),
    improved: res.distance < start.distance,
    seed: st.seed,
    date: new Date().toISOString().slice(0, 10),
    replications: st.reps,
    schools: st.schools,
    evaluations: res.evaluations,
    fit: { J: Number(res.fit.j.toFixed(4)), withinTolerance: res.fit.withinTolerance, targets: targets.length },
  });
  process.stdout.write(`Fitted ${FREE_PARAMETERS.length} parameters in ${res.evaluations} evaluations: J = ${res.fit.j.toFixed(3)}, ${res.fit.withinTolerance} of ${targets.length} targets within tolerance.\nWrote ${file}. Check with: partnersim calibrate --evaluate\n`);
}

/** Write fitted values into a scenario file, keeping its comments and other keys. */
export function writeFitted(file: string, theta: number[], provenance: Record<string, unknown>): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  FREE_PARAMETERS.forEach((f, k) => {
    const v = f.integer ? Math.round(theta[k]) : Number(theta[k].toPrecision(4));
    doc.setIn(['parameters', ...f.path.split('.')], v);
  });
  doc.set('calibration', provenance);
  writeFileAtomic(file, doc.toString({ lineWidth: 100 }));
}
