/**
 * `partnersim calibrate`: fit the baseline's free parameters to the NAO survey's
 * figures by the method of simulated moments (analysis/calibration/fit.ts) on the fit
 * seeds, set the input parameters from their figures (analysis/calibration/inputs.ts),
 * and write the values into the baseline scenario file with provenance and a
 * parameter sample for `compare --posterior`; or, with --evaluate, evaluate the
 * current baseline against every target on fresh seeds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { InputError } from '../../sim/errors.js';
import { getPath, setPath, type Params } from '../../sim/params.js';
import { builtinDir, packageRoot } from '../../scenarios/yaml-path.js';
import { loadScenario } from '../../scenarios/loader.js';
import { evaluateTargets, FREE_PARAMETERS, jOf, simulateMoments, type JStatistic, type MomentSettings, type TargetEvaluation } from '../../analysis/calibration/evaluate.js';
import { fitBaseline, type FitResult } from '../../analysis/calibration/fit.js';
import { bisectInput, notAnIssueInput, protocolInputs } from '../../analysis/calibration/inputs.js';
import { POSTERIOR_KIND, type PosteriorFile } from '../../analysis/calibration/posterior.js';
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
  posteriorOut?: string;
  design?: unknown;
  newton?: unknown;
  quick?: boolean;
  step?: unknown;
  xtol?: unknown;
  ftol?: unknown;
}

/** A number in (min, max], or an InputError naming the option. */
function positive(option: string, v: unknown, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > max) throw InputError.at(undefined, `--${option}`, `expected a number above 0 and at most ${max}, got ${JSON.stringify(v)}`);
  return n;
}

/** Seeds: the fit's default differs from --evaluate's, so the default evaluation is on fresh replications. */
export const FIT_SEED = 1001;
export const EVALUATE_SEED = 1;
export const DEFAULT_BUDGET = 400;
export const DEFAULT_FIT_REPS = 4;
export const DEFAULT_EVALUATE_REPS = 8;

/** Where `calibrate` writes the parameter sample by default. */
export function defaultPosteriorFile(): string {
  return join(builtinDir(), 'calibration', 'posterior.json');
}

function settings(a: CalibrateArgs, defaultReps: number, defaultSeed: number, defaultThreads?: number): MomentSettings {
  return {
    reps: a.reps === undefined ? defaultReps : wholeNumber('reps', a.reps, 2, 10000),
    threads: a.threads === undefined && defaultThreads !== undefined ? defaultThreads : threadCount(a.threads),
    seed: a.seed === undefined ? defaultSeed : seedValue(a.seed),
    schools: a.schools === undefined ? 3300 : wholeNumber('schools', a.schools, 50, 10_000_000),
    stepsPerYear: 3,
    startYear: 2007,
  };
}

const pct = (t: TargetEvaluation, v: number): string => (Math.abs(t.target) <= 1 && t.id !== 'partnering_attainment_gap' ? `${(100 * v).toFixed(1)}%` : v.toFixed(2));

function targetText(t: TargetEvaluation): string {
  if (t.bound === 'atLeast') return `>= ${pct(t, t.target)}`;
  if (t.bound === 'atMost') return `<= ${pct(t, t.target)}`;
  return pct(t, t.target);
}

function table(ev: TargetEvaluation[]): string {
  const rows = ev.map((t) => [t.kind + (t.dependent ? ' (dep.)' : ''), t.description, `[${t.source}]`, targetText(t), pct(t, t.simulated), `${pct(t, t.low)} - ${pct(t, t.high)}`, t.within ? 'yes' : 'NO']);
  return layout(rows, ['kind', 'target', 'NAO', 'report', 'model', 'model 95% range', 'within'], 'lllrrrl');
}

function jText(j: JStatistic): string {
  const p = j.chiSquareP !== undefined ? `, P(chi2_${j.df} >= J) = ${j.chiSquareP.toFixed(3)}` : ' (no chi-square test: df <= 0)';
  return `J = ${j.J.toFixed(2)} on ${j.moments} moments - ${j.parameters} parameters = ${j.df} df${p}`;
}

/** The evaluation document (`calibrate --evaluate --json`). */
export interface EvaluationDocument {
  seed: number | string;
  replications: number;
  schools: number;
  /** False when the evaluation reuses the fit's seed (then it is not out of sample). */
  freshSeeds: boolean;
  J: number;
  df: number;
  chiSquareP?: number;
  moments: number;
  parameters: number;
  /** The fit's simplex criterion, from the baseline's provenance. */
  converged: boolean;
  fit: Record<string, unknown> | null;
  fittedParameters: { path: string; value: number; se?: number; low?: number; high?: number }[];
  summary: Record<'fitted' | 'input' | 'check', { targets: number; within: number }>;
  targets: (Pick<TargetEvaluation, 'id' | 'kind' | 'description' | 'source' | 'target' | 'tolerance' | 'bound' | 'simulated' | 'low' | 'high' | 'within' | 'inJ' | 'se' | 'dependent' | 'setBy'>)[];
}

export function evaluationDocument(ev: TargetEvaluation[], j: JStatistic, st: MomentSettings, base: Params, provenance: Record<string, unknown> | undefined): EvaluationDocument {
  const fitSeed = provenance?.seed;
  const est = (provenance?.estimates ?? {}) as Record<string, { se?: number; low?: number; high?: number }>;
  const summary = { fitted: { targets: 0, within: 0 }, input: { targets: 0, within: 0 }, check: { targets: 0, within: 0 } };
  for (const t of ev) {
    summary[t.kind].targets++;
    if (t.within) summary[t.kind].within++;
  }
  return {
    seed: st.seed,
    replications: st.reps,
    schools: st.schools,
    freshSeeds: fitSeed === undefined || String(fitSeed) !== String(st.seed),
    J: j.J,
    df: j.df,
    ...(j.chiSquareP !== undefined ? { chiSquareP: j.chiSquareP } : {}),
    moments: j.moments,
    parameters: j.parameters,
    converged: provenance?.converged === true,
    fit: provenance ?? null,
    fittedParameters: FREE_PARAMETERS.map((f) => ({ path: f.path, value: getPath(base, f.path) as number, ...(est[f.path] ?? {}) })),
    summary,
    targets: ev.map(({ id, kind, description, source, target, tolerance, bound, simulated, low, high, within, inJ, se, dependent, setBy }) => ({
      id,
      kind,
      description,
      source,
      target,
      tolerance,
      bound,
      simulated,
      low,
      high,
      within,
      inJ,
      ...(se !== undefined ? { se } : {}),
      ...(dependent ? { dependent } : {}),
      ...(setBy ? { setBy } : {}),
    })),
  };
}

export async function calibrateCommand(a: CalibrateArgs): Promise<void> {
  const base = loadScenario('baseline');
  const protocol = loadScenario('exclusion-cost-protocol');
  const targets = loadTargets();
  if (a.evaluate) {
    const st = settings(a, DEFAULT_EVALUATE_REPS, EVALUATE_SEED);
    const sim = await simulateMoments(base.params, protocol.params, st, targets);
    const ev = evaluateTargets(sim, targets);
    const j = jOf(sim, targets, FREE_PARAMETERS.length);
    const doc = evaluationDocument(ev, j, st, base.params, base.calibration);
    if (a.json) {
      process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      return;
    }
    const lines = [
      `Baseline against the NAO survey (${st.reps} replications, seed ${st.seed}${doc.freshSeeds ? ', not the fit\'s seeds' : ' - THE FIT\'S OWN SEED, so not out of sample'}, ${st.schools.toLocaleString('en-GB')} schools, survey date January-February 2009)`,
      'fitted: used by the fit; input: a parameter was set from the figure (no evidence); check: not used by the fit (out of sample).',
      '',
      table(ev),
      '',
      ...(['fitted', 'check', 'input'] as const).map((k) => `${k}: ${doc.summary[k].within} of ${doc.summary[k].targets} within tolerance`),
      jText(j),
      `Fit (from the baseline's provenance): ${doc.converged ? 'converged' : 'NOT converged'}${base.calibration ? `, ${String(base.calibration.iterations)} simplex iterations, ${String(base.calibration.evaluations)} evaluations, seed ${String(base.calibration.seed)}` : ''}.`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return;
  }

  // Fit on the fit seeds.
  // The fit's runs are short: in this thread (0 workers) the code stays warm between
  // evaluations, which is faster than starting cold workers for every evaluation.
  const st = settings(a, DEFAULT_FIT_REPS, FIT_SEED, 0);
  const budget = a.budget === undefined ? DEFAULT_BUDGET : wholeNumber('budget', a.budget, 1, 100000);
  const params = structuredClone(base.params);
  const inputs = protocolInputs(params);
  setPath(params, 'exclusions.costElasticity', inputs.costElasticity);
  setPath(params, 'exclusions.permanentDiscretion', inputs.permanentDiscretion);
  const tty = process.stderr.isTTY;
  let bestJ = Infinity;
  const res = await fitBaseline(params, st, {
    budget,
    ...(a.design !== undefined ? { designSize: wholeNumber('design', a.design, 0, 10000) } : {}),
    ...(a.newton !== undefined ? { newtonIterations: wholeNumber('newton', a.newton, 0, 100) } : {}),
    ...(a.quick ? { jacobianFromNewton: true, noiseSeeds: 0 } : {}),
    ...(a.step !== undefined ? { initialStep: positive('step', a.step, 1) } : {}),
    ...(a.xtol !== undefined ? { xTolerance: positive('xtol', a.xtol, 1) } : {}),
    ...(a.ftol !== undefined ? { fTolerance: positive('ftol', a.ftol, 1000) } : {}),
    onEvaluation: (n, J) => {
      bestJ = Math.min(bestJ, J);
      const line = `calibrating: ${n} evaluations (search budget ${budget}), best J ${bestJ.toFixed(2)}`;
      if (tty) process.stderr.write(`\r${line}   `);
      else if (n % 50 === 0) process.stderr.write(line + '\n');
    },
  });
  if (tty) process.stderr.write('\n');
  const fitted = structuredClone(params);
  FREE_PARAMETERS.forEach((f, j) => setPath(fitted, f.path, res.theta[j]));
  // Inputs by bisection at the fitted values: the Ofsted behaviour cut points (shares in a world
  // before partnering) so the survey-date shares are NAO [3.2]'s, then the "not an issue" threshold.
  const gradeInputs: Record<string, number> = {};
  for (const [id, path, hi] of [['behaviour_inadequate', 'world.behaviourInadequate', 0.2], ['behaviour_satisfactory', 'world.behaviourSatisfactory', 0.7]] as const) {
    const t = targets.find((x) => x.id === id);
    const r = t ? await bisectInput(fitted, st, t, path, 0, hi, a.quick ? 6 : 10) : null;
    if (r) {
      setPath(fitted, path, r.value);
      gradeInputs[path] = round(r.value);
    }
  }
  const notAnIssueTarget = targets.find((t) => t.id === 'not_an_issue');
  const nai = notAnIssueTarget ? await notAnIssueInput(fitted, st, notAnIssueTarget, a.quick ? 6 : 12) : null;

  const values: Record<string, number> = {};
  FREE_PARAMETERS.forEach((f, j) => (values[f.path] = f.integer ? Math.round(res.theta[j]) : round(res.theta[j])));
  values['exclusions.costElasticity'] = round(inputs.costElasticity);
  values['exclusions.permanentDiscretion'] = round(inputs.permanentDiscretion);
  if (nai) values['need.notAnIssue'] = round(nai.value);
  Object.assign(values, gradeInputs);

  const file = a.write ?? join(builtinDir(), 'baseline.yaml');
  const postFile = a.posteriorOut ?? defaultPosteriorFile();
  const date = new Date().toISOString().slice(0, 10);
  const posterior = posteriorDocument(res, st, date);
  const postText = JSON.stringify(posterior, null, 1) + '\n';
  writeFileAtomic(postFile, postText);
  writeFitted(file, values, provenance(res, st, budget, date, postFile, createHash('sha256').update(postText).digest('hex')));
  process.stdout.write(fitReport(res, values, file, postFile) + '\n');
}

const round = (v: number): number => Number(v.toPrecision(4));

/** The provenance block written into the scenario file. */
export function provenance(res: FitResult, st: MomentSettings, budget: number, date: string, postFile: string, postSha: string): Record<string, unknown> {
  const rel = relative(packageRoot(), postFile);
  return {
    method: 'method of simulated moments: diagonal weights from simulated standard errors (survey sampling of 398 schools + simulation); Levenberg-Marquardt steps from the current values, then bounded Nelder-Mead with restarts; sandwich standard errors',
    seed: st.seed,
    date,
    replications: st.reps,
    schools: st.schools,
    budget,
    initialStep: res.initialStep,
    designSize: res.designSize,
    newton: res.newton,
    jacobian: res.jacobian,
    evaluations: res.evaluations,
    jacobianEvaluations: res.jacobianEvaluations,
    iterations: res.iterations,
    converged: res.converged,
    criterion: res.criterion,
    startJ: Number(res.startJ.toFixed(4)),
    J: Number(res.fit.J.toFixed(4)),
    moments: res.fit.moments,
    parameters: res.fit.parameters,
    df: res.fit.df,
    ...(res.fit.chiSquareP !== undefined ? { chiSquareP: Number(res.fit.chiSquareP.toFixed(4)) } : {}),
    ...(res.identification ? { identification: res.identification } : {}),
    estimates: Object.fromEntries(res.estimates.map((e) => [e.path, { estimate: round(e.estimate), ...(e.se !== undefined ? { se: round(e.se), low: round(e.low!), high: round(e.high!) } : {}), ...(e.atBound ? { atBound: true } : {}) }])),
    inputs: 'exclusions.costElasticity and exclusions.permanentDiscretion in closed form from NAO Case Example 2; need.notAnIssue by bisection to NAO [2.13] 37%; world.behaviourInadequate and world.behaviourSatisfactory (cut points before partnering) by bisection to NAO [3.2] 2% and 26% at the survey date',
    posterior: { file: rel.startsWith('..') ? postFile : rel, sha256: postSha, draws: res.draws.length },
  };
}

/** The parameter sample file. */
export function posteriorDocument(res: FitResult, st: MomentSettings, date: string): PosteriorFile {
  return {
    kind: POSTERIOR_KIND,
    version: 1,
    method: 'normal approximation N(estimate, sandwich covariance) to the simulated-moments estimator, truncated to the parameter box',
    parameters: res.free.map((f) => f.path),
    estimate: res.theta,
    se: res.estimates.map((e) => e.se ?? NaN).map((v) => (Number.isFinite(v) ? v : 0)),
    draws: res.draws,
    provenance: { seed: st.seed, date, replications: st.reps, schools: st.schools, J: res.fit.J, df: res.fit.df, converged: res.converged, covariance: res.covariance },
  };
}

function fitReport(res: FitResult, values: Record<string, number>, file: string, postFile: string): string {
  const rows = res.estimates.map((e) => [e.path, String(round(e.start)), String(round(e.estimate)), e.se !== undefined ? round(e.se).toString() : 'not identified', e.se !== undefined ? `${round(e.low!)} - ${round(e.high!)}` : '', e.atBound ? 'at bound' : '']);
  const lines = [
    `Fitted ${res.free.length} parameters on the fit seeds: ${res.evaluations} evaluations (+ ${res.jacobianEvaluations} for the Jacobian), ${res.iterations} simplex iterations, ${res.converged ? 'converged' : 'NOT converged'} (simplex size ${res.criterion.simplexSize.toPrecision(2)} of the box against ${res.criterion.xTolerance}, J spread ${res.criterion.valueSpread.toPrecision(2)} against ${res.criterion.effectiveFTolerance.toPrecision(2)}; J's simulation SD at the estimate ${res.criterion.jNoiseSd.toPrecision(2)}).`,
    `J from ${res.startJ.toFixed(2)} at the start (${res.newton.J.toFixed(2)} after ${res.newton.iterations} Levenberg-Marquardt steps) to ${jText(res.fit)}.`,
    ...(res.identification ? [res.identification] : []),
    '',
    layout(rows, ['parameter', 'start', 'estimate', 'SE', '95% interval', ''], 'lrrrrl'),
    '',
    `Inputs: ${['exclusions.costElasticity', 'exclusions.permanentDiscretion', 'need.notAnIssue', 'world.behaviourInadequate', 'world.behaviourSatisfactory'].filter((k) => k in values).map((k) => `${k} = ${values[k]}`).join(', ')}.`,
    `Wrote ${file} and ${postFile} (${res.draws.length} parameter draws). Keep sim/params.ts defaults equal to the baseline; check on fresh seeds with: partnersim calibrate --evaluate`,
  ];
  return lines.join('\n');
}

/** Write values into a scenario file at parameter paths, keeping its comments and other keys. */
export function writeFitted(file: string, values: Record<string, number>, prov: Record<string, unknown>): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const [path, v] of Object.entries(values)) doc.setIn(['parameters', ...path.split('.')], v);
  doc.set('calibration', prov);
  writeFileAtomic(file, doc.toString({ lineWidth: 100 }));
}
