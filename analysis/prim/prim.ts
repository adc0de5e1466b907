/**
 * PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting
 * in high-dimensional data"), for scenario discovery (Bryant & Lempert 2010):
 * find a box, a range on a few inputs, holding as many of the cases of interest
 * (coverage) and as few others (density) as possible. Pure and deterministic.
 *
 * Peeling: from the box holding all remaining cases, try removing from each face
 * of each input the alpha share of the box's cases with the lowest (or highest)
 * values (at least one case; cases tied at the cut go together; the new limit is
 * midway between the last value removed and the next one kept). Take the peel
 * with the largest gain in density per case removed (Friedman & Fisher's
 * criterion for peels of unequal size; for equal sizes, the largest density),
 * preferring on ties an input already restricted, then the earlier input, then
 * the lower face. Stop when no peel raises the density or the box would hold
 * less than the minimum mass.
 *
 * Pasting: then try widening each restricted face by the alpha share of the
 * box's size (the nearest cases outside that face, inside the box on every other
 * input) and take the widening with the largest gain in density per case added,
 * while one raises the density.
 *
 * Every box on the way is a step of the trajectory (coverage, density, mass,
 * number of restricted inputs). The chosen box is the knee of the
 * coverage-density trade-off (after scaling both to [0, 1] over the trajectory,
 * the box farthest above the straight line from the first box to the last; the
 * last box when none lies above it), or with `minDensity` the box of highest
 * coverage whose density reaches it. For each restricted face of the chosen box
 * a quasi-p-value: with that limit relaxed to the input's full range, p = the
 * density of the relaxed box, and the one-sided binomial probability of at least
 * the box's cases of interest among its cases at that density (Bryant & Lempert
 * 2010; as the EMA Workbench computes it). Covering: the chosen box's cases are
 * removed and PRIM runs again on the rest, for further boxes; coverage and mass
 * are always shares of all cases.
 */
import { binomialUpperTail } from './binomial.js';

/** The cases: inputs by column and a 0/1 label. */
export interface PrimData {
  names: readonly string[];
  /** x[j][i]: input j of case i. */
  x: readonly ArrayLike<number>[];
  /** 1 for a case of interest. */
  y: ArrayLike<number>;
  /** Full range of each input (default: the data's min and max). */
  bounds?: readonly (readonly [number, number])[];
}

/** Options (defaults: alpha 0.05 for peeling and pasting, minimum mass 0.05, three boxes). */
export interface PrimOptions {
  peelAlpha?: number;
  pasteAlpha?: number;
  massMin?: number;
  /** Choose the box of highest coverage with at least this density, instead of the knee. */
  minDensity?: number;
  maxBoxes?: number;
}

/** One box of a trajectory. */
export interface TrajectoryStep {
  step: number;
  phase: 'start' | 'peel' | 'paste';
  /** The input and face changed to reach this box. */
  input?: string;
  face?: 'lower' | 'upper';
  coverage: number;
  density: number;
  mass: number;
  /** Number of restricted inputs. */
  restricted: number;
  cases: number;
  interesting: number;
  lower: number[];
  upper: number[];
}

/** One restricted input of a chosen box. */
export interface BoxLimit {
  input: string;
  lower: number;
  upper: number;
  /** The input's full range. */
  min: number;
  max: number;
  /** Quasi-p-value of each restricted face (null where the face is not restricted). */
  qpLower: number | null;
  qpUpper: number | null;
}

/** One box found (in covering order). */
export interface PrimBox {
  index: number;
  trajectory: TrajectoryStep[];
  /** Index into trajectory of the chosen box. */
  chosen: number;
  chosenBy: 'knee' | 'min-density' | 'densest';
  coverage: number;
  density: number;
  mass: number;
  cases: number;
  interesting: number;
  /** Restricted inputs, most restricted (smallest share of its range kept) first. */
  limits: BoxLimit[];
  /** Cases and cases of interest left when this box was searched. */
  remaining: { cases: number; interesting: number };
}

/** What PRIM found. */
export interface PrimResult {
  inputs: string[];
  bounds: [number, number][];
  cases: number;
  interesting: number;
  baseDensity: number;
  options: Required<Omit<PrimOptions, 'minDensity'>> & { minDensity: number | null };
  boxes: PrimBox[];
  /** Why covering stopped. */
  stopped: string;
  /** The box searched last and not kept (its trajectory shows why), if any. */
  rejected?: PrimBox;
}

const EPS = 1e-12;

/** Run PRIM with covering. */
export function prim(data: PrimData, opts: PrimOptions = {}): PrimResult {
  const peelAlpha = opts.peelAlpha ?? 0.05;
  const pasteAlpha = opts.pasteAlpha ?? 0.05;
  const massMin = opts.massMin ?? 0.05;
  const maxBoxes = opts.maxBoxes ?? 3;
  const minDensity = opts.minDensity ?? null;
  for (const [k, v] of [['peelAlpha', peelAlpha], ['pasteAlpha', pasteAlpha], ['massMin', massMin]] as const) {
    if (!(v > 0 && v < 1)) throw new RangeError(`prim: ${k} must be in (0, 1), got ${v}`);
  }
  const d = data.names.length;
  const n = data.y.length;
  if (data.x.length !== d) throw new RangeError(`prim: ${data.x.length} input columns for ${d} names`);
  for (const col of data.x) if (col.length !== n) throw new RangeError('prim: every input column needs one value per case');
  const y = Uint8Array.from(data.y as ArrayLike<number>, (v) => (v ? 1 : 0));
  const bounds: [number, number][] = data.names.map((_, j) => {
    if (data.bounds) return [data.bounds[j][0], data.bounds[j][1]];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, data.x[j][i]);
      hi = Math.max(hi, data.x[j][i]);
    }
    return [lo, hi];
  });
  // Each input's cases in ascending order of value (ties by case index), once.
  const order = data.x.map((col) => Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a] - col[b] || a - b));
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i];
  const remaining = new Uint8Array(n).fill(1);
  const boxes: PrimBox[] = [];
  const options = { peelAlpha, pasteAlpha, massMin, maxBoxes, minDensity };
  const base = { inputs: data.names.slice(), bounds, cases: n, interesting: total, baseDensity: n ? total / n : NaN, options };
  let stopped = `found ${maxBoxes} box${maxBoxes === 1 ? '' : 'es'} (the most asked for)`;
  let rejected: PrimBox | undefined;
  while (boxes.length < maxBoxes) {
    let rn = 0;
    let rc = 0;
    for (let i = 0; i < n; i++) if (remaining[i]) {
      rn++;
      rc += y[i];
    }
    if (rc === 0) {
      stopped = boxes.length ? 'no cases of interest left outside the boxes found' : 'there are no cases of interest';
      break;
    }
    const box = findBox(data.x, y, bounds, order, remaining, { n, total, peelAlpha, pasteAlpha, massMin, minDensity, names: data.names });
    box.index = boxes.length;
    box.remaining = { cases: rn, interesting: rc };
    if (box.limits.length === 0) {
      stopped = 'the next box restricts no input';
      rejected = box;
      break;
    }
    if (box.density <= base.baseDensity + EPS) {
      stopped = `the next box's density (${box.density.toFixed(3)}) is no better than the share of cases of interest overall (${base.baseDensity.toFixed(3)})`;
      rejected = box;
      break;
    }
    if (minDensity !== null && box.density < minDensity) {
      stopped = `the next box's density (${box.density.toFixed(3)}) is below --min-density ${minDensity}`;
      rejected = box;
      break;
    }
    boxes.push(box);
    const step = box.trajectory[box.chosen];
    for (let i = 0; i < n; i++) if (remaining[i] && inBox(data.x, i, step.lower, step.upper)) remaining[i] = 0;
  }
  return { ...base, boxes, stopped, ...(rejected ? { rejected } : {}) };
}

function inBox(x: readonly ArrayLike<number>[], i: number, lower: readonly number[], upper: readonly number[], skip = -1): boolean {
  for (let j = 0; j < x.length; j++) {
    if (j === skip) continue;
    const v = x[j][i];
    if (v < lower[j] || v > upper[j]) return false;
  }
  return true;
}

interface Ctx {
  n: number;
  total: number;
  peelAlpha: number;
  pasteAlpha: number;
  massMin: number;
  minDensity: number | null;
  names: readonly string[];
}

interface Candidate {
  j: number;
  face: 'lower' | 'upper';
  limit: number;
  /** Cases that leave (peel) or join (paste). */
  moved: number[];
  movedInteresting: number;
  obj: number;
}

function restrictedCount(lower: readonly number[], upper: readonly number[], bounds: readonly [number, number][]): number {
  let r = 0;
  for (let j = 0; j < bounds.length; j++) if (lower[j] > bounds[j][0] || upper[j] < bounds[j][1]) r++;
  return r;
}

function isRestricted(j: number, lower: readonly number[], upper: readonly number[], bounds: readonly [number, number][]): boolean {
  return lower[j] > bounds[j][0] || upper[j] < bounds[j][1];
}

/** Is candidate a better than b? Larger objective; then an input already restricted; then earlier input; then lower face. */
function better(a: Candidate, b: Candidate | undefined, restricted: (j: number) => boolean): boolean {
  if (!b) return true;
  if (a.obj > b.obj + EPS) return true;
  if (a.obj < b.obj - EPS) return false;
  const ra = restricted(a.j) ? 1 : 0;
  const rb = restricted(b.j) ? 1 : 0;
  if (ra !== rb) return ra > rb;
  if (a.j !== b.j) return a.j < b.j;
  return a.face === 'lower' && b.face === 'upper';
}

function findBox(
  x: readonly ArrayLike<number>[],
  y: Uint8Array,
  bounds: [number, number][],
  order: number[][],
  remaining: Uint8Array,
  c: Ctx,
): PrimBox {
  const d = x.length;
  const lower = bounds.map((b) => b[0]);
  const upper = bounds.map((b) => b[1]);
  const inside = Uint8Array.from(remaining);
  let cases = 0;
  let coi = 0;
  for (let i = 0; i < c.n; i++) if (inside[i]) {
    cases++;
    coi += y[i];
  }
  const trajectory: TrajectoryStep[] = [];
  const record = (phase: TrajectoryStep['phase'], cand?: Candidate): void => {
    trajectory.push({
      step: trajectory.length,
      phase,
      ...(cand ? { input: c.names[cand.j], face: cand.face } : {}),
      coverage: c.total ? coi / c.total : NaN,
      density: cases ? coi / cases : NaN,
      mass: cases / c.n,
      restricted: restrictedCount(lower, upper, bounds),
      cases,
      interesting: coi,
      lower: lower.slice(),
      upper: upper.slice(),
    });
  };
  record('start');
  const restricted = (j: number): boolean => isRestricted(j, lower, upper, bounds);

  // 1 peeling
  for (;;) {
    const k = Math.max(1, Math.floor(c.peelAlpha * cases));
    const mean = coi / cases;
    let best: Candidate | undefined;
    for (let j = 0; j < d; j++) {
      for (const face of ['lower', 'upper'] as const) {
        const ord = order[j];
        const col = x[j];
        const moved: number[] = [];
        let mi = 0;
        let cut = NaN;
        let next = NaN;
        const walk = face === 'lower' ? { start: 0, stop: ord.length, step: 1 } : { start: ord.length - 1, stop: -1, step: -1 };
        for (let p = walk.start; p !== walk.stop; p += walk.step) {
          const i = ord[p];
          if (!inside[i]) continue;
          const v = col[i];
          if (moved.length >= k && v !== cut) {
            next = v;
            break;
          }
          moved.push(i);
          mi += y[i];
          cut = v;
        }
        if (Number.isNaN(next)) continue; // the peel would empty the box
        const left = cases - moved.length;
        const obj = ((coi - mi) / left - mean) / moved.length;
        const cand: Candidate = { j, face, limit: (cut + next) / 2, moved, movedInteresting: mi, obj };
        if (better(cand, best, restricted)) best = cand;
      }
    }
    if (!best || !(best.obj > EPS) || (cases - best.moved.length) / c.n < c.massMin) break;
    for (const i of best.moved) inside[i] = 0;
    cases -= best.moved.length;
    coi -= best.movedInteresting;
    if (best.face === 'lower') lower[best.j] = best.limit;
    else upper[best.j] = best.limit;
    record('peel', best);
  }

  // 2 pasting
  for (;;) {
    const k = Math.max(1, Math.floor(c.pasteAlpha * cases));
    const mean = coi / cases;
    let best: Candidate | undefined;
    for (let j = 0; j < d; j++) {
      if (!restricted(j)) continue;
      for (const face of ['lower', 'upper'] as const) {
        const lim = face === 'lower' ? lower[j] : upper[j];
        if (face === 'lower' ? lim <= bounds[j][0] : lim >= bounds[j][1]) continue;
        const ord = order[j];
        const col = x[j];
        const moved: number[] = [];
        let mi = 0;
        let cut = NaN;
        let next = NaN;
        // Walk outwards from the face: the nearest outside cases first.
        const walk = face === 'lower' ? { start: ord.length - 1, stop: -1, step: -1 } : { start: 0, stop: ord.length, step: 1 };
        for (let p = walk.start; p !== walk.stop; p += walk.step) {
          const i = ord[p];
          const v = col[i];
          if (!remaining[i] || (face === 'lower' ? v >= lim : v <= lim)) continue;
          if (!inBox(x, i, lower, upper, j)) continue;
          if (moved.length >= k && v !== cut) {
            next = v;
            break;
          }
          moved.push(i);
          mi += y[i];
          cut = v;
        }
        if (moved.length === 0) continue;
        const limit = Number.isNaN(next) ? (face === 'lower' ? bounds[j][0] : bounds[j][1]) : (cut + next) / 2;
        const obj = ((coi + mi) / (cases + moved.length) - mean) / moved.length;
        const cand: Candidate = { j, face, limit, moved, movedInteresting: mi, obj };
        if (better(cand, best, restricted)) best = cand;
      }
    }
    if (!best || !(best.obj > EPS)) break;
    for (const i of best.moved) inside[i] = 1;
    cases += best.moved.length;
    coi += best.movedInteresting;
    if (best.face === 'lower') lower[best.j] = best.limit;
    else upper[best.j] = best.limit;
    record('paste', best);
  }

  // 3 choose, and the quasi-p-values of the chosen box's limits
  const { index: chosen, by } = chooseBox(trajectory, c.minDensity);
  const s = trajectory[chosen];
  const limits: BoxLimit[] = [];
  for (let j = 0; j < d; j++) {
    const lo = s.lower[j] > bounds[j][0];
    const hi = s.upper[j] < bounds[j][1];
    if (!lo && !hi) continue;
    const qp = (face: 'lower' | 'upper'): number => {
      const l = s.lower.slice();
      const u = s.upper.slice();
      if (face === 'lower') l[j] = bounds[j][0];
      else u[j] = bounds[j][1];
      let tj = 0;
      let hj = 0;
      for (let i = 0; i < c.n; i++) if (remaining[i] && inBox(x, i, l, u)) {
        tj++;
        hj += y[i];
      }
      return binomialUpperTail(s.interesting, s.cases, tj ? hj / tj : 0);
    };
    limits.push({ input: c.names[j], lower: s.lower[j], upper: s.upper[j], min: bounds[j][0], max: bounds[j][1], qpLower: lo ? qp('lower') : null, qpUpper: hi ? qp('upper') : null });
  }
  const kept = (l: BoxLimit): number => (l.max > l.min ? (l.upper - l.lower) / (l.max - l.min) : 1);
  limits.sort((a, b) => kept(a) - kept(b));
  return {
    index: 0,
    trajectory,
    chosen,
    chosenBy: by,
    coverage: s.coverage,
    density: s.density,
    mass: s.mass,
    cases: s.cases,
    interesting: s.interesting,
    limits,
    remaining: { cases: 0, interesting: 0 },
  };
}

/**
 * The chosen box of a trajectory: with `minDensity`, the box of highest coverage
 * whose density reaches it (the densest box if none does); otherwise the knee.
 */
export function chooseBox(trajectory: readonly Pick<TrajectoryStep, 'coverage' | 'density'>[], minDensity: number | null = null): { index: number; by: PrimBox['chosenBy'] } {
  if (minDensity !== null) {
    let best = -1;
    trajectory.forEach((s, i) => {
      if (s.density >= minDensity - EPS && (best < 0 || s.coverage > trajectory[best].coverage + EPS)) best = i;
    });
    if (best >= 0) return { index: best, by: 'min-density' };
    let densest = 0;
    trajectory.forEach((s, i) => {
      if (s.density > trajectory[densest].density + EPS) densest = i;
    });
    return { index: densest, by: 'densest' };
  }
  return { index: kneeIndex(trajectory), by: 'knee' };
}

/**
 * The knee of a coverage-density trajectory: scale coverage and density to
 * [0, 1] over the trajectory; the step farthest above the line c + d = 1 (the
 * line through the first box, full coverage, and the last, full density); the
 * last step when none lies above it. Ties go to the earlier step.
 */
export function kneeIndex(trajectory: readonly Pick<TrajectoryStep, 'coverage' | 'density'>[]): number {
  const cs = trajectory.map((s) => s.coverage);
  const ds = trajectory.map((s) => s.density);
  const cmin = Math.min(...cs);
  const cmax = Math.max(...cs);
  const dmin = Math.min(...ds);
  const dmax = Math.max(...ds);
  const scale = (v: number, lo: number, hi: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0);
  let best = -1;
  let bestScore = EPS;
  trajectory.forEach((s, i) => {
    const score = scale(s.coverage, cmin, cmax) + scale(s.density, dmin, dmax) - 1;
    if (score > bestScore + EPS) {
      best = i;
      bestScore = score;
    }
  });
  return best >= 0 ? best : trajectory.length - 1;
}
