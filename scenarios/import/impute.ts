/**
 * Filling the gaps of a world built from real files, with the synthetic generator's
 * own distributions (sim/generate.ts), conditional on what the files do say.
 *
 * Every value a file gives is kept; every value it lacks is drawn, seeded by the
 * Rng passed in, from the generator's model given the school's known values:
 *  - location: the LA's centroid of known locations plus a uniform jitter of the
 *    LA's spread (an LA with no known location is placed east of the others, or on
 *    the generator's 25 km grid if nothing is known at all);
 *  - pupils: lognormal as in the generator (mean `world.meanPupils`);
 *  - FSM: logit-normal around the mean logit of the known FSM shares of the
 *    school's LA, with the generator's within-LA spread `world.fsmSchoolSpread`; an
 *    LA with none known gets an LA effect of SD `world.fsmLaSpread` around the mean
 *    of the other LAs; with no FSM known anywhere, exactly the generator's draw
 *    (LA effect + school effect, shifted so the pupil-weighted mean is
 *    `world.fsmMean`);
 *  - SEN and attendance: the generator's formulas given FSM (and, for attendance,
 *    the behaviour climate);
 *  - quality (the latent school effect, N(0, 1) in the generator) is backed out of
 *    what the files say about the school: from value added, standardised within the
 *    file (z), as q ~ N(rho z, 1 - rho^2) with rho = sdQ / sqrt(sdQ^2 + cohortNoise^2),
 *    the correlation between quality and measured CVA in the generator; otherwise
 *    from attainment minus the intake prediction, r = A - expectedAttainment(fsm,
 *    sen, attendance), as the normal posterior q ~ N(r sdQ / (sdQ^2 + c^2),
 *    c^2 / (sdQ^2 + c^2)); otherwise from the prior N(0, 1). A known Ofsted progress
 *    grade then conditions it: the grade says the inspection latent q + noise*e fell
 *    between two of the generator's cut points, and q is drawn from that exact
 *    conditional (a truncated normal for the latent, then q given the latent);
 *  - behaviour: N(0.5 q, 0.75) as in the generator, conditioned in the same way on a
 *    known Ofsted behaviour grade;
 *  - attendance depends on behaviour, which depends on quality, which (through the
 *    intake prediction) depends on attendance: the three are solved by fixed-point
 *    iteration with the random deviates held fixed (it contracts by a factor of about
 *    0.03 per pass at the default parameters; three passes are used);
 *  - attainment: expectedAttainment(fsm, sen, attendance) + sdQ q + cohort noise;
 *  - Ofsted grades: grade(latent + noise) with the generator's cut points;
 *  - last inspection: up to `inspection.cycleYears` before the latest known
 *    inspection in the files (2007, the generator's reference, if none is known);
 *  - staff days, key-person flag, LA support: the generator's draws.
 * Each field pass draws the same number of deviates for every school, known or not,
 * so learning one more value does not reshuffle the draws of the other schools.
 */
import type { Params } from '../../sim/params.js';
import { Rng } from '../../sim/rng.js';
import type { World } from '../../sim/world.js';
import { cuts, generateWorld, grade, ENGLAND_SCHOOLS } from '../../sim/generate.js';
import { expectedAttainment, ATTAINMENT_MEAN } from '../../sim/outcomes.js';
import { normalCdf, normalQuantile } from '../../sim/normal.js';
import type { FieldCount } from './report.js';

/** What the files say about each kept secondary, in world order. NaN / 0 / -1 = missing. */
export interface Known {
  /** Location in km; NaN where unknown. */
  x: Float64Array;
  y: Float64Array;
  pupils: Float64Array;
  fsm: Float64Array;
  sen: Float64Array;
  attendance: Float64Array;
  /** Attainment on the model scale. */
  attainment: Float64Array;
  /** Value added, standardised within its file (z-score). */
  vaZ: Float64Array;
  /** Grades 1-4; 0 where unknown. */
  ofstedProgress: Uint8Array;
  ofstedBehaviour: Uint8Array;
  /** Fractional academic year. */
  lastInspection: Float64Array;
  staffDays: Float64Array;
  /** 0/1; -1 where unknown. */
  keyPerson: Int8Array;
}

/** An all-missing Known for n schools. */
export function newKnown(n: number): Known {
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  return {
    x: nan(),
    y: nan(),
    pupils: nan(),
    fsm: nan(),
    sen: nan(),
    attendance: nan(),
    attainment: nan(),
    vaZ: nan(),
    ofstedProgress: new Uint8Array(n),
    ofstedBehaviour: new Uint8Array(n),
    lastInspection: nan(),
    staffDays: nan(),
    keyPerson: new Int8Array(n).fill(-1),
  };
}

/** Fixed key of the reference world whose spread defines the model's attainment SD. */
export const REFERENCE_WORLD_KEY = 'partnersim|import|reference-world';

/**
 * The model's between-school SD of attainment: measured on a synthetic world of
 * eight Englands (8 x ENGLAND_SCHOOLS schools in 8 x 150 LAs, so that the LA-level
 * part of the spread is well estimated) generated with these parameters from a
 * fixed seed: about 8.3 points at the defaults. Cached per parameter set (about
 * 0.1 s to compute). Does not touch the caller's random stream.
 */
export function modelAttainmentSd(p: Params): number {
  const key = JSON.stringify(p);
  const hit = sdCache.get(key);
  if (hit !== undefined) return hit;
  const sd = measureSd(generateWorld(p, 8 * ENGLAND_SCHOOLS, new Rng(REFERENCE_WORLD_KEY)));
  if (sdCache.size >= 64) sdCache.clear();
  sdCache.set(key, sd);
  return sd;
}
const sdCache = new Map<string, number>();

function measureSd(w: World): number {
  let mean = 0;
  for (let i = 0; i < w.n; i++) mean += w.attainment[i];
  mean /= w.n;
  let ss = 0;
  for (let i = 0; i < w.n; i++) ss += (w.attainment[i] - mean) ** 2;
  return Math.sqrt(ss / (w.n - 1));
}

/**
 * Put a raw attainment score on the model scale by standardising within its file:
 * 100 + sd * (raw - fileMean) / fileSd. The model's national school mean is 100
 * (ATTAINMENT_MEAN) and `sd` its between-school SD (modelAttainmentSd).
 */
export function toModelScale(raw: number, fileMean: number, fileSd: number, sd: number): number {
  return ATTAINMENT_MEAN + (sd * (raw - fileMean)) / fileSd;
}

const logistic = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (f: number): number => {
  const c = Math.min(0.998, Math.max(0.002, f));
  return Math.log(c / (1 - c));
};

/** Standard normal truncated to [a, b], by inversion of the uniform deviate u. */
export function truncatedStdNormal(a: number, b: number, u: number): number {
  if (a > 0) return -truncatedStdNormal(-b, -a, 1 - u); // stay in the accurate lower tail
  const pa = a === -Infinity ? 0 : normalCdf(a);
  const pb = b === Infinity ? 1 : normalCdf(b);
  if (!(pb > pa)) return b <= 0 ? b : 0;
  const p = Math.min(Math.max(pa + u * (pb - pa), Number.MIN_VALUE), 1 - 1e-16);
  return Math.min(Math.max(normalQuantile(p), a), b);
}

/**
 * Draw x ~ N(m, v) conditional on an Ofsted grade g, where the inspection sees
 * L = x + noise * e (e standard normal) and grades L / gradeSd against the
 * generator's cut points c (grade 1 above c[0], ..., grade 4 at or below c[2]).
 * u (uniform) and z (standard normal) are the deviates, so the draw is a
 * deterministic function of them.
 */
export function drawGivenGrade(m: number, v: number, noise: number, gradeSd: number, c: readonly [number, number, number], g: number, u: number, z: number): number {
  const n2 = noise * noise;
  const s2 = v + n2;
  if (s2 <= 0) return m;
  const s = Math.sqrt(s2);
  const lo = g === 1 ? c[0] : g === 2 ? c[1] : g === 3 ? c[2] : -Infinity;
  const hi = g === 1 ? Infinity : g === 2 ? c[0] : g === 3 ? c[1] : c[2];
  const t = truncatedStdNormal((lo * gradeSd - m) / s, (hi * gradeSd - m) / s, u);
  const latent = m + s * t;
  return m + (v / s2) * (latent - m) + Math.sqrt((v * n2) / s2) * z;
}

/** Where each LA's schools lie: centroid and half-width of the jitter box (km). */
export interface LaGeometry {
  cx: Float64Array;
  cy: Float64Array;
  half: Float64Array;
  /** 1 where the centroid comes from known locations. */
  known: Uint8Array;
}

/**
 * LA centroids from known points (secondaries and primaries, km; NaN = unknown).
 * The jitter half-width is sqrt(3) x the RMS spread of the LA's known points (the
 * half-width of a uniform box with that SD), at least 2 km; with fewer than two
 * known points the generator's 4 + 2 sqrt(schools). LAs with no known point are
 * put in a row 30 km apart east of the known ones, or on the generator's 25 km grid
 * when no point is known at all.
 */
export function laGeometry(nLa: number, la: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, schoolsPerLa: ArrayLike<number>, rng: Rng): LaGeometry {
  const sx = new Float64Array(nLa);
  const sy = new Float64Array(nLa);
  const sxx = new Float64Array(nLa);
  const cnt = new Float64Array(nLa);
  for (let i = 0; i < la.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const l = la[i];
    sx[l] += x[i];
    sy[l] += y[i];
    sxx[l] += x[i] * x[i] + y[i] * y[i];
    cnt[l]++;
  }
  const g: LaGeometry = { cx: new Float64Array(nLa), cy: new Float64Array(nLa), half: new Float64Array(nLa), known: new Uint8Array(nLa) };
  let maxX = -Infinity;
  let sumY = 0;
  let nKnown = 0;
  for (let l = 0; l < nLa; l++) {
    const generatorHalf = 4 + 2 * Math.sqrt(Math.max(1, schoolsPerLa[l]));
    if (cnt[l] > 0) {
      g.cx[l] = sx[l] / cnt[l];
      g.cy[l] = sy[l] / cnt[l];
      g.known[l] = 1;
      const varXY = Math.max(0, sxx[l] / cnt[l] - g.cx[l] ** 2 - g.cy[l] ** 2) / 2;
      g.half[l] = cnt[l] >= 2 ? Math.max(2, Math.sqrt(3 * varXY)) : generatorHalf;
      maxX = Math.max(maxX, g.cx[l]);
      sumY += g.cy[l];
      nKnown++;
    } else {
      g.half[l] = generatorHalf;
    }
  }
  const cols = Math.ceil(Math.sqrt(nLa));
  let k = 0;
  for (let l = 0; l < nLa; l++) {
    // Draw the jitter for every LA so the stream does not depend on which are known.
    const jx = rng.uniform(-5, 5);
    const jy = rng.uniform(-5, 5);
    if (g.known[l]) continue;
    if (nKnown > 0) {
      k++;
      g.cx[l] = maxX + 30 * k;
      g.cy[l] = sumY / nKnown;
    } else {
      g.cx[l] = (l % cols) * 25 + jx;
      g.cy[l] = Math.floor(l / cols) * 25 + jy;
    }
  }
  return g;
}

/** A point drawn uniformly in LA l's box (always consumes two uniforms). */
export function drawPoint(g: LaGeometry, l: number, rng: Rng): [number, number] {
  const ux = rng.uniform(-1, 1);
  const uy = rng.uniform(-1, 1);
  return [g.cx[l] + g.half[l] * ux, g.cy[l] + g.half[l] * uy];
}

/** Field names reported by imputeWorld, in report order. */
export const IMPUTED_FIELDS = [
  'location',
  'pupils',
  'fsm',
  'sen',
  'attendance',
  'attainment',
  'quality',
  'behaviour',
  'ofstedProgress',
  'ofstedBehaviour',
  'lastInspection',
  'staffDays',
  'keyPerson',
] as const;

/**
 * Fill every per-school value of `w` (whose n, nLa, la and laStart are set) from
 * `k`, drawing what is missing as described in the module comment, and draw each
 * LA's `laSupported`. Returns, per field, how many values came from the files and
 * how many were imputed. O(schools + LAs).
 */
export function imputeWorld(w: World, k: Known, p: Params, rng: Rng, geo: LaGeometry): Record<string, FieldCount> {
  const n = w.n;
  const w0 = p.world;
  const counts: Record<string, FieldCount> = {};
  for (const f of IMPUTED_FIELDS) counts[f] = { fromFile: 0, imputed: 0 };
  const tally = (f: string, fromFile: boolean): void => {
    if (fromFile) counts[f].fromFile++;
    else counts[f].imputed++;
  };
  const has = (v: number): boolean => !Number.isNaN(v);

  // Location.
  for (let i = 0; i < n; i++) {
    const [px, py] = drawPoint(geo, w.la[i], rng);
    const known = has(k.x[i]) && has(k.y[i]);
    w.x[i] = known ? k.x[i] : px;
    w.y[i] = known ? k.y[i] : py;
    tally('location', known);
  }

  // Pupils.
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    const known = has(k.pupils[i]) && k.pupils[i] > 0;
    w.pupils[i] = known ? Math.round(k.pupils[i]) : Math.max(150, Math.round(w0.meanPupils * Math.exp(0.35 * z - 0.06125)));
    tally('pupils', known);
  }

  // FSM: LA means of known logits, else an LA effect around the national mean.
  const laSum = new Float64Array(w.nLa);
  const laCnt = new Float64Array(w.nLa);
  let anyFsm = false;
  for (let i = 0; i < n; i++) {
    if (!has(k.fsm[i])) continue;
    laSum[w.la[i]] += logit(k.fsm[i]);
    laCnt[w.la[i]]++;
    anyFsm = true;
  }
  const laEffect = new Float64Array(w.nLa);
  for (let l = 0; l < w.nLa; l++) laEffect[l] = w0.fsmLaSpread * rng.normal();
  const schoolEffect = new Float64Array(n);
  for (let i = 0; i < n; i++) schoolEffect[i] = w0.fsmSchoolSpread * rng.normal();
  if (anyFsm) {
    let nat = 0;
    let nl = 0;
    for (let l = 0; l < w.nLa; l++) {
      if (laCnt[l] > 0) {
        nat += laSum[l] / laCnt[l];
        nl++;
      }
    }
    nat /= nl;
    for (let i = 0; i < n; i++) {
      const l = w.la[i];
      const known = has(k.fsm[i]);
      const centre = laCnt[l] > 0 ? laSum[l] / laCnt[l] : nat + laEffect[l];
      w.fsm[i] = known ? k.fsm[i] : logistic(centre + schoolEffect[i]);
      tally('fsm', known);
    }
  } else {
    // Nothing known: the generator's draw, with its shift to a pupil-weighted mean of fsmMean.
    let lo = -8;
    let hi = 4;
    for (let it = 0; it < 40; it++) {
      const mid = (lo + hi) / 2;
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        num += w.pupils[i] * logistic(mid + laEffect[w.la[i]] + schoolEffect[i]);
        den += w.pupils[i];
      }
      if (num / den > w0.fsmMean) hi = mid;
      else lo = mid;
    }
    const shift = (lo + hi) / 2;
    for (let i = 0; i < n; i++) {
      w.fsm[i] = logistic(shift + laEffect[w.la[i]] + schoolEffect[i]);
      tally('fsm', false);
    }
  }

  // SEN given FSM.
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    const known = has(k.sen[i]);
    w.sen[i] = known ? k.sen[i] : Math.min(0.6, w0.senMean * Math.exp(0.3 * z + 1.5 * (w.fsm[i] - w0.fsmMean) - 0.045));
    tally('sen', known);
  }

  // Quality, behaviour and attendance, jointly (see the module comment).
  const sdQ = w0.attainmentQualitySd;
  const c = p.effects.cohortNoise;
  const noise = p.inspection.noise;
  const gradeSd = Math.sqrt(1 + noise * noise);
  const progressCuts = cuts(w0.ofstedOutstanding, w0.ofstedGood, w0.ofstedInadequate);
  const behaviourCuts = cuts(w0.behaviourOutstanding, 1 - w0.behaviourOutstanding - w0.behaviourSatisfactory - w0.behaviourInadequate, w0.behaviourInadequate);
  const total = sdQ * sdQ + c * c;
  const rho = total > 0 ? sdQ / Math.sqrt(total) : 0;
  const absence = (fsm: number, beh: number, z: number): number =>
    1 - Math.min(0.3, w0.absenceMean * Math.exp(0.25 * z + 2.5 * (fsm - w0.fsmMean) - 0.12 * beh - 0.04));
  for (let i = 0; i < n; i++) {
    const uq = rng.next();
    const zq = rng.normal();
    const ub = rng.next();
    const zb = rng.normal();
    const za = rng.normal();
    const fsm = w.fsm[i];
    const attKnown = has(k.attendance[i]);
    const vaKnown = has(k.vaZ[i]);
    const attainKnown = has(k.attainment[i]);
    const gq = k.ofstedProgress[i];
    const gb = k.ofstedBehaviour[i];
    let att = attKnown ? k.attendance[i] : absence(fsm, 0, 0);
    let q = 0;
    let b = 0;
    const passes = !attKnown && !vaKnown && attainKnown ? 3 : 1;
    for (let pass = 0; pass < passes; pass++) {
      let m = 0;
      let v = 1;
      if (vaKnown) {
        m = rho * k.vaZ[i];
        v = 1 - rho * rho;
      } else if (attainKnown && total > 0) {
        const r = k.attainment[i] - expectedAttainment(p, fsm, w.sen[i], att);
        m = (r * sdQ) / total;
        v = (c * c) / total;
      }
      q = gq > 0 ? drawGivenGrade(m, v, noise, gradeSd, progressCuts, gq, uq, zq) : m + Math.sqrt(v) * zq;
      b = gb > 0 ? drawGivenGrade(0.5 * q, 0.75, noise, gradeSd, behaviourCuts, gb, ub, zb) : 0.5 * q + Math.sqrt(0.75) * zb;
      if (!attKnown) att = absence(fsm, b, za);
    }
    w.quality[i] = q;
    w.behaviour[i] = b;
    w.attendance[i] = att;
    tally('quality', vaKnown || attainKnown || gq > 0);
    tally('behaviour', gb > 0);
    tally('attendance', attKnown);
  }

  // Attainment.
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    const known = has(k.attainment[i]);
    w.attainment[i] = known ? k.attainment[i] : expectedAttainment(p, w.fsm[i], w.sen[i], w.attendance[i]) + sdQ * w.quality[i] + c * z;
    tally('attainment', known);
  }

  // Ofsted grades.
  for (let i = 0; i < n; i++) {
    const zp = rng.normal();
    const zb = rng.normal();
    const gp = k.ofstedProgress[i];
    const gb = k.ofstedBehaviour[i];
    w.ofstedProgress[i] = gp > 0 ? gp : grade(w.quality[i] + noise * zp, gradeSd, progressCuts);
    w.ofstedBehaviour[i] = gb > 0 ? gb : grade(w.behaviour[i] + noise * zb, gradeSd, behaviourCuts);
    tally('ofstedProgress', gp > 0);
    tally('ofstedBehaviour', gb > 0);
  }

  // Last inspection.
  let ref = -Infinity;
  for (let i = 0; i < n; i++) if (has(k.lastInspection[i])) ref = Math.max(ref, k.lastInspection[i]);
  if (!Number.isFinite(ref)) ref = 2007;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform(0, p.inspection.cycleYears);
    const known = has(k.lastInspection[i]);
    w.lastInspection[i] = known ? k.lastInspection[i] : ref - u;
    tally('lastInspection', known);
  }

  // Staff time and key people.
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    const kp = rng.bernoulli(w0.keyPersonShare) ? 1 : 0;
    const sdKnown = has(k.staffDays[i]);
    w.staffDays[i] = sdKnown ? k.staffDays[i] : w0.staffDaysPerTerm * Math.sqrt(w.pupils[i] / w0.meanPupils) * Math.exp(0.3 * z - 0.045);
    tally('staffDays', sdKnown);
    const kpKnown = k.keyPerson[i] >= 0;
    w.keyPerson[i] = kpKnown ? k.keyPerson[i] : kp;
    tally('keyPerson', kpKnown);
  }

  for (let l = 0; l < w.nLa; l++) w.laSupported[l] = rng.bernoulli(w0.laSupportedShare) ? 1 : 0;
  return counts;
}
