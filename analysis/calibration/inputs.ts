/**
 * Parameters set directly from the report's figures (the `input` targets): no fit,
 * and reproducing the figure is no evidence for the model.
 *
 * - `exclusions.costElasticity`: under the protocol fixed-term exclusions are
 *   multiplied by exp(−costElasticity × £3,345/1000) (sim/exclusions.ts), so the 41%
 *   first-year fall in days lost (NAO Case Example 2) gives it in closed form.
 * - `exclusions.permanentDiscretion`: permanent exclusions are multiplied by
 *   1 − discretion × (1 − exp(−costElasticity × £8,685/1000)), so 51 → 38 gives it.
 * - `need.notAnIssue`: the attainment need below which a non-partnering school says
 *   attainment is "not an issue" (NAO [2.13], 37%). It is used by nothing else, so it
 *   is set by bisection on the simulated share, whatever the rest of the model does.
 * - The funding-intention shares and the Ofsted behaviour cut points are the report's
 *   figures themselves (their targets' `setBy`).
 */
import { getPath, setPath, type Params } from '../../sim/params.js';
import { simulateMoments, type MomentSettings } from './evaluate.js';
import type { Target } from './targets.js';

/** The protocol's figures: days lost fell 41%; permanent exclusions went from 51 to 38 (NAO Case Example 2). */
export const PROTOCOL_DAYS_FALL = 0.41;
export const PROTOCOL_PERMANENT_BEFORE = 51;
export const PROTOCOL_PERMANENT_AFTER = 38;

/** costElasticity and permanentDiscretion in closed form from the protocol's figures and charges. */
export function protocolInputs(params: Params): { costElasticity: number; permanentDiscretion: number } {
  const x = params.exclusions;
  const costElasticity = -Math.log(1 - PROTOCOL_DAYS_FALL) / (x.shortPlacementCharge / 1000);
  const permanentFall = 1 - PROTOCOL_PERMANENT_AFTER / PROTOCOL_PERMANENT_BEFORE;
  const permanentDiscretion = permanentFall / (1 - Math.exp((-costElasticity * x.permanentCharge) / 1000));
  return { costElasticity, permanentDiscretion: Math.min(1, permanentDiscretion) };
}

/**
 * need.notAnIssue by bisection on the simulated share of non-partnering schools below
 * it (the share rises with the threshold); stops within `tol` of the figure.
 * Returns null when the model has no such parameter.
 */
export function notAnIssueInput(params: Params, st: MomentSettings, target: Target, steps = 12, tol = 0.004): Promise<{ value: number; share: number } | null> {
  return bisectInput(params, st, target, 'need.notAnIssue', 0, 1, steps, tol);
}

/**
 * An input parameter at `path` by bisection on [lo, hi] so that the simulated mean of
 * `target` (which rises with the parameter) is the figure; stops within `tol`.
 * Used for the starting Ofsted behaviour-grade shares (world.behaviourInadequate,
 * world.behaviourSatisfactory): they set the cut points in a world before partnering,
 * so the shares the NAO quotes for 2009 [3.2] come out of the baseline at the survey date.
 */
export async function bisectInput(params: Params, st: MomentSettings, target: Target, path: string, lo: number, hi: number, steps = 10, tol = 0.002): Promise<{ value: number; share: number } | null> {
  if (typeof getPath(params, path) !== 'number') return null;
  let best = { value: getPath(params, path) as number, share: NaN, gap: Infinity };
  for (let i = 0; i < steps; i++) {
    const mid = (lo + hi) / 2;
    const p = structuredClone(params);
    setPath(p, path, mid);
    const sim = await simulateMoments(p, null, st, [target]);
    const v = sim.perRep[target.id].filter(Number.isFinite);
    const share = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    const g = Math.abs(share - target.value);
    if (g < best.gap) best = { value: mid, share, gap: g };
    if (g <= tol) break;
    if (share < target.value) lo = mid;
    else hi = mid;
  }
  return { value: best.value, share: best.share };
}
