/**
 * A synthetic England of 2007-08, generated from a seed.
 *
 * About 3,300 state-funded secondaries in about 150 LAs of unequal size (a few large
 * counties, many small LAs), on a jittered grid of LAs so that neighbours are found in
 * O(1). FSM share is right-skewed and clustered by LA (logit-normal with an LA effect)
 * with a pupil-weighted national mean near 13%; attainment at 14 is strongly and
 * negatively related to FSM; attendance, SEN, behaviour, exclusions and Ofsted grades
 * follow. Figures and sources are in params.ts (world.*) and docs/ODD.md.
 * Cost: O(schools + LAs).
 */
import type { Params } from './params.js';
import type { Rng } from './rng.js';
import { allocWorld, LA_NEIGHBOURS, type World } from './world.js';
import { expectedAttainment } from './outcomes.js';
import { normalQuantile } from './normal.js';
import * as fmath from './fmath.js';
import { reserveScratchFor, scratchBuffer } from './scratch.js';

/** Schools the default parameters describe (England's secondaries, 2009). */
export const ENGLAND_SCHOOLS = 3300;

/** Number of LAs for a world of n schools: 150 at 3,300, in proportion, at least 1. */
export function lasFor(p: Params, n: number): number {
  return Math.max(1, Math.round((p.world.las * n) / ENGLAND_SCHOOLS));
}

const logistic = (z: number): number => 1 / (1 + fmath.exp(-z));

/** Generate a synthetic England of `n` secondary schools. */
export function generateWorld(p: Params, n: number, rng: Rng): World {
  if (!Number.isInteger(n) || n < 2) throw new Error(`generateWorld: n must be an integer >= 2, got ${n}`);
  const w0 = p.world;
  const nLa = Math.min(lasFor(p, n), Math.floor(n / 2));

  // 1. LA sizes: lognormal weights (sigma 0.8) give a few large counties and many small LAs.
  const weights = new Float64Array(nLa);
  let wsum = 0;
  for (let l = 0; l < nLa; l++) {
    weights[l] = fmath.exp(0.8 * rng.normal());
    wsum += weights[l];
  }
  const sizes = new Int32Array(nLa);
  let assigned = 0;
  for (let l = 0; l < nLa; l++) {
    sizes[l] = Math.max(2, Math.floor((weights[l] / wsum) * n));
    assigned += sizes[l];
  }
  // Hand out (or take back) the rounding remainder round-robin, keeping every LA at 2+.
  for (let l = 0; assigned < n; l = (l + 1) % nLa) {
    sizes[l]++;
    assigned++;
  }
  for (let l = 0; assigned > n; l = (l + 1) % nLa) {
    if (sizes[l] > 2) {
      sizes[l]--;
      assigned--;
    }
  }

  // 2. Primaries per secondary (Poisson), then allocate. The per-school temporaries (feeders, FSM logits) are views
  // of the thread's scratch buffer (scratch.ts), reserved here for the whole run, so generation leaves no garbage.
  reserveScratchFor(n);
  const scratch = scratchBuffer(12 * n + 8);
  const feeders = new Int32Array(scratch, 0, n);
  let nPrimary = 0;
  for (let i = 0; i < n; i++) {
    feeders[i] = rng.poisson(w0.primariesPerSecondary);
    nPrimary += feeders[i];
  }
  const w = allocWorld(n, nLa, nPrimary, false);

  // 3. LAs on a jittered square grid, about 25 km apart; neighbours are grid-adjacent.
  const cols = Math.ceil(Math.sqrt(nLa));
  const laX = new Float64Array(nLa);
  const laY = new Float64Array(nLa);
  const laFsm = new Float64Array(nLa);
  let start = 0;
  for (let l = 0; l < nLa; l++) {
    const r = Math.floor(l / cols);
    const c = l % cols;
    laX[l] = c * 25 + rng.uniform(-5, 5);
    laY[l] = r * 25 + rng.uniform(-5, 5);
    laFsm[l] = w0.fsmLaSpread * rng.normal();
    w.laStart[l] = start;
    start += sizes[l];
    w.laName[l] = `LA ${String(l + 1).padStart(3, '0')}`;
    w.laCode[l] = String(800 + l);
    w.laSupported[l] = rng.bernoulli(w0.laSupportedShare) ? 1 : 0;
    const nb = [
      [r, c - 1],
      [r, c + 1],
      [r - 1, c],
      [r + 1, c],
    ];
    let k = 0;
    for (const [rr, cc] of nb) {
      const m = rr * cols + cc;
      if (cc >= 0 && cc < cols && rr >= 0 && m < nLa) w.laNeighbours[l * LA_NEIGHBOURS + k++] = m;
    }
  }
  w.laStart[nLa] = n;

  // 4. Schools: location, size, FSM logit (mean fixed below), quality, behaviour.
  const fsmLogit = new Float64Array(scratch, (4 * n + 7) & ~7, n);
  for (let l = 0; l < nLa; l++) {
    const radius = 4 + 2 * Math.sqrt(sizes[l]);
    for (let i = w.laStart[l]; i < w.laStart[l + 1]; i++) {
      w.la[i] = l;
      w.x[i] = laX[l] + radius * rng.uniform(-1, 1);
      w.y[i] = laY[l] + radius * rng.uniform(-1, 1);
      w.pupils[i] = Math.max(150, Math.round(w0.meanPupils * fmath.exp(0.35 * rng.normal() - 0.06125)));
      fsmLogit[i] = laFsm[l] + w0.fsmSchoolSpread * rng.normal();
      w.quality[i] = rng.normal();
      w.behaviour[i] = 0.5 * w.quality[i] + Math.sqrt(0.75) * rng.normal();
    }
  }
  // Pupil-weighted national FSM mean = fsmMean: bisection on the common shift (monotone).
  let lo = -8;
  let hi = 4;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      num += w.pupils[i] * logistic(mid + fsmLogit[i]);
      den += w.pupils[i];
    }
    if (num / den > w0.fsmMean) hi = mid;
    else lo = mid;
  }
  const shift = (lo + hi) / 2;

  // 5. Intake, attainment, grades, staff time.
  const progressCuts = cuts(w0.ofstedOutstanding, w0.ofstedGood, w0.ofstedInadequate);
  const behaviourCuts = cuts(w0.behaviourOutstanding, 1 - w0.behaviourOutstanding - w0.behaviourSatisfactory - w0.behaviourInadequate, w0.behaviourInadequate);
  const gradeSd = Math.sqrt(1 + p.inspection.noise * p.inspection.noise);
  for (let i = 0; i < n; i++) {
    const fsm = logistic(shift + fsmLogit[i]);
    w.fsm[i] = fsm;
    const absence = Math.min(0.3, w0.absenceMean * fmath.exp(0.25 * rng.normal() + 2.5 * (fsm - w0.fsmMean) - 0.12 * w.behaviour[i] - 0.04));
    w.attendance[i] = 1 - absence;
    w.sen[i] = Math.min(0.6, w0.senMean * fmath.exp(0.3 * rng.normal() + 1.5 * (fsm - w0.fsmMean) - 0.045));
    w.attainment[i] = expectedAttainment(p, fsm, w.sen[i], w.attendance[i]) + w0.attainmentQualitySd * w.quality[i] + p.effects.cohortNoise * rng.normal();
    w.ofstedProgress[i] = grade(w.quality[i] + p.inspection.noise * rng.normal(), gradeSd, progressCuts);
    w.ofstedBehaviour[i] = grade(w.behaviour[i] + p.inspection.noise * rng.normal(), gradeSd, behaviourCuts);
    // Inspected some time in the three years before autumn 2007.
    w.lastInspection[i] = 2007 - rng.uniform(0, p.inspection.cycleYears);
    w.staffDays[i] = w0.staffDaysPerTerm * Math.sqrt(w.pupils[i] / w0.meanPupils) * fmath.exp(0.3 * rng.normal() - 0.045);
    w.keyPerson[i] = rng.bernoulli(w0.keyPersonShare) ? 1 : 0;
  }

  // 6. Feeder primaries: only their number a secondary is kept (no part of the model reads a primary's own data).
  // (A generated world once also drew and stored each primary's pupils; those were the stream's last draws, so leaving
  // them out changes no other value.)
  for (let i = 0; i < n; i++) w.feeders[i] = feeders[i];
  return w;
}

/** Latent cut points (standard units) for shares outstanding, good and inadequate. */
export function cuts(outstanding: number, good: number, inadequate: number): [number, number, number] {
  const q = (x: number): number => normalQuantile(Math.min(1 - 1e-9, Math.max(1e-9, x)));
  // grade 1 above c1, grade 2 in (c2, c1], grade 3 in (c3, c2], grade 4 at or below c3.
  return [q(1 - outstanding), q(1 - outstanding - good), q(inadequate)];
}

/** Ofsted grade from a latent judgement with standard deviation sd. */
export function grade(latent: number, sd: number, c: readonly [number, number, number]): 1 | 2 | 3 | 4 {
  const z = latent / sd;
  if (z > c[0]) return 1;
  if (z > c[1]) return 2;
  if (z > c[2]) return 3;
  return 4;
}
