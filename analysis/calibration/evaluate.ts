/**
 * Simulated moments for the calibration targets: replications of the baseline (asked
 * the NAO questionnaire at the survey date) and of the exclusion-cost-protocol
 * scenario (for the Tower Hamlets fall in days lost), under common random numbers.
 * Used by `partnersim calibrate` both to evaluate the current baseline and as the
 * moment function the fitting method calls.
 */
import { M, METRICS } from '../../sim/metrics.js';
import { setPath, type Params } from '../../sim/params.js';
import { runTasks } from '../../workers/pool.js';
import type { Task, TaskRun } from '../../workers/task.js';
import { quantileSorted, summarise } from '../stats/describe.js';
import { loadTargets, protocolFall, surveyMoments, within, type Target } from './targets.js';

export interface MomentSettings {
  reps: number;
  threads: number;
  seed: number | string;
  schools: number;
  stepsPerYear: number;
  startYear: number;
}

export interface TargetEvaluation {
  id: string;
  description: string;
  source: string;
  target: number;
  tolerance: number;
  simulated: number;
  low: number;
  high: number;
  within: boolean;
}

/** Years a calibration run needs: through the protocol's first year. */
function yearsNeeded(protocol: Params, startYear: number): number {
  return Math.max(3, Math.ceil(protocol.levers.exclusionCostProtocol.startYear - startYear) + 1);
}

/** Per-replication moments (target id -> values across replications). */
export async function simulateMoments(baseline: Params, protocol: Params, st: MomentSettings): Promise<Record<string, number[]>> {
  const run: TaskRun = { years: yearsNeeded(protocol, st.startYear), stepsPerYear: st.stepsPerYear, startYear: st.startYear, schools: st.schools };
  const tasks: Task[] = [];
  for (let r = 0; r < st.reps; r++) {
    tasks.push({ id: 2 * r, scenario: 'baseline', params: baseline, run, seed: st.seed, point: 0, replication: r, survey: true });
    tasks.push({ id: 2 * r + 1, scenario: 'exclusion-cost-protocol', params: protocol, run, seed: st.seed, point: 0, replication: r });
  }
  const recs = await runTasks(tasks, { threads: st.threads });
  const out: Record<string, number[]> = {};
  const firstYear = Math.round(protocol.levers.exclusionCostProtocol.startYear - st.startYear);
  for (let r = 0; r < st.reps; r++) {
    const b = recs[2 * r];
    const m = surveyMoments(b.survey!, b.fundingIntent!);
    m.protocol_days_fall = protocolFall(recs[2 * r + 1].yearly, METRICS.length, M.days_lost, firstYear);
    for (const [k, v] of Object.entries(m)) (out[k] ??= []).push(v);
  }
  return out;
}

/** Each target's simulated mean, its 95% range across replications, and whether it is within tolerance. */
export function evaluateTargets(moments: Record<string, number[]>, targets: Target[] = loadTargets()): TargetEvaluation[] {
  return targets.map((t) => {
    const v = (moments[t.id] ?? []).filter((x) => Number.isFinite(x));
    const mean = v.length ? summarise(v).mean : NaN;
    const [low, high] = v.length > 1 ? rangeOf(v) : [mean, mean];
    return { id: t.id, description: t.description, source: t.source, target: t.value, tolerance: t.tolerance, simulated: mean, low, high, within: v.length > 0 && within(t, mean) };
  });
}

function rangeOf(v: number[]): [number, number] {
  const s = [...v].sort((a, b) => a - b);
  return [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
}

/** The free parameters the fit adjusts, with their boxes (each is marked calibrated in sim/params.ts). */
export const FREE_PARAMETERS: { path: string; lower: number; upper: number; integer?: boolean }[] = [
  { path: 'formation.initiationRate', lower: 0.1, upper: 0.8 },
  { path: 'formation.behaviourInitiationRate', lower: 0.03, upper: 0.6 },
  { path: 'formation.opennessSd', lower: 0.2, upper: 2 },
  { path: 'formation.bothShare', lower: 0, upper: 1.5 },
  { path: 'formation.largeShare', lower: 0.05, upper: 0.4 },
  { path: 'formation.smallMeanExtra', lower: 0.3, upper: 4 },
  { path: 'formation.primaryShare', lower: 0.2, upper: 0.8 },
  { path: 'formation.initialRounds', lower: 2, upper: 14, integer: true },
  { path: 'formation.initialAgeMeanYears', lower: 1, upper: 10 },
  { path: 'formation.acceptThreshold', lower: -0.2, upper: 0.6 },
  { path: 'need.notAnIssue', lower: 0.15, upper: 0.45 },
  { path: 'world.staffDaysPerTerm', lower: 6, upper: 40 },
  { path: 'people.fragileShare', lower: 0.2, upper: 1 },
  { path: 'exclusions.costElasticity', lower: 0.05, upper: 0.4 },
];

/** Copy of params with θ applied to the free parameters. */
export function applyTheta(params: Params, theta: number[]): Params {
  const p = structuredClone(params);
  FREE_PARAMETERS.forEach((f, k) => setPath(p, f.path, f.integer ? Math.round(theta[k]) : theta[k]));
  return p;
}
