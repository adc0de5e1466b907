/**
 * Simulated moments for the calibration targets: replications of the baseline (asked
 * the NAO questionnaire at the survey date) and, when the protocol targets are
 * wanted, of the exclusion-cost-protocol scenario, under common random numbers.
 * Used by `partnersim calibrate` both to evaluate the current baseline and as the
 * moment function the fit calls; and the J statistic with its degrees of freedom.
 */
import { M, METRICS } from '../../sim/metrics.js';
import { getPath, setPath, type Params } from '../../sim/params.js';
import { runTasks } from '../../workers/pool.js';
import type { Task, TaskRun } from '../../workers/task.js';
import { chiSquareCdf } from '../stats/distributions.js';
import { quantileSorted } from '../stats/describe.js';
import { loadTargets, momentsInJ, protocolFall, samplingCovariance, surveyMoments, within, type Target, type TargetKind } from './targets.js';

export interface MomentSettings {
  reps: number;
  threads: number;
  seed: number | string;
  schools: number;
  stepsPerYear: number;
  startYear: number;
}

/** Replications' moments and the sampling covariance of the moments in J. */
export interface SimulatedMoments {
  /** Target id -> value in each replication. */
  perRep: Record<string, number[]>;
  /** Ids of the moments in J, in the order of `omega`. */
  ids: string[];
  /** Sampling covariance of those moments in a 398-school survey, averaged over replications. */
  omega: number[][];
}

export interface TargetEvaluation {
  id: string;
  kind: TargetKind;
  description: string;
  source: string;
  target: number;
  tolerance: number;
  bound: 'equal' | 'atLeast' | 'atMost';
  simulated: number;
  /** 2.5% and 97.5% quantiles across replications. */
  low: number;
  high: number;
  within: boolean;
  /** In J (fitted and not dependent). */
  inJ: boolean;
  /** For moments in J: the standard error used to weight it (survey sampling and simulation). */
  se?: number;
  dependent?: string;
  setBy?: string[];
}

/** Years a calibration run needs: to the survey date, or through the protocol's first year. */
export function yearsNeeded(protocol: Params | null, startYear: number): number {
  if (!protocol) return 2;
  return Math.max(3, Math.ceil(protocol.levers.exclusionCostProtocol.startYear - startYear) + 1);
}

/** Per-replication moments; the protocol targets only when `protocol` is given. */
export async function simulateMoments(baseline: Params, protocol: Params | null, st: MomentSettings, targets: Target[] = loadTargets()): Promise<SimulatedMoments> {
  const run: TaskRun = { years: yearsNeeded(protocol, st.startYear), stepsPerYear: st.stepsPerYear, startYear: st.startYear, schools: st.schools };
  const tasks: Task[] = [];
  for (let r = 0; r < st.reps; r++) {
    tasks.push({ id: tasks.length, scenario: 'baseline', params: baseline, run, seed: st.seed, point: 0, replication: r, survey: true });
    if (protocol) tasks.push({ id: tasks.length, scenario: 'exclusion-cost-protocol', params: protocol, run, seed: st.seed, point: 0, replication: r });
  }
  const recs = await runTasks(tasks, { threads: st.threads });
  const per = protocol ? 2 : 1;
  const ids = momentsInJ(targets).map((t) => t.id);
  const perRep: Record<string, number[]> = {};
  const omega = ids.map(() => ids.map(() => 0));
  for (let r = 0; r < st.reps; r++) {
    const b = recs[per * r];
    const sm = surveyMoments(b.survey!, b.fundingIntent!);
    if (protocol) {
      const firstYear = Math.round(protocol.levers.exclusionCostProtocol.startYear - st.startYear);
      const y = recs[per * r + 1].yearly;
      sm.values.protocol_days_fall = protocolFall(y, METRICS.length, M.days_lost, firstYear);
      sm.values.protocol_permanent_fall = protocolFall(y, METRICS.length, M.permanent_exclusions, firstYear);
    }
    for (const [k, v] of Object.entries(sm.values)) (perRep[k] ??= []).push(v);
    const c = samplingCovariance(sm, ids);
    for (let j = 0; j < ids.length; j++) for (let k = 0; k < ids.length; k++) omega[j][k] += c[j][k] / st.reps;
  }
  return { perRep, ids, omega };
}

function finite(v: number[] | undefined): number[] {
  return (v ?? []).filter((x) => Number.isFinite(x));
}

function mean(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

function variance(v: number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
}

/** Mean of each J moment across replications, in `sim.ids` order. */
export function meanMoments(sim: SimulatedMoments): number[] {
  return sim.ids.map((id) => mean(finite(sim.perRep[id])));
}

/**
 * Variance of (report's figure − simulated mean) for each moment in J: the survey's
 * sampling variance (simulated, `omega`) plus the simulation's, Var across
 * replications / replications. Its inverse is the diagonal weight.
 */
export function momentVariances(sim: SimulatedMoments): number[] {
  return sim.ids.map((id, k) => {
    const v = finite(sim.perRep[id]);
    return sim.omega[k][k] + variance(v) / Math.max(1, v.length);
  });
}

/** Each target's simulated mean, its 95% range across replications, and whether it is within tolerance. */
export function evaluateTargets(sim: SimulatedMoments, targets: Target[] = loadTargets()): TargetEvaluation[] {
  const vars = momentVariances(sim);
  return targets.map((t) => {
    const v = finite(sim.perRep[t.id]);
    const m = mean(v);
    const [low, high] = v.length > 1 ? rangeOf(v) : [m, m];
    const k = sim.ids.indexOf(t.id);
    return {
      id: t.id,
      kind: t.kind,
      description: t.description,
      source: t.source,
      target: t.value,
      tolerance: t.tolerance,
      bound: t.bound ?? 'equal',
      simulated: m,
      low,
      high,
      within: v.length > 0 && within(t, m),
      inJ: k >= 0,
      ...(k >= 0 ? { se: Math.sqrt(vars[k]) } : {}),
      ...(t.dependent ? { dependent: t.dependent } : {}),
      ...(t.setBy ? { setBy: t.setBy } : {}),
    };
  });
}

function rangeOf(v: number[]): [number, number] {
  const s = [...v].sort((a, b) => a - b);
  return [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
}

/** J with its degrees of freedom; the χ² p-value only when df > 0. */
export interface JStatistic {
  J: number;
  /** Moments in J. */
  moments: number;
  /** Parameters fitted. */
  parameters: number;
  /** moments − parameters. */
  df: number;
  /** P(χ²_df ≥ J), present only when df > 0 (with df ≤ 0 there is nothing to test). */
  chiSquareP?: number;
}

/**
 * J = Σ_k (m_k − t_k)² / v_k over the moments in J with diagonal weights 1/v_k,
 * v_k the variance of the difference (`momentVariances`): the weighted
 * overidentification statistic of the method of simulated moments (Hansen 1982;
 * Gouriéroux & Monfort 1996). Under a correct model with uncorrelated moments it is
 * about χ² with K − p degrees of freedom; with correlated moments and diagonal
 * weights the χ² reference is an approximation. The p-value is given only when
 * K − p > 0.
 */
export function jStatistic(residuals: number[], variances: number[], parameters: number): JStatistic {
  if (residuals.length !== variances.length) throw new Error(`jStatistic: ${residuals.length} residuals for ${variances.length} variances`);
  let J = 0;
  for (let k = 0; k < residuals.length; k++) J += residuals[k] ** 2 / variances[k];
  const df = residuals.length - parameters;
  const out: JStatistic = { J, moments: residuals.length, parameters, df };
  if (df > 0 && Number.isFinite(J)) out.chiSquareP = 1 - chiSquareCdf(J, df);
  return out;
}

/** J at the simulated moments (their means against the targets). */
export function jOf(sim: SimulatedMoments, targets: Target[], parameters: number): JStatistic {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const m = meanMoments(sim);
  return jStatistic(
    sim.ids.map((id, k) => m[k] - byId.get(id)!.value),
    momentVariances(sim),
    parameters,
  );
}

/**
 * The parameters the fit adjusts, with their boxes: what the fitted targets identify.
 * Reduced from 14 (of which several were set from tautological targets or not
 * identified): see docs/ODD.md, "Calibration".
 */
export const FREE_PARAMETERS: { path: string; lower: number; upper: number; integer?: boolean; informedBy: string[] }[] = [
  { path: 'formation.initiationRate', lower: 0.1, upper: 0.8, informedBy: ['attainment_partnering', 'attainment_per_partnering_school'] },
  { path: 'formation.behaviourInitiationRate', lower: 0.03, upper: 0.6, informedBy: ['behaviour_partnering'] },
  { path: 'formation.opennessSd', lower: 0.2, upper: 2, informedBy: ['both', 'attainment_per_partnering_school'] },
  { path: 'formation.bothShare', lower: 0, upper: 1.5, informedBy: ['both'] },
  { path: 'formation.largeShare', lower: 0.05, upper: 0.4, informedBy: ['most_effective_large'] },
  { path: 'formation.smallMeanExtra', lower: 0.3, upper: 4, informedBy: ['most_effective_small'] },
  { path: 'formation.primaryShare', lower: 0.1, upper: 0.9, informedBy: ['organisations_per_partnership'] },
  { path: 'dissolution.hazardFloorPerYear', lower: 0.02, upper: 0.4, informedBy: ['most_effective_old', 'most_effective_new'] },
  { path: 'world.keyPersonShare', lower: 0.1, upper: 0.95, informedBy: ['fragile'] },
];

/** Copy of params with θ applied to the free parameters. */
export function applyTheta(params: Params, theta: number[], free = FREE_PARAMETERS): Params {
  const p = structuredClone(params);
  free.forEach((f, k) => setPath(p, f.path, f.integer ? Math.round(theta[k]) : theta[k]));
  return p;
}

/** The free parameters' current values. */
export function thetaOf(params: Params, free = FREE_PARAMETERS): number[] {
  return free.map((f) => getPath(params, f.path) as number);
}
